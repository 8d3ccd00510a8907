//! Signing in and out: password checks, throttling, token issue.

use crate::auth::{LoginThrottle, TokenKeys};
use crate::domain::{service_tokens, users};
use crate::error::{AppError, AppResult};
use entity::user;
use sea_orm::{ConnectionTrait, TransactionSession, TransactionTrait};
use std::net::IpAddr;

/// A fresh token and whom it is for.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub user: user::Model,
}

/// Checks a username and password. Unknown user, deactivated account and wrong password all
/// give the same error after the same work; failures are throttled per name and address.
#[tracing::instrument(skip(db, keys, throttle, password))]
pub async fn login(
    db: &impl ConnectionTrait,
    keys: &TokenKeys,
    throttle: &LoginThrottle,
    username: &str,
    password: &str,
    client: IpAddr,
) -> AppResult<Session> {
    if let Err(wait) = throttle.check(username, client) {
        tracing::warn!(%client, "login throttled");
        return Err(AppError::RateLimited { retry_after_secs: wait.as_secs().max(1) });
    }
    let account = users::find_by_username(db, username).await?;
    let account = account.filter(|a| a.active);
    let hash = account.as_ref().map(|a| a.password_hash.clone());
    let verified = users::verify_blocking(password.to_owned(), hash).await?;
    match account {
        Some(account) if verified => issue(keys, account),
        _ => {
            throttle.record_failure(username, client);
            tracing::warn!(%client, "failed login");
            Err(AppError::Unauthenticated)
        }
    }
}

/// Issues a token for `account` as it is now.
pub fn issue(keys: &TokenKeys, account: user::Model) -> AppResult<Session> {
    let role = match account.role {
        entity::UserRole::Admin => "ADMIN",
        entity::UserRole::Leader => "LEADER",
        entity::UserRole::Department => "DEPARTMENT",
        entity::UserRole::Service => "SERVICE",
    };
    let (token, expires_at) = keys
        .issue(
            &account.id.to_string(),
            role,
            account.department_id.map(i64::from),
            account.token_version,
            chrono::Utc::now(),
        )
        .map_err(AppError::internal)?;
    Ok(Session { token, expires_at, user: account })
}

/// Changes one's own password after checking the old one; returns a new session because
/// every older token (this one included) stops working.
pub async fn change_password(
    db: &impl ConnectionTrait,
    keys: &TokenKeys,
    user_id: i32,
    old_password: &str,
    new_password: &str,
) -> AppResult<Session> {
    let account = users::get(db, user_id).await?.ok_or(AppError::Unauthenticated)?;
    if !users::verify_blocking(old_password.to_owned(), Some(account.password_hash.clone())).await? {
        return Err(AppError::bad_input("the old password is wrong"));
    }
    let updated = users::set_password(db, user_id, new_password).await?;
    issue(keys, updated)
}

/// Revokes every credential of an account in one transaction: its session tokens (by bumping
/// the token version) and its service tokens, so the caller's own token stops working too,
/// whichever kind it is.
pub async fn logout_everywhere(db: &impl TransactionTrait, user_id: i32) -> AppResult<()> {
    let txn = db.begin().await?;
    users::bump_token_version(&txn, user_id).await?;
    service_tokens::revoke_all_for(&txn, user_id).await?;
    txn.commit().await?;
    Ok(())
}
