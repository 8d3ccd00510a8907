//! Admin writes on tasks and their assignments. Each is one transaction; a stale version or
//! invalid input changes nothing.

use crate::domain::Caller;
use crate::domain::text::required_text;
use crate::error::{AppError, AppResult};
use crate::policy::rules;
use entity::{AssignmentRole, ScheduleKind, TaskStatus, assignment, department, document, task};
use sea_orm::TransactionSession;
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
}

/// Fields of a new task.
#[derive(Debug, Clone)]
pub struct NewTask {
    pub document_id: i32,
    pub seq: i32,
    pub title: String,
    pub measures: String,
    pub schedule: ScheduleFields,
}

/// Changes to a task; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct TaskChanges {
    pub seq: Option<i32>,
    pub title: Option<String>,
    pub measures: Option<String>,
    pub schedule: Option<ScheduleFields>,
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
    let txn = db.begin().await?;
    let model = insert(&txn, caller, new).await?;
    txn.commit().await?;
    Ok(model)
}

/// Inserts one task inside the caller's transaction (admins).
pub async fn insert(db: &impl ConnectionTrait, caller: &Caller, new: NewTask) -> AppResult<task::Model> {
    rules::admin(&caller.viewer)?;
    let title = required_text(&new.title, "title")?;
    if document::Entity::find_by_id(new.document_id).one(db).await?.is_none() {
        return Err(AppError::NotFound("document"));
    }
    ensure_seq_free(db, new.document_id, new.seq, None).await?;
    let now = caller.now();
    let mut model = task::ActiveModel {
        document_id: Set(new.document_id),
        seq: Set(new.seq),
        title: Set(title),
        measures: Set(new.measures.trim().to_owned()),
        status: Set(TaskStatus::NotStarted),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    apply_schedule(&mut model, new.schedule);
    Ok(model.insert(db).await?)
}

/// Inserts the tasks of a new document in bulk (admins; the importer's path): titles and
/// seqs are checked against each other, the document is the caller's fresh one. Returns the
/// tasks in the order given.
pub async fn insert_batch(
    db: &impl ConnectionTrait,
    caller: &Caller,
    document_id: i32,
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
    let now = caller.now();
    let rows: Vec<task::ActiveModel> = new
        .into_iter()
        .map(|t| {
            let mut model = task::ActiveModel {
                document_id: Set(document_id),
                seq: Set(t.seq),
                title: Set(t.title.trim().to_owned()),
                measures: Set(t.measures.trim().to_owned()),
                status: Set(TaskStatus::NotStarted),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            };
            apply_schedule(&mut model, t.schedule);
            model
        })
        .collect();
    let position: std::collections::HashMap<i32, usize> =
        rows.iter().enumerate().map(|(i, r)| (*r.seq.as_ref(), i)).collect();
    let mut inserted = Vec::with_capacity(rows.len());
    for chunk in chunked(rows, BULK_ROWS) {
        inserted.extend(task::Entity::insert_many(chunk).exec_with_returning(db).await?);
    }
    // RETURNING order is not promised by SQL: put the rows back in the order given.
    inserted.sort_by_key(|t| position.get(&t.seq).copied());
    Ok(inserted)
}

/// Inserts the assignments of fresh tasks in bulk (admins): `(task, units in plan order)`.
pub async fn insert_assignments<'a>(
    db: &impl ConnectionTrait,
    caller: &Caller,
    tasks: impl Iterator<Item = (&'a task::Model, &'a [AssignmentSpec])>,
) -> AppResult<()> {
    rules::admin(&caller.viewer)?;
    let rows: Vec<assignment::ActiveModel> = tasks.flat_map(|(task, units)| assignment_rows(task, units)).collect();
    for chunk in chunked(rows, BULK_ROWS) {
        assignment::Entity::insert_many(chunk).exec(db).await?;
    }
    Ok(())
}

/// A task's assignment rows, positions counted from 1 in the order given. Each row carries the
/// task's place `(document_id, seq)`; the database keeps it current when the task is renumbered.
fn assignment_rows<'a>(
    task: &'a task::Model,
    units: &'a [AssignmentSpec],
) -> impl Iterator<Item = assignment::ActiveModel> + 'a {
    units.iter().enumerate().map(|(i, u)| assignment::ActiveModel {
        task_id: Set(task.id),
        department_id: Set(u.department_id),
        role: Set(u.role),
        position: Set(i as i32 + 1),
        task_document_id: Set(task.document_id),
        task_seq: Set(task.seq),
        ..Default::default()
    })
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
    let txn = db.begin().await?;
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
        apply_schedule(&mut model, schedule);
    }
    if let Some(status) = changes.status {
        model.status = Set(status);
    }
    let updated = bump_version(&txn, caller, model, expected_version).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Writes `model` only if the stored version still equals `expected`, and bumps it: the
/// compare-and-set happens in the UPDATE's WHERE clause, so two racing writers cannot both win.
pub(in crate::domain) async fn bump_version(
    db: &impl ConnectionTrait,
    caller: &Caller,
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
    task::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound("task"))
}

/// Deletes a task with its assignments and reports (admins).
pub async fn delete(db: &impl TransactionTrait, caller: &Caller, id: i32) -> AppResult<()> {
    rules::admin(&caller.viewer)?;
    let txn = db.begin().await?;
    let result = task::Entity::delete_by_id(id).exec(&txn).await?;
    if result.rows_affected == 0 {
        return Err(AppError::NotFound("task"));
    }
    txn.commit().await?;
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
    let txn = db.begin().await?;
    let task = task::Entity::find_by_id(task_id).one(&txn).await?.ok_or(AppError::NotFound("task"))?;
    replace_assignments(&txn, &task, units).await?;
    txn.commit().await?;
    Ok(task)
}

/// Replaces assignments inside the caller's transaction.
async fn replace_assignments(db: &impl ConnectionTrait, task: &task::Model, units: &[AssignmentSpec]) -> AppResult<()> {
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
    assignment::Entity::delete_many().filter(assignment::Column::TaskId.eq(task.id)).exec(db).await?;
    if units.is_empty() {
        return Ok(());
    }
    assignment::Entity::insert_many(assignment_rows(task, units)).exec(db).await?;
    Ok(())
}

fn apply_schedule(model: &mut task::ActiveModel, schedule: ScheduleFields) {
    model.schedule_text = Set(schedule.text.trim().to_owned());
    model.schedule_kind = Set(schedule.kind);
    model.due_date = Set(schedule.due_date);
    model.ongoing = Set(schedule.ongoing);
    model.waiting_for = Set(schedule.waiting_for);
    model.offset_months = Set(schedule.offset_months);
    model.offset_days = Set(schedule.offset_days);
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
        }
    }

    #[tokio::test]
    async fn non_admins_are_refused_before_any_statement() {
        let db = sea_orm::DatabaseConnection::default();
        for caller in unit_caller() {
            let new =
                || NewTask { document_id: 1, seq: 1, title: "x".into(), measures: String::new(), schedule: schedule() };
            refused_before_any_statement(create(&db, &caller, new()).await);
            refused_before_any_statement(insert(&db, &caller, new()).await);
            refused_before_any_statement(insert_batch(&db, &caller, 1, vec![new()]).await);
            refused_before_any_statement(insert_assignments(&db, &caller, std::iter::empty()).await);
            refused_before_any_statement(update(&db, &caller, 1, 1, TaskChanges::default()).await);
            refused_before_any_statement(delete(&db, &caller, 1).await);
            refused_before_any_statement(set_assignments(&db, &caller, 1, &[]).await);
        }
    }
}
