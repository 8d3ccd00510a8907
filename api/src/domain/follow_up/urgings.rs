//! Urging (催办): the office or a leader sends a notice to units of a task (text, optional
//! reply-by date), or to the lead units of every overdue task in one go; the urged unit reads
//! it and answers with what it is doing. Urgings are between the office and the urged unit: no
//! other unit sees them.

use super::on_task;
use super::states;
use crate::domain::Caller;
use crate::domain::audit;
use crate::domain::evidence;
use crate::domain::tasks::{self, TaskFilter};
use crate::domain::text::required_text;
use crate::error::{AppError, AppResult};
use crate::policy::follow_up::{self as may, UnitItems};
use crate::policy::rules;
use chrono::NaiveDate;
use entity::EvidenceTarget;
use entity::{AssignmentRole, DepartmentKind, assignment, department, urging};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};

/// Whom to urge.
#[derive(Debug, Clone)]
pub enum Targets {
    /// These units of these tasks (the tasks' lead units when `units` is empty).
    Tasks { task_ids: Vec<i32>, units: Vec<i32> },
    /// The lead units of every overdue open task (of one plan, when given).
    Overdue { document_id: Option<i32> },
    /// Each unit of each task on the office's list of what to urge (待催办), once.
    Worklist(super::worklist::UrgeFilter),
    /// These (task, unit) pairs: a selection of that list, or any units on open tasks.
    Pairs(Vec<(i32, i32)>),
}

/// An urging being sent.
#[derive(Debug, Clone)]
pub struct NewUrging {
    pub targets: Targets,
    pub text: String,
    pub reply_by: Option<NaiveDate>,
}

/// Most urgings one call sends.
const MAX_URGINGS: usize = 2_000;

/// Sends urgings, all or none (one transaction). Each target unit must be a UNIT on the task.
pub async fn urge(db: &impl TransactionTrait, caller: &Caller, new: NewUrging) -> AppResult<Vec<urging::Model>> {
    let principal = rules::account(&caller.viewer)?;
    may::may_urge(principal)?;
    let text = required_text(&new.text, "text")?;
    if new.reply_by.is_some_and(|d| d < caller.today()) {
        return Err(AppError::bad_input("replyBy lies in the past"));
    }
    let txn = audit::begin(db, caller).await?;
    let pairs = match new.targets {
        Targets::Tasks { task_ids, units } => named_targets(&txn, caller, &task_ids, &units).await?,
        Targets::Overdue { document_id } => overdue_leads(&txn, caller, document_id).await?,
        Targets::Worklist(filter) => {
            let mut pairs: Vec<(i32, i32)> = super::worklist::urge_list(&txn, caller, &filter)
                .await?
                .into_iter()
                .map(|item| (item.task_id, item.unit_id))
                .collect();
            pairs.sort_unstable();
            pairs.dedup();
            pairs
        }
        Targets::Pairs(pairs) => chosen_pairs(&txn, caller, pairs).await?,
    };
    if pairs.is_empty() {
        return Err(AppError::bad_input("no unit to urge"));
    }
    if pairs.len() > MAX_URGINGS {
        return Err(AppError::bad_input(format!("at most {MAX_URGINGS} urgings at a time")));
    }
    let rows = pairs.iter().map(|(task_id, unit)| urging::ActiveModel {
        task_id: Set(*task_id),
        department_id: Set(*unit),
        sent_by: Set(principal.user_id),
        text: Set(text.clone()),
        reply_by: Set(new.reply_by),
        created_at: Set(caller.now()),
        ..Default::default()
    });
    let mut sent = Vec::with_capacity(pairs.len());
    for chunk in rows.collect::<Vec<_>>().chunks(500) {
        sent.extend(urging::Entity::insert_many(chunk.to_vec()).exec_with_returning(&txn).await?);
    }
    for urging in &sent {
        audit::created(caller, urging);
    }
    audit::commit(txn, caller, audit::Operation::Urge).await?;
    sent.sort_by_key(|u| u.id);
    Ok(sent)
}

/// (task, unit) pairs for named tasks: the named units, or each task's lead units.
async fn named_targets(
    db: &impl ConnectionTrait,
    caller: &Caller,
    task_ids: &[i32],
    units: &[i32],
) -> AppResult<Vec<(i32, i32)>> {
    let mut pairs = Vec::new();
    for &task_id in task_ids {
        let on = on_task::load(db, caller, task_id).await?;
        if !states::is_open(on.task.status) {
            return Err(AppError::InvalidState(format!("task {task_id} (No. {}) is not open work", on.task.seq)));
        }
        let tracked = |(a, kind): &&(assignment::Model, DepartmentKind)| {
            *kind == DepartmentKind::Unit && a.state != entity::AssignmentState::Done
        };
        let chosen: Vec<i32> = if units.is_empty() {
            on.parts
                .iter()
                .filter(tracked)
                .filter(|(a, _)| a.role == AssignmentRole::Lead)
                .map(|(a, _)| a.department_id)
                .collect()
        } else {
            for unit in units {
                if !on.parts.iter().filter(tracked).any(|(a, _)| a.department_id == *unit) {
                    let name = department::Entity::find_by_id(*unit).one(db).await?.map(|d| d.name);
                    let who = name.unwrap_or_else(|| format!("department {unit}"));
                    return Err(AppError::bad_input(format!(
                        "{who} is not working on task {task_id} (No. {} of its plan)",
                        on.task.seq
                    )));
                }
            }
            units.to_vec()
        };
        pairs.extend(chosen.into_iter().map(|unit| (task_id, unit)));
    }
    Ok(pairs)
}

