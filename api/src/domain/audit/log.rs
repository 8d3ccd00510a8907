//! The audit trail as admins read it: newest first, filtered by entity, actor and time.

use crate::domain::Caller;
use crate::domain::page::{Page, PageRequest};
use crate::error::AppResult;
use crate::policy::rules;
use chrono::{DateTime, Utc};
use entity::audit_entry;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

/// Which entries.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    /// The table of the changed rows (`task`, `assignment`, `app_user`, …).
    pub entity: Option<String>,
    pub entity_id: Option<i32>,
    /// The account that made the changes.
    pub actor_id: Option<i32>,
    pub task_id: Option<i32>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

fn filtered(filter: &LogFilter) -> Select<audit_entry::Entity> {
    let mut query = audit_entry::Entity::find();
    if let Some(entity) = &filter.entity {
        query = query.filter(audit_entry::Column::Entity.eq(entity.clone()));
    }
    if let Some(id) = filter.entity_id {
        query = query.filter(audit_entry::Column::EntityId.eq(id));
    }
    if let Some(actor) = filter.actor_id {
        query = query.filter(audit_entry::Column::ActorId.eq(actor));
    }
    if let Some(task) = filter.task_id {
        query = query.filter(audit_entry::Column::TaskId.eq(task));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_entry::Column::At.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(audit_entry::Column::At.lte(to));
    }
    query
}

/// A page of entries, newest first (admins). The cursor is the last entry's id.
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &LogFilter,
    page: &PageRequest<i32>,
) -> AppResult<Page<audit_entry::Model>> {
    rules::admin(&caller.viewer)?;
    let mut query = filtered(filter).order_by_desc(audit_entry::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(audit_entry::Column::Id.lt(after));
    }
    Ok(Page::from_overfetch(query.limit(page.first + 1).all(db).await?, page.first))
}

/// How many entries the filter matches (admins).
pub async fn count(db: &impl ConnectionTrait, caller: &Caller, filter: &LogFilter) -> AppResult<u64> {
    rules::admin(&caller.viewer)?;
    Ok(filtered(filter).count(db).await?)
}
