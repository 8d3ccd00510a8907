//! Accounts: creating, changing and listing them (admins), and one's own account.

use crate::auth;
use crate::domain::Caller;
use crate::domain::audit;
use crate::domain::service_tokens;
use crate::error::{AppError, AppResult};
use crate::policy::rules;
use entity::{DepartmentKind, UserRole, department, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub password: String,
    pub role: UserRole,
    pub department_id: Option<i32>,
}

/// Changes to an account by an admin; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    pub role: Option<UserRole>,
    /// `Some(None)` clears the unit.
    pub department_id: Option<Option<i32>>,
}

/// The caller's own account (`None` for the console and anonymous callers).
pub async fn me(db: &impl ConnectionTrait, caller: &Caller) -> AppResult<Option<user::Model>> {
    let Some(principal) = caller.viewer.principal() else { return Ok(None) };
    Ok(user::Entity::find_by_id(principal.user_id).one(db).await?)
}

/// Every account, by id (admins).
pub async fn list(db: &impl ConnectionTrait, caller: &Caller) -> AppResult<Vec<user::Model>> {
    rules::admin(&caller.viewer)?;
    Ok(user::Entity::find().order_by_asc(user::Column::Id).all(db).await?)
}

/// The account with this login name, if any (admins and the console).
pub async fn find_by_username(
    db: &impl ConnectionTrait,
    caller: &Caller,
    username: &str,
) -> AppResult<Option<user::Model>> {
    rules::admin(&caller.viewer)?;
    by_username(db, username).await
}

/// Looks an account up by name for signing in (the domain's own use).
pub(in crate::domain) async fn by_username(
    db: &impl ConnectionTrait,
    username: &str,
) -> AppResult<Option<user::Model>> {
    let name = auth::normalize_username(username);
    Ok(user::Entity::find().filter(user::Column::Username.eq(name)).one(db).await?)
}

/// Creates an account after checking name, password strength and unit (admins).
pub async fn create(db: &impl TransactionTrait, caller: &Caller, new: NewUser) -> AppResult<user::Model> {
    rules::admin(&caller.viewer)?;
    let username = auth::normalize_username(&new.username);
    auth::check_username(&username).map_err(|e| AppError::bad_input(e.to_string()))?;
    auth::check_password_policy(&new.password).map_err(|e| AppError::bad_input(e.to_string()))?;
    // Hashed before the transaction: argon2 takes a while, and a write transaction on SQLite
    // holds the one write lock.
    let hash = hash_blocking(new.password.clone()).await?;
    let txn = audit::begin(db, caller).await?;
    check_unit(&txn, new.role, new.department_id).await?;
    if by_username(&txn, &username).await?.is_some() {
        return Err(AppError::Conflict(format!("username {username} is taken")));
    }
    let now = caller.now();
    let model = user::ActiveModel {
        username: Set(username),
        password_hash: Set(hash),
        role: Set(new.role),
        department_id: Set(new.department_id),
        active: Set(true),
        token_version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let created = model.insert(&txn).await?;
    audit::created(caller, &created);
    audit::commit(txn, caller, audit::Operation::CreateUser).await?;
    Ok(created)
}

/// DEPARTMENT and SERVICE accounts act for exactly one UNIT; others for none.
async fn check_unit(db: &impl ConnectionTrait, role: UserRole, department_id: Option<i32>) -> AppResult<()> {
    match (role, department_id) {
        (UserRole::Department | UserRole::Service, None) => {
            Err(AppError::bad_input("DEPARTMENT and SERVICE accounts need a department"))
        }
        (UserRole::Admin | UserRole::Leader, Some(_)) => {
            Err(AppError::bad_input("ADMIN and LEADER accounts do not act for a department"))
        }
        (_, Some(id)) => {
            let dept = department::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound("department"))?;
            if dept.kind != DepartmentKind::Unit {
                return Err(AppError::bad_input("accounts can act only for a UNIT department"));
            }
            Ok(())
        }
        (_, None) => Ok(()),
    }
}

/// Changes role and unit (admins). Every credential of the account stops working, session
/// tokens and service tokens alike: they were issued for the old role and unit.
pub async fn update(
    db: &impl TransactionTrait,
    caller: &Caller,
    id: i32,
    changes: UserChanges,
) -> AppResult<user::Model> {
    rules::admin(&caller.viewer)?;
    let txn = audit::begin(db, caller).await?;
    let current = user::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound("user"))?;
    let role = changes.role.unwrap_or(current.role);
    let department_id = changes.department_id.unwrap_or(current.department_id);
    check_unit(&txn, role, department_id).await?;
    let mut model: user::ActiveModel = current.clone().into();
    model.role = Set(role);
    model.department_id = Set(department_id);
    let model = revoke_credentials(&txn, caller, current, model).await?;
    audit::commit(txn, caller, audit::Operation::UpdateUser).await?;
    Ok(model)
}

/// Deactivates an account (admins); every credential stops working at once.
pub async fn deactivate(db: &impl TransactionTrait, caller: &Caller, id: i32) -> AppResult<user::Model> {
    rules::admin(&caller.viewer)?;
    let txn = audit::begin(db, caller).await?;
    let current = user::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound("user"))?;
    let mut model: user::ActiveModel = current.clone().into();
    model.active = Set(false);
    let model = revoke_credentials(&txn, caller, current, model).await?;
    audit::commit(txn, caller, audit::Operation::DeactivateUser).await?;
    Ok(model)
}

