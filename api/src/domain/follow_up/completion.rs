//! Closing the loop: the lead unit's completion report (办结报告), which it may take back before
//! the review (撤回), the office's review (通过 or 退回重办), archiving (销号), and suspending a task (中止) and letting it go on.
//!
//! Closing a task (approved, archived) closes what still waits on it: unanswered urgings and an
//! undecided extension request.
//!
//! Ongoing tasks (持续实施, 逐年落实: no closing date) take no completion report: only the
//! office archives them, by decision, with a reason. A task with a leader's instruction still
//! unanswered cannot be approved or archived.

use super::on_task::{self, OnTask};
use super::periods;
use super::states::{self, PartEvent, TaskEvent};
use crate::domain::Caller;
use crate::domain::audit;
use crate::domain::evidence;
use crate::domain::tasks;
use crate::domain::text::required_text;
use crate::error::{AppError, AppResult};
use crate::policy::rules;
use entity::EvidenceTarget;
use entity::{
    AssignmentState, CompletionDecision, ExtensionStatus, ScheduleKind, TaskStatus, assignment, completion_report,
    extension_request, instruction, instruction_response, task, urging,
};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

/// Whether a task has no closing date (持续实施, 逐年落实).
pub fn is_ongoing(task: &task::Model) -> bool {
    matches!(task.schedule_kind, ScheduleKind::Ongoing | ScheduleKind::Recurring)
}

/// Whether the work goes on after its deadline (`2014年12月底前落实并持续实施`): once the office
/// approves the deadline's part the task is completed, and its units go on reporting by the
/// cadence until the office files it (销号).
pub fn continues_after_deadline(task: &task::Model) -> bool {
    task.ongoing && task.due_date.is_some() && !is_ongoing(task)
}

/// The lead unit hands in its completion report; the task waits for the office's review.
pub async fn submit(
    db: &impl TransactionTrait,
    caller: &Caller,
    task_id: i32,
    text: &str,
    expected_version: i32,
    backing: &evidence::Backing,
) -> AppResult<completion_report::Model> {
    let principal = rules::account(&caller.viewer)?;
    let text = required_text(text, "text")?;
    let txn = audit::begin(db, caller).await?;
    let (on, unit) = on_task::load_as_lead(&txn, caller, task_id, expected_version).await?;
    if is_ongoing(&on.task) {
        return Err(AppError::InvalidState("an ongoing task has no completion report; the office archives it".into()));
    }
    let status = states::next_task_status(on.task.status, TaskEvent::SubmitCompletion)?;
    let lead = on.own.clone().ok_or(AppError::Forbidden("only the task's lead unit may do this"))?;
    if lead.state == AssignmentState::Assigned {
        return Err(AppError::InvalidState("sign for the task (signTask) before reporting its completion".into()));
    }
    let report = completion_report::ActiveModel {
        task_id: Set(task_id),
        department_id: Set(unit),
        author_id: Set(principal.user_id),
        text: Set(text),
        created_at: Set(caller.now()),
        decision: Set(CompletionDecision::Pending),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::created(caller, &report);
    let target = evidence::Target { kind: EvidenceTarget::CompletionReport, id: report.id, task_id, unit };
    evidence::attach(&txn, caller, backing, target).await?;
    set_part(&txn, caller, &on.task, lead, AssignmentState::Done).await?;
    write_status(&txn, caller, &on, status, |_| {}).await?;
    audit::commit(txn, caller, audit::Operation::SubmitCompletion).await?;
    Ok(report)
}

/// The lead unit takes back its completion report before the office has reviewed it (撤回),
/// saying why: the report is marked WITHDRAWN, the lead's part is open again (its next report
/// due from today) and the task is back in progress.
pub async fn withdraw(
    db: &impl TransactionTrait,
    caller: &Caller,
    task_id: i32,
    reason: &str,
    expected_version: i32,
) -> AppResult<task::Model> {
    let principal = rules::account(&caller.viewer)?;
    let reason = required_text(reason, "reason")?;
    let txn = audit::begin(db, caller).await?;
    let (on, _) = on_task::load_as_lead(&txn, caller, task_id, expected_version).await?;
    let status = states::next_task_status(on.task.status, TaskEvent::WithdrawCompletion)?;
    let pending = pending_report(&txn, task_id).await?;
    let mut report: completion_report::ActiveModel = pending.clone().into();
    report.decision = Set(CompletionDecision::Withdrawn);
    report.decided_by = Set(Some(principal.user_id));
    report.decided_at = Set(Some(caller.now()));
    report.reason = Set(Some(reason));
    let withdrawn = report.update(&txn).await?;
    audit::updated(caller, &pending, &withdrawn);
    reopen_leads(&txn, caller, &on, false).await?;
    let updated = write_status(&txn, caller, &on, status, |_| {}).await?;
    audit::commit(txn, caller, audit::Operation::WithdrawCompletion).await?;
    Ok(updated)
}

/// The office's decision on a completion report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    Approve,
    Return,
}

