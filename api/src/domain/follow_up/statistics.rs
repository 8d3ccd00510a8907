//! Statistics (统计考核) by plan, by unit and overall, as SQL aggregates: tasks by status,
//! overdue count and share, on-time completion rate (judged against the original due date
//! unless told otherwise), average days to complete, reports on time and late, open urgings.
//! A unit account's statistics cover the tasks it sees, and of the units, only its own; every
//! count is of rows the viewer may read (`scope::visible_reports`, `visible_urgings`), so a
//! figure never tells more than the lists it sums up.

use super::warning::days_between;
use crate::domain::Caller;
use crate::error::AppResult;
use crate::policy::follow_up::{UnitItems, visible_urgings};
use crate::policy::{rules, scope};
use chrono::NaiveDate;
use entity::{
    AssignmentRole, CompletionDecision, DepartmentKind, TaskStatus, assignment, completion_report, department,
    progress_report, task, urging,
};
use sea_orm::sea_query::{
    Alias, Expr, ExprTrait, Func, JoinType, Query, SelectStatement, SimpleExpr, SubQueryStatement,
};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult};

/// Which tasks count.
#[derive(Debug, Clone, Default)]
pub struct StatisticsFilter {
    pub document_id: Option<i32>,
    /// Only tasks this unit is on (any role).
    pub department_id: Option<i32>,
    /// Only tasks handed out on or after / on or before these days.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Judge punctuality against the current due date (after extensions) instead of the original.
    pub against_current_due_date: bool,
    /// The role whose units `by_unit` groups (LEAD by default: the lead reports for the task).
    pub unit_role: Option<AssignmentRole>,
}

/// The figures of one group of tasks.
#[derive(Debug, Clone, Default, PartialEq, FromQueryResult)]
pub struct Figures {
    pub group_id: Option<i32>,
    pub total: i64,
    pub not_started: Option<i64>,
    pub in_progress: Option<i64>,
    pub pending_review: Option<i64>,
    pub returned: Option<i64>,
    pub completed: Option<i64>,
    pub archived: Option<i64>,
    pub suspended: Option<i64>,
    pub overdue: Option<i64>,
    /// Open tasks with a due date: the tasks that can be overdue (the overdue share's base).
    pub dated_open: Option<i64>,
    pub finished: Option<i64>,
    pub finished_with_due: Option<i64>,
    pub finished_on_time: Option<i64>,
    pub average_days: Option<f64>,
    /// Finished tasks with a hand-out day, and their days to complete in all: what the average
    /// is of (so that groups add up).
    pub timed: Option<i64>,
    pub total_days: Option<i64>,
    pub open_urgings: Option<i64>,
}

impl Figures {
    /// The figures of the union of disjoint groups.
    fn sum<'a>(groups: impl Iterator<Item = &'a Figures>) -> Figures {
        let add = |a: Option<i64>, b: Option<i64>| Some(a.unwrap_or(0) + b.unwrap_or(0));
        let mut all = Figures::default();
        for g in groups {
            all.total += g.total;
            all.not_started = add(all.not_started, g.not_started);
            all.in_progress = add(all.in_progress, g.in_progress);
            all.pending_review = add(all.pending_review, g.pending_review);
            all.returned = add(all.returned, g.returned);
            all.completed = add(all.completed, g.completed);
            all.archived = add(all.archived, g.archived);
            all.suspended = add(all.suspended, g.suspended);
            all.overdue = add(all.overdue, g.overdue);
            all.dated_open = add(all.dated_open, g.dated_open);
            all.finished = add(all.finished, g.finished);
            all.finished_with_due = add(all.finished_with_due, g.finished_with_due);
            all.finished_on_time = add(all.finished_on_time, g.finished_on_time);
            all.timed = add(all.timed, g.timed);
            all.total_days = add(all.total_days, g.total_days);
            all.open_urgings = add(all.open_urgings, g.open_urgings);
        }
        all.average_days = match (all.timed, all.total_days) {
            (Some(n), Some(days)) if n > 0 => Some(days as f64 / n as f64),
            _ => None,
        };
        all
    }
}

