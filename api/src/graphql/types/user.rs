//! The `User` type.

use super::Department;
use super::enums::UserRole;
use crate::graphql::context;
use crate::graphql::loaders::load_failed;
use async_graphql::{Context, ID, Object, Result};
use entity::user;

pub struct User(pub user::Model);

/// An account.
#[Object]
impl User {
    /// Stable identifier.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// Login name.
    async fn username(&self) -> &str {
        &self.0.username
    }

    /// What the account may do.
    async fn role(&self) -> UserRole {
        self.0.role.into()
    }

    /// The unit a DEPARTMENT or SERVICE account acts for.
    async fn department(&self, ctx: &Context<'_>) -> Result<Option<super::Department>> {
        let Some(id) = self.0.department_id else { return Ok(None) };
        let dept = context::loaders(ctx).departments.load_one(id).await.map_err(load_failed)?;
        Ok(dept.map(Department::from))
    }

    /// False once an admin deactivated the account.
    async fn active(&self) -> bool {
        self.0.active
    }
}
