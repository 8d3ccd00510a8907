//! The warning facts on `task` (see [`super::warning`]): derived from the task's units, reports
//! and urgings, written in the same transaction as every change to them, so that filters,
//! counts and orders by warning read one row per task.

use crate::error::AppResult;
use entity::{AssignmentRole, AssignmentState, DepartmentKind, assignment, department, progress_report, task, urging};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, SelectStatement, SubQueryStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// Recomputes the facts of `task_ids` (one statement per thousand tasks).
pub async fn refresh(db: &impl ConnectionTrait, task_ids: &[i32]) -> AppResult<()> {
    for chunk in task_ids.chunks(1000) {
        task::Entity::update_many()
            .col_expr(task::Column::EarliestReportDue, subquery(earliest_report_due()))
            .col_expr(task::Column::EarliestSignDue, subquery(earliest_sign_due()))
            .col_expr(task::Column::LateReportUnits, subquery(late_reporters()))
            .col_expr(task::Column::OpenUrgings, subquery(open_urgings()))
            .col_expr(task::Column::LatestPercent, subquery(latest_lead_percent()))
            .filter(task::Column::Id.is_in(chunk.to_vec()))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Recomputes each part's own figures on `task_ids` (its unanswered urgings), after a change to
/// the tasks' parts or urgings; statistics by unit add these up instead of counting urgings per
/// task and unit on each read.
pub async fn refresh_parts(db: &impl ConnectionTrait, task_ids: &[i32]) -> AppResult<()> {
    let u = |c: urging::Column| Expr::col((urging::Entity, c));
    let open = Query::select()
        .expr(Func::count(Expr::cust("*")))
        .from(urging::Entity)
        .and_where(u(urging::Column::TaskId).equals((assignment::Entity, assignment::Column::TaskId)))
        .and_where(u(urging::Column::DepartmentId).equals((assignment::Entity, assignment::Column::DepartmentId)))
        .and_where(u(urging::Column::AnsweredAt).is_null())
        .and_where(u(urging::Column::ClosedAt).is_null())
        .to_owned();
    for chunk in task_ids.chunks(1000) {
        assignment::Entity::update_many()
            .col_expr(assignment::Column::OpenUrgings, subquery(open.clone()))
            .filter(assignment::Column::TaskId.is_in(chunk.to_vec()))
            .exec(db)
            .await?;
    }
    Ok(())
}

fn subquery(select: SelectStatement) -> Expr {
    Expr::SubQuery(None, Box::new(SubQueryStatement::SelectStatement(select)))
}

/// When the first report of a unit still working on the task falls due.
fn earliest_report_due() -> SelectStatement {
    tracked_parts(Func::min(part(assignment::Column::NextReportDue))).and_where(not_done()).to_owned()
}

/// The earliest sign-off deadline of a unit that has not signed.
fn earliest_sign_due() -> SelectStatement {
    tracked_parts(Func::min(part(assignment::Column::SignDue)))
        .and_where(part(assignment::Column::State).eq(AssignmentState::Assigned))
        .to_owned()
}

/// How many units still working on the task sent their last report late.
fn late_reporters() -> SelectStatement {
    tracked_parts(Func::count(Expr::cust("*")))
        .and_where(not_done())
        .and_where(part(assignment::Column::LastReportLate).eq(true))
        .to_owned()
}

fn part(column: assignment::Column) -> Expr {
    Expr::col((Alias::new("a"), column))
}

fn not_done() -> Expr {
    part(assignment::Column::State).ne(AssignmentState::Done)
}

/// `SELECT <aggregate> FROM assignment a JOIN department d …` for the task's UNIT parts (groups
/// and catch-alls name no one who could sign or report).
fn tracked_parts(aggregate: impl Into<Expr>) -> SelectStatement {
    Query::select()
        .expr(aggregate.into())
        .from_as(assignment::Entity, Alias::new("a"))
        .inner_join(
            department::Entity,
            Expr::col((department::Entity, department::Column::Id))
                .equals((Alias::new("a"), assignment::Column::DepartmentId)),
        )
        .and_where(part(assignment::Column::TaskId).equals((task::Entity, task::Column::Id)))
        .and_where(Expr::col((department::Entity, department::Column::Kind)).eq(DepartmentKind::Unit))
        .to_owned()
}

fn open_urgings() -> SelectStatement {
    Query::select()
        .expr(Func::count(Expr::cust("*")))
        .from(urging::Entity)
        .and_where(Expr::col((urging::Entity, urging::Column::TaskId)).equals((task::Entity, task::Column::Id)))
        .and_where(Expr::col((urging::Entity, urging::Column::AnsweredAt)).is_null())
        .and_where(Expr::col((urging::Entity, urging::Column::ClosedAt)).is_null())
        .to_owned()
}

/// The percent of the latest report by a lead unit: the lead reports for the task.
fn latest_lead_percent() -> SelectStatement {
    let leads = Query::select()
        .column(assignment::Column::DepartmentId)
        .from(assignment::Entity)
        .and_where(Expr::col((assignment::Entity, assignment::Column::TaskId)).equals((task::Entity, task::Column::Id)))
        .and_where(Expr::col((assignment::Entity, assignment::Column::Role)).eq(AssignmentRole::Lead))
        .to_owned();
    Query::select()
        .column((progress_report::Entity, progress_report::Column::Percent))
        .from(progress_report::Entity)
        .and_where(
            Expr::col((progress_report::Entity, progress_report::Column::TaskId))
                .equals((task::Entity, task::Column::Id)),
        )
        .and_where(Expr::col((progress_report::Entity, progress_report::Column::DepartmentId)).in_subquery(leads))
        .order_by((progress_report::Entity, progress_report::Column::Id), sea_orm::sea_query::Order::Desc)
        .limit(1)
        .to_owned()
}
