//! Progress reports (进展报送) and status changes: where lead and supporting units differ.

use crate::domain::page::{Page, PageRequest};
use crate::domain::text::required_text;
use crate::domain::{Caller, tasks};
use crate::error::{AppError, AppResult};
use crate::policy::{Viewer, rules};
use entity::{AssignmentRole, TaskStatus, assignment, progress_report, task};
use sea_orm::TransactionSession;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Select, Set, TransactionTrait,
};

/// The caller's role on a task it can see, or `NOT_FOUND` when it cannot see the task.
async fn role_on(
    db: &impl ConnectionTrait,
    caller: &Caller,
    task_id: i32,
) -> AppResult<(task::Model, Vec<assignment::Model>, Option<AssignmentRole>)> {
    let task = tasks::get(db, caller, task_id).await?.ok_or(AppError::NotFound("task"))?;
    let assignments = assignment::Entity::find().filter(assignment::Column::TaskId.eq(task_id)).all(db).await?;
    let pairs: Vec<_> = assignments.iter().map(|a| (a.department_id, a.role)).collect();
    let role = caller.viewer.principal().and_then(|p| rules::role_on_task(p, &pairs));
    Ok((task, assignments, role))
}

/// Records a unit's progress on a task it is assigned to.
pub async fn submit(
    db: &impl TransactionTrait,
    caller: &Caller,
    task_id: i32,
    text: &str,
    percent: i32,
) -> AppResult<progress_report::Model> {
    let principal = rules::account(&caller.viewer)?;
    let text = required_text(text, "text")?;
    if !(0..=100).contains(&percent) {
        return Err(AppError::bad_input("percent must be between 0 and 100"));
    }
    let txn = db.begin().await?;
    let (_, _, role) = role_on(&txn, caller, task_id).await?;
    let unit = rules::may_submit_report(principal, role)?;
    let report = progress_report::ActiveModel {
        task_id: Set(task_id),
        department_id: Set(unit),
        author_id: Set(principal.user_id),
        text: Set(text),
        percent: Set(percent),
        created_at: Set(caller.now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(report)
}

/// Changes a task's status: the lead unit or an admin, at the expected version.
pub async fn update_status(
    db: &impl TransactionTrait,
    caller: &Caller,
    task_id: i32,
    status: TaskStatus,
    expected_version: i32,
) -> AppResult<task::Model> {
    let principal = rules::account(&caller.viewer)?;
    let txn = db.begin().await?;
    let (task, _, role) = role_on(&txn, caller, task_id).await?;
    rules::may_update_status(principal, role)?;
    let mut model: task::ActiveModel = task.into();
    model.status = Set(status);
    let updated = tasks::bump_version(&txn, caller, model, expected_version).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Reports on a task the principal may read, newest first: everything for admins, leaders
/// and the lead unit; a supporting unit sees its own and the lead units'.
pub async fn visible(
    db: &impl ConnectionTrait,
    caller: &Caller,
    task_id: i32,
    assignments: &[assignment::Model],
    page: &PageRequest<i32>,
) -> AppResult<Page<progress_report::Model>> {
    rules::signed_in(&caller.viewer)?;
    let Some(query) = visible_query(&caller.viewer, task_id, assignments) else {
        return Ok(Page { items: Vec::new(), has_next: false });
    };
    let mut query = query.order_by_desc(progress_report::Column::Id);
    if let Some(before) = page.after {
        query = query.filter(progress_report::Column::Id.lt(before));
    }
    let rows = query.limit(page.first + 1).all(db).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

/// How many reports of the task the principal may read.
pub async fn count_visible(
    db: &impl ConnectionTrait,
    caller: &Caller,
    task_id: i32,
    assignments: &[assignment::Model],
) -> AppResult<u64> {
    rules::signed_in(&caller.viewer)?;
    match visible_query(&caller.viewer, task_id, assignments) {
        Some(query) => Ok(query.count(db).await?),
        None => Ok(0),
    }
}

/// The reports query narrowed by [`rules::visible_report_departments`]; `None` when nothing is visible.
fn visible_query(
    viewer: &Viewer,
    task_id: i32,
    assignments: &[assignment::Model],
) -> Option<Select<progress_report::Entity>> {
    let pairs: Vec<_> = assignments.iter().map(|a| (a.department_id, a.role)).collect();
    let role = viewer.principal().and_then(|p| rules::role_on_task(p, &pairs));
    let leads: Vec<i32> =
        assignments.iter().filter(|a| a.role == AssignmentRole::Lead).map(|a| a.department_id).collect();
    let query = progress_report::Entity::find().filter(progress_report::Column::TaskId.eq(task_id));
    match rules::visible_report_departments(viewer, role, &leads) {
        rules::ReportScope::All => Some(query),
        rules::ReportScope::Departments(ids) => Some(query.filter(progress_report::Column::DepartmentId.is_in(ids))),
        rules::ReportScope::None => None,
    }
}
