//! Higher-level policies that tasks wait for, and the due dates they release.

use crate::domain::dates as schedule;
use crate::error::{AppError, AppResult};
use crate::policy::{Principal, scope};
use entity::{PolicyLevel, ScheduleKind, document, policy_event, task, task_policy};
use sea_orm::TransactionSession;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
    TransactionTrait,
};

/// Parses a stored `waiting_for` list (`NATIONAL,PROVINCIAL`).
pub fn parse_levels(stored: Option<&str>) -> Vec<PolicyLevel> {
    stored
        .unwrap_or_default()
        .split(',')
        .filter_map(|s| match s.trim() {
            "NATIONAL" => Some(PolicyLevel::National),
            "PROVINCIAL" => Some(PolicyLevel::Provincial),
            "MUNICIPAL" => Some(PolicyLevel::Municipal),
            _ => None,
        })
        .collect()
}

/// Formats levels for storage, in a fixed order.
pub fn format_levels(levels: &[PolicyLevel]) -> Option<String> {
    let order = [PolicyLevel::National, PolicyLevel::Provincial, PolicyLevel::Municipal];
    let names: Vec<&str> = order
        .iter()
        .filter(|l| levels.contains(l))
        .map(|l| match l {
            PolicyLevel::National => "NATIONAL",
            PolicyLevel::Provincial => "PROVINCIAL",
            PolicyLevel::Municipal => "MUNICIPAL",
        })
        .collect();
    (!names.is_empty()).then(|| names.join(","))
}

/// A higher-level policy being recorded.
#[derive(Debug, Clone)]
pub struct NewPolicyEvent {
    pub level: PolicyLevel,
    pub title: String,
    pub issued_on: chrono::NaiveDate,
    /// The waiting tasks it satisfies…
    pub task_ids: Option<Vec<i32>>,
    /// …or every task of this plan waiting at `level`.
    pub document_id: Option<i32>,
}

/// Records a policy and releases the due dates of the tasks waiting for it: a task gets
/// `issue date + offset` once every level it waits for is issued (the latest issue date counts).
pub async fn record(
    db: &impl TransactionTrait,
    new: NewPolicyEvent,
) -> AppResult<(policy_event::Model, Vec<task::Model>)> {
    let title = crate::domain::tasks::required_text(&new.title, "title")?;
    if new.task_ids.is_none() && new.document_id.is_none() {
        return Err(AppError::bad_input("name the tasks (taskIds) or the plan (documentId) the policy satisfies"));
    }
    let txn = db.begin().await?;
    let waiting = waiting_tasks(&txn, &new).await?;
    let event = policy_event::ActiveModel {
        level: Set(new.level),
        title: Set(title),
        issued_on: Set(new.issued_on),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut updated = Vec::with_capacity(waiting.len());
    for task in waiting {
        task_policy::Entity::delete_many()
            .filter(task_policy::Column::TaskId.eq(task.id))
            .filter(task_policy::Column::Level.eq(new.level))
            .exec(&txn)
            .await?;
        task_policy::ActiveModel { task_id: Set(task.id), level: Set(new.level), policy_event_id: Set(event.id) }
            .insert(&txn)
            .await?;
        updated.push(release_due_date(&txn, task).await?);
    }
    txn.commit().await?;
    Ok((event, updated))
}

/// Tasks the event applies to; named tasks must all be waiting at that level.
async fn waiting_tasks(db: &impl ConnectionTrait, new: &NewPolicyEvent) -> AppResult<Vec<task::Model>> {
    let mut query = task::Entity::find().filter(task::Column::ScheduleKind.eq(ScheduleKind::AfterPolicy));
    if let Some(doc) = new.document_id {
        if document::Entity::find_by_id(doc).one(db).await?.is_none() {
            return Err(AppError::NotFound("document"));
        }
        query = query.filter(task::Column::DocumentId.eq(doc));
    }
    if let Some(ids) = &new.task_ids {
        query = query.filter(task::Column::Id.is_in(ids.clone()));
    }
    let tasks: Vec<task::Model> = query
        .order_by_asc(task::Column::DocumentId)
        .order_by_asc(task::Column::Seq)
        .all(db)
        .await?
        .into_iter()
        .filter(|t| parse_levels(t.waiting_for.as_deref()).contains(&new.level))
        .collect();
    if let Some(ids) = &new.task_ids {
        let missing: Vec<i32> = ids.iter().copied().filter(|id| !tasks.iter().any(|t| t.id == *id)).collect();
        if !missing.is_empty() {
            return Err(AppError::bad_input(format!("tasks {missing:?} are not waiting for a policy at this level")));
        }
    }
    Ok(tasks)
}

/// Sets the due date once every awaited level has an issued policy.
async fn release_due_date(db: &impl ConnectionTrait, task: task::Model) -> AppResult<task::Model> {
    let levels = parse_levels(task.waiting_for.as_deref());
    let satisfied = task_policy::Entity::find().filter(task_policy::Column::TaskId.eq(task.id)).all(db).await?;
    if !levels.iter().all(|l| satisfied.iter().any(|s| s.level == *l)) {
        return Ok(task);
    }
    let event_ids: Vec<i32> = satisfied.iter().map(|s| s.policy_event_id).collect();
    let latest = policy_event::Entity::find()
        .filter(policy_event::Column::Id.is_in(event_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.issued_on)
        .max();
    let Some(issued) = latest else { return Ok(task) };
    let due = schedule::due_after_policy(issued, task.offset_months, task.offset_days);
    let version = task.version;
    let mut model: task::ActiveModel = task.into();
    model.due_date = Set(Some(due));
    crate::domain::tasks::bump_version(db, model, version).await
}

/// Every recorded policy, newest issue first.
pub async fn list(db: &impl ConnectionTrait) -> AppResult<Vec<policy_event::Model>> {
    Ok(policy_event::Entity::find()
        .order_by_desc(policy_event::Column::IssuedOn)
        .order_by_desc(policy_event::Column::Id)
        .all(db)
        .await?)
}

/// Ids of the tasks an event satisfied, as far as the principal may see them.
pub async fn satisfied_task_ids(
    db: &impl ConnectionTrait,
    principal: &Principal,
    event_id: i32,
) -> AppResult<Vec<i32>> {
    let mut query = task_policy::Entity::find().filter(task_policy::Column::PolicyEventId.eq(event_id));
    if principal.is_unit_scoped() {
        // A unit learns only of tasks it may see: ids of the others would widen its view.
        let visible = scope::visible_tasks(principal).select_only().column(task::Column::Id).into_query();
        query = query.filter(task_policy::Column::TaskId.in_subquery(visible));
    }
    Ok(query.all(db).await?.into_iter().map(|t| t.task_id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_round_trip_in_fixed_order() {
        let stored = format_levels(&[PolicyLevel::Provincial, PolicyLevel::National]);
        assert_eq!(stored.as_deref(), Some("NATIONAL,PROVINCIAL"));
        assert_eq!(parse_levels(stored.as_deref()), vec![PolicyLevel::National, PolicyLevel::Provincial]);
        assert_eq!(format_levels(&[]), None);
        assert!(parse_levels(None).is_empty());
    }
}
