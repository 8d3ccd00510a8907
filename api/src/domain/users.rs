//! Accounts: creating them, finding them, signing in.

use crate::auth;
use crate::error::{AppError, AppResult};
use entity::{DepartmentKind, UserRole, department, user};
use sea_orm::TransactionSession;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub password: String,
    pub role: UserRole,
    pub department_id: Option<i32>,
}

/// One account by id.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> AppResult<Option<user::Model>> {
    Ok(user::Entity::find_by_id(id).one(db).await?)
}

/// One account by login name (case-insensitive, trimmed).
pub async fn find_by_username(db: &impl ConnectionTrait, username: &str) -> AppResult<Option<user::Model>> {
    let name = normalize_username(username);
    Ok(user::Entity::find().filter(user::Column::Username.eq(name)).one(db).await?)
}

/// Login names are stored trimmed and lower-case.
pub fn normalize_username(username: &str) -> String {
    username.trim().to_lowercase()
}

/// Creates an account after checking name, password strength and unit.
pub async fn create(db: &impl ConnectionTrait, new: NewUser) -> AppResult<user::Model> {
    let username = normalize_username(&new.username);
    if username.is_empty() || username.chars().count() > 64 {
        return Err(AppError::bad_input("username must be 1 to 64 characters"));
    }
    auth::check_password_policy(&new.password).map_err(|e| AppError::bad_input(e.to_string()))?;
    check_unit(db, new.role, new.department_id).await?;
    if find_by_username(db, &username).await?.is_some() {
        return Err(AppError::Conflict(format!("username {username} is taken")));
    }
    let hash = hash_blocking(new.password.clone()).await?;
    let now = chrono::Utc::now();
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
    Ok(model.insert(db).await?)
}

/// Hashes a password (argon2id).
pub fn hash(plain: &str) -> AppResult<String> {
    auth::hash_password(plain).map_err(AppError::internal)
}

/// DEPARTMENT and SERVICE accounts act for exactly one UNIT; others for none.
pub async fn check_unit(db: &impl ConnectionTrait, role: UserRole, department_id: Option<i32>) -> AppResult<()> {
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

/// Changes to an account by an admin; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    pub role: Option<UserRole>,
    /// `Some(None)` clears the unit.
    pub department_id: Option<Option<i32>>,
}

/// Every account, by id.
pub async fn list(db: &impl ConnectionTrait) -> AppResult<Vec<user::Model>> {
    use sea_orm::QueryOrder;
    Ok(user::Entity::find().order_by_asc(user::Column::Id).all(db).await?)
}

/// Changes role and unit; old tokens stop working (they carry the old role and unit).
pub async fn update(db: &impl sea_orm::TransactionTrait, id: i32, changes: UserChanges) -> AppResult<user::Model> {
    let txn = db.begin().await?;
    let current = get(&txn, id).await?.ok_or(AppError::NotFound("user"))?;
    let role = changes.role.unwrap_or(current.role);
    let department_id = changes.department_id.unwrap_or(current.department_id);
    check_unit(&txn, role, department_id).await?;
    let mut model: user::ActiveModel = current.clone().into();
    model.role = Set(role);
    model.department_id = Set(department_id);
    model.token_version = Set(current.token_version + 1);
    model.updated_at = Set(chrono::Utc::now());
    let model = model.update(&txn).await?;
    txn.commit().await?;
    Ok(model)
}

/// Deactivates an account; its tokens stop working at once.
pub async fn deactivate(db: &impl ConnectionTrait, id: i32) -> AppResult<user::Model> {
    let current = get(db, id).await?.ok_or(AppError::NotFound("user"))?;
    let mut model: user::ActiveModel = current.clone().into();
    model.active = Set(false);
    model.token_version = Set(current.token_version + 1);
    model.updated_at = Set(chrono::Utc::now());
    Ok(model.update(db).await?)
}

/// Sets a new password (admin reset or own change); old tokens stop working.
pub async fn set_password(db: &impl ConnectionTrait, id: i32, new_password: &str) -> AppResult<user::Model> {
    auth::check_password_policy(new_password).map_err(|e| AppError::bad_input(e.to_string()))?;
    let current = get(db, id).await?.ok_or(AppError::NotFound("user"))?;
    let hash = hash_blocking(new_password.to_owned()).await?;
    let mut model: user::ActiveModel = current.clone().into();
    model.password_hash = Set(hash);
    model.token_version = Set(current.token_version + 1);
    model.updated_at = Set(chrono::Utc::now());
    Ok(model.update(db).await?)
}

/// Revokes every token of an account by bumping its token version.
pub async fn bump_token_version(db: &impl ConnectionTrait, id: i32) -> AppResult<user::Model> {
    let current = get(db, id).await?.ok_or(AppError::NotFound("user"))?;
    let mut model: user::ActiveModel = current.clone().into();
    model.token_version = Set(current.token_version + 1);
    model.updated_at = Set(chrono::Utc::now());
    Ok(model.update(db).await?)
}

/// Hashes off the async runtime: argon2 is deliberately slow.
pub async fn hash_blocking(plain: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || hash(&plain)).await.map_err(AppError::internal)?
}

/// Verifies off the async runtime; `None` (unknown user) costs the same as a wrong password.
pub async fn verify_blocking(plain: String, phc: Option<String>) -> AppResult<bool> {
    tokio::task::spawn_blocking(move || auth::verify_password(&plain, phc.as_deref())).await.map_err(AppError::internal)
}

/// Inserts accounts that share one already-computed password hash (PHC string), in bulk.
/// For synthetic data: argon2 is too slow to run once per account. The caller vouches that
/// names are free and each role has the unit it needs (see [`check_unit`]).
pub async fn insert_with_hash(
    db: &impl ConnectionTrait,
    password_hash: &str,
    accounts: &[(String, UserRole, Option<i32>)],
) -> AppResult<()> {
    let now = chrono::Utc::now();
    for chunk in accounts.chunks(1000) {
        let rows = chunk.iter().map(|(username, role, department_id)| user::ActiveModel {
            username: Set(normalize_username(username)),
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
