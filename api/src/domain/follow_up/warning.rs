//! Warnings (预警 / 红黄绿灯): computed, never stored. Each rule is written once, as data
//! ([`Cond`]), and read two ways: as SQL over the task's columns (filters, counts and order run
//! in the database, never as a loop over every task) and evaluated over a row already loaded
//! (the reasons of a task or a unit's part being shown). A test checks both readings agree.
//!
//! The rules, for open work (not started, in progress, returned):
//! - time: due within `approachingDays` → BLUE (`DUE_SOON`), within `urgentDays` → YELLOW
//!   (`DUE_VERY_SOON`), past → RED (`OVERDUE`);
//! - pace (序时进度): the share of the period from hand-out to due date already elapsed against
//!   the latest reported percent; behind by more than `paceYellowPoints` → YELLOW (`BEHIND_PACE`),
//!   by more than `paceRedPoints` → RED (`FAR_BEHIND_PACE`);
//! - a period past its due day that may still be answered → YELLOW (`REPORT_MISSING`), the last
//!   period closed answered late or missed → YELLOW (`REPORT_LATE`; see [`super::periods`]);
//! - a unit that has not signed by its sign-off deadline → YELLOW (`NOT_SIGNED`);
//! - an urging not answered yet → YELLOW (`URGING_UNANSWERED`).
//!
//! No rule firing: GREEN. Work that is not open (pending review, completed, archived,
//! suspended): NONE. Ongoing tasks have no due date, so the time and pace rules never fire.

use super::settings::Thresholds;
use chrono::{Days, NaiveDate};
use entity::{AssignmentState, TaskStatus, assignment, task};
use sea_orm::DbBackend;
use sea_orm::sea_query::{Expr, ExprTrait, Func, SimpleExpr};

/// How urgent something is, from nothing to see to overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    None,
    Green,
    Blue,
    Yellow,
    Red,
}

impl Level {
    /// The number the SQL level expression yields (and orders by).
    pub fn rank(self) -> i32 {
        match self {
            Level::None => 0,
            Level::Green => 1,
            Level::Blue => 2,
            Level::Yellow => 3,
            Level::Red => 4,
        }
    }
}

/// Why a warning fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    Overdue,
    DueVerySoon,
    DueSoon,
    FarBehindPace,
    BehindPace,
    ReportMissing,
    ReportLate,
    NotSigned,
    UrgingUnanswered,
}

impl Reason {
    /// Every reason, most urgent first.
    pub const ALL: [Reason; 9] = [
        Reason::Overdue,
        Reason::FarBehindPace,
        Reason::DueVerySoon,
        Reason::BehindPace,
        Reason::ReportMissing,
        Reason::ReportLate,
        Reason::NotSigned,
        Reason::UrgingUnanswered,
        Reason::DueSoon,
    ];

    /// The level the reason gives.
    pub fn level(self) -> Level {
        match self {
            Reason::Overdue | Reason::FarBehindPace => Level::Red,
            Reason::DueSoon => Level::Blue,
            _ => Level::Yellow,
        }
    }

    /// The stable code clients show and branch on.
    pub fn code(self) -> &'static str {
        match self {
            Reason::Overdue => "OVERDUE",
            Reason::DueVerySoon => "DUE_VERY_SOON",
            Reason::DueSoon => "DUE_SOON",
            Reason::FarBehindPace => "FAR_BEHIND_PACE",
            Reason::BehindPace => "BEHIND_PACE",
            Reason::ReportMissing => "REPORT_MISSING",
            Reason::ReportLate => "REPORT_LATE",
            Reason::NotSigned => "NOT_SIGNED",
            Reason::UrgingUnanswered => "URGING_UNANSWERED",
        }
    }

    /// The rule, as data.
    fn cond(self) -> Cond {
        use Cond::*;
        use Day::*;
        match self {
            Reason::Overdue => Before(Fact::DueDate, Today),
            Reason::DueVerySoon => {
                All(vec![Not(Box::new(Before(Fact::DueDate, Today))), OnOrBefore(Fact::DueDate, Urgent)])
            }
            Reason::DueSoon => {
                All(vec![Not(Box::new(OnOrBefore(Fact::DueDate, Urgent))), OnOrBefore(Fact::DueDate, Approaching)])
            }
            Reason::FarBehindPace => BehindPace(Pace::Red),
            Reason::BehindPace => All(vec![BehindPace(Pace::Yellow), Not(Box::new(BehindPace(Pace::Red)))]),
            Reason::ReportMissing => Before(Fact::ReportDue, Today),
            Reason::ReportLate => Positive(Fact::LateReports),
            Reason::NotSigned => Before(Fact::SignDue, Today),
            Reason::UrgingUnanswered => Positive(Fact::OpenUrgings),
        }
    }
}

/// A fact a rule reads: a column of `task` in SQL, a field of [`Facts`] in Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fact {
    DueDate,
    AssignedOn,
    LatestPercent,
    ReportDue,
    SignDue,
    LateReports,
    OpenUrgings,
}

/// A day a rule compares with.
#[derive(Debug, Clone, Copy)]
enum Day {
    Today,
    Urgent,
    Approaching,
}

