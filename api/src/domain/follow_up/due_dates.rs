//! A task's due date over time: every change is kept (`dueDateHistory`) with its cause, and
//! the original due date stays for statistics, which judge punctuality against it. A change
//! also moves the report due dates of the task's units (items with a deadline report by it).

use super::cadence::ReportRule;
use super::{parts, periods};
use crate::domain::Caller;
use crate::domain::audit;
use crate::error::{AppError, AppResult};
use crate::policy::rules;
use chrono::NaiveDate;
use entity::{AssignmentState, DueDateCause, assignment, due_date_change, task};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

/// Records that `task` moved from its current due date to `new_due` and what follows from it,
/// inside the caller's transaction; returns the task row to write (with the new due date and,
/// for a first due date, the original one). The caller bumps the version.
pub(in crate::domain) async fn change(
    db: &impl ConnectionTrait,
    caller: &Caller,
    task: &task::Model,
    new_due: Option<NaiveDate>,
    cause: DueDateCause,
    extension_request_id: Option<i32>,
) -> AppResult<task::ActiveModel> {
    let mut model: task::ActiveModel = task.clone().into();
    if task.due_date == new_due {
        return Ok(model);
    }
    let recorded = due_date_change::ActiveModel {
        task_id: Set(task.id),
        old_due: Set(task.due_date),
        new_due: Set(new_due),
        cause: Set(cause),
        extension_request_id: Set(extension_request_id),
        changed_by: Set(caller.viewer.principal().map(|p| p.user_id)),
        changed_at: Set(caller.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(caller, &recorded);
    model.due_date = Set(new_due);
    if task.original_due_date.is_none() && cause != DueDateCause::Extension {
        model.original_due_date = Set(new_due);
    }
    let rule = parts::load_rule(db, task).await?;
    move_report_dues(db, caller, task.id, rule, new_due).await?;
    Ok(model)
}

/// Lays out again the open reporting period of every unit still working on the task by the
/// new rule or deadline (see [`periods::Ledger::reschedule`]).
pub(in crate::domain) async fn move_report_dues(
    db: &impl ConnectionTrait,
    caller: &Caller,
    task_id: i32,
    rule: ReportRule,
    deadline: Option<NaiveDate>,
) -> AppResult<()> {
    let task = task::Entity::find_by_id(task_id).one(db).await?.ok_or(AppError::NotFound("task"))?;
    let parts = assignment::Entity::find()
        .filter(assignment::Column::TaskId.eq(task_id))
        .filter(assignment::Column::State.ne(AssignmentState::Done))
        .all(db)
        .await?;
    let today = caller.today();
    for part in parts {
        let (after, _) = periods::apply(db, &part, &task, |ledger| ledger.reschedule(rule, deadline, today)).await?;
        if after != part {
            audit::updated(caller, &part, &after);
        }
    }
    Ok(())
}

/// The due date changes of tasks, oldest first (the caller has already seen the tasks).
pub async fn history(
    db: &impl ConnectionTrait,
    caller: &Caller,
    task_ids: &[i32],
) -> AppResult<Vec<due_date_change::Model>> {
    rules::signed_in(&caller.viewer)?;
    Ok(due_date_change::Entity::find()
        .filter(due_date_change::Column::TaskId.is_in(task_ids.to_vec()))
        .order_by_asc(due_date_change::Column::Id)
        .all(db)
        .await?)
}
