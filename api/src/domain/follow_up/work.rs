//! A unit's own work on a task: signing for it (签收), reporting progress (进展报送, on its
//! cadence, a lead's report possibly consolidating its supporting units' reports), and
//! finishing its part.

use super::on_task::{self, OnTask};
use super::periods;
use super::states::{self, PartEvent, TaskEvent};
use crate::domain::Caller;
use crate::domain::audit;
use crate::domain::evidence;
use crate::domain::tasks;
use crate::domain::text::required_text;
use crate::error::{AppError, AppResult};
use crate::policy::{follow_up as may, rules};
use entity::EvidenceTarget;
use entity::{AssignmentRole, AssignmentState, TaskStatus, assignment, progress_report, report_consolidation, task};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

/// Who signs for a unit (承办人) and how to reach them.
#[derive(Debug, Clone)]
pub struct Signature {
    pub responsible_person: String,
    pub contact: String,
}

/// The caller's unit signs for the task (its own place on it).
pub async fn sign(
    db: &impl TransactionTrait,
    caller: &Caller,
    task_id: i32,
    signature: Signature,
) -> AppResult<assignment::Model> {
    let principal = rules::account(&caller.viewer)?;
    let person = short_text(&signature.responsible_person, "responsiblePerson")?;
    let contact = short_text(&signature.contact, "contact")?;
    let txn = audit::begin(db, caller).await?;
    let on = on_task::load(&txn, caller, task_id).await?;
    may::own_place(principal, on.own_role())?;
    ensure_not_closed(&on.task)?;
    let part = on.own.clone().ok_or(AppError::Forbidden("the unit has no place of its own on this task"))?;
    let state = states::next_part_state(part.state, PartEvent::Sign)?;
    let mut model: assignment::ActiveModel = part.clone().into();
    model.state = Set(state);
    model.signed_at = Set(Some(caller.now()));
    model.responsible_person = Set(Some(person));
    model.contact = Set(Some(contact));
    let signed = model.update(&txn).await?;
    audit::updated(caller, &part, &signed);
    audit::commit(txn, caller, audit::Operation::SignTask).await?;
    Ok(signed)
}

/// A progress report being sent.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub text: String,
    pub percent: i32,
    /// Supporting units' reports on the same task that a lead's report consolidates (汇总).
    pub consolidates: Vec<i32>,
    /// Why the percent is below the unit's last report on the task: required then.
    pub lowered_reason: Option<String>,
    /// Staged files of evidence (佐证材料) the report attaches.
    pub evidence: crate::domain::evidence::Backing,
}

