//! Signing in and out: password checks, throttling, token issue.

use crate::auth::{AuthContext, TokenKeys};
use crate::domain::{Caller, audit, service_tokens, throttle, users};
use crate::error::{AppError, AppResult};
use crate::policy::rules;
use entity::user;
use sea_orm::{ActiveEnum, ConnectionTrait, TransactionTrait};
use std::net::{IpAddr, Ipv4Addr};

/// A fresh token and whom it is for.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub user: user::Model,
}

/// Checks a username and password; anyone may try. Unknown user, deactivated account and
/// wrong password all give the same error after the same work; failures are throttled per
/// name and address, per address and per name (see `auth::throttle`), on the database.
#[tracing::instrument(skip_all, fields(username = %username, client = %display_client(caller)))]
pub async fn login(
    db: &(impl ConnectionTrait + TransactionTrait),
    caller: &Caller,
    auth: &AuthContext,
    username: &str,
    password: &str,
) -> AppResult<Session> {
    let client = caller.client.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    // Throttle windows run on the real clock, like tokens.
    let now = chrono::Utc::now();
    if let Err(refused) = throttle::check(db, &auth.throttle, username, client, now).await {
        tracing::warn!("login throttled");
        return Err(refused);
    }
    let account = users::by_username(db, username).await?.filter(|a| a.active);
    let hash = account.as_ref().map(|a| a.password_hash.clone());
    let verified = users::verify_blocking(password.to_owned(), hash).await?;
    match account {
        Some(account) if verified => {
            // The sign-in is on the record, as the account that signed in, from where.
            let principal = crate::policy::Principal {
                user_id: account.id,
                role: account.role,
                department_id: account.department_id,
                group_ids: Vec::new(),
            };
            let session = Caller::new(crate::policy::Viewer::User(principal), caller.client, caller.at);
            let txn = audit::begin(db, &session).await?;
            session.record(audit::Change::login(account.id));
            audit::commit(txn, &session, audit::Operation::Login).await?;
            if let Some(last) = session.last_entry() {
                caller.trail_grew(last);
            }
            issue(&auth.tokens, account)
        }
        _ => {
            throttle::record_failure(db, &auth.throttle, username, client, now).await?;
            tracing::warn!("failed login");
            Err(AppError::WrongCredentials)
        }
    }
}

/// Issues a token for `account` as it is now. Tokens live on the real clock, never on a pinned
/// "today" (`DUBAN_TODAY` moves deadlines, not the validity of credentials).
fn issue(keys: &TokenKeys, account: user::Model) -> AppResult<Session> {
    let role = account.role.to_value();
    let unit = account.department_id.map(i64::from);
    let (token, expires_at) = keys
        .issue(&account.id.to_string(), &role, unit, account.token_version, chrono::Utc::now())
        .map_err(AppError::internal)?;
    Ok(Session { token, expires_at, user: account })
}

/// Changes one's own password after checking the old one; returns a new session because
/// every older token (this one included) stops working. A wrong old password spends the same
/// counters as a failed login of the account from the caller's address (a stolen token must not
/// be an unlimited password oracle), and while they are spent even the right one waits.
#[tracing::instrument(skip_all, fields(client = %display_client(caller)))]
pub async fn change_password(
    db: &(impl ConnectionTrait + TransactionTrait),
    caller: &Caller,
    auth: &AuthContext,
    old_password: &str,
    new_password: &str,
) -> AppResult<Session> {
    let principal = rules::account(&caller.viewer)?;
    let account = users::me(db, caller).await?.ok_or(AppError::Unauthenticated)?;
    let client = caller.client.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let now = chrono::Utc::now();
    if let Err(refused) = throttle::check(db, &auth.throttle, &account.username, client, now).await {
        tracing::warn!("password change throttled");
        return Err(refused);
    }
    if !users::verify_blocking(old_password.to_owned(), Some(account.password_hash.clone())).await? {
        throttle::record_failure(db, &auth.throttle, &account.username, client, now).await?;
        tracing::warn!("wrong old password");
        return Err(AppError::bad_input("the old password is wrong"));
    }
    let hash = users::hash_new_password(new_password).await?;
    let txn = audit::begin(db, caller).await?;
    let updated = users::store_password(&txn, caller, principal.user_id, hash).await?;
    audit::commit(txn, caller, audit::Operation::ChangePassword).await?;
    issue(&auth.tokens, updated)
}

/// Revokes every credential of the caller's account in one transaction: its session tokens (by
/// bumping the token version) and its service tokens, so the caller's own token stops working
/// too, whichever kind it is.
pub async fn logout_everywhere(db: &impl TransactionTrait, caller: &Caller) -> AppResult<()> {
    let principal = rules::account(&caller.viewer)?;
    let txn = audit::begin(db, caller).await?;
    users::bump_token_version(&txn, caller, principal.user_id).await?;
    service_tokens::revoke_all_of(&txn, caller, principal.user_id).await?;
    audit::commit(txn, caller, audit::Operation::LogoutEverywhere).await?;
    Ok(())
}

/// The client's address for a log field (empty for the console).
fn display_client(caller: &Caller) -> String {
    caller.client.map(|ip| ip.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::refused_before_any_statement;
    use crate::policy::Viewer;

    #[tokio::test]
    async fn the_console_and_anonymous_callers_have_no_session_to_change() {
        for viewer in [Viewer::Anonymous, Viewer::System] {
            let caller = Caller::new(viewer, None, crate::domain::clock::Clock::system().read());
            refused_before_any_statement(logout_everywhere(&sea_orm::DatabaseConnection::default(), &caller).await);
        }
    }
}