/// The office approves the pending completion report (the task is completed, every unit's
/// part finished) or returns it with the reason (work goes on, the lead reports again).
pub async fn review(
    db: &impl TransactionTrait,
    caller: &Caller,
    task_id: i32,
    decision: Review,
    reason: Option<&str>,
    expected_version: i32,
) -> AppResult<task::Model> {
    rules::admin(&caller.viewer)?;
    let reason = match decision {
        Review::Return => Some(required_text(reason.unwrap_or_default(), "reason")?),
        Review::Approve => reason.map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned),
    };
    let txn = audit::begin(db, caller).await?;
    let on = on_task::load_at_version(&txn, caller, task_id, expected_version).await?;
    let event = if decision == Review::Approve { TaskEvent::Approve } else { TaskEvent::Return };
    let status = states::next_task_status(on.task.status, event)?;
    let pending = pending_report(&txn, task_id).await?;
    if decision == Review::Approve {
        ensure_instructions_answered(&txn, task_id).await?;
    }
    let mut report: completion_report::ActiveModel = pending.clone().into();
    report.decision =
        Set(if decision == Review::Approve { CompletionDecision::Approved } else { CompletionDecision::Returned });
    report.decided_by = Set(caller.viewer.principal().map(|p| p.user_id));
    report.decided_at = Set(Some(caller.now()));
    report.reason = Set(reason.clone());
    let decided = report.update(&txn).await?;
    audit::updated(caller, &pending, &decided);
    match decision {
        Review::Approve if continues_after_deadline(&on.task) => {
            reopen_leads(&txn, caller, &on, true).await?;
            close_what_waits(&txn, caller, task_id).await?;
        }
        Review::Approve => {
            finish_all_parts(&txn, caller, &on).await?;
            close_what_waits(&txn, caller, task_id).await?;
        }
        Review::Return => reopen_leads(&txn, caller, &on, false).await?,
    }
    let now = caller.now();
    let updated = write_status(&txn, caller, &on, status, |model| match decision {
        Review::Approve => model.completed_at = Set(Some(now)),
        Review::Return => model.state_reason = Set(reason.clone()),
    })
    .await?;
    audit::commit(txn, caller, audit::Operation::ReviewCompletion).await?;
    Ok(updated)
}