/// Writes `model` with a new token version and revokes the account's service tokens.
async fn revoke_credentials(
    db: &impl ConnectionTrait,
    caller: &Caller,
    current: user::Model,
    mut model: user::ActiveModel,
) -> AppResult<user::Model> {
    model.token_version = Set(current.token_version + 1);
    model.updated_at = Set(caller.now());
    let model = model.update(db).await?;
    audit::updated(caller, &current, &model);
    service_tokens::revoke_all_of(db, caller, current.id).await?;
    Ok(model)
}

/// Sets a new password for an account (admins); its session tokens stop working.
pub async fn reset_password(
    db: &impl TransactionTrait,
    caller: &Caller,
    id: i32,
    new_password: &str,
) -> AppResult<user::Model> {
    rules::admin(&caller.viewer)?;
    let hash = hash_new_password(new_password).await?;
    let txn = audit::begin(db, caller).await?;
    let updated = store_password(&txn, caller, id, hash).await?;
    audit::commit(txn, caller, audit::Operation::ResetPassword).await?;
    Ok(updated)
}

/// Checks a new password against the policy and hashes it (before any transaction: argon2
/// takes a while).
pub(in crate::domain) async fn hash_new_password(new_password: &str) -> AppResult<String> {
    auth::check_password_policy(new_password).map_err(|e| AppError::bad_input(e.to_string()))?;
    hash_blocking(new_password.to_owned()).await
}

/// Stores a password hash and bumps the token version (the domain's own use: reset, change);
/// the trail says the password changed, never what to.
pub(in crate::domain) async fn store_password(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: i32,
    hash: String,
) -> AppResult<user::Model> {
    let current = user::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound("user"))?;
    let mut model: user::ActiveModel = current.clone().into();
    model.password_hash = Set(hash);
    model.token_version = Set(current.token_version + 1);
    model.updated_at = Set(caller.now());
    let updated = model.update(db).await?;
    if let Some(mut change) = audit::Change::updated(&current, &updated) {
        if let Some(serde_json::Value::Object(after)) = change.after.as_mut() {
            after.insert("password".into(), serde_json::json!("changed"));
        }
        caller.record(change);
    }
    Ok(updated)
}

/// Revokes every session token of an account by bumping its token version.
pub(in crate::domain) async fn bump_token_version(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: i32,
) -> AppResult<user::Model> {
    let current = user::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound("user"))?;
    let mut model: user::ActiveModel = current.clone().into();
    model.token_version = Set(current.token_version + 1);
    model.updated_at = Set(caller.now());
    let updated = model.update(db).await?;
    audit::updated(caller, &current, &updated);
    Ok(updated)
}

/// Hashes off the async runtime: argon2 is deliberately slow.
pub async fn hash_blocking(plain: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || auth::hash_password(&plain).map_err(AppError::internal))
        .await
        .map_err(AppError::internal)?
}

/// Verifies off the async runtime; `None` (unknown user) costs the same as a wrong password.
pub(in crate::domain) async fn verify_blocking(plain: String, phc: Option<String>) -> AppResult<bool> {
    tokio::task::spawn_blocking(move || auth::verify_password(&plain, phc.as_deref())).await.map_err(AppError::internal)
}

/// Inserts accounts that share one already-computed password hash (PHC string), in bulk
/// (admins and the console: synthetic data, where argon2 per account would take minutes). The
/// caller vouches that names are free and each role has the unit it needs.
pub async fn insert_with_hash(
    db: &impl ConnectionTrait,
    caller: &Caller,
    password_hash: &str,
    accounts: &[(String, UserRole, Option<i32>)],
) -> AppResult<()> {
    rules::admin(&caller.viewer)?;
    let now = caller.now();
    for chunk in accounts.chunks(1000) {
        let rows = chunk.iter().map(|(username, role, department_id)| user::ActiveModel {
            username: Set(auth::normalize_username(username)),
            password_hash: Set(password_hash.to_owned()),
            role: Set(*role),
            department_id: Set(*department_id),
            active: Set(true),
            token_version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
        user::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

/// Whether the database holds an admin account yet (first start).
pub async fn has_admin(db: &impl ConnectionTrait, caller: &Caller) -> AppResult<bool> {
    rules::admin(&caller.viewer)?;
    Ok(user::Entity::find().filter(user::Column::Role.eq(UserRole::Admin)).one(db).await?.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::{refused_before_any_statement, unit_caller};

    #[tokio::test]
    async fn non_admins_are_refused_before_any_statement() {
        let new = NewUser {
            username: "x".into(),
            password: "long-enough-1".into(),
            role: UserRole::Leader,
            department_id: None,
        };
        for caller in unit_caller() {
            refused_before_any_statement(list(&sea_orm::DatabaseConnection::default(), &caller).await);
            refused_before_any_statement(create(&sea_orm::DatabaseConnection::default(), &caller, new.clone()).await);
            refused_before_any_statement(
                update(&sea_orm::DatabaseConnection::default(), &caller, 1, UserChanges::default()).await,
            );
            refused_before_any_statement(deactivate(&sea_orm::DatabaseConnection::default(), &caller, 1).await);
            refused_before_any_statement(
                reset_password(&sea_orm::DatabaseConnection::default(), &caller, 1, "long-enough-1").await,
            );
            refused_before_any_statement(
                find_by_username(&sea_orm::DatabaseConnection::default(), &caller, "admin").await,
            );
            refused_before_any_statement(has_admin(&sea_orm::DatabaseConnection::default(), &caller).await);
        }
    }
}