impl ReportFigures {
    fn sum<'a>(groups: impl Iterator<Item = &'a ReportFigures>) -> ReportFigures {
        let mut all = ReportFigures::default();
        for g in groups {
            all.reports += g.reports;
            all.late = Some(all.late.unwrap_or(0) + g.late.unwrap_or(0));
            all.on_time = Some(all.on_time.unwrap_or(0) + g.on_time.unwrap_or(0));
            all.add_periods(g);
        }
        all
    }

    fn add_periods(&mut self, g: &ReportFigures) {
        let add = |a: Option<i64>, b: Option<i64>| Some(a.unwrap_or(0) + b.unwrap_or(0));
        self.periods_due = add(self.periods_due, g.periods_due);
        self.periods_on_time = add(self.periods_on_time, g.periods_on_time);
        self.periods_late = add(self.periods_late, g.periods_late);
        self.periods_missed = add(self.periods_missed, g.periods_missed);
    }
}

/// Reports of one group.
#[derive(Debug, Clone, Default, PartialEq, FromQueryResult)]
pub struct ReportFigures {
    pub group_id: Option<i32>,
    pub reports: i64,
    pub late: Option<i64>,
    pub on_time: Option<i64>,
    /// Reporting periods judged (due day passed, or answered): on time + late + missed.
    #[sea_orm(skip)]
    pub periods_due: Option<i64>,
    #[sea_orm(skip)]
    pub periods_on_time: Option<i64>,
    #[sea_orm(skip)]
    pub periods_late: Option<i64>,
    #[sea_orm(skip)]
    pub periods_missed: Option<i64>,
}

/// Reporting periods of one group (see [`super::periods`]).
#[derive(Debug, Clone, Default, PartialEq, FromQueryResult)]
struct PeriodFigures {
    group_id: Option<i32>,
    due: Option<i64>,
    on_time: Option<i64>,
    late: Option<i64>,
    missed: Option<i64>,
}

/// Overall, by plan and by unit.
#[derive(Debug, Clone, Default)]
pub struct Statistics {
    pub overall: (Figures, ReportFigures),
    pub by_document: Vec<(Figures, ReportFigures)>,
    pub by_unit: Vec<(Figures, ReportFigures)>,
}

/// Which figures are asked for; the others are not computed (they stay empty or zero). Report
/// figures cost an aggregate over every report of their group, so they are asked apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asked {
    pub overall: bool,
    pub by_document: bool,
    pub by_unit: bool,
    pub overall_reports: bool,
    pub document_reports: bool,
    pub unit_reports: bool,
    /// Reporting periods, added up from the parts' counts.
    pub overall_periods: bool,
    pub document_periods: bool,
    pub unit_periods: bool,
}

/// The statistics the caller may see, as far as `asked`.
pub async fn statistics(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &StatisticsFilter,
    asked: Asked,
) -> AppResult<Statistics> {
    rules::signed_in(&caller.viewer)?;
    let backend = db.get_database_backend();
    let tasks = |group: Group| backend.build(&figures(caller, filter, group, backend));
    let reported = |group: Group| backend.build(&reports(caller, filter, group));
    // The overall figures are the sum of the plans' when those are read anyway (every task is
    // in one plan), else one row of their own.
    let by_document = asked.by_document || asked.document_reports;
    let counted = |group: Group| backend.build(&periods(caller, filter, group));
    // The overall periods are the plans' summed when the overall report figures are (see below).
    let overall_periods = asked.overall_periods && !asked.document_reports;
    let plan_periods = asked.document_periods || (asked.overall_periods && asked.document_reports);
    let (document_periods, unit_periods, all_periods) = futures_util::try_join!(
        when(plan_periods, PeriodFigures::find_by_statement(counted(Group::Document)).all(db)),
        when(asked.unit_periods, PeriodFigures::find_by_statement(counted(Group::Unit)).all(db)),
        when(overall_periods, PeriodFigures::find_by_statement(counted(Group::All)).all(db)),
    )?;
    let (documents, units, all, document_reports, unit_reports, all_reports) = futures_util::try_join!(
        when(by_document, Figures::find_by_statement(tasks(Group::Document)).all(db)),
        when(asked.by_unit, Figures::find_by_statement(tasks(Group::Unit)).all(db)),
        when(asked.overall && !by_document, Figures::find_by_statement(tasks(Group::All)).all(db)),
        when(asked.document_reports, ReportFigures::find_by_statement(reported(Group::Document)).all(db)),
        when(asked.unit_reports, ReportFigures::find_by_statement(reported(Group::Unit)).all(db)),
        when(
            asked.overall_reports && !asked.document_reports,
            ReportFigures::find_by_statement(reported(Group::All)).all(db)
        ),
    )?;
    let document_reports = with_periods(document_reports, document_periods);
    let unit_reports = with_periods(unit_reports, unit_periods);
    let all_reports = if overall_periods { with_periods(all_reports, all_periods) } else { all_reports };
    let by_document = paired(documents, document_reports);
    let overall_figures = match all.into_iter().next() {
        Some(all) => all,
        None => Figures::sum(by_document.iter().map(|(f, _)| f)),
    };
    let overall_reports = match all_reports.into_iter().next() {
        Some(reports) => reports,
        None => ReportFigures::sum(by_document.iter().map(|(_, r)| r)),
    };
    let overall = (overall_figures, overall_reports);
    Ok(Statistics { overall, by_document, by_unit: paired(units, unit_reports) })
}

