//! The `ProgressReport` type.

use super::{Department, User};
use crate::graphql::context;
use crate::graphql::loaders::load_failed;
use crate::graphql::scalars::DateTime;
use async_graphql::{Context, ID, Object, Result};
use entity::progress_report;

/// A unit's progress report on a task (进展报送).
pub struct ProgressReport(pub progress_report::Model);

#[Object]
impl ProgressReport {
    /// Stable identifier.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The unit that reported.
    async fn department(&self, ctx: &Context<'_>) -> Result<Option<Department>> {
        let dept = context::loaders(ctx).departments.load_one(self.0.department_id).await.map_err(load_failed)?;
        Ok(dept.map(Department::from))
    }

    /// The account that wrote it.
    async fn author(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let author = context::loaders(ctx).users.load_one(self.0.author_id).await.map_err(load_failed)?;
        Ok(author.map(User))
    }

    /// What was done.
    async fn text(&self) -> &str {
        &self.0.text
    }

    /// Estimated completion, 0–100.
    async fn percent(&self) -> i32 {
        self.0.percent
    }

    /// When it was reported.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}
