//! Failed-login throttling on the database, so every duban process counts the same attempts
//! (N replicas must not allow N times the guesses). The counters and limits are
//! `auth::throttle`'s; here they are read and spent.

use crate::auth::ThrottleLimits;
use crate::auth::throttle::window;
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use entity::login_throttle::{self, Column};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use std::net::IpAddr;

/// Refuses an attempt with `RATE_LIMITED` while any of its counters is spent in the current
/// window. Spends nothing: a refused attempt never extends a lock.
pub async fn check(
    db: &impl ConnectionTrait,
    limits: &ThrottleLimits,
    username: &str,
    client: IpAddr,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let counters = limits.counters(username, client);
    let (current, ends) = window(now);
    let keys: Vec<String> = counters.iter().map(|c| c.key.clone()).collect();
    let rows = login_throttle::Entity::find()
        .filter(Column::Subject.is_in(keys))
        .filter(Column::WindowId.eq(current))
        .all(db)
        .await?;
    let spent = rows.iter().any(|row| counters.iter().any(|c| c.key == row.subject && row.failures >= c.limit));
    if spent {
        let wait = std::cmp::max((ends - now).num_seconds(), 1) as u64;
        return Err(AppError::RateLimited { retry_after_secs: wait });
    }
    Ok(())
}

/// Spends one failure on each counter of the attempt, starting a fresh count where the stored
/// one belongs to an earlier window, and forgets windows that have ended.
pub async fn record_failure(
    db: &impl ConnectionTrait,
    limits: &ThrottleLimits,
    username: &str,
    client: IpAddr,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let (current, _) = window(now);
    for counter in limits.counters(username, client) {
        let row = login_throttle::ActiveModel { subject: Set(counter.key), window_id: Set(current), failures: Set(1) };
        let same_window = Expr::col((login_throttle::Entity, Column::WindowId)).eq(current);
        let counted = Expr::case(same_window, Expr::col((login_throttle::Entity, Column::Failures)).add(1)).finally(1);
        let upsert = OnConflict::column(Column::Subject)
            .value(Column::Failures, counted)
            .value(Column::WindowId, current)
            .to_owned();
        login_throttle::Entity::insert(row).on_conflict(upsert).exec(db).await?;
    }
    login_throttle::Entity::delete_many().filter(Column::WindowId.lt(current)).exec(db).await?;
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
    async fn a_spent_counter_refuses_until_its_window_ends_and_refusals_never_extend_it() {
        let db = database().await;
        let limits = ThrottleLimits::default();
        let ip: IpAddr = "10.0.0.9".parse().unwrap();
        let start = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 5).unwrap();
        for n in 0..5 {
            check(&db, &limits, "alice", ip, start).await.unwrap();
            record_failure(&db, &limits, "alice", ip, start + chrono::Duration::seconds(n)).await.unwrap();
        }
        let refused = check(&db, &limits, "alice", ip, start + chrono::Duration::seconds(10)).await.unwrap_err();
        assert!(matches!(refused, AppError::RateLimited { retry_after_secs: 45 }), "{refused:?}");
        // Refused attempts spend nothing, so the lock ends with its window however often one tries.
        for s in 11..55 {
            assert!(check(&db, &limits, "alice", ip, start + chrono::Duration::seconds(s)).await.is_err());
        }
        let next_window = Utc.with_ymd_and_hms(2026, 12, 1, 9, 1, 0).unwrap();
        check(&db, &limits, "alice", ip, next_window).await.expect("a new window, a new count");
        let other = "10.0.0.10".parse().unwrap();
        check(&db, &limits, "alice", other, start + chrono::Duration::seconds(10)).await.expect("another address");
    }
}