/// The report figures of each group with its period figures (a group with periods and no
/// report gets a row of its own).
fn with_periods(reports: Vec<ReportFigures>, periods: Vec<PeriodFigures>) -> Vec<ReportFigures> {
    let mut rows = reports;
    for p in periods {
        let counts = ReportFigures {
            group_id: p.group_id,
            periods_due: p.due,
            periods_on_time: p.on_time,
            periods_late: p.late,
            periods_missed: p.missed,
            ..Default::default()
        };
        match rows.iter_mut().find(|r| r.group_id == p.group_id) {
            Some(row) => row.add_periods(&counts),
            None => rows.push(counts),
        }
    }
    rows
}

/// Runs `rows` when `asked`, else gives none.
async fn when<T>(
    asked: bool,
    rows: impl Future<Output = Result<Vec<T>, sea_orm::DbErr>>,
) -> Result<Vec<T>, sea_orm::DbErr> {
    if asked { rows.await } else { Ok(Vec::new()) }
}

/// Each group's figures with its report figures (zero when it has none or they were not
/// asked), in group order.
fn paired(figures: Vec<Figures>, reports: Vec<ReportFigures>) -> Vec<(Figures, ReportFigures)> {
    let mut by_group: std::collections::HashMap<Option<i32>, ReportFigures> =
        reports.into_iter().map(|r| (r.group_id, r)).collect();
    let mut rows: Vec<(Figures, ReportFigures)> = figures
        .into_iter()
        .map(|f| {
            let r =
                by_group.remove(&f.group_id).unwrap_or(ReportFigures { group_id: f.group_id, ..Default::default() });
            (f, r)
        })
        .collect();
    rows.sort_by_key(|(f, _)| f.group_id);
    rows
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    All,
    Document,
    Unit,
}

fn tcol(column: task::Column) -> SimpleExpr {
    Expr::col((task::Entity, column))
}

fn count_when(condition: SimpleExpr) -> SimpleExpr {
    Func::sum(Expr::case(condition, 1).finally(0)).into()
}

fn as_float(expr: SimpleExpr, backend: DbBackend) -> SimpleExpr {
    match backend {
        DbBackend::Sqlite => Expr::cust_with_exprs("CAST(? AS REAL)", [expr]),
        _ => Expr::cust_with_exprs("CAST($1 AS DOUBLE PRECISION)", [expr]),
    }
}