/// Files a completed task (销号); an ongoing task is archived by the office's decision, with
/// the reason.
pub async fn archive(
    db: &impl TransactionTrait,
    caller: &Caller,
    task_id: i32,
    reason: Option<&str>,
    expected_version: i32,
) -> AppResult<task::Model> {
    rules::admin(&caller.viewer)?;
    let txn = audit::begin(db, caller).await?;
    let on = on_task::load_at_version(&txn, caller, task_id, expected_version).await?;
    let ongoing = is_ongoing(&on.task);
    let reason = if ongoing { Some(required_text(reason.unwrap_or_default(), "reason")?) } else { None };
    let event = if ongoing { TaskEvent::ArchiveOngoing } else { TaskEvent::Archive };
    let status = states::next_task_status(on.task.status, event)?;
    ensure_instructions_answered(&txn, task_id).await?;
    if ongoing || continues_after_deadline(&on.task) {
        finish_all_parts(&txn, caller, &on).await?;
    }
    close_what_waits(&txn, caller, task_id).await?;
    let now = caller.now();
    let updated = write_status(&txn, caller, &on, status, |model| {
        model.archived_at = Set(Some(now));
        if reason.is_some() {
            model.state_reason = Set(reason.clone());
        }
    })
    .await?;
    audit::commit(txn, caller, audit::Operation::ArchiveTask).await?;
    Ok(updated)
}

/// Stops a task (中止), with the reason; `resume` lets it go on where it stood.
pub async fn suspend(
    db: &impl TransactionTrait,
    caller: &Caller,
    task_id: i32,
    reason: &str,
    expected_version: i32,
) -> AppResult<task::Model> {
    rules::admin(&caller.viewer)?;
    let reason = required_text(reason, "reason")?;
    let txn = audit::begin(db, caller).await?;
    let on = on_task::load_at_version(&txn, caller, task_id, expected_version).await?;
    let status = states::next_task_status(on.task.status, TaskEvent::Suspend)?;
    let from = on.task.status;
    let updated = write_status(&txn, caller, &on, status, |model| {
        model.suspended_from = Set(Some(from));
        model.state_reason = Set(Some(reason.clone()));
    })
    .await?;
    audit::commit(txn, caller, audit::Operation::SuspendTask).await?;
    Ok(updated)
}

/// Lets a suspended task go on in the state it was suspended in.
pub async fn resume(
    db: &impl TransactionTrait,
    caller: &Caller,
    task_id: i32,
    expected_version: i32,
) -> AppResult<task::Model> {
    rules::admin(&caller.viewer)?;
    let txn = audit::begin(db, caller).await?;
    let on = on_task::load_at_version(&txn, caller, task_id, expected_version).await?;
    let to = on.task.suspended_from.unwrap_or(TaskStatus::InProgress);
    let status = states::next_task_status(on.task.status, TaskEvent::Resume(to))?;
    let updated = write_status(&txn, caller, &on, status, |model| {
        model.suspended_from = Set(None);
        model.state_reason = Set(None);
    })
    .await?;
    audit::commit(txn, caller, audit::Operation::ResumeTask).await?;
    Ok(updated)
}

/// A closed task (approved, archived) leaves nothing waiting on it: urgings nobody answered are
/// closed (not answered), an extension request nobody decided is CLOSED; the timeline says so.
async fn close_what_waits(db: &impl ConnectionTrait, caller: &Caller, task_id: i32) -> AppResult<()> {
    let now = caller.now();
    let open = urging::Entity::find()
        .filter(urging::Column::TaskId.eq(task_id))
        .filter(urging::Column::AnsweredAt.is_null())
        .filter(urging::Column::ClosedAt.is_null())
        .all(db)
        .await?;
    for urging in open {
        let mut model: urging::ActiveModel = urging.clone().into();
        model.closed_at = Set(Some(now));
        let closed = model.update(db).await?;
        audit::updated(caller, &urging, &closed);
    }
    let pending = extension_request::Entity::find()
        .filter(extension_request::Column::TaskId.eq(task_id))
        .filter(extension_request::Column::Status.eq(ExtensionStatus::Pending))
        .all(db)
        .await?;
    for request in pending {
        let mut model: extension_request::ActiveModel = request.clone().into();
        model.status = Set(ExtensionStatus::Closed);
        model.decided_at = Set(Some(now));
        let closed = model.update(db).await?;
        audit::updated(caller, &request, &closed);
    }
    Ok(())
}

