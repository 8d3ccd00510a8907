//! Higher-level policies that tasks wait for, and the due dates they release.

use crate::domain::Caller;
use crate::domain::audit;
use crate::domain::dates;
use crate::domain::follow_up::{calendar, due_dates, settings};
use crate::domain::text::required_text;
use crate::error::{AppError, AppResult};
use crate::policy::{rules, scope};
use entity::{DueDateCause, PolicyLevel, ScheduleKind, document, policy_event, task, task_policy};
use sea_orm::{ActiveEnum, Iterable};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use std::collections::HashMap;

/// Parses a stored `waiting_for` list (`NATIONAL,PROVINCIAL`).
pub fn parse_levels(stored: Option<&str>) -> Vec<PolicyLevel> {
    stored
        .unwrap_or_default()
        .split(',')
        .filter_map(|s| PolicyLevel::try_from_value(&s.trim().to_owned()).ok())
        .collect()
}

/// Formats levels for storage, in a fixed order (national, provincial, municipal).
pub fn format_levels(levels: &[PolicyLevel]) -> Option<String> {
    let names: Vec<String> = PolicyLevel::iter().filter(|l| levels.contains(l)).map(|l| l.to_value()).collect();
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
    caller: &Caller,
    new: NewPolicyEvent,
) -> AppResult<(policy_event::Model, Vec<task::Model>)> {
    rules::admin(&caller.viewer)?;
    let title = required_text(&new.title, "title")?;
    if new.task_ids.is_none() && new.document_id.is_none() {
        return Err(AppError::bad_input("name the tasks (taskIds) or the plan (documentId) the policy satisfies"));
    }
    let txn = audit::begin(db, caller).await?;
    let waiting = waiting_tasks(&txn, &new).await?;
    let event = policy_event::ActiveModel {
        level: Set(new.level),
        title: Set(title),
        issued_on: Set(new.issued_on),
        created_at: Set(caller.now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::created(caller, &event);
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
        updated.push(release_due_date(&txn, caller, task).await?);
    }
    audit::commit(txn, caller, audit::Operation::RecordPolicyEvent).await?;
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
async fn release_due_date(db: &impl ConnectionTrait, caller: &Caller, task: task::Model) -> AppResult<task::Model> {
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
    // A task that names no period gets the office's default one, to confirm.
    let named = task.offset_months.is_some_and(|m| m > 0) || task.offset_days.is_some_and(|d| d > 0);
    let offset_months = if named { task.offset_months } else { Some(settings::load(db).await?.policy_default_months) };
    // Months on the calendar, then working days on the office's calendar (holidays, 调休).
    let months = dates::due_after_policy(issued, offset_months, None);
    let due = match task.offset_days {
        Some(days) if days > 0 => calendar::working_days_after(db, months, days as u32).await?,
        _ => months,
    };
    // A policy recorded late never makes a task overdue on the day its due date is set: the
    // date is today then, and the office confirms or moves it.
    let today = caller.today();
    let (due, cause) = match (named, due < today) {
        (_, true) => (today, DueDateCause::PolicyDefault),
        (true, false) => (due, DueDateCause::Policy),
        (false, false) => (due, DueDateCause::PolicyDefault),
    };
    let version = task.version;
    let mut model = due_dates::change(db, caller, &task, Some(due), cause, None).await?;
    // The task's clock (pace, days to complete) starts when the work could begin: the policy.
    if task.assigned_on.is_none_or(|on| on < issued) {
        model.assigned_on = Set(Some(issued));
    }
    crate::domain::tasks::bump_version(db, caller, &task, model, version).await
}

/// Every recorded policy, newest issue first.
pub async fn list(db: &impl ConnectionTrait, caller: &Caller) -> AppResult<Vec<policy_event::Model>> {
    rules::signed_in(&caller.viewer)?;
    Ok(policy_event::Entity::find()
        .order_by_desc(policy_event::Column::IssuedOn)
        .order_by_desc(policy_event::Column::Id)
        .all(db)
        .await?)
}

/// Ids of the tasks each of `event_ids` satisfied, as far as the caller may see them (one
/// statement for a whole list of events).
pub async fn satisfied_task_ids(
    db: &impl ConnectionTrait,
    caller: &Caller,
    event_ids: &[i32],
) -> AppResult<HashMap<i32, Vec<i32>>> {
    rules::signed_in(&caller.viewer)?;
    let mut query = task_policy::Entity::find()
        .filter(task_policy::Column::PolicyEventId.is_in(event_ids.to_vec()))
        .order_by_asc(task_policy::Column::TaskId);
    // A unit learns only of tasks it may see: ids of the others would widen its view.
    if let Some(visible) = scope::visible_task_ids(&caller.viewer) {
        query = query.filter(task_policy::Column::TaskId.in_subquery(visible));
    }
    let mut by_event: HashMap<i32, Vec<i32>> = event_ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in query.all(db).await? {
        by_event.entry(row.policy_event_id).or_default().push(row.task_id);
    }
    Ok(by_event)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::{refused_before_any_statement, unit_caller};

    #[tokio::test]
    async fn non_admins_cannot_record_a_policy() {
        let db = sea_orm::DatabaseConnection::default();
        let new = NewPolicyEvent {
            level: PolicyLevel::Provincial,
            title: "x".into(),
            issued_on: chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap(),
            task_ids: None,
            document_id: Some(1),
        };
        for caller in unit_caller() {
            refused_before_any_statement(record(&db, &caller, new.clone()).await);
        }
        refused_before_any_statement(list(&db, &unit_caller()[0]).await);
    }

    #[test]
    fn levels_round_trip_in_fixed_order() {
        let stored = format_levels(&[PolicyLevel::Provincial, PolicyLevel::National]);
        assert_eq!(stored.as_deref(), Some("NATIONAL,PROVINCIAL"));
        assert_eq!(parse_levels(stored.as_deref()), vec![PolicyLevel::National, PolicyLevel::Provincial]);
        assert_eq!(format_levels(&[]), None);
        assert!(parse_levels(None).is_empty());
    }
}