/// The aggregate over the filtered, visible tasks, grouped by nothing, plan or unit.
fn figures(caller: &Caller, filter: &StatisticsFilter, group: Group, backend: DbBackend) -> SelectStatement {
    let today = caller.today();
    let status = || tcol(task::Column::Status);
    let open = || status().is_in([TaskStatus::NotStarted, TaskStatus::InProgress, TaskStatus::Returned]);
    let finished = || {
        status().is_in([TaskStatus::Completed, TaskStatus::Archived]).and(tcol(task::Column::CompletedAt).is_not_null())
    };
    let due: SimpleExpr = if filter.against_current_due_date {
        tcol(task::Column::DueDate)
    } else {
        Func::coalesce([tcol(task::Column::OriginalDueDate), tcol(task::Column::DueDate)]).into()
    };
    let finished_day = || super::warning::county_day(tcol(task::Column::CompletedAt), backend);
    // Punctuality is the unit's: the day it handed in the completion report the office finally
    // approved, not the day of the office's review.
    let handed_in_day = || {
        let approved = Query::select()
            .expr(Func::max(Expr::col((completion_report::Entity, completion_report::Column::CreatedAt))))
            .from(completion_report::Entity)
            .and_where(
                Expr::col((completion_report::Entity, completion_report::Column::TaskId))
                    .equals((task::Entity, task::Column::Id)),
            )
            .and_where(
                Expr::col((completion_report::Entity, completion_report::Column::Decision))
                    .eq(CompletionDecision::Approved),
            )
            .to_owned();
        let submitted = SimpleExpr::SubQuery(None, Box::new(SubQueryStatement::SelectStatement(approved)));
        super::warning::county_day(Func::coalesce([submitted, tcol(task::Column::CompletedAt)]).into(), backend)
    };
    let days = days_between(finished_day(), tcol(task::Column::AssignedOn), backend);
    let days_again = days.clone();
    let timed = || finished().and(tcol(task::Column::AssignedOn).is_not_null());
    let mut query = Query::select().from(task::Entity).to_owned();
    query.expr_as(group_expr(group), Alias::new("group_id")).expr_as(Expr::cust("COUNT(*)"), Alias::new("total"));
    for (alias, state) in [
        ("not_started", TaskStatus::NotStarted),
        ("in_progress", TaskStatus::InProgress),
        ("pending_review", TaskStatus::PendingReview),
        ("returned", TaskStatus::Returned),
        ("completed", TaskStatus::Completed),
        ("archived", TaskStatus::Archived),
        ("suspended", TaskStatus::Suspended),
    ] {
        query.expr_as(count_when(status().eq(state)), Alias::new(alias));
    }
    query
        .expr_as(count_when(open().and(tcol(task::Column::DueDate).lt(today))), Alias::new("overdue"))
        .expr_as(count_when(open().and(tcol(task::Column::DueDate).is_not_null())), Alias::new("dated_open"))
        .expr_as(count_when(finished()), Alias::new("finished"))
        .expr_as(count_when(finished().and(due.clone().is_not_null())), Alias::new("finished_with_due"))
        .expr_as(count_when(finished().and(handed_in_day().lte(due))), Alias::new("finished_on_time"))
        .expr_as(
            as_float(
                Func::avg(
                    Expr::case(finished().and(tcol(task::Column::AssignedOn).is_not_null()), days)
                        .finally(Expr::null()),
                )
                .into(),
                backend,
            ),
            Alias::new("average_days"),
        )
        .expr_as(count_when(timed()), Alias::new("timed"))
        .expr_as(Func::sum(Expr::case(timed(), days_again).finally(0)), Alias::new("total_days"))
        .expr_as(open_urgings(caller, group), Alias::new("open_urgings"));
    scoped(&mut query, caller, filter, group);
    query
}

