//! Turning an `Authorization: Bearer …` header into a [`Viewer`].
//!
//! No header means anonymous. A header that is present but cannot be verified (malformed,
//! expired, revoked, wrongly signed) is refused outright — never a silent anonymous fallback.

use crate::auth::{hash_service_token, looks_like_service_token};
use crate::policy::{Principal, Viewer};
use crate::state::AppState;
use axum::http::{HeaderMap, header};
use entity::{group_member, service_token, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

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

/// Resolves the request's viewer.
pub async fn viewer_from_headers(state: &AppState, headers: &HeaderMap) -> Result<Viewer, Refused> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Viewer::Anonymous);
    };
    let value = value.to_str().map_err(|_| Refused::Invalid("header is not ASCII"))?;
    let (scheme, token) = value.trim().split_once(' ').ok_or(Refused::Invalid("no bearer token"))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(Refused::Invalid("not a bearer token"));
    }
    let token = token.trim();
    let account = if looks_like_service_token(token) {
        service_account(state, token).await?
    } else {
        jwt_account(state, token).await?
    };
    Ok(Viewer::User(principal_for(state, account).await?))
}

async fn jwt_account(state: &AppState, token: &str) -> Result<user::Model, Refused> {
    let claims = state.auth.tokens.verify(token).map_err(|_| Refused::Invalid("token rejected"))?;
    let id: i32 = claims.sub.parse().map_err(|_| Refused::Invalid("bad subject"))?;
    let account = user::Entity::find_by_id(id).one(&state.db).await?.ok_or(Refused::Invalid("unknown user"))?;
    if !account.active || account.token_version != claims.tv {
        return Err(Refused::Invalid("token revoked"));
    }
    Ok(account)
}

async fn service_account(state: &AppState, token: &str) -> Result<user::Model, Refused> {
    let found = service_token::Entity::find()
        .filter(service_token::Column::TokenHash.eq(hash_service_token(token)))
        .filter(service_token::Column::RevokedAt.is_null())
        .one(&state.db)
        .await?
        .ok_or(Refused::Invalid("unknown service token"))?;
    let account =
        user::Entity::find_by_id(found.user_id).one(&state.db).await?.ok_or(Refused::Invalid("unknown user"))?;
    if !account.active {
        return Err(Refused::Invalid("account deactivated"));
    }
    Ok(account)
}

async fn principal_for(state: &AppState, account: user::Model) -> Result<Principal, Refused> {
    let group_ids = match account.department_id {
        Some(unit) => {
            group_member::Entity::find()
                .select_only()
                .column(group_member::Column::GroupId)
                .filter(group_member::Column::MemberId.eq(unit))
                .into_tuple::<i32>()
                .all(&state.db)
                .await?
        }
        None => Vec::new(),
    };
    Ok(Principal { user_id: account.id, role: account.role, department_id: account.department_id, group_ids })
}
