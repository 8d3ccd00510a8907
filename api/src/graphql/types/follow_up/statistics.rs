//! `Query.statistics`: tasks by status, overdue, on-time completion, days to complete, reports
//! on time and late, open urgings — overall, by plan and by unit.

use super::super::enums::{AssignmentRole, TaskStatus};
use super::super::{Department, Document};
use crate::domain::follow_up::statistics::{self as domain, Figures, ReportFigures};
use crate::graphql::context::{self, parse_opt_id};
use crate::graphql::loaders::load_failed;
use crate::graphql::scalars::Date;
use async_graphql::{Context, InputObject, Object, Result, SimpleObject};

/// Which tasks count.
#[derive(InputObject, Default)]
pub struct StatisticsFilter {
    /// Only this plan's tasks.
    pub document_id: Option<async_graphql::ID>,
    /// Only tasks this unit is on (any role).
    pub department_id: Option<async_graphql::ID>,
    /// Only tasks handed out on or after this day.
    pub from: Option<Date>,
    /// … on or before this day.
    pub to: Option<Date>,
    /// Judge punctuality against the due date after extensions, not the original one
    /// (statistics judge against the original by default).
    #[graphql(default)]
    pub against_current_due_date: bool,
    /// Which role `byUnit` groups by (LEAD by default).
    pub unit_role: Option<AssignmentRole>,
}

impl StatisticsFilter {
    /// The domain's filter.
    pub fn into_domain(self) -> crate::error::AppResult<domain::StatisticsFilter> {
        Ok(domain::StatisticsFilter {
            document_id: parse_opt_id(self.document_id.as_ref())?,
            department_id: parse_opt_id(self.department_id.as_ref())?,
            from: self.from.map(|d| d.0),
            to: self.to.map(|d| d.0),
            against_current_due_date: self.against_current_due_date,
            unit_role: self.unit_role.map(Into::into),
        })
    }
}

pub struct Statistics(pub domain::Statistics);

/// Where the figures are selected: `Statistics.overall`, `.byDocument` and `.byUnit`, and the
/// `statistics` of a plan's and a unit's row.
const OVERALL: (&str, &str) = ("Statistics", "overall");
const BY_DOCUMENT: (&str, &str) = ("Statistics", "byDocument");
const BY_UNIT: (&str, &str) = ("Statistics", "byUnit");
const DOCUMENT_ROW: (&str, &str) = ("DocumentStatistics", "statistics");
const UNIT_ROW: (&str, &str) = ("UnitStatistics", "statistics");

/// Where a figure of `StatisticsRow` is read from: the tasks, the reports, or the parts'
/// period counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Tasks,
    Reports,
    Periods,
}

/// The fields of `StatisticsRow` and where each is read from. Checked against the schema by a
/// test.
const ROW_FIELDS: &[(&str, Source)] = &[
    ("averageDaysToComplete", Source::Tasks),
    ("byStatus", Source::Tasks),
    ("completed", Source::Tasks),
    ("completedOnTime", Source::Tasks),
    ("onTimeRate", Source::Tasks),
    ("openUrgings", Source::Tasks),
    ("overdue", Source::Tasks),
    ("overdueShare", Source::Tasks),
    ("periodsDue", Source::Periods),
    ("periodsLate", Source::Periods),
    ("periodsMissed", Source::Periods),
    ("periodsOnTime", Source::Periods),
    ("reports", Source::Reports),
    ("reportsLate", Source::Reports),
    ("reportsOnTime", Source::Reports),
    ("total", Source::Tasks),
];

/// Which figures the selection of `Query.statistics` being resolved asks for.
pub fn asked(ctx: &Context<'_>) -> domain::Asked {
    let look = ctx.look_ahead();
    let from = |source: Source| {
        move |row: &async_graphql::Lookahead<'_>| {
            ROW_FIELDS.iter().any(|(field, from)| *from == source && row.field(field).exists())
        }
    };
    let (reports_in, periods_in) = (from(Source::Reports), from(Source::Periods));
    let (overall, by_document, by_unit) = (look.field(OVERALL.1), look.field(BY_DOCUMENT.1), look.field(BY_UNIT.1));
    let (document_row, unit_row) = (by_document.field(DOCUMENT_ROW.1), by_unit.field(UNIT_ROW.1));
    domain::Asked {
        overall: overall.exists(),
        by_document: by_document.exists(),
        by_unit: by_unit.exists(),
        overall_reports: reports_in(&overall),
        document_reports: reports_in(&document_row),
        unit_reports: reports_in(&unit_row),
        overall_periods: periods_in(&overall),
        document_periods: periods_in(&document_row),
        unit_periods: periods_in(&unit_row),
    }
}

/// Statistics overall, by plan and by unit.
#[Object]
impl Statistics {
    /// Every task counted.
    async fn overall(&self) -> StatisticsRow {
        StatisticsRow::from(&self.0.overall)
    }
    /// One row per plan.
    async fn by_document(&self) -> Vec<DocumentStatistics> {
        self.0
            .by_document
            .iter()
            .map(|row| DocumentStatistics { id: row.0.group_id.unwrap_or_default(), row: StatisticsRow::from(row) })
            .collect()
    }
    /// One row per unit (in the role of the filter's `unitRole`); a unit account sees its own.
    async fn by_unit(&self) -> Vec<UnitStatistics> {
        self.0
            .by_unit
            .iter()
            .map(|row| UnitStatistics { id: row.0.group_id.unwrap_or_default(), row: StatisticsRow::from(row) })
            .collect()
    }
}

