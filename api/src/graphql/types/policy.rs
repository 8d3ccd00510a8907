//! The `PolicyEvent` type.

use super::enums::PolicyLevel;
use crate::domain::policy_events;
use crate::error::IntoGql;
use crate::graphql::context;
use crate::graphql::scalars::{Date, DateTime};
use async_graphql::{Context, ID, Object, Result};
use entity::policy_event;

/// A higher-level policy that was issued, which tasks were waiting for.
pub struct PolicyEvent(pub policy_event::Model);

#[Object]
impl PolicyEvent {
    /// Stable identifier.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// Who issued it.
    async fn level(&self) -> PolicyLevel {
        self.0.level.into()
    }

    /// Its title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Its issue date.
    async fn issued_on(&self) -> Date {
        Date(self.0.issued_on)
    }

    /// When it was recorded in duban.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// Ids of the tasks whose wait at this level it ended.
    async fn task_ids(&self, ctx: &Context<'_>) -> Result<Vec<ID>> {
        let principal = context::principal(ctx)?;
        let ids = policy_events::satisfied_task_ids(context::db(ctx), principal, self.0.id).await.gql()?;
        Ok(ids.into_iter().map(|id| ID(id.to_string())).collect())
    }
}
