//! The `ProgressReport` type.

use super::{Department, User};
use crate::graphql::context;
use crate::graphql::loaders::load_failed;
use crate::graphql::scalars::{Date, DateTime};
use async_graphql::{Context, ID, Object, Result};
use entity::progress_report;

pub struct ProgressReport(pub progress_report::Model);

/// A unit's progress report on a task (进展报送).
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

    /// The files of evidence (佐证材料) behind the report, oldest first.
    async fn evidence(&self, ctx: &Context<'_>) -> Result<Vec<super::evidence::Evidence>> {
        super::evidence::behind(ctx, entity::EvidenceTarget::ProgressReport, self.0.id).await
    }

    /// Why the percent is below the unit's last report on the task (null when it is not).
    async fn percent_lowered_reason(&self) -> Option<&str> {
        self.0.lowered_reason.as_deref()
    }

    /// When it was reported.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// The county's calendar day it was sent.
    async fn reported_on(&self) -> Option<Date> {
        self.0.reported_on.map(Date)
    }

    /// The report due date it answered (null for a report nobody was waiting for).
    async fn due_on(&self) -> Option<Date> {
        self.0.due_on.map(Date)
    }

    /// Sent after `dueOn` (逾期报送).
    async fn late(&self) -> bool {
        self.0.late
    }

    /// The supporting units' reports this lead's report consolidates (汇总), as far as the
    /// viewer may read them.
    async fn consolidates(&self, ctx: &Context<'_>) -> Result<Vec<ProgressReport>> {
        let rows = context::loaders(ctx).consolidated.load_one(self.0.id).await.map_err(load_failed)?;
        Ok(rows.unwrap_or_default().into_iter().map(ProgressReport).collect())
    }
}
