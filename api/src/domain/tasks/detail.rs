//! One task as its detail page shows it, in one statement: the task, its plan, its units'
//! places in plan order with the units, and a page of its progress reports, as much of each as
//! the caller asks for.
//!
//! The task with its plan and units is one row per place (the task's and the plan's columns
//! repeated, or NULL without places); the reports page is appended to them with `UNION ALL`, its
//! rows NULL in the task's columns and the task's rows NULL in its. A leading column says which
//! is which, the next keeps places in plan order and reports newest first.

use crate::domain::Caller;
use crate::domain::page::{Page, PageRequest};
use crate::domain::rows::{assignment_row, department_row, report_row, task_row};
use crate::domain::{plan_cache, reports};
use crate::error::AppResult;
use crate::policy::{rules, scope};
use entity::{assignment, department, document, progress_report, task};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query, SelectStatement, UnionType};
use sea_orm::{ColumnTrait, ConnectionTrait, FromQueryResult, Iden, Iterable, QueryFilter, QueryTrait};

/// What a detail reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailRequest {
    /// The task's columns (its ids and ordering keys always come).
    pub columns: task_row::Columns,
    /// Its units' places, with these columns (their ids, unit and role always come), and the units.
    pub parts: Option<assignment_row::Columns>,
    /// The units' columns (their ids always come).
    pub departments: department_row::Columns,
    /// Its plan.
    pub document: bool,
    /// A page of the progress reports the caller may read, newest first.
    pub reports: Option<PageRequest<i32>>,
}

/// A task as its detail reads it.
#[derive(Debug)]
pub struct TaskDetail {
    pub task: task::Model,
    pub document: Option<document::Model>,
    /// Empty when the request did not ask for the places.
    pub parts: Vec<(assignment::Model, Option<department::Model>)>,
    pub reports: Option<Page<progress_report::Model>>,
}

/// Rows of the task (and its plan and places), then of its reports.
const TASK_ROWS: i32 = 0;
const REPORT_ROWS: i32 = 1;
/// The names of the two columns before the rest (no table's column has them), and their count.
const KIND: &str = "detail_row_kind";
const ORDER: &str = "detail_row_order";
const LEADING: usize = 2;

/// The task `id` as `request` asks, if the caller may see it.
pub async fn get_detail(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: i32,
    request: &DetailRequest,
) -> AppResult<Option<TaskDetail>> {
    rules::signed_in(&caller.viewer)?;
    let shape = Shape::of(request);
    let mut query = task_rows(caller, id, &shape);
    if let Some(page) = &request.reports {
        query.union(UnionType::All, report_rows(caller, id, page, &shape));
    }
    query.order_by(Alias::new(KIND), Order::Asc).order_by(Alias::new(ORDER), Order::Asc);
    let rows = db.query_all_raw(plan_cache::build(db.get_database_backend(), &query)).await?;
    let Some(first) = rows.first().filter(|row| kind(row) == Ok(TASK_ROWS)) else { return Ok(None) };
    let task = task_row::read_in(first, &mut { LEADING }, shape.task)?;
    let document = match shape.documents {
        0 => None,
        _ => document::Model::from_query_result_optional(first, "d_")?,
    };
    let mut parts = Vec::new();
    let mut found = Vec::new();
    for row in &rows {
        if kind(row)? == REPORT_ROWS {
            found.push(report_row::read(row, &mut shape.report_at())?);
            continue;
        }
        if let Some(columns) = shape.parts {
            let mut at = LEADING + shape.task.len() + shape.documents;
            if let Some(place) = assignment_row::read_optional_in(row, &mut at, columns)? {
                parts.push((place, department_row::read_optional_in(row, &mut at, shape.departments)?));
            }
        }
    }
    let reports = request.reports.as_ref().map(|page| Page::from_overfetch(found, page.first));
    Ok(Some(TaskDetail { task, document, parts, reports }))
}

