//! Reading progress reports (进展报送): where lead and supporting units differ. Sending them is
//! `follow_up::work::report`.

use crate::domain::Caller;
use crate::domain::page::{Page, PageRequest};
use crate::error::AppResult;
use crate::policy::{Viewer, rules};
use entity::{AssignmentRole, assignment, progress_report, report_consolidation};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select,
};

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
    let statement = super::plan_cache::build(db.get_database_backend(), &query.limit(page.first + 1).into_query());
    let rows = progress_report::Entity::find().from_raw_sql(statement).all(db).await?;
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

/// The reports each of `report_ids` consolidates, as far as the caller may read them (a lead's
/// consolidated report shows its supporting units' reports only to those who see them anyway).
pub async fn consolidated(
    db: &impl ConnectionTrait,
    caller: &Caller,
    report_ids: &[i32],
) -> AppResult<std::collections::HashMap<i32, Vec<progress_report::Model>>> {
    rules::signed_in(&caller.viewer)?;
    let links = report_consolidation::Entity::find()
        .filter(report_consolidation::Column::ReportId.is_in(report_ids.to_vec()))
        .all(db)
        .await?;
    let ids: Vec<i32> = links.iter().map(|l| l.consolidated_id).collect();
    let reports = progress_report::Entity::find().filter(progress_report::Column::Id.is_in(ids)).all(db).await?;
    let task_ids: Vec<i32> = reports.iter().map(|r| r.task_id).collect();
    let assignments = assignment::Entity::find().filter(assignment::Column::TaskId.is_in(task_ids)).all(db).await?;
    let readable = |r: &progress_report::Model| {
        let on_task: Vec<assignment::Model> = assignments.iter().filter(|a| a.task_id == r.task_id).cloned().collect();
        let pairs: Vec<_> = on_task.iter().map(|a| (a.department_id, a.role)).collect();
        let role = caller.viewer.principal().and_then(|p| rules::role_on_task(p, &pairs));
        let leads: Vec<i32> =
            on_task.iter().filter(|a| a.role == AssignmentRole::Lead).map(|a| a.department_id).collect();
        match rules::visible_report_departments(&caller.viewer, role, &leads) {
            rules::ReportScope::All => true,
            rules::ReportScope::Departments(ids) => ids.contains(&r.department_id),
            rules::ReportScope::None => false,
        }
    };
    let mut by_report: std::collections::HashMap<i32, Vec<progress_report::Model>> =
        report_ids.iter().map(|id| (*id, Vec::new())).collect();
    for link in links {
        if let Some(report) = reports.iter().find(|r| r.id == link.consolidated_id).filter(|r| readable(r)) {
            by_report.entry(link.report_id).or_default().push(report.clone());
        }
    }
    Ok(by_report)
}