/// Unanswered urgings on the group's tasks that the viewer may read; in a unit's row, those sent
/// to that unit. The task's own count serves when it is all of them (the office, by plan).
fn open_urgings(caller: &Caller, group: Group) -> SimpleExpr {
    let readable = visible_urgings(&caller.viewer);
    if group != Group::Unit && readable == UnitItems::All {
        return Func::sum(tcol(task::Column::OpenUrgings)).into();
    }
    let u = |c: urging::Column| Expr::col((urging::Entity, c));
    let mut open = Query::select()
        .expr(Func::count(Expr::cust("*")))
        .from(urging::Entity)
        .and_where(u(urging::Column::TaskId).equals((task::Entity, task::Column::Id)))
        .and_where(u(urging::Column::AnsweredAt).is_null())
        .and_where(u(urging::Column::ClosedAt).is_null())
        .to_owned();
    if group == Group::Unit {
        // Each part keeps its own count (`facts::refresh_parts`); a unit's row shows it when the
        // viewer may read that unit's urgings.
        let kept = Expr::col((Alias::new("g"), assignment::Column::OpenUrgings));
        return match readable {
            UnitItems::All => Func::sum(kept).into(),
            UnitItems::Of(units) => Func::sum(
                Expr::case(Expr::col((Alias::new("g"), assignment::Column::DepartmentId)).is_in(units), kept)
                    .finally(0),
            )
            .into(),
        };
    }
    if let UnitItems::Of(units) = readable {
        open.and_where(u(urging::Column::DepartmentId).is_in(units));
    }
    // COUNT is a bigint, whose SUM PostgreSQL makes a numeric; an integer's SUM is a bigint.
    let count = SimpleExpr::SubQuery(None, Box::new(SubQueryStatement::SelectStatement(open)));
    Func::sum(Func::cast_as(count, Alias::new("INTEGER"))).into()
}

fn group_expr(group: Group) -> SimpleExpr {
    match group {
        Group::All => Expr::cust("NULL"),
        Group::Document => tcol(task::Column::DocumentId),
        Group::Unit => Expr::col((Alias::new("g"), assignment::Column::DepartmentId)),
    }
}

/// Filters, the caller's scope, and the grouping join of a statistics query over `task`.
fn scoped(query: &mut SelectStatement, caller: &Caller, filter: &StatisticsFilter, group: Group) {
    if let Some(visible) = scope::visible_task_ids(&caller.viewer) {
        query.and_where(tcol(task::Column::Id).in_subquery(visible));
    }
    if let Some(doc) = filter.document_id {
        query.and_where(tcol(task::Column::DocumentId).eq(doc));
    }
    if let Some(unit) = filter.department_id {
        query.and_where(tcol(task::Column::Id).in_subquery(scope::tasks_of(vec![unit])));
    }
    if let Some(from) = filter.from {
        query.and_where(tcol(task::Column::AssignedOn).gte(from));
    }
    if let Some(to) = filter.to {
        query.and_where(tcol(task::Column::AssignedOn).lte(to));
    }
    match group {
        Group::All => {}
        Group::Document => {
            query.group_by_col((task::Entity, task::Column::DocumentId));
        }
        Group::Unit => {
            let g = Alias::new("g");
            query
                .join_as(
                    JoinType::InnerJoin,
                    assignment::Entity,
                    g.clone(),
                    Expr::col((g.clone(), assignment::Column::TaskId)).equals((task::Entity, task::Column::Id)),
                )
                .inner_join(
                    department::Entity,
                    Expr::col((department::Entity, department::Column::Id))
                        .equals((g.clone(), assignment::Column::DepartmentId)),
                )
                .and_where(Expr::col((department::Entity, department::Column::Kind)).eq(DepartmentKind::Unit))
                .and_where(
                    Expr::col((g.clone(), assignment::Column::Role))
                        .eq(filter.unit_role.unwrap_or(AssignmentRole::Lead)),
                )
                .group_by_col((g, assignment::Column::DepartmentId));
            if let Some(own) = own_unit(caller) {
                query.and_where(Expr::col((Alias::new("g"), assignment::Column::DepartmentId)).eq(own));
            }
        }
    }
}

/// A unit account sees its own unit's figures only.
fn own_unit(caller: &Caller) -> Option<i32> {
    caller.viewer.principal().filter(|p| p.is_unit_scoped()).map(|p| p.department_id.unwrap_or(0))
}