/// A unit reports progress on a task it is assigned to (through its own place, or through a
/// group it belongs to). Its own place must be signed for first; the report is marked late
/// when it comes after the unit's report due date.
pub async fn report(
    db: &impl TransactionTrait,
    caller: &Caller,
    task_id: i32,
    new: NewReport,
) -> AppResult<progress_report::Model> {
    let principal = rules::account(&caller.viewer)?;
    let text = required_text(&new.text, "text")?;
    if !(0..=100).contains(&new.percent) {
        return Err(AppError::bad_input("percent must be between 0 and 100"));
    }
    let txn = audit::begin(db, caller).await?;
    let on = on_task::load(&txn, caller, task_id).await?;
    let unit = rules::may_submit_report(principal, on.role)?;
    let continuing = on.task.status == TaskStatus::Completed && super::completion::continues_after_deadline(&on.task);
    let status = if continuing { on.task.status } else { states::next_task_status(on.task.status, TaskEvent::Report)? };
    if !new.consolidates.is_empty() {
        check_consolidated(&txn, &on, unit, &new.consolidates).await?;
    }
    let lowered_reason = lowered_reason(&txn, task_id, unit, new.percent, new.lowered_reason.as_deref()).await?;
    let report = progress_report::ActiveModel {
        task_id: Set(task_id),
        department_id: Set(unit),
        author_id: Set(principal.user_id),
        text: Set(text),
        percent: Set(new.percent),
        created_at: Set(caller.now()),
        reported_on: Set(Some(caller.today())),
        due_on: Set(None),
        late: Set(false),
        lowered_reason: Set(lowered_reason),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let report = match &on.own {
        Some(part) => advance_part(&txn, caller, &on.task, part, report).await?,
        None => report,
    };
    let mut change = audit::Change::created(&report);
    if let Some(serde_json::Value::Object(after)) = change.after.as_mut() {
        after.insert("consolidates".into(), serde_json::json!(new.consolidates));
    }
    caller.record(change);
    let target = evidence::Target { kind: EvidenceTarget::ProgressReport, id: report.id, task_id, unit };
    evidence::attach(&txn, caller, &new.evidence, target).await?;
    for consolidated in new.consolidates {
        report_consolidation::ActiveModel { report_id: Set(report.id), consolidated_id: Set(consolidated) }
            .insert(&txn)
            .await?;
    }
    if status != on.task.status {
        start_work(&txn, caller, &on.task, status).await?;
    }
    audit::commit(txn, caller, audit::Operation::SubmitReport).await?;
    Ok(report)
}

/// A percent below the unit's last report on the task needs a word on why (the figure is
/// published; a drop without a reason reads as an error). The reason is kept only then.
async fn lowered_reason(
    db: &impl ConnectionTrait,
    task_id: i32,
    unit: i32,
    percent: i32,
    reason: Option<&str>,
) -> AppResult<Option<String>> {
    let last = progress_report::Entity::find()
        .filter(progress_report::Column::TaskId.eq(task_id))
        .filter(progress_report::Column::DepartmentId.eq(unit))
        .order_by_desc(progress_report::Column::Id)
        .one(db)
        .await?;
    match last {
        Some(last) if percent < last.percent => {
            let reason = reason.map(str::trim).filter(|r| !r.is_empty()).ok_or_else(|| {
                AppError::bad_input(format!(
                    "percent {percent} is below the last report's {}: say why in percentLoweredReason",
                    last.percent
                ))
            })?;
            Ok(Some(required_text(reason, "percentLoweredReason")?))
        }
        _ => Ok(None),
    }
}

/// The first report starts the work. Two units may send their first reports at once: the
/// move is conditional on the status still being the one read, not on the version, so the
/// second report simply finds the work started (a report carries no version to be stale).
async fn start_work(
    db: &impl ConnectionTrait,
    caller: &Caller,
    task: &task::Model,
    status: TaskStatus,
) -> AppResult<()> {
    let moved = task::Entity::update_many()
        .col_expr(task::Column::Status, Expr::value(status))
        .col_expr(task::Column::Version, Expr::col(task::Column::Version).add(1))
        .col_expr(task::Column::UpdatedAt, Expr::value(caller.now()))
        .filter(task::Column::Id.eq(task.id))
        .filter(task::Column::Status.eq(task.status))
        .exec(db)
        .await?;
    if moved.rows_affected > 0 {
        let after = task::Entity::find_by_id(task.id).one(db).await?.ok_or(AppError::NotFound("task"))?;
        audit::updated(caller, task, &after);
    }
    Ok(())
}

/// Moves a unit's part on with its report: in progress, and the reporting period the report
/// answers (see [`periods`]), which the report then names with whether it came late.
async fn advance_part(
    db: &impl ConnectionTrait,
    caller: &Caller,
    task: &task::Model,
    part: &assignment::Model,
    report: progress_report::Model,
) -> AppResult<progress_report::Model> {
    let state = states::next_part_state(part.state, PartEvent::Report)?;
    let mut model: assignment::ActiveModel = part.clone().into();
    model.state = Set(state);
    model.last_report_on = Set(Some(caller.today()));
    let moved = model.update(db).await?;
    let (after, answer) =
        periods::apply(db, &moved, task, |ledger| ledger.answer(caller.today(), Some(report.id))).await?;
    audit::updated(caller, part, &after);
    let Some(periods::Answer::Period { due_on, late }) = answer else { return Ok(report) };
    let mut answered: progress_report::ActiveModel = report.into();
    answered.due_on = Set(Some(due_on));
    answered.late = Set(late);
    Ok(answered.update(db).await?)
}

/// A lead's report may consolidate reports of its supporting units on the same task.
async fn check_consolidated(db: &impl ConnectionTrait, on: &OnTask, unit: i32, ids: &[i32]) -> AppResult<()> {
    if on.own_role() != Some(AssignmentRole::Lead) {
        return Err(AppError::Forbidden("only the lead unit consolidates its supporting units' reports"));
    }
    let found = progress_report::Entity::find()
        .filter(progress_report::Column::Id.is_in(ids.to_vec()))
        .filter(progress_report::Column::TaskId.eq(on.task.id))
        .filter(progress_report::Column::DepartmentId.ne(unit))
        .all(db)
        .await?;
    if found.len() != ids.iter().collect::<std::collections::HashSet<_>>().len() {
        return Err(AppError::bad_input(
            "consolidates names reports that are not supporting units' reports on this task",
        ));
    }
    Ok(())
}

/// The caller's unit says its part of the task is finished.
pub async fn finish_part(db: &impl TransactionTrait, caller: &Caller, task_id: i32) -> AppResult<assignment::Model> {
    let principal = rules::account(&caller.viewer)?;
    let txn = audit::begin(db, caller).await?;
    let on = on_task::load(&txn, caller, task_id).await?;
    may::own_place(principal, on.own_role())?;
    ensure_not_closed(&on.task)?;
    let part = on.own.clone().ok_or(AppError::Forbidden("the unit has no place of its own on this task"))?;
    let state = states::next_part_state(part.state, PartEvent::Finish)?;
    let mut model: assignment::ActiveModel = part.clone().into();
    model.state = Set(state);
    model.done_at = Set(Some(caller.now()));
    let done = model.update(&txn).await?;
    let (done, _) = periods::apply(&txn, &done, &on.task, |ledger| ledger.close(caller.today())).await?;
    audit::updated(caller, &part, &done);
    audit::commit(txn, caller, audit::Operation::FinishPart).await?;
    Ok(done)
}

/// `updateTaskStatus` of the first version: starting work (NOT_STARTED → IN_PROGRESS) by the
/// lead unit or an admin. Every other change goes through the loop's verbs.
pub async fn start(
    db: &impl TransactionTrait,
    caller: &Caller,
    task_id: i32,
    status: TaskStatus,
    expected_version: i32,
) -> AppResult<task::Model> {
    let principal = rules::account(&caller.viewer)?;
    let txn = audit::begin(db, caller).await?;
    let on = on_task::load(&txn, caller, task_id).await?;
    rules::may_update_status(principal, on.role)?;
    let allowed =
        status == TaskStatus::InProgress && matches!(on.task.status, TaskStatus::NotStarted | TaskStatus::InProgress);
    if !allowed {
        return Err(AppError::InvalidState(
            "updateTaskStatus only starts work; use submitCompletion, reviewCompletion, archiveTask or suspendTask"
                .into(),
        ));
    }
    let mut model: task::ActiveModel = on.task.clone().into();
    model.status = Set(status);
    let updated = tasks::bump_version(&txn, caller, &on.task, model, expected_version).await?;
    audit::commit(txn, caller, audit::Operation::UpdateTaskStatus).await?;
    Ok(updated)
}

/// Signing and finishing concern open work (and a task under review, whose units may still
/// catch up), never a closed or suspended task.
fn ensure_not_closed(task: &task::Model) -> AppResult<()> {
    match task.status {
        TaskStatus::Completed | TaskStatus::Archived | TaskStatus::Suspended => {
            Err(AppError::InvalidState("the task is closed or suspended".into()))
        }
        _ => Ok(()),
    }
}

/// A short required text (a name, a phone number): trimmed, at most 100 characters.
fn short_text(value: &str, field: &str) -> AppResult<String> {
    let text = required_text(value, field)?;
    if text.chars().count() > 100 {
        return Err(AppError::bad_input(format!("{field} must be at most 100 characters")));
    }
    Ok(text)
}

/// Whether a unit's part counts in the follow-up (its state moves): a UNIT's own place.
pub fn tracked(state: AssignmentState) -> bool {
    state != AssignmentState::Done
}