/// Writes the new status (and what `also` sets) at the version loaded.
async fn write_status(
    db: &impl ConnectionTrait,
    caller: &Caller,
    on: &OnTask,
    status: TaskStatus,
    also: impl FnOnce(&mut task::ActiveModel),
) -> AppResult<task::Model> {
    let mut model: task::ActiveModel = on.task.clone().into();
    model.status = Set(status);
    also(&mut model);
    tasks::bump_version(db, caller, &on.task, model, on.task.version).await
}

async fn pending_report(db: &impl ConnectionTrait, task_id: i32) -> AppResult<completion_report::Model> {
    completion_report::Entity::find()
        .filter(completion_report::Column::TaskId.eq(task_id))
        .filter(completion_report::Column::Decision.eq(CompletionDecision::Pending))
        .order_by_desc(completion_report::Column::Id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::InvalidState("the task has no completion report waiting for review".into()))
}

/// Refuses while a leader's instruction on the task has no response.
async fn ensure_instructions_answered(db: &impl ConnectionTrait, task_id: i32) -> AppResult<()> {
    let answered = Query::select()
        .column(instruction_response::Column::InstructionId)
        .from(instruction_response::Entity)
        .to_owned();
    let open = instruction::Entity::find()
        .filter(instruction::Column::TaskId.eq(task_id))
        .filter(instruction::Column::Id.not_in_subquery(answered))
        .count(db)
        .await?;
    if open > 0 {
        return Err(AppError::InvalidState(
            "a leader's instruction on this task waits for the lead unit's response".into(),
        ));
    }
    Ok(())
}

async fn set_part(
    db: &impl ConnectionTrait,
    caller: &Caller,
    task: &task::Model,
    part: assignment::Model,
    state: AssignmentState,
) -> AppResult<()> {
    let mut model: assignment::ActiveModel = part.clone().into();
    if state == AssignmentState::Done {
        model.done_at = Set(Some(caller.now()));
    }
    model.state = Set(state);
    let mut after = model.update(db).await?;
    if state == AssignmentState::Done {
        after = periods::apply(db, &after, task, |ledger| ledger.close(caller.today())).await?.0;
    }
    audit::updated(caller, &part, &after);
    Ok(())
}

async fn finish_all_parts(db: &impl ConnectionTrait, caller: &Caller, on: &OnTask) -> AppResult<()> {
    for (part, _) in &on.parts {
        let state = states::next_part_state(part.state, PartEvent::TaskCompleted)?;
        if part.state != state {
            set_part(db, caller, &on.task, part.clone(), state).await?;
        }
    }
    Ok(())
}

/// The lead's part is open again: for a returned or withdrawn task its next period counts from
/// today; for an approved task whose work goes on (`past_deadline`) it owes the cadence's next
/// period, the deadline being met.
async fn reopen_leads(db: &impl ConnectionTrait, caller: &Caller, on: &OnTask, past_deadline: bool) -> AppResult<()> {
    let today = caller.today();
    for lead in on.leads() {
        let Some(part) = on.part_of(lead).cloned() else { continue };
        let state = states::next_part_state(part.state, PartEvent::Reopen)?;
        let mut model: assignment::ActiveModel = part.clone().into();
        model.state = Set(state);
        model.done_at = Set(None);
        let reopened = model.update(db).await?;
        let (after, _) = periods::apply(db, &reopened, &on.task, |ledger| {
            if past_deadline { ledger.reopen_past_deadline(today) } else { ledger.reopen(today) }
        })
        .await?;
        audit::updated(caller, &part, &after);
    }
    Ok(())
}

/// The completion reports of tasks the caller has seen, newest first.
pub async fn of_tasks(
    db: &impl ConnectionTrait,
    caller: &Caller,
    task_ids: &[i32],
) -> AppResult<Vec<completion_report::Model>> {
    rules::signed_in(&caller.viewer)?;
    Ok(completion_report::Entity::find()
        .filter(completion_report::Column::TaskId.is_in(task_ids.to_vec()))
        .order_by_desc(completion_report::Column::Id)
        .all(db)
        .await?)
}
