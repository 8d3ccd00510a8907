//! Reading progress reports (进展报送): where lead and supporting units differ. Sending them is
//! `follow_up::work::report`.

use crate::domain::Caller;
use crate::domain::page::{Page, PageRequest};
use crate::error::AppResult;
use crate::policy::{Viewer, rules, scope};
use entity::{progress_report, report_consolidation};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select,
};

/// Reports on a task the principal may read, newest first: everything for admins, leaders
/// and the lead unit; a supporting unit sees its own and the lead units' (`scope::visible_reports`).
pub async fn visible(
    db: &impl ConnectionTrait,
    caller: &Caller,
    task_id: i32,
    page: &PageRequest<i32>,
) -> AppResult<Page<progress_report::Model>> {
    rules::signed_in(&caller.viewer)?;
    let statement = super::plan_cache::build(db.get_database_backend(), &page_query(&caller.viewer, task_id, page));
    let rows = progress_report::Entity::find().from_raw_sql(statement).all(db).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

/// The statement of a page of the reports on a task the viewer may read, newest first (one row
/// more than the page, to tell whether another follows).
pub fn page_query(viewer: &Viewer, task_id: i32, page: &PageRequest<i32>) -> SelectStatement {
    let mut query = visible_query(viewer, task_id).order_by_desc(progress_report::Column::Id);
    if let Some(before) = page.after {
        query = query.filter(progress_report::Column::Id.lt(before));
    }
    query.limit(page.first + 1).into_query()
}

/// How many reports of the task the principal may read.
pub async fn count_visible(db: &impl ConnectionTrait, caller: &Caller, task_id: i32) -> AppResult<u64> {
    rules::signed_in(&caller.viewer)?;
    Ok(visible_query(&caller.viewer, task_id).count(db).await?)
}

/// The reports of a task the viewer may read.
fn visible_query(viewer: &Viewer, task_id: i32) -> Select<progress_report::Entity> {
    progress_report::Entity::find()
        .filter(progress_report::Column::TaskId.eq(task_id))
        .filter(scope::visible_reports(viewer))
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
    let readable = progress_report::Entity::find()
        .filter(progress_report::Column::Id.is_in(ids))
        .filter(scope::visible_reports(&caller.viewer))
        .all(db)
        .await?;
    let mut by_report: std::collections::HashMap<i32, Vec<progress_report::Model>> =
        report_ids.iter().map(|id| (*id, Vec::new())).collect();
    for link in links {
        if let Some(report) = readable.iter().find(|r| r.id == link.consolidated_id) {
            by_report.entry(link.report_id).or_default().push(report.clone());
        }
    }
    Ok(by_report)
}
