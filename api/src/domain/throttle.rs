//! Failed-login throttling on the database, so every duban process counts the same attempts
//! (N replicas must not allow N times the guesses). The counters and limits are
//! `auth::throttle`'s; here they are read and spent.

use crate::auth::ThrottleLimits;
use crate::auth::throttle::{oldest_open, remaining};
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use entity::login_throttle::{self, Column};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use std::net::IpAddr;

/// Refuses an attempt with `RATE_LIMITED` while any of its counters is spent, until the minute
/// since that count's first failure has passed. Spends nothing: a refused attempt never extends
/// a lock.
pub async fn check(
    db: &impl ConnectionTrait,
    limits: &ThrottleLimits,
    username: &str,
    client: IpAddr,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let counters = limits.counters(username, client);
    let keys: Vec<String> = counters.iter().map(|c| c.key.clone()).collect();
    let rows = login_throttle::Entity::find()
        .filter(Column::Subject.is_in(keys))
        .filter(Column::OpenedAt.gte(oldest_open(now)))
        .all(db)
        .await?;
    let wait = rows
        .iter()
        .filter(|row| counters.iter().any(|c| c.key == row.subject && row.failures >= c.limit))
        .filter_map(|row| remaining(row.opened_at, now))
        .max();
    match wait {
        Some(secs) => Err(AppError::RateLimited { retry_after_secs: secs as u64 }),
        None => Ok(()),
    }
}

/// Spends one failure on each counter of the attempt, opening a fresh count where the stored one
/// has had its minute, and forgets counts that have.
pub async fn record_failure(
    db: &impl ConnectionTrait,
    limits: &ThrottleLimits,
    username: &str,
    client: IpAddr,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let oldest = oldest_open(now);
    let second = now.timestamp();
    for counter in limits.counters(username, client) {
        let row = login_throttle::ActiveModel { subject: Set(counter.key), opened_at: Set(second), failures: Set(1) };
        let opened = Expr::col((login_throttle::Entity, Column::OpenedAt));
        let counting = || opened.clone().gte(oldest);
        let failures = Expr::case(counting(), Expr::col((login_throttle::Entity, Column::Failures)).add(1)).finally(1);
        let opened_at = Expr::case(counting(), opened.clone()).finally(second);
        let upsert = OnConflict::column(Column::Subject)
            .value(Column::Failures, failures)
            .value(Column::OpenedAt, opened_at)
            .to_owned();
        login_throttle::Entity::insert(row).on_conflict(upsert).exec(db).await?;
    }
    login_throttle::Entity::delete_many().filter(Column::OpenedAt.lt(oldest)).exec(db).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    async fn database() -> sea_orm::DatabaseConnection {
        let db = crate::db::connect("sqlite::memory:").await.unwrap();
        crate::db::migrate(&db).await.unwrap();
        db
    }

    #[tokio::test]
    async fn a_spent_counter_refuses_for_a_minute_from_its_first_failure_and_refusals_never_extend_it() {
        let db = database().await;
        let limits = ThrottleLimits::default();
        let ip: IpAddr = "10.0.0.9".parse().unwrap();
        let start = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 5).unwrap();
        for n in 0..5 {
            check(&db, &limits, "alice", ip, start).await.unwrap();
            record_failure(&db, &limits, "alice", ip, start + chrono::Duration::seconds(n)).await.unwrap();
        }
        let refused = check(&db, &limits, "alice", ip, start + chrono::Duration::seconds(10)).await.unwrap_err();
        assert!(matches!(refused, AppError::RateLimited { retry_after_secs: 50 }), "{refused:?}");
        // Refused attempts spend nothing, so the lock ends a minute after the first failure
        // however often one tries; the clock's minute (9:01:00) ends nothing.
        for s in 11..60 {
            assert!(check(&db, &limits, "alice", ip, start + chrono::Duration::seconds(s)).await.is_err(), "{s}");
        }
        let minute_later = start + chrono::Duration::seconds(60);
        check(&db, &limits, "alice", ip, minute_later).await.expect("a minute on, a new count");
        record_failure(&db, &limits, "alice", ip, minute_later).await.unwrap();
        let rows = login_throttle::Entity::find().all(&db).await.unwrap();
        assert!(rows.iter().all(|row| row.failures == 1 && row.opened_at == minute_later.timestamp()), "{rows:?}");
        let other = "10.0.0.10".parse().unwrap();
        check(&db, &limits, "alice", other, start + chrono::Duration::seconds(10)).await.expect("another address");
    }
}
