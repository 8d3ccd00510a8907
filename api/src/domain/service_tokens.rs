//! Service tokens: long-lived credentials for a unit's own software, shown once, stored as a
//! hash, revocable.

use crate::auth::generate_service_token;
use crate::domain::Caller;
use crate::domain::audit;
use crate::domain::text::required_text;
use crate::error::{AppError, AppResult};
use crate::policy::rules;
use entity::{UserRole, service_token, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

/// Issues a token for a SERVICE account (admins); the plaintext is returned once and never stored.
pub async fn issue(
    db: &impl TransactionTrait,
    caller: &Caller,
    user_id: i32,
    name: &str,
) -> AppResult<(String, service_token::Model)> {
    rules::admin(&caller.viewer)?;
    let name = required_text(name, "name")?;
    let txn = audit::begin(db, caller).await?;
    let account = user::Entity::find_by_id(user_id).one(&txn).await?.ok_or(AppError::NotFound("user"))?;
    if account.role != UserRole::Service || !account.active {
        return Err(AppError::bad_input("service tokens are issued to active SERVICE accounts only"));
    }
    let (plain, hash) = generate_service_token();
    let model = service_token::ActiveModel {
        user_id: Set(user_id),
        name: Set(name),
        token_hash: Set(hash),
        created_at: Set(caller.now()),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::created(caller, &model);
    audit::commit(txn, caller, audit::Operation::CreateServiceToken).await?;
    Ok((plain, model))
}

/// Revokes a token (admins); it stops working at once.
pub async fn revoke(db: &impl TransactionTrait, caller: &Caller, id: i32) -> AppResult<service_token::Model> {
    rules::admin(&caller.viewer)?;
    let txn = audit::begin(db, caller).await?;
    let token = service_token::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound("service token"))?;
    if token.revoked_at.is_some() {
        return Ok(token);
    }
    let mut model: service_token::ActiveModel = token.clone().into();
    model.revoked_at = Set(Some(caller.now()));
    let revoked = model.update(&txn).await?;
    audit::updated(caller, &token, &revoked);
    audit::commit(txn, caller, audit::Operation::RevokeServiceToken).await?;
    Ok(revoked)
}

/// Revokes every working service token of an account (the domain's own use: logging out
/// everywhere, an admin changing or deactivating the account).
pub(in crate::domain) async fn revoke_all_of(
    db: &impl ConnectionTrait,
    caller: &Caller,
    user_id: i32,
) -> AppResult<()> {
    let working = service_token::Entity::find()
        .filter(service_token::Column::UserId.eq(user_id))
        .filter(service_token::Column::RevokedAt.is_null())
        .all(db)
        .await?;
    if working.is_empty() {
        return Ok(());
    }
    let now = caller.now();
    service_token::Entity::update_many()
        .col_expr(service_token::Column::RevokedAt, sea_orm::sea_query::Expr::value(now))
        .filter(service_token::Column::Id.is_in(working.iter().map(|t| t.id)))
        .exec(db)
        .await?;
    for token in &working {
        audit::updated(caller, token, &service_token::Model { revoked_at: Some(now), ..token.clone() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::{refused_before_any_statement, unit_caller};

    #[tokio::test]
    async fn non_admins_are_refused_before_any_statement() {
        for caller in unit_caller() {
            refused_before_any_statement(issue(&sea_orm::DatabaseConnection::default(), &caller, 1, "ledger").await);
            refused_before_any_statement(revoke(&sea_orm::DatabaseConnection::default(), &caller, 1).await);
        }
    }
}