/// Reports on the filtered, visible tasks: by plan, or by the unit that sent them.
fn reports(caller: &Caller, filter: &StatisticsFilter, group: Group) -> SelectStatement {
    let r = |c: progress_report::Column| -> SimpleExpr { Expr::col((progress_report::Entity, c)) };
    let group_id = match group {
        Group::All => Expr::cust("NULL"),
        Group::Document => tcol(task::Column::DocumentId),
        Group::Unit => r(progress_report::Column::DepartmentId),
    };
    let mut query = Query::select()
        .expr_as(group_id, Alias::new("group_id"))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("reports"))
        .expr_as(count_when(r(progress_report::Column::Late).eq(true)), Alias::new("late"))
        .expr_as(
            count_when(r(progress_report::Column::DueOn).is_not_null().and(r(progress_report::Column::Late).eq(false))),
            Alias::new("on_time"),
        )
        .from(progress_report::Entity)
        .cond_where(scope::visible_reports(&caller.viewer))
        .to_owned();
    // The tasks are joined only when something is asked of them: a plan to group by, the
    // caller's scope, a filter. The office's province-wide count by unit reads reports alone.
    let unfiltered =
        filter.document_id.is_none() && filter.department_id.is_none() && filter.from.is_none() && filter.to.is_none();
    let needs_tasks = group == Group::Document || scope::visible_task_ids(&caller.viewer).is_some() || !unfiltered;
    if needs_tasks {
        query.inner_join(
            task::Entity,
            Expr::col((task::Entity, task::Column::Id))
                .equals((progress_report::Entity, progress_report::Column::TaskId)),
        );
        let task_group = if group == Group::Unit { Group::All } else { group };
        scoped(&mut query, caller, filter, task_group);
    }
    if group == Group::Unit {
        query.group_by_col((progress_report::Entity, progress_report::Column::DepartmentId));
        if let Some(own) = own_unit(caller) {
            query.and_where(r(progress_report::Column::DepartmentId).eq(own));
        }
    }
    query
}

/// Reporting periods of the filtered, visible tasks: by plan, or by the unit that owes them,
/// added up from the counts each part keeps (`assignment.periods_*`), not from the period rows.
/// A period past its due day that the catch-up has not recorded yet counts as missed. A unit
/// account counts its own unit's periods only.
fn periods(caller: &Caller, filter: &StatisticsFilter, group: Group) -> SelectStatement {
    let a = |c: assignment::Column| -> SimpleExpr { Expr::col((assignment::Entity, c)) };
    let overdue =
        || -> SimpleExpr { Expr::case(a(assignment::Column::PeriodDueOn).lt(caller.today()), 1).finally(0).into() };
    let group_id = match group {
        Group::All => Expr::cust("NULL"),
        Group::Document => tcol(task::Column::DocumentId),
        Group::Unit => a(assignment::Column::DepartmentId),
    };
    let judged = a(assignment::Column::PeriodsOnTime)
        .add(a(assignment::Column::PeriodsLate))
        .add(a(assignment::Column::PeriodsMissed))
        .add(overdue());
    let missed = a(assignment::Column::PeriodsMissed).add(overdue());
    let total = |c: assignment::Column| -> SimpleExpr { Func::sum(a(c)).into() };
    let mut query = Query::select()
        .expr_as(group_id, Alias::new("group_id"))
        .expr_as(Func::sum(judged), Alias::new("due"))
        .expr_as(total(assignment::Column::PeriodsOnTime), Alias::new("on_time"))
        .expr_as(total(assignment::Column::PeriodsLate), Alias::new("late"))
        .expr_as(Func::sum(missed), Alias::new("missed"))
        .from(assignment::Entity)
        .inner_join(
            task::Entity,
            Expr::col((task::Entity, task::Column::Id)).equals((assignment::Entity, assignment::Column::TaskId)),
        )
        .and_where(
            a(assignment::Column::PeriodDueOn)
                .is_not_null()
                .or(a(assignment::Column::PeriodsOnTime).gt(0))
                .or(a(assignment::Column::PeriodsLate).gt(0))
                .or(a(assignment::Column::PeriodsMissed).gt(0)),
        )
        .to_owned();
    let task_group = if group == Group::Unit { Group::All } else { group };
    scoped(&mut query, caller, filter, task_group);
    if group == Group::Unit {
        query.group_by_col((assignment::Entity, assignment::Column::DepartmentId));
    }
    if let Some(principal) = caller.viewer.principal().filter(|p| p.is_unit_scoped()) {
        query.and_where(a(assignment::Column::DepartmentId).eq(principal.department_id.unwrap_or(0)));
    }
    query
}
