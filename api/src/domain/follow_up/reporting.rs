//! Setting when reports fall due: a plan's default rule, a task's own. A change moves the next
//! report due date of every unit still working on the affected tasks.

use super::cadence::ReportRule;
use super::{due_dates, parts};
use crate::domain::Caller;
use crate::domain::audit;
use crate::domain::tasks;
use crate::error::{AppError, AppResult};
use crate::policy::rules;
use entity::{document, task};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

/// Sets a plan's default reporting rule (admins); tasks with a rule of their own keep it.
pub async fn set_document_rule(
    db: &impl TransactionTrait,
    caller: &Caller,
    document_id: i32,
    rule: ReportRule,
) -> AppResult<document::Model> {
    rules::admin(&caller.viewer)?;
    let rule = rule.new_checked()?;
    let txn = audit::begin(db, caller).await?;
    let current = document::Entity::find_by_id(document_id).one(&txn).await?.ok_or(AppError::NotFound("document"))?;
    let mut model: document::ActiveModel = current.clone().into();
    model.report_rule = Set(Some(rule.to_stored()));
    model.updated_at = Set(caller.now());
    let updated = model.update(&txn).await?;
    audit::updated(caller, &current, &updated);
    let inheriting = task::Entity::find()
        .filter(task::Column::DocumentId.eq(document_id))
        .filter(task::Column::ReportRule.is_null())
        .all(&txn)
        .await?;
    for task in inheriting {
        due_dates::move_report_dues(&txn, caller, task.id, rule, task.due_date).await?;
    }
    audit::commit(txn, caller, audit::Operation::SetDocumentReportRule).await?;
    Ok(updated)
}

/// Sets a task's own reporting rule, or (with `None`) lets it follow its plan's again (admins).
pub async fn set_task_rule(
    db: &impl TransactionTrait,
    caller: &Caller,
    task_id: i32,
    rule: Option<ReportRule>,
    expected_version: i32,
) -> AppResult<task::Model> {
    rules::admin(&caller.viewer)?;
    let rule = rule.map(ReportRule::new_checked).transpose()?;
    let txn = audit::begin(db, caller).await?;
    let current = tasks::get(&txn, caller, task_id).await?.ok_or(AppError::NotFound("task"))?;
    let mut model: task::ActiveModel = current.clone().into();
    model.report_rule = Set(rule.map(ReportRule::to_stored));
    let updated = tasks::bump_version(&txn, caller, &current, model, expected_version).await?;
    let effective = parts::load_rule(&txn, &updated).await?;
    due_dates::move_report_dues(&txn, caller, task_id, effective, updated.due_date).await?;
    audit::commit(txn, caller, audit::Operation::SetTaskReportRule).await?;
    Ok(updated)
}
