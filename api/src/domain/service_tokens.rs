//! Service tokens: long-lived credentials for a unit's own software, shown once, stored as a
//! hash, revocable.

use crate::auth::generate_service_token;
use crate::domain::tasks::required_text;
use crate::error::{AppError, AppResult};
use entity::{UserRole, service_token, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// Issues a token for a SERVICE account; the plaintext is returned once and never stored.
pub async fn issue(db: &impl ConnectionTrait, user_id: i32, name: &str) -> AppResult<(String, service_token::Model)> {
    let account = user::Entity::find_by_id(user_id).one(db).await?.ok_or(AppError::NotFound("user"))?;
    if account.role != UserRole::Service || !account.active {
        return Err(AppError::bad_input("service tokens are issued to active SERVICE accounts only"));
    }
    let (plain, hash) = generate_service_token();
    let model = service_token::ActiveModel {
        user_id: Set(user_id),
        name: Set(required_text(name, "name")?),
        token_hash: Set(hash),
        created_at: Set(chrono::Utc::now()),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((plain, model))
}

/// Revokes a token; it stops working at once.
pub async fn revoke(db: &impl ConnectionTrait, id: i32) -> AppResult<service_token::Model> {
    let token = service_token::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound("service token"))?;
    if token.revoked_at.is_some() {
        return Ok(token);
    }
    let mut model: service_token::ActiveModel = token.into();
    model.revoked_at = Set(Some(chrono::Utc::now()));
    Ok(model.update(db).await?)
}

/// Revokes every working service token of an account (its `logoutEverywhere`).
pub async fn revoke_all_for(db: &impl ConnectionTrait, user_id: i32) -> AppResult<()> {
    service_token::Entity::update_many()
        .col_expr(service_token::Column::RevokedAt, sea_orm::sea_query::Expr::value(chrono::Utc::now()))
        .filter(service_token::Column::UserId.eq(user_id))
        .filter(service_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