#[derive(Debug, Clone, Copy)]
enum Pace {
    Yellow,
    Red,
}

/// A rule's condition. A missing date or number never fires a rule.
#[derive(Debug, Clone)]
enum Cond {
    Before(Fact, Day),
    OnOrBefore(Fact, Day),
    Positive(Fact),
    /// Behind the expected pace by more than the threshold, while the period runs.
    BehindPace(Pace),
    All(Vec<Cond>),
    Not(Box<Cond>),
}

/// The facts of one piece of open work, as loaded: a task, or one unit's part of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub open: bool,
    pub due_date: Option<NaiveDate>,
    pub assigned_on: Option<NaiveDate>,
    pub latest_percent: Option<i32>,
    pub report_due: Option<NaiveDate>,
    pub sign_due: Option<NaiveDate>,
    pub late_reports: i32,
    pub open_urgings: i32,
}

impl Facts {
    /// The task columns [`Facts::of_task`] reads.
    pub const TASK_COLUMNS: &'static [task::Column] = &[
        task::Column::Status,
        task::Column::DueDate,
        task::Column::AssignedOn,
        task::Column::LatestPercent,
        task::Column::EarliestReportDue,
        task::Column::EarliestSignDue,
        task::Column::LateReportUnits,
        task::Column::OpenUrgings,
    ];

    /// The task columns [`Facts::of_part`] reads.
    pub const PART_TASK_COLUMNS: &'static [task::Column] =
        &[task::Column::Status, task::Column::DueDate, task::Column::AssignedOn, task::Column::LatestPercent];

    /// The assignment columns [`Facts::of_part`] reads.
    pub const PART_COLUMNS: &'static [assignment::Column] = &[
        assignment::Column::State,
        assignment::Column::NextReportDue,
        assignment::Column::SignDue,
        assignment::Column::LastReportLate,
    ];

    /// A task's facts, from its row.
    pub fn of_task(task: &task::Model) -> Facts {
        Facts {
            open: super::states::is_open(task.status),
            due_date: task.due_date,
            assigned_on: task.assigned_on,
            latest_percent: task.latest_percent,
            report_due: task.earliest_report_due,
            sign_due: task.earliest_sign_due,
            late_reports: task.late_report_units,
            open_urgings: task.open_urgings,
        }
    }

    /// One unit's facts on a task: the task's time and pace, the unit's own reports, sign-off
    /// and unanswered urgings (`open_urgings` of this unit).
    pub fn of_part(task: &task::Model, part: &assignment::Model, open_urgings: i32) -> Facts {
        let done = part.state == AssignmentState::Done;
        Facts {
            open: super::states::is_open(task.status) && !done,
            due_date: task.due_date,
            assigned_on: task.assigned_on,
            latest_percent: task.latest_percent,
            report_due: part.next_report_due,
            sign_due: part.sign_due.filter(|_| part.state == AssignmentState::Assigned),
            late_reports: i32::from(part.last_report_late),
            open_urgings,
        }
    }
}

/// "Today" and the thresholds: everything a rule compares with, read once per request.
#[derive(Debug, Clone, Copy)]
pub struct Judge {
    pub today: NaiveDate,
    pub thresholds: Thresholds,
}

impl Judge {
    fn day(&self, day: Day) -> NaiveDate {
        let ahead = match day {
            Day::Today => 0,
            Day::Urgent => self.thresholds.urgent_days,
            Day::Approaching => self.thresholds.approaching_days,
        };
        self.today.checked_add_days(Days::new(std::cmp::max(ahead, 0) as u64)).unwrap_or(self.today)
    }

    fn points(&self, pace: Pace) -> i64 {
        i64::from(match pace {
            Pace::Yellow => self.thresholds.pace_yellow_points,
            Pace::Red => self.thresholds.pace_red_points,
        })
    }

    /// The reasons that fire for `facts`, most urgent first (none for work that is not open).
    pub fn reasons(&self, facts: &Facts) -> Vec<Reason> {
        if !facts.open {
            return Vec::new();
        }
        Reason::ALL.into_iter().filter(|r| self.holds(&r.cond(), facts)).collect()
    }

    /// The level of `facts`: the most urgent reason's, GREEN for open work without one.
    pub fn level(&self, facts: &Facts) -> Level {
        if !facts.open {
            return Level::None;
        }
        self.reasons(facts).iter().map(|r| r.level()).max().unwrap_or(Level::Green)
    }

