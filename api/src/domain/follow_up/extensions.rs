//! Extension requests (延期申请): the lead unit asks before the due date, with the reason, the
//! progress so far and a proposed date; the office approves (possibly with another date) or
//! rejects, with a comment. Approval moves the due date (kept in the due date history); the
//! original due date stays for statistics. One open request per task at a time.

use super::on_task;
use super::{due_dates, states};
use crate::domain::Caller;
use crate::domain::audit;
use crate::domain::tasks;
use crate::domain::text::required_text;
use crate::error::{AppError, AppResult};
use crate::policy::{follow_up as may, rules};
use chrono::NaiveDate;
use entity::{DueDateCause, ExtensionStatus, extension_request, task};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

/// What the lead unit asks for.
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub reason: String,
    pub progress: String,
    pub proposed_due: NaiveDate,
}

/// The lead unit asks to move the task's due date.
pub async fn request(
    db: &impl TransactionTrait,
    caller: &Caller,
    task_id: i32,
    new: NewRequest,
) -> AppResult<extension_request::Model> {
    let principal = rules::account(&caller.viewer)?;
    let reason = required_text(&new.reason, "reason")?;
    let progress = required_text(&new.progress, "progress")?;
    let txn = audit::begin(db, caller).await?;
    let on = on_task::load(&txn, caller, task_id).await?;
    let unit = may::lead_place(principal, on.own_role())?;
    if !states::is_open(on.task.status) {
        return Err(AppError::InvalidState("only open work can be extended".into()));
    }
    let due = on.task.due_date.ok_or_else(|| AppError::InvalidState("the task has no due date to extend".into()))?;
    if caller.today() > due {
        return Err(AppError::InvalidState("an extension is asked for before the due date, not after it".into()));
    }
    if new.proposed_due <= due {
        return Err(AppError::bad_input("the proposed date must come after the current due date"));
    }
    if open_request(&txn, task_id).await? > 0 {
        return Err(AppError::Conflict("the task already has an extension request waiting for a decision".into()));
    }
    let request = extension_request::ActiveModel {
        task_id: Set(task_id),
        department_id: Set(unit),
        requested_by: Set(principal.user_id),
        reason: Set(reason),
        progress: Set(progress),
        current_due: Set(Some(due)),
        proposed_due: Set(new.proposed_due),
        status: Set(ExtensionStatus::Pending),
        created_at: Set(caller.now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::created(caller, &request);
    audit::commit(txn, caller, audit::Operation::RequestExtension).await?;
    Ok(request)
}

async fn open_request(db: &impl ConnectionTrait, task_id: i32) -> AppResult<u64> {
    Ok(extension_request::Entity::find()
        .filter(extension_request::Column::TaskId.eq(task_id))
        .filter(extension_request::Column::Status.eq(ExtensionStatus::Pending))
        .count(db)
        .await?)
}

/// The office's decision.
#[derive(Debug, Clone)]
pub struct Decision {
    pub approve: bool,
    /// The new due date of an approval; the proposed one when omitted.
    pub new_due: Option<NaiveDate>,
    /// Required for a rejection.
    pub comment: Option<String>,
}

/// The office decides a pending request; an approval moves the task's due date.
pub async fn decide(
    db: &impl TransactionTrait,
    caller: &Caller,
    request_id: i32,
    decision: Decision,
) -> AppResult<(extension_request::Model, task::Model)> {
    rules::admin(&caller.viewer)?;
    let comment = decision.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned);
    if !decision.approve && comment.is_none() {
        return Err(AppError::bad_input("a rejection says why (comment)"));
    }
    let txn = audit::begin(db, caller).await?;
    let request = extension_request::Entity::find_by_id(request_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("extension request"))?;
    if request.status != ExtensionStatus::Pending {
        return Err(AppError::InvalidState("the request was decided already".into()));
    }
    let task = tasks::get(&txn, caller, request.task_id).await?.ok_or(AppError::NotFound("task"))?;
    let new_due = decision.new_due.unwrap_or(request.proposed_due);
    let mut model: extension_request::ActiveModel = request.clone().into();
    model.status = Set(if decision.approve { ExtensionStatus::Approved } else { ExtensionStatus::Rejected });
    model.decided_by = Set(caller.viewer.principal().map(|p| p.user_id));
    model.decided_at = Set(Some(caller.now()));
    model.comment = Set(comment);
    let task = if decision.approve {
        if new_due < caller.today() || task.due_date.is_some_and(|d| new_due <= d) {
            return Err(AppError::bad_input(
                "the new due date must come after the current one and not lie in the past",
            ));
        }
        model.decided_due = Set(Some(new_due));
        let version = task.version;
        let moved =
            due_dates::change(&txn, caller, &task, Some(new_due), DueDateCause::Extension, Some(request.id)).await?;
        tasks::bump_version(&txn, caller, &task, moved, version).await?
    } else {
        task
    };
    let decided = model.update(&txn).await?;
    audit::updated(caller, &request, &decided);
    audit::commit(txn, caller, audit::Operation::DecideExtension).await?;
    Ok((decided, task))
}

/// The extension requests of tasks the caller has seen, newest first.
pub async fn of_tasks(
    db: &impl ConnectionTrait,
    caller: &Caller,
    task_ids: &[i32],
) -> AppResult<Vec<extension_request::Model>> {
    rules::signed_in(&caller.viewer)?;
    Ok(extension_request::Entity::find()
        .filter(extension_request::Column::TaskId.is_in(task_ids.to_vec()))
        .order_by_desc(extension_request::Column::Id)
        .all(db)
        .await?)
}
