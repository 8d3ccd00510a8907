//! The `PolicyEvent` type.

use super::enums::PolicyLevel;
use crate::graphql::context;
use crate::graphql::loaders::load_failed;
use crate::graphql::scalars::{Date, DateTime};
use async_graphql::{Context, ID, Object, Result};
use entity::policy_event;

pub struct PolicyEvent(pub policy_event::Model);

/// A higher-level policy that was issued, which tasks were waiting for.
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
        let ids = context::loaders(ctx).policy_tasks.load_one(self.0.id).await.map_err(load_failed)?;
        Ok(ids.unwrap_or_default().into_iter().map(|id| ID(id.to_string())).collect())
    }
}