    fn holds(&self, cond: &Cond, f: &Facts) -> bool {
        let date = |fact: Fact| match fact {
            Fact::DueDate => f.due_date,
            Fact::AssignedOn => f.assigned_on,
            Fact::ReportDue => f.report_due,
            Fact::SignDue => f.sign_due,
            _ => None,
        };
        match cond {
            Cond::Before(fact, day) => date(*fact).is_some_and(|d| d < self.day(*day)),
            Cond::OnOrBefore(fact, day) => date(*fact).is_some_and(|d| d <= self.day(*day)),
            Cond::Positive(Fact::LateReports) => f.late_reports > 0,
            Cond::Positive(Fact::OpenUrgings) => f.open_urgings > 0,
            Cond::Positive(_) => false,
            Cond::BehindPace(pace) => match (f.assigned_on, f.due_date) {
                (Some(start), Some(due)) if due > start && self.today > start && self.today <= due => {
                    let (elapsed, period) = ((self.today - start).num_days(), (due - start).num_days());
                    let percent = i64::from(f.latest_percent.unwrap_or(0));
                    100 * elapsed - percent * period > self.points(*pace) * period
                }
                _ => false,
            },
            Cond::All(all) => all.iter().all(|c| self.holds(c, f)),
            Cond::Not(inner) => !self.holds(inner, f),
        }
    }

    /// The SQL condition of `reason` over the columns of `task` (open work only).
    pub fn sql_reason(&self, reason: Reason, backend: DbBackend) -> SimpleExpr {
        open_sql().and(self.sql(&reason.cond(), backend))
    }

    /// The SQL level of a task (0 NONE … 4 RED), the number [`Level::rank`] gives.
    pub fn sql_level(&self, backend: DbBackend) -> SimpleExpr {
        let any = |level: Level| {
            Reason::ALL
                .into_iter()
                .filter(|r| r.level() == level)
                .map(|r| self.sql(&r.cond(), backend))
                .reduce(|a, b| a.or(b))
                .unwrap_or_else(|| Expr::value(false))
        };
        Expr::case(open_sql().not(), Level::None.rank())
            .case(any(Level::Red), Level::Red.rank())
            .case(any(Level::Yellow), Level::Yellow.rank())
            .case(any(Level::Blue), Level::Blue.rank())
            .finally(Level::Green.rank())
            .into()
    }

    fn sql(&self, cond: &Cond, backend: DbBackend) -> SimpleExpr {
        match cond {
            Cond::Before(fact, day) => column(*fact).lt(self.day(*day)),
            Cond::OnOrBefore(fact, day) => column(*fact).lte(self.day(*day)),
            Cond::Positive(fact) => column(*fact).gt(0),
            Cond::BehindPace(pace) => {
                let (start, due) = (column(Fact::AssignedOn), column(Fact::DueDate));
                let today = Expr::value(self.today);
                let elapsed = days_between(today.clone(), start.clone(), backend);
                let period = days_between(due.clone(), start.clone(), backend);
                let percent: SimpleExpr = Func::coalesce([column(Fact::LatestPercent), Expr::value(0)]).into();
                let behind = Expr::value(100).mul(elapsed).sub(percent.mul(period.clone()));
                due.clone()
                    .gt(start.clone())
                    .and(start.lt(self.today))
                    .and(due.gte(self.today))
                    .and(behind.gt(Expr::value(self.points(*pace)).mul(period)))
            }
            Cond::All(all) => {
                all.iter().map(|c| self.sql(c, backend)).reduce(|a, b| a.and(b)).unwrap_or_else(|| Expr::value(true))
            }
            Cond::Not(inner) => self.sql(inner, backend).not(),
        }
    }
}

/// `task.status` is one of the open ones.
fn open_sql() -> SimpleExpr {
    Expr::col((task::Entity, task::Column::Status)).is_in([
        TaskStatus::NotStarted,
        TaskStatus::InProgress,
        TaskStatus::Returned,
    ])
}

fn column(fact: Fact) -> SimpleExpr {
    let col = match fact {
        Fact::DueDate => task::Column::DueDate,
        Fact::AssignedOn => task::Column::AssignedOn,
        Fact::LatestPercent => task::Column::LatestPercent,
        Fact::ReportDue => task::Column::EarliestReportDue,
        Fact::SignDue => task::Column::EarliestSignDue,
        Fact::LateReports => task::Column::LateReportUnits,
        Fact::OpenUrgings => task::Column::OpenUrgings,
    };
    Expr::col((task::Entity, col))
}

/// Whole days from `earlier` to `later` (dates): SQLite counts Julian days, PostgreSQL
/// subtracts dates. (Custom SQL placeholders are the backend's own: `?` and `$n`.)
pub fn days_between(later: SimpleExpr, earlier: SimpleExpr, backend: DbBackend) -> SimpleExpr {
    match backend {
        DbBackend::Sqlite => Expr::cust_with_exprs("CAST(julianday(?) - julianday(?) AS INTEGER)", [later, earlier]),
        _ => Expr::cust_with_exprs("(CAST($1 AS date) - CAST($2 AS date))", [later, earlier]),
    }
}

/// The county's calendar day (UTC+8, as the domain's clock) of a stored timestamp, whatever
/// the database session's time zone.
pub fn county_day(timestamp: SimpleExpr, backend: DbBackend) -> SimpleExpr {
    match backend {
        DbBackend::Sqlite => Expr::cust_with_exprs("date(?, '+8 hours')", [timestamp]),
        _ => Expr::cust_with_exprs("CAST(($1 AT TIME ZONE 'UTC') + INTERVAL '8 hours' AS date)", [timestamp]),
    }
}

#[cfg(test)]
#[path = "warning_tests.rs"]
mod tests;
