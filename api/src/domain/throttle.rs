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
