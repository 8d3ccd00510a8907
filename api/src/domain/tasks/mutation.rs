//! Admin writes on tasks and their assignments. Each is one transaction; a stale version or
//! invalid input changes nothing.

use crate::domain::Caller;
use crate::domain::audit;
use crate::domain::follow_up::due_dates;
use crate::domain::follow_up::parts::{self, NewPart, PartPlanner};
use crate::domain::text::required_text;
use crate::error::{AppError, AppResult};
use crate::policy::rules;
use entity::{
    AssignmentRole, AssignmentState, DueDateCause, ScheduleKind, TaskStatus, assignment, department, document, task,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set, TransactionTrait,
};
use std::collections::HashSet;

/// A task's schedule, as written and as understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleFields {
    pub text: String,
    pub kind: ScheduleKind,
    pub due_date: Option<chrono::NaiveDate>,
    pub ongoing: bool,
    pub waiting_for: Option<String>,
    pub offset_months: Option<i32>,
    pub offset_days: Option<i32>,
    /// Earlier dates of a schedule naming several; the last is `due_date`.
    pub milestones: Vec<chrono::NaiveDate>,
    /// When ongoing work starts (`2023年起`).
    pub starts_on: Option<chrono::NaiveDate>,
    /// The importer took the year from the plan; a schedule set by hand is never inferred.
    pub year_inferred: bool,
}

/// Fields of a new task.
#[derive(Debug, Clone)]
pub struct NewTask {
    pub document_id: i32,
    pub seq: i32,
    pub title: String,
    pub measures: String,
    pub schedule: ScheduleFields,
    pub outline: Outline,
}

/// What a plan says about a task beyond its columns (see `entity::task`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// The plan's numbering as written; the seq when `None`.
    pub number: Option<String>,
    /// The seq of the task this one is a sub-measure of, in the same plan.
    pub parent_seq: Option<i32>,
    pub leader: Option<String>,
    pub schedule_source: Option<entity::ScheduleSource>,
    pub units_not_exhaustive: bool,
}

/// Changes to a task; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct TaskChanges {
    pub seq: Option<i32>,
    pub title: Option<String>,
    pub measures: Option<String>,
    pub schedule: Option<ScheduleFields>,
    /// Only the current status is taken (the loop's verbs change it).
    pub status: Option<TaskStatus>,
}

/// Units of a task in plan order; leads and supporting units may interleave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentSpec {
    pub department_id: i32,
    pub role: AssignmentRole,
}

/// Creates a task (admins; no assignments yet) after checking its document and seq.
pub async fn create(db: &impl TransactionTrait, caller: &Caller, new: NewTask) -> AppResult<task::Model> {
    rules::admin(&caller.viewer)?;
    let txn = audit::begin(db, caller).await?;
    let model = insert(&txn, caller, new).await?;
    audit::commit(txn, caller, audit::Operation::CreateTask).await?;
    Ok(model)
}

/// Inserts one task inside the caller's transaction (admins).
pub async fn insert(db: &impl ConnectionTrait, caller: &Caller, new: NewTask) -> AppResult<task::Model> {
    rules::admin(&caller.viewer)?;
    let title = required_text(&new.title, "title")?;
    let document =
        document::Entity::find_by_id(new.document_id).one(db).await?.ok_or(AppError::NotFound("document"))?;
    ensure_seq_free(db, new.document_id, new.seq, None).await?;
    let parent = match new.outline.parent_seq {
        Some(seq) => Some(task_at(db, new.document_id, seq).await?.id),
        None => None,
    };
    let mut model = new_row(caller, &document, NewTask { title, ..new });
    model.parent_id = Set(parent);
    let created = model.insert(db).await?;
    audit::created(caller, &created);
    Ok(created)
}

