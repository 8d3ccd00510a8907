//! Follow-up by units: progress reports and status changes.

use crate::domain::reports;
use crate::error::IntoGql;
use crate::graphql::context::{self, parse_id};
use crate::graphql::types::enums::TaskStatus;
use crate::graphql::types::{ProgressReport, Task};
use async_graphql::{Context, ID, Object, Result};

/// Mutations of the units working on tasks.
#[derive(Default)]
pub struct FollowUpMutation;

#[Object]
impl FollowUpMutation {
    /// Reports progress on a task; any unit assigned to it (lead or supporting) may.
    async fn submit_report(
        &self,
        ctx: &Context<'_>,
        task_id: ID,
        text: String,
        percent: i32,
    ) -> Result<ProgressReport> {
        let task_id = parse_id(&task_id).gql()?;
        let caller = context::caller(ctx);
        Ok(ProgressReport(reports::submit(context::db(ctx), caller, task_id, &text, percent).await.gql()?))
    }

    /// Changes a task's status; only its lead unit or an admin may. `expectedVersion` must
    /// be the task's current version, otherwise CONFLICT and nothing changes.
    async fn update_task_status(
        &self,
        ctx: &Context<'_>,
        task_id: ID,
        status: TaskStatus,
        expected_version: i32,
    ) -> Result<Task> {
        let task_id = parse_id(&task_id).gql()?;
        let caller = context::caller(ctx);
        let task =
            reports::update_status(context::db(ctx), caller, task_id, status.into(), expected_version).await.gql()?;
        Ok(Task(task))
    }
}
