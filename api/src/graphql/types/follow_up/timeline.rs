//! A task's timeline (`Task.timeline`) and the audit trail as admins read it (`Query.auditLog`).

use crate::domain::audit::{self, timeline::Line};
use crate::graphql::context;
use crate::graphql::loaders::load_failed;
use crate::graphql::scalars::DateTime;
use crate::graphql::types::enums::{ActorKind, AuditAction, TimelineCode};
use crate::graphql::types::{Department, User};
use async_graphql::{Context, ID, Json, Object, Result};
use entity::audit_entry;

pub struct TimelineEntry(pub Line);

/// One line of a task's timeline (时间轴), in the words an office reads it.
#[Object]
impl TimelineEntry {
    /// The audit trail entry it comes from.
    async fn id(&self) -> ID {
        ID(self.0.entry_id.to_string())
    }
    /// When it happened.
    async fn at(&self) -> DateTime {
        DateTime(self.0.at)
    }
    /// What happened, stable for clients.
    async fn code(&self) -> TimelineCode {
        self.0.code.into()
    }
    /// What happened, in words (`县民政局 签收`, `延期至 2015-09-30 已批准`).
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// How many files of evidence (佐证材料) back the report, completion report, answer or
    /// response the entry tells of (0 for other entries; the text says it too).
    async fn evidence_count(&self) -> i32 {
        i32::try_from(self.0.evidence).unwrap_or(i32::MAX)
    }
    /// Who did it (null for the console).
    async fn actor(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let Some(id) = self.0.actor_id else { return Ok(None) };
        Ok(context::loaders(ctx).users.load_one(id).await.map_err(load_failed)?.map(User))
    }
    /// The unit it is about, when it is about one.
    async fn department(&self, ctx: &Context<'_>) -> Result<Option<Department>> {
        let Some(id) = self.0.department_id else { return Ok(None) };
        Ok(context::loaders(ctx).departments.load_one(id).await.map_err(load_failed)?.map(Department::from))
    }
}

pub struct AuditEntry(pub audit_entry::Model);

/// One entry of the audit trail: one change to one entity.
#[Object]
impl AuditEntry {
    /// Its place in the trail.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// When the change was committed.
    async fn at(&self) -> DateTime {
        DateTime(self.0.at)
    }
    /// Who made the change: a person, a unit's system (through a service token) or the
    /// command line.
    async fn actor_kind(&self) -> Result<ActorKind> {
        let kind = audit::ActorKind::parse(&self.0.actor_kind).ok_or_else(|| unknown("actor kind", &self.0.actor_kind));
        Ok(kind?.into())
    }
    /// The account that made the change.
    async fn actor(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let Some(id) = self.0.actor_id else { return Ok(None) };
        Ok(context::loaders(ctx).users.load_one(id).await.map_err(load_failed)?.map(User))
    }
    /// The service token it came through.
    async fn service_token_id(&self) -> Option<ID> {
        self.0.service_token_id.map(|id| ID(id.to_string()))
    }
    /// The client's address.
    async fn client_address(&self) -> Option<&str> {
        self.0.client_address.as_deref()
    }
    /// The operation: a mutation's name (`signTask`), `importPlan`, `cli:…`.
    async fn operation(&self) -> &str {
        &self.0.operation
    }
    /// The table of the changed row (`task`, `assignment`, `app_user`, …).
    async fn entity(&self) -> &str {
        &self.0.entity
    }
    /// The changed row's id.
    async fn entity_id(&self) -> ID {
        ID(self.0.entity_id.to_string())
    }
    /// The task the change belongs to.
    async fn task_id(&self) -> Option<ID> {
        self.0.task_id.map(|id| ID(id.to_string()))
    }
    /// What happened to the row.
    async fn action(&self) -> Result<AuditAction> {
        let action = audit::Action::parse(&self.0.action).ok_or_else(|| unknown("action", &self.0.action));
        Ok(action?.into())
    }
    /// The changed fields before (the whole row for a deletion); secrets are never recorded.
    async fn before(&self) -> Option<Json<serde_json::Value>> {
        self.0.before.as_deref().and_then(|t| serde_json::from_str(t).ok()).map(Json)
    }
    /// The changed fields after (the whole row for a creation).
    async fn after(&self) -> Option<Json<serde_json::Value>> {
        self.0.after.as_deref().and_then(|t| serde_json::from_str(t).ok()).map(Json)
    }
    /// SHA-256 of the previous entry's hash and this entry's fields (`duban audit verify`).
    async fn hash(&self) -> &str {
        &self.0.hash
    }
}

/// A stored spelling this duban never writes: the trail was written by something else.
fn unknown(what: &str, stored: &str) -> async_graphql::Error {
    use async_graphql::ErrorExtensions;
    crate::error::AppError::internal(anyhow::anyhow!("audit entry with an unknown {what} {stored:?}")).extend()
}