/// The row of a new task of `document`: handed out today, the day its units get their parts
/// (one clock for sign-off, pace and cadence: a plan imported days after its issue, or a task
/// added to an old plan, is not behind on the day it arrives); its original due date its first
/// one.
fn new_row(caller: &Caller, document: &document::Model, new: NewTask) -> task::ActiveModel {
    let now = caller.now();
    let mut model = task::ActiveModel {
        document_id: Set(document.id),
        seq: Set(new.seq),
        title: Set(new.title.trim().to_owned()),
        measures: Set(new.measures.trim().to_owned()),
        status: Set(TaskStatus::NotStarted),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        assigned_on: Set(Some(caller.today())),
        original_due_date: Set(new.schedule.due_date),
        number: Set(Some(new.outline.number.clone().unwrap_or_else(|| new.seq.to_string()))),
        leader: Set(new.outline.leader.clone()),
        schedule_source: Set(new.outline.schedule_source),
        units_not_exhaustive: Set(new.outline.units_not_exhaustive),
        ..Default::default()
    };
    apply_schedule(&mut model, new.schedule);
    model
}

/// The task numbered `seq` in a plan, or BAD_USER_INPUT.
async fn task_at(db: &impl ConnectionTrait, document_id: i32, seq: i32) -> AppResult<task::Model> {
    task::Entity::find()
        .filter(task::Column::DocumentId.eq(document_id))
        .filter(task::Column::Seq.eq(seq))
        .one(db)
        .await?
        .ok_or_else(|| AppError::bad_input(format!("the plan has no task numbered {seq} to be a parent")))
}

/// Inserts the tasks of a new document in bulk (admins; the importer's path): titles and
/// seqs are checked against each other, the document is the caller's fresh one. Returns the
/// tasks in the order given.
pub async fn insert_batch(
    db: &impl ConnectionTrait,
    caller: &Caller,
    document: &document::Model,
    new: Vec<NewTask>,
) -> AppResult<Vec<task::Model>> {
    rules::admin(&caller.viewer)?;
    let mut seqs = HashSet::new();
    for task in &new {
        required_text(&task.title, "title")
            .map_err(|e| AppError::bad_input(format!("task numbered {}: {e}", task.seq)))?;
        if task.seq < 1 || !seqs.insert(task.seq) {
            return Err(AppError::bad_input(format!("the plan has a second task numbered {}", task.seq)));
        }
    }
    let parents: Vec<(i32, i32)> = new.iter().filter_map(|t| Some((t.seq, t.outline.parent_seq?))).collect();
    if let Some((seq, parent)) = parents.iter().find(|(_, parent)| !seqs.contains(parent)) {
        return Err(AppError::bad_input(format!("task {seq} names a parent {parent} the plan does not have")));
    }
    let rows: Vec<task::ActiveModel> = new.into_iter().map(|t| new_row(caller, document, t)).collect();
    let position: std::collections::HashMap<i32, usize> =
        rows.iter().enumerate().map(|(i, r)| (*r.seq.as_ref(), i)).collect();
    let mut inserted = Vec::with_capacity(rows.len());
    for chunk in chunked(rows, BULK_ROWS) {
        inserted.extend(task::Entity::insert_many(chunk).exec_with_returning(db).await?);
    }
    // RETURNING order is not promised by SQL: put the rows back in the order given.
    inserted.sort_by_key(|t| position.get(&t.seq).copied());
    link_parents(db, &mut inserted, &parents).await?;
    for task in &inserted {
        audit::created(caller, task);
    }
    Ok(inserted)
}

/// Points each sub-measure at its parent, now that both have ids.
async fn link_parents(db: &impl ConnectionTrait, tasks: &mut [task::Model], parents: &[(i32, i32)]) -> AppResult<()> {
    let ids: std::collections::HashMap<i32, i32> = tasks.iter().map(|t| (t.seq, t.id)).collect();
    for (seq, parent) in parents {
        let (Some(id), Some(parent_id)) = (ids.get(seq), ids.get(parent)) else { continue };
        task::Entity::update_many()
            .col_expr(task::Column::ParentId, sea_orm::sea_query::Expr::value(*parent_id))
            .filter(task::Column::Id.eq(*id))
            .exec(db)
            .await?;
        if let Some(task) = tasks.iter_mut().find(|t| t.id == *id) {
            task.parent_id = Some(*parent_id);
        }
    }
    Ok(())
}

