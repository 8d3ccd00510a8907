//! The `Document` type.

use super::Task;
use super::department::task_connection;
use super::follow_up::settings::ReportRule;
use crate::domain::follow_up::cadence::ReportRule as Rule;
use crate::domain::tasks::TaskFilter;
use crate::graphql::connection::Conn;
use crate::graphql::scalars::{Date, DateTime};
use async_graphql::{Context, ID, Object, Result};
use entity::document;

pub struct Document(pub document::Model);

/// A notice and the plan it carries.
#[Object]
impl Document {
    /// Stable identifier.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// Document number (文号), e.g. `盘县政办发〔2014〕103号`.
    async fn doc_number(&self) -> Option<&str> {
        self.0.doc_number.as_deref()
    }

    /// Title of the plan.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Issuing office.
    async fn issuer(&self) -> Option<&str> {
        self.0.issuer.as_deref()
    }

    /// Issue date.
    async fn issued_on(&self) -> Option<Date> {
        self.0.issued_on.map(Date)
    }

    /// When its tasks' progress reports fall due, unless a task has a rule of its own (read from
    /// the notice when it says, e.g. `每月25日前报送`).
    async fn report_rule(&self) -> ReportRule {
        ReportRule::from(Rule::from_stored(self.0.report_rule.as_deref()))
    }

    /// When the document was registered in duban.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// The plan's tasks the viewer may see, in seq order.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn tasks(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (20 when omitted).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> Result<Conn<Task>> {
        let filter = TaskFilter { document_id: Some(self.0.id), ..Default::default() };
        task_connection(ctx, filter, first, after).await
    }
}