/// The pairs asked for, each checked as [`named_targets`] checks a task's units; a pair named
/// twice is urged once.
async fn chosen_pairs(
    db: &impl ConnectionTrait,
    caller: &Caller,
    mut pairs: Vec<(i32, i32)>,
) -> AppResult<Vec<(i32, i32)>> {
    pairs.sort_unstable();
    pairs.dedup();
    // Refused before any task is looked at: the count bounds the work, not only the writes.
    if pairs.len() > MAX_URGINGS {
        return Err(AppError::bad_input(format!("at most {MAX_URGINGS} urgings at a time")));
    }
    let mut by_task: std::collections::BTreeMap<i32, Vec<i32>> = std::collections::BTreeMap::new();
    for (task_id, unit) in pairs {
        by_task.entry(task_id).or_default().push(unit);
    }
    let mut checked = Vec::new();
    for (task_id, units) in by_task {
        checked.extend(named_targets(db, caller, &[task_id], &units).await?);
    }
    Ok(checked)
}

/// (task, lead unit) of every overdue open task the caller sees.
async fn overdue_leads(
    db: &impl ConnectionTrait,
    caller: &Caller,
    document_id: Option<i32>,
) -> AppResult<Vec<(i32, i32)>> {
    let filter = TaskFilter { document_id, overdue: Some(true), ..Default::default() };
    let overdue = tasks::filtered_ids(db, caller, &filter).await?;
    let mut pairs: Vec<(i32, i32)> = Vec::new();
    for ids in overdue.chunks(1000) {
        let leads = assignment::Entity::find()
            .select_only()
            .column(assignment::Column::TaskId)
            .column(assignment::Column::DepartmentId)
            .inner_join(department::Entity)
            .filter(assignment::Column::TaskId.is_in(ids.to_vec()))
            .filter(assignment::Column::Role.eq(AssignmentRole::Lead))
            .filter(department::Column::Kind.eq(DepartmentKind::Unit))
            .order_by_asc(assignment::Column::TaskId)
            .into_tuple::<(i32, i32)>()
            .all(db)
            .await?;
        pairs.extend(leads);
    }
    Ok(pairs)
}

/// The urged unit marks an urging read (once; later calls keep the first time).
pub async fn mark_read(db: &impl TransactionTrait, caller: &Caller, urging_id: i32) -> AppResult<urging::Model> {
    let txn = audit::begin(db, caller).await?;
    let urging = own_urging(&txn, caller, urging_id).await?;
    if urging.read_at.is_some() {
        return Ok(urging);
    }
    let mut model: urging::ActiveModel = urging.clone().into();
    model.read_at = Set(Some(caller.now()));
    let read = model.update(&txn).await?;
    audit::updated(caller, &urging, &read);
    audit::commit(txn, caller, audit::Operation::MarkUrgingRead).await?;
    Ok(read)
}

/// The urged unit answers with what it is doing (reading it, if not read yet).
pub async fn answer(
    db: &impl TransactionTrait,
    caller: &Caller,
    urging_id: i32,
    text: &str,
    backing: &evidence::Backing,
) -> AppResult<urging::Model> {
    let text = required_text(text, "text")?;
    let txn = audit::begin(db, caller).await?;
    let urging = own_urging(&txn, caller, urging_id).await?;
    if urging.answered_at.is_some() {
        return Err(AppError::InvalidState("the urging was answered already".into()));
    }
    if urging.closed_at.is_some() {
        return Err(AppError::InvalidState("the urging was closed with its task; nothing is left to answer".into()));
    }
    let mut model: urging::ActiveModel = urging.clone().into();
    model.answer = Set(Some(text));
    model.answered_at = Set(Some(caller.now()));
    model.answered_by = Set(caller.viewer.principal().map(|p| p.user_id));
    if urging.read_at.is_none() {
        model.read_at = Set(Some(caller.now()));
    }
    let answered = model.update(&txn).await?;
    audit::updated(caller, &urging, &answered);
    let target = evidence::Target {
        kind: EvidenceTarget::UrgingAnswer,
        id: answered.id,
        task_id: answered.task_id,
        unit: answered.department_id,
    };
    evidence::attach(&txn, caller, backing, target).await?;
    audit::commit(txn, caller, audit::Operation::AnswerUrging).await?;
    Ok(answered)
}

/// An urging addressed to the caller's own unit, or NOT_FOUND (another unit's urging is none
/// of its business, not even to know it exists).
async fn own_urging(db: &impl ConnectionTrait, caller: &Caller, urging_id: i32) -> AppResult<urging::Model> {
    let principal = rules::account(&caller.viewer)?;
    let urging = urging::Entity::find_by_id(urging_id).one(db).await?.ok_or(AppError::NotFound("urging"))?;
    match may::visible_urgings(&caller.viewer) {
        UnitItems::Of(units) if units.contains(&urging.department_id) => Ok(urging),
        UnitItems::Of(_) => Err(AppError::NotFound("urging")),
        UnitItems::All if principal.is_unit_scoped() => Err(AppError::NotFound("urging")),
        UnitItems::All => Err(AppError::Forbidden("only the urged unit answers an urging")),
    }
}

/// The urgings of tasks the caller has seen, as far as it may see them, newest first.
pub async fn of_tasks(db: &impl ConnectionTrait, caller: &Caller, task_ids: &[i32]) -> AppResult<Vec<urging::Model>> {
    rules::signed_in(&caller.viewer)?;
    let mut query = urging::Entity::find().filter(urging::Column::TaskId.is_in(task_ids.to_vec()));
    if let UnitItems::Of(units) = may::visible_urgings(&caller.viewer) {
        query = query.filter(urging::Column::DepartmentId.is_in(units));
    }
    Ok(query.order_by_desc(urging::Column::Id).all(db).await?)
}