pub struct DocumentStatistics {
    id: i32,
    row: StatisticsRow,
}

/// A plan's row.
#[Object]
impl DocumentStatistics {
    /// The plan.
    async fn document(&self, ctx: &Context<'_>) -> Result<Option<Document>> {
        let document = context::loaders(ctx).documents.load_one(self.id).await.map_err(load_failed)?;
        Ok(document.map(Document))
    }
    /// Its figures.
    async fn statistics(&self) -> &StatisticsRow {
        &self.row
    }
}

pub struct UnitStatistics {
    id: i32,
    row: StatisticsRow,
}

/// A unit's row.
#[Object]
impl UnitStatistics {
    /// The unit.
    async fn department(&self, ctx: &Context<'_>) -> Result<Option<Department>> {
        let dept = context::loaders(ctx).departments.load_one(self.id).await.map_err(load_failed)?;
        Ok(dept.map(Department::from))
    }
    /// Its figures.
    async fn statistics(&self) -> &StatisticsRow {
        &self.row
    }
}

/// How many tasks are in one status.
#[derive(SimpleObject, Clone)]
pub struct StatusCount {
    /// The status.
    pub status: TaskStatus,
    /// How many tasks.
    pub count: i32,
}

/// The figures of a group of tasks.
#[derive(SimpleObject, Clone)]
pub struct StatisticsRow {
    /// Tasks counted.
    pub total: i32,
    /// Tasks by status.
    pub by_status: Vec<StatusCount>,
    /// Open tasks (not started, in progress, returned) past their due date.
    pub overdue: i32,
    /// 逾期占比: `overdue` over the tasks that can be overdue — open tasks with a due date (not
    /// ongoing work without one, not tasks completed, archived, suspended or under review); 0 to
    /// 1, null when there are none.
    pub overdue_share: Option<f64>,
    /// Tasks completed (办结, archived ones included).
    pub completed: i32,
    /// Completed tasks that had a due date and met it: the completion report the office finally
    /// approved was handed in by the due date (the office's review time does not count against
    /// the unit), judged against the original due date unless the filter says otherwise.
    pub completed_on_time: i32,
    /// `completedOnTime` over completed tasks that had a due date (按期完成率; null when none).
    pub on_time_rate: Option<f64>,
    /// Average days from hand-out to completion (平均办结时长; null when none completed).
    pub average_days_to_complete: Option<f64>,
    /// Progress reports sent.
    pub reports: i32,
    /// Reports that answered a due date in time.
    pub reports_on_time: i32,
    /// Reports sent after their due date (逾期报送).
    pub reports_late: i32,
    /// Reporting periods judged so far (报送周期: each expected report of each unit's part,
    /// whose due day has passed or which a report answered): `periodsOnTime + periodsLate +
    /// periodsMissed`. A unit account counts its own unit's periods.
    pub periods_due: i32,
    /// Periods answered by their due day.
    pub periods_on_time: i32,
    /// Periods answered after their due day, before the next period fell due (补报).
    pub periods_late: i32,
    /// Periods whose due day passed without an answer (未报送): silence counts here, not as
    /// nothing.
    pub periods_missed: i32,
    /// Urgings not answered yet.
    pub open_urgings: i32,
}

impl From<&(Figures, ReportFigures)> for StatisticsRow {
    fn from((f, r): &(Figures, ReportFigures)) -> Self {
        let n = |v: Option<i64>| v.unwrap_or(0) as i32;
        let by_status = [
            (TaskStatus::NotStarted, f.not_started),
            (TaskStatus::InProgress, f.in_progress),
            (TaskStatus::PendingReview, f.pending_review),
            (TaskStatus::Returned, f.returned),
            (TaskStatus::Completed, f.completed),
            (TaskStatus::Archived, f.archived),
            (TaskStatus::Suspended, f.suspended),
        ]
        .into_iter()
        .map(|(status, count)| StatusCount { status, count: n(count) })
        .collect();
        let share = |part: i64, whole: i64| (whole > 0).then(|| part as f64 / whole as f64);
        StatisticsRow {
            total: f.total as i32,
            by_status,
            overdue: n(f.overdue),
            overdue_share: share(f.overdue.unwrap_or(0), f.dated_open.unwrap_or(0)),
            completed: n(f.finished),
            completed_on_time: n(f.finished_on_time),
            on_time_rate: share(f.finished_on_time.unwrap_or(0), f.finished_with_due.unwrap_or(0)),
            average_days_to_complete: f.average_days,
            reports: r.reports as i32,
            reports_on_time: n(r.on_time),
            reports_late: n(r.late),
            periods_due: n(r.periods_due),
            periods_on_time: n(r.periods_on_time),
            periods_late: n(r.periods_late),
            periods_missed: n(r.periods_missed),
            open_urgings: n(f.open_urgings),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fields_the_look_ahead_reads_are_the_schemas() {
        let types = crate::graphql::served_fields();
        for (ty, field) in [OVERALL, BY_DOCUMENT, BY_UNIT, DOCUMENT_ROW, UNIT_ROW] {
            assert!(types[ty].iter().any(|f| f == field), "{ty}.{field} is not in the schema: rename it here too");
        }
        let mut served = types["StatisticsRow"].clone();
        served.sort();
        let listed: Vec<String> = ROW_FIELDS.iter().map(|(f, _)| (*f).to_owned()).collect();
        assert_eq!(listed, served, "every field of StatisticsRow says whether it reads the reports");
    }
}
