//! Leaders' instructions (领导批示): a leader (or the office, writing it down) instructs on a
//! task; the lead unit responds with what it did (落实情况). Instructions and responses form a
//! thread on the task that everyone who sees the task may read.

use super::on_task;
use crate::domain::Caller;
use crate::domain::audit;
use crate::domain::evidence;
use crate::domain::text::required_text;
use crate::error::{AppError, AppResult};
use crate::policy::{follow_up as may, rules};
use entity::EvidenceTarget;
use entity::{TaskStatus, instruction, instruction_response};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

/// A leader instructs on a task.
pub async fn instruct(
    db: &impl TransactionTrait,
    caller: &Caller,
    task_id: i32,
    text: &str,
) -> AppResult<instruction::Model> {
    let principal = rules::account(&caller.viewer)?;
    may::may_instruct(principal)?;
    let text = required_text(text, "text")?;
    let txn = audit::begin(db, caller).await?;
    let on = on_task::load(&txn, caller, task_id).await?;
    if on.task.status == TaskStatus::Archived {
        return Err(AppError::InvalidState("the task is archived".into()));
    }
    let written = instruction::ActiveModel {
        task_id: Set(task_id),
        author_id: Set(principal.user_id),
        text: Set(text),
        created_at: Set(caller.now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::created(caller, &written);
    audit::commit(txn, caller, audit::Operation::Instruct).await?;
    Ok(written)
}

/// The lead unit responds to an instruction on its task.
pub async fn respond(
    db: &impl TransactionTrait,
    caller: &Caller,
    instruction_id: i32,
    text: &str,
    backing: &evidence::Backing,
) -> AppResult<instruction_response::Model> {
    let principal = rules::account(&caller.viewer)?;
    let text = required_text(text, "text")?;
    let txn = audit::begin(db, caller).await?;
    let instruction =
        instruction::Entity::find_by_id(instruction_id).one(&txn).await?.ok_or(AppError::NotFound("instruction"))?;
    let on = on_task::load(&txn, caller, instruction.task_id).await.map_err(|e| match e {
        AppError::NotFound(_) => AppError::NotFound("instruction"),
        other => other,
    })?;
    let unit = may::lead_place(principal, on.own_role())?;
    let response = instruction_response::ActiveModel {
        instruction_id: Set(instruction_id),
        department_id: Set(unit),
        author_id: Set(principal.user_id),
        text: Set(text),
        created_at: Set(caller.now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    caller.record(audit::instruction_response(&response, instruction.task_id));
    let target = evidence::Target {
        kind: EvidenceTarget::InstructionResponse,
        id: response.id,
        task_id: instruction.task_id,
        unit,
    };
    evidence::attach(&txn, caller, backing, target).await?;
    audit::commit(txn, caller, audit::Operation::RespondToInstruction).await?;
    Ok(response)
}

/// The instructions of tasks the caller has seen, with their responses, oldest first.
pub async fn of_tasks(
    db: &impl ConnectionTrait,
    caller: &Caller,
    task_ids: &[i32],
) -> AppResult<Vec<(instruction::Model, Vec<instruction_response::Model>)>> {
    rules::signed_in(&caller.viewer)?;
    Ok(instruction::Entity::find()
        .filter(instruction::Column::TaskId.is_in(task_ids.to_vec()))
        .order_by_asc(instruction::Column::Id)
        .find_with_related(instruction_response::Entity)
        .all(db)
        .await?)
}