/// Which columns the statement's rows hold, in order after the two leading ones.
struct Shape {
    task: task_row::Columns,
    documents: usize,
    parts: Option<assignment_row::Columns>,
    departments: department_row::Columns,
    /// Whether report columns follow (a reports page was asked for).
    reports: bool,
}

impl Shape {
    fn of(request: &DetailRequest) -> Shape {
        Shape {
            task: request.columns.with(task_row::Columns::KEYS),
            documents: if request.document { document::Column::iter().count() } else { 0 },
            parts: request.parts.map(|p| p.with(assignment_row::Columns::KEYS)),
            departments: request.departments.with(department_row::Columns::KEYS),
            reports: request.reports.is_some(),
        }
    }

    /// Columns of the task, plan, place and unit.
    fn before_reports(&self) -> usize {
        let parts = self.parts.map_or(0, |p| p.len() + self.departments.len());
        self.task.len() + self.documents + parts
    }

    /// Where a report's columns start.
    fn report_at(&self) -> usize {
        LEADING + self.before_reports()
    }
}

fn kind(row: &sea_orm::QueryResult) -> Result<i32, sea_orm::DbErr> {
    crate::domain::rows::Cell::read(row, 0)
}

/// The task (if the caller may see it) with its plan and places, as `shape` says.
fn task_rows(caller: &Caller, id: i32, shape: &Shape) -> SelectStatement {
    let mut query = scope::visible_tasks(&caller.viewer).filter(task::Column::Id.eq(id)).into_query();
    query.clear_selects();
    query.expr_as(Expr::val(TASK_ROWS), Alias::new(KIND));
    match shape.parts {
        Some(_) => query.expr_as(Expr::col((assignment::Entity, assignment::Column::Position)), Alias::new(ORDER)),
        None => query.expr_as(Expr::val(0), Alias::new(ORDER)),
    };
    task_row::select_in(&mut query, task::Entity, shape.task);
    if shape.documents > 0 {
        // The plan's columns, read by name (one row's worth), after the task's by position.
        for column in document::Column::iter() {
            query.expr_as(Expr::col((document::Entity, column)), Alias::new(format!("d_{}", column.to_string())));
        }
        query.join(
            JoinType::LeftJoin,
            document::Entity,
            Expr::col((document::Entity, document::Column::Id)).equals((task::Entity, task::Column::DocumentId)),
        );
    }
    if let Some(parts) = shape.parts {
        assignment_row::select_in(&mut query, assignment::Entity, parts);
        department_row::select_in(&mut query, department::Entity, shape.departments);
        query
            .join(
                JoinType::LeftJoin,
                assignment::Entity,
                Expr::col((assignment::Entity, assignment::Column::TaskId)).equals((task::Entity, task::Column::Id)),
            )
            .join(
                JoinType::LeftJoin,
                department::Entity,
                Expr::col((department::Entity, department::Column::Id))
                    .equals((assignment::Entity, assignment::Column::DepartmentId)),
            );
    }
    if shape.reports {
        nulls(&mut query, report_row::COLUMNS.len());
    }
    query
}

/// A page of the task's reports the caller may read, newest first, in the statement's columns.
fn report_rows(caller: &Caller, id: i32, page: &PageRequest<i32>, shape: &Shape) -> SelectStatement {
    let page = reports::page_query(&caller.viewer, id, page);
    let alias = Alias::new("r");
    let mut query = Query::select();
    query
        .expr_as(Expr::val(REPORT_ROWS), Alias::new(KIND))
        .expr_as(Expr::col((alias.clone(), progress_report::Column::Id)).mul(-1), Alias::new(ORDER));
    nulls(&mut query, shape.before_reports());
    report_row::select(&mut query, alias.clone());
    query.from_subquery(page, alias);
    query
}

/// Adds `n` NULL columns.
fn nulls(query: &mut SelectStatement, n: usize) {
    for _ in 0..n {
        query.expr(Expr::cust("NULL"));
    }
}