/// Inserts the assignments of fresh tasks in bulk (admins): `(task, units in plan order)`.
pub async fn insert_assignments<'a>(
    db: &impl ConnectionTrait,
    caller: &Caller,
    tasks: impl Iterator<Item = (&'a task::Model, &'a [AssignmentSpec])>,
) -> AppResult<()> {
    rules::admin(&caller.viewer)?;
    let tasks: Vec<(&task::Model, &[AssignmentSpec])> = tasks.collect();
    let planner = PartPlanner::new(db, caller.today()).await?;
    let documents = documents_of(db, tasks.iter().map(|(t, _)| t.document_id)).await?;
    let mut rows = Vec::new();
    for (task, units) in &tasks {
        let part = planner.plan(task, parts::rule_of(task, documents.get(&task.document_id)));
        rows.extend(units.iter().enumerate().map(|(i, u)| assignment_row(task, u, i + 1, part)));
    }
    for chunk in chunked(rows, BULK_ROWS) {
        for created in assignment::Entity::insert_many(chunk).exec_with_returning(db).await? {
            audit::created(caller, &created);
        }
    }
    let task_ids: Vec<i32> = tasks.iter().map(|(t, _)| t.id).collect();
    crate::domain::follow_up::periods::open_first(db, &task_ids).await?;
    crate::domain::follow_up::members::follow_tasks(db, caller, &task_ids).await
}

async fn documents_of(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = i32>,
) -> AppResult<std::collections::HashMap<i32, document::Model>> {
    let mut ids: Vec<i32> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    let rows = document::Entity::find().filter(document::Column::Id.is_in(ids)).all(db).await?;
    Ok(rows.into_iter().map(|d| (d.id, d)).collect())
}

/// The row of a unit newly on a task, at `position` (from 1). It carries the task's place
/// `(document_id, seq)`, which the database keeps current when the task is renumbered, and the
/// start of the unit's part: handed out today, its sign-off and first report due dates.
fn assignment_row(
    task: &task::Model,
    unit: &AssignmentSpec,
    position: usize,
    part: NewPart,
) -> assignment::ActiveModel {
    assignment::ActiveModel {
        task_id: Set(task.id),
        department_id: Set(unit.department_id),
        role: Set(unit.role),
        position: Set(position as i32),
        task_document_id: Set(task.document_id),
        task_seq: Set(task.seq),
        state: Set(AssignmentState::Assigned),
        assigned_on: Set(Some(part.assigned_on)),
        sign_due: Set(Some(part.sign_due)),
        next_report_due: Set(part.next_report_due),
        last_report_late: Set(false),
        ..Default::default()
    }
}

/// Rows per bulk INSERT: well under PostgreSQL's 65,535 bind parameters.
const BULK_ROWS: usize = 1000;

fn chunked<T>(rows: Vec<T>, size: usize) -> Vec<Vec<T>> {
    let mut chunks = Vec::new();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        chunks.push(rows.by_ref().take(size).collect());
    }
    chunks
}

/// Updates a task (admins) if `expected_version` is current; otherwise `CONFLICT` and nothing
/// changes.
pub async fn update(
    db: &impl TransactionTrait,
    caller: &Caller,
    id: i32,
    expected_version: i32,
    changes: TaskChanges,
) -> AppResult<task::Model> {
    rules::admin(&caller.viewer)?;
    let txn = audit::begin(db, caller).await?;
    let current = task::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound("task"))?;
    let mut model: task::ActiveModel = current.clone().into();
    if let Some(seq) = changes.seq {
        ensure_seq_free(&txn, current.document_id, seq, Some(id)).await?;
        model.seq = Set(seq);
    }
    if let Some(title) = changes.title {
        model.title = Set(required_text(&title, "title")?);
    }
    if let Some(measures) = changes.measures {
        model.measures = Set(measures.trim().to_owned());
    }
    if let Some(schedule) = changes.schedule {
        let moved = due_dates::change(&txn, caller, &current, schedule.due_date, DueDateCause::Edit, None).await?;
        model.due_date = moved.due_date;
        model.original_due_date = moved.original_due_date;
        apply_schedule(&mut model, schedule);
    }
    if changes.status.is_some_and(|s| s != current.status) {
        return Err(AppError::InvalidState(
            "a task's status changes through the follow-up verbs (submitCompletion, reviewCompletion, …)".into(),
        ));
    }
    let updated = bump_version(&txn, caller, &current, model, expected_version).await?;
    audit::commit(txn, caller, audit::Operation::UpdateTask).await?;
    Ok(updated)
}

