//! Turning an `Authorization: Bearer …` header into a [`Viewer`].
//!
//! No header means anonymous. A header that is present but cannot be verified (malformed,
//! expired, revoked, wrongly signed) is refused outright — never a silent anonymous fallback.

use super::accounts::Account;
use crate::auth::{hash_service_token, looks_like_service_token};
use crate::domain::Stamp;
use crate::http::state::AppState;
use crate::policy::{Principal, Viewer};
use axum::http::{HeaderMap, header};
use entity::{group_member, service_token, user};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, FromQueryResult};

/// Why a presented credential was refused; the client only learns "unauthenticated".
#[derive(Debug)]
pub enum Refused {
    /// Bad, expired, revoked or unknown credential.
    Invalid(&'static str),
    /// The database could not be asked.
    Internal(sea_orm::DbErr),
}

impl From<sea_orm::DbErr> for Refused {
    fn from(e: sea_orm::DbErr) -> Self {
        Refused::Internal(e)
    }
}

/// A verified credential: who it is, the service token it is (if it is one), and when it
/// expires (session tokens).
#[derive(Debug, Clone)]
pub struct Credential {
    pub viewer: Viewer,
    /// What a write checks again in its transaction; `None` when anonymous.
    pub stamp: Option<Stamp>,
    /// Unix seconds.
    pub expires_at: Option<i64>,
}

impl Credential {
    fn anonymous() -> Credential {
        Credential { viewer: Viewer::Anonymous, stamp: None, expires_at: None }
    }

    fn of(account: Account, expires_at: Option<i64>) -> Credential {
        let stamp = Stamp {
            user_id: account.id,
            token_version: account.token_version,
            service_token: account.service_token_id,
        };
        Credential { viewer: Viewer::User(principal_for(account)), stamp: Some(stamp), expires_at }
    }
}

/// Resolves the request's viewer.
pub async fn viewer_from_headers(state: &AppState, headers: &HeaderMap) -> Result<Credential, Refused> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Credential::anonymous());
    };
    let value = value.to_str().map_err(|_| Refused::Invalid("header is not ASCII"))?;
    from_authorization(state, value).await
}

/// Verifies an `Authorization` value (`Bearer …`), as a header or as a WebSocket's
/// `connection_init` payload carries it.
pub async fn from_authorization(state: &AppState, value: &str) -> Result<Credential, Refused> {
    let (scheme, token) = value.trim().split_once(' ').ok_or(Refused::Invalid("no bearer token"))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(Refused::Invalid("not a bearer token"));
    }
    from_token(state, token.trim()).await
}

/// Verifies a bearer token (session or service token).
pub async fn from_token(state: &AppState, token: &str) -> Result<Credential, Refused> {
    if looks_like_service_token(token) {
        let account = service_account(state, token).await?;
        Ok(Credential::of(account, None))
    } else {
        let (account, expires_at) = jwt_account(state, token).await?;
        Ok(Credential::of(Account { service_token_id: None, ..account }, Some(expires_at)))
    }
}

async fn jwt_account(state: &AppState, token: &str) -> Result<(Account, i64), Refused> {
    let claims = state.auth.tokens.verify(token).map_err(|_| Refused::Invalid("token rejected"))?;
    let id: i32 = claims.sub.parse().map_err(|_| Refused::Invalid("bad subject"))?;
    let account = match state.accounts.user(id) {
        Some(account) => account,
        None => {
            let ticket = state.accounts.ticket();
            let account = load_account(state, Expr::col((user::Entity, user::Column::Id)).eq(id), false).await?;
            state.accounts.keep_user(ticket, account.clone());
            account
        }
    };
    if account.token_version != claims.tv {
        return Err(Refused::Invalid("token revoked"));
    }
    Ok((account, claims.exp))
}

async fn service_account(state: &AppState, token: &str) -> Result<Account, Refused> {
    let hash = hash_service_token(token);
    let account = match state.accounts.token(&hash) {
        Some(account) => account,
        None => {
            let ticket = state.accounts.ticket();
            let by_token = Expr::col((service_token::Entity, service_token::Column::TokenHash))
                .eq(hash.clone())
                .and(Expr::col((service_token::Entity, service_token::Column::RevokedAt)).is_null());
            let account = load_account(state, by_token, true).await?;
            state.accounts.keep_token(ticket, hash, account.clone());
            account
        }
    };
    account.service_token_id.ok_or(Refused::Invalid("unknown service token"))?;
    Ok(account)
}

#[derive(Debug, FromQueryResult)]
struct AccountRow {
    id: i32,
    role: entity::UserRole,
    department_id: Option<i32>,
    active: bool,
    token_version: i32,
    group_id: Option<i32>,
    service_token_id: Option<i32>,
}

/// One statement, on a cache miss: the active account matching `condition`, joined with its
/// unit's group memberships (and, for service tokens, with the token).
async fn load_account(state: &AppState, condition: SimpleExpr, via_token: bool) -> Result<Account, Refused> {
    use user::Column as U;
    let mut query = Query::select();
    query
        .columns([U::Id, U::Role, U::DepartmentId, U::Active, U::TokenVersion].map(|c| (user::Entity, c)))
        .column((group_member::Entity, group_member::Column::GroupId))
        .from(user::Entity)
        .left_join(
            group_member::Entity,
            Expr::col((group_member::Entity, group_member::Column::MemberId)).equals((user::Entity, U::DepartmentId)),
        )
        .and_where(condition);
    if via_token {
        query.expr_as(Expr::col((service_token::Entity, service_token::Column::Id)), "service_token_id").inner_join(
            service_token::Entity,
            Expr::col((service_token::Entity, service_token::Column::UserId)).equals((user::Entity, U::Id)),
        );
    } else {
        query.expr_as(Expr::cust("CAST(NULL AS INTEGER)"), "service_token_id");
    }
    let statement = state.reads.get_database_backend().build(&query);
    let rows = AccountRow::find_by_statement(statement).all(&state.reads).await?;
    let first = rows.first().ok_or(Refused::Invalid("unknown account"))?;
    if !first.active {
        return Err(Refused::Invalid("account deactivated"));
    }
    // In one order, so that two lookups of an unchanged account compare equal.
    let mut group_ids: Vec<i32> = rows.iter().filter_map(|r| r.group_id).collect();
    group_ids.sort_unstable();
    Ok(Account {
        id: first.id,
        role: first.role,
        department_id: first.department_id,
        token_version: first.token_version,
        group_ids,
        service_token_id: first.service_token_id,
    })
}

fn principal_for(account: Account) -> Principal {
    Principal {
        user_id: account.id,
        role: account.role,
        department_id: account.department_id,
        group_ids: account.group_ids,
    }
}
