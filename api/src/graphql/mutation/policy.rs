//! Recording higher-level policies (admin).

use crate::domain::policy_events::{self, NewPolicyEvent};
use crate::error::IntoGql;
use crate::graphql::context::{self, parse_ids, parse_opt_id};
use crate::graphql::scalars::Date;
use crate::graphql::types::Task;
use crate::graphql::types::enums::PolicyLevel;
use crate::graphql::types::policy::PolicyEvent;
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

#[derive(Default)]
pub struct PolicyMutation;

/// A higher-level policy that was issued.
#[derive(InputObject)]
pub struct PolicyEventInput {
    /// Who issued it.
    pub level: PolicyLevel,
    /// Its title, e.g. `辽宁省社会救助实施办法`.
    pub title: String,
    /// Its issue date.
    pub issued_on: Date,
    /// The waiting tasks it satisfies (each must wait at `level`)…
    pub task_ids: Option<Vec<ID>>,
    /// …or every task of this plan waiting at `level`.
    pub document_id: Option<ID>,
}

/// The recorded policy and the tasks whose wait it ended.
#[derive(SimpleObject)]
pub struct PolicyEventResult {
    /// The policy.
    pub event: PolicyEvent,
    /// Tasks it applied to; `dueDate` is set on those no longer waiting for anything.
    pub tasks: Vec<Task>,
}

/// Policy mutations.
#[Object]
impl PolicyMutation {
    /// Records that a higher-level policy was issued; waiting tasks get their due dates
    /// (issue date + offset; the later date when a task waits for several levels).
    async fn record_policy_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The policy that was issued and the tasks it satisfies.")] input: PolicyEventInput,
    ) -> Result<PolicyEventResult> {
        let task_ids = input.task_ids.as_deref().map(parse_ids).transpose().gql()?;
        let new = NewPolicyEvent {
            level: input.level.into(),
            title: input.title,
            issued_on: input.issued_on.0,
            task_ids,
            document_id: parse_opt_id(input.document_id.as_ref()).gql()?,
        };
        let (event, tasks) = policy_events::record(context::db(ctx), context::caller(ctx), new).await.gql()?;
        Ok(PolicyEventResult { event: PolicyEvent(event), tasks: tasks.into_iter().map(Task::from).collect() })
    }
}