/// Writes `model` only if the stored version still equals `expected`, and bumps it: the
/// compare-and-set happens in the UPDATE's WHERE clause, so two racing writers cannot both win.
pub(in crate::domain) async fn bump_version(
    db: &impl ConnectionTrait,
    caller: &Caller,
    before: &task::Model,
    mut model: task::ActiveModel,
    expected: i32,
) -> AppResult<task::Model> {
    let id = *model.id.as_ref();
    model.version = Set(expected + 1);
    model.updated_at = Set(caller.now());
    let result = task::Entity::update_many()
        .set(model)
        .filter(task::Column::Id.eq(id))
        .filter(task::Column::Version.eq(expected))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::Conflict("the task was changed by someone else; reload it and retry".into()));
    }
    let after = task::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound("task"))?;
    audit::updated(caller, before, &after);
    Ok(after)
}

/// Deletes a task with its assignments and reports (admins).
pub async fn delete(db: &impl TransactionTrait, caller: &Caller, id: i32) -> AppResult<()> {
    rules::admin(&caller.viewer)?;
    let txn = audit::begin(db, caller).await?;
    let task = task::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound("task"))?;
    task::Entity::delete_by_id(id).exec(&txn).await?;
    audit::deleted(caller, &task);
    audit::commit(txn, caller, audit::Operation::DeleteTask).await?;
    Ok(())
}

/// Replaces a task's assignments with `units`, in order (admins).
pub async fn set_assignments(
    db: &impl TransactionTrait,
    caller: &Caller,
    task_id: i32,
    units: &[AssignmentSpec],
) -> AppResult<task::Model> {
    rules::admin(&caller.viewer)?;
    let txn = audit::begin(db, caller).await?;
    let task = task::Entity::find_by_id(task_id).one(&txn).await?.ok_or(AppError::NotFound("task"))?;
    replace_assignments(&txn, caller, &task, units).await?;
    audit::commit(txn, caller, audit::Operation::SetTaskAssignments).await?;
    Ok(task)
}

/// Replaces assignments inside the caller's transaction. Units that stay keep their part
/// (signed, reported) with their new role and position; removed units leave; new units start.
async fn replace_assignments(
    db: &impl ConnectionTrait,
    caller: &Caller,
    task: &task::Model,
    units: &[AssignmentSpec],
) -> AppResult<()> {
    let mut seen = HashSet::new();
    if let Some(dup) = units.iter().find(|u| !seen.insert(u.department_id)) {
        return Err(AppError::bad_input(format!(
            "department {} is listed twice (a unit cannot be both lead and supporting)",
            dup.department_id
        )));
    }
    let ids: Vec<i32> = units.iter().map(|u| u.department_id).collect();
    let known = department::Entity::find().filter(department::Column::Id.is_in(ids.clone())).count(db).await?;
    if known != ids.len() as u64 {
        return Err(AppError::NotFound("department"));
    }
    let existing = assignment::Entity::find().filter(assignment::Column::TaskId.eq(task.id)).all(db).await?;
    let staying: HashSet<i32> = ids.iter().copied().collect();
    // A member's part held for a group is not the plan's to remove: the group's membership
    // decides it (`members::follow_tasks` below); named on the plan, it becomes the unit's own.
    let leaving: Vec<&assignment::Model> =
        existing.iter().filter(|a| a.via_group_id.is_none() && !staying.contains(&a.department_id)).collect();
    let leaving_ids: Vec<i32> = leaving.iter().map(|a| a.id).collect();
    assignment::Entity::delete_many().filter(assignment::Column::Id.is_in(leaving_ids)).exec(db).await?;
    for gone in leaving {
        audit::deleted(caller, gone);
    }
    for (position, unit) in units.iter().enumerate() {
        if let Some(kept) = existing.iter().find(|a| a.department_id == unit.department_id) {
            let mut model: assignment::ActiveModel = kept.clone().into();
            model.role = Set(unit.role);
            model.position = Set(position as i32 + 1);
            model.via_group_id = Set(None);
            let after = model.update(db).await?;
            audit::updated(caller, kept, &after);
        }
    }
    let planner = PartPlanner::new(db, caller.today()).await?;
    let part = planner.plan(task, parts::load_rule(db, task).await?);
    let new_rows: Vec<assignment::ActiveModel> = units
        .iter()
        .enumerate()
        .filter(|(_, u)| !existing.iter().any(|a| a.department_id == u.department_id))
        .map(|(i, u)| assignment_row(task, u, i + 1, part))
        .collect();
    if !new_rows.is_empty() {
        for created in assignment::Entity::insert_many(new_rows).exec_with_returning(db).await? {
            audit::created(caller, &created);
        }
        crate::domain::follow_up::periods::open_first(db, &[task.id]).await?;
    }
    crate::domain::follow_up::members::follow_tasks(db, caller, &[task.id]).await
}

fn apply_schedule(model: &mut task::ActiveModel, schedule: ScheduleFields) {
    model.schedule_text = Set(schedule.text.trim().to_owned());
    model.schedule_kind = Set(schedule.kind);
    model.due_date = Set(schedule.due_date);
    model.ongoing = Set(schedule.ongoing);
    model.waiting_for = Set(schedule.waiting_for);
    model.offset_months = Set(schedule.offset_months);
    model.offset_days = Set(schedule.offset_days);
    model.milestones = Set(format_milestones(&schedule.milestones));
    model.starts_on = Set(schedule.starts_on);
    model.year_inferred = Set(schedule.year_inferred);
}

/// Milestones as stored: ISO dates, comma-separated; `None` when there are none.
fn format_milestones(dates: &[chrono::NaiveDate]) -> Option<String> {
    let text: Vec<String> = dates.iter().map(|d| d.format("%Y-%m-%d").to_string()).collect();
    (!text.is_empty()).then(|| text.join(","))
}

/// Stored milestones back as dates; what does not read as a date is skipped.
pub fn parse_milestones(stored: Option<&str>) -> Vec<chrono::NaiveDate> {
    let dates = stored.unwrap_or_default().split(',');
    dates.filter_map(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok()).collect()
}

async fn ensure_seq_free(db: &impl ConnectionTrait, document_id: i32, seq: i32, except: Option<i32>) -> AppResult<()> {
    if seq < 1 {
        return Err(AppError::bad_input("seq must be 1 or more"));
    }
    let mut query =
        task::Entity::find().filter(task::Column::DocumentId.eq(document_id)).filter(task::Column::Seq.eq(seq));
    if let Some(id) = except {
        query = query.filter(task::Column::Id.ne(id));
    }
    if query.count(db).await? > 0 {
        return Err(AppError::bad_input(format!("the document already has a task numbered {seq}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::{refused_before_any_statement, unit_caller};

    fn schedule() -> ScheduleFields {
        ScheduleFields {
            text: "持续实施".into(),
            kind: ScheduleKind::Ongoing,
            due_date: None,
            ongoing: true,
            waiting_for: None,
            offset_months: None,
            offset_days: None,
            milestones: Vec::new(),
            starts_on: None,
            year_inferred: false,
        }
    }

    fn document() -> document::Model {
        let now = chrono::Utc::now();
        document::Model {
            id: 1,
            doc_number: None,
            title: "x".into(),
            issuer: None,
            issued_on: None,
            created_at: now,
            updated_at: now,
            report_rule: None,
        }
    }

    #[tokio::test]
    async fn non_admins_are_refused_before_any_statement() {
        let db = sea_orm::DatabaseConnection::default();
        for caller in unit_caller() {
            let new = || NewTask {
                document_id: 1,
                seq: 1,
                title: "x".into(),
                measures: String::new(),
                schedule: schedule(),
                outline: Outline::default(),
            };
            refused_before_any_statement(create(&db, &caller, new()).await);
            refused_before_any_statement(insert(&db, &caller, new()).await);
            refused_before_any_statement(insert_batch(&db, &caller, &document(), vec![new()]).await);
            refused_before_any_statement(insert_assignments(&db, &caller, std::iter::empty()).await);
            refused_before_any_statement(update(&db, &caller, 1, 1, TaskChanges::default()).await);
            refused_before_any_statement(delete(&db, &caller, 1).await);
            refused_before_any_statement(set_assignments(&db, &caller, 1, &[]).await);
        }
    }
}
