//! The office's settings as GraphQL: warning thresholds, calendar exceptions, reporting rules.

use crate::domain::follow_up::cadence::ReportRule as Rule;
use crate::domain::follow_up::settings::Thresholds;
use crate::graphql::scalars::Date;
use async_graphql::{Enum, InputObject, SimpleObject};
use entity::calendar_day;

/// The thresholds warnings, sign-off deadlines and default periods use.
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct WarningSettings {
    /// A due date this many days ahead or fewer is approaching (BLUE).
    pub approaching_days: i32,
    /// … this many or fewer is urgent (YELLOW); at most `approachingDays`.
    pub urgent_days: i32,
    /// Behind the expected pace by more than this many percentage points: YELLOW.
    pub pace_yellow_points: i32,
    /// … by more than this many: RED; more than `paceYellowPoints`, at most 100.
    pub pace_red_points: i32,
    /// Working days a unit has to sign for a task it was handed (0 to 30).
    pub sign_working_days: i32,
    /// Months after a higher-level policy's issue that a task waiting for it gets when it names
    /// no period of its own (1 to 24); such a due date waits for the office to confirm it.
    pub policy_default_months: i32,
    /// Days after an urging before an overdue task's lead unit is on the office's list of what
    /// to urge (`urgeList`) again (1 to 90).
    pub urge_again_days: i32,
}

/// New thresholds; `policyDefaultMonths` and `urgeAgainDays` stay as they are when left out.
#[derive(InputObject, Debug, Clone, Copy)]
pub struct WarningSettingsInput {
    /// A due date this many days ahead or fewer is approaching (BLUE).
    pub approaching_days: i32,
    /// … this many or fewer is urgent (YELLOW); at most `approachingDays`.
    pub urgent_days: i32,
    /// Behind the expected pace by more than this many percentage points: YELLOW.
    pub pace_yellow_points: i32,
    /// … by more than this many: RED; more than `paceYellowPoints`, at most 100.
    pub pace_red_points: i32,
    /// Working days a unit has to sign for a task it was handed (0 to 30).
    pub sign_working_days: i32,
    /// Months after a policy's issue for a task that names no period (1 to 24).
    pub policy_default_months: Option<i32>,
    /// Days after an urging before an overdue task's lead unit is due another (1 to 90).
    pub urge_again_days: Option<i32>,
}

impl WarningSettingsInput {
    /// The thresholds it sets, keeping what it leaves out from `current`.
    pub fn over(self, current: Thresholds) -> Thresholds {
        Thresholds {
            approaching_days: self.approaching_days,
            urgent_days: self.urgent_days,
            pace_yellow_points: self.pace_yellow_points,
            pace_red_points: self.pace_red_points,
            sign_working_days: self.sign_working_days,
            policy_default_months: self.policy_default_months.unwrap_or(current.policy_default_months),
            urge_again_days: self.urge_again_days.unwrap_or(current.urge_again_days),
        }
    }
}

impl From<Thresholds> for WarningSettings {
    fn from(t: Thresholds) -> Self {
        WarningSettings {
            approaching_days: t.approaching_days,
            urgent_days: t.urgent_days,
            pace_yellow_points: t.pace_yellow_points,
            pace_red_points: t.pace_red_points,
            sign_working_days: t.sign_working_days,
            policy_default_months: t.policy_default_months,
            urge_again_days: t.urge_again_days,
        }
    }
}

/// A day that differs from Monday to Friday in the office's calendar.
#[derive(SimpleObject, Debug, Clone)]
pub struct CalendarDay {
    /// The day.
    pub day: Date,
    /// True for a make-up working day (调休), false for a holiday (法定节假日).
    pub working: bool,
    /// Why (`国庆节`, `调休`).
    pub note: Option<String>,
}

impl From<calendar_day::Model> for CalendarDay {
    fn from(m: calendar_day::Model) -> Self {
        CalendarDay { day: Date(m.day), working: m.working, note: m.note }
    }
}

/// A day to mark in the calendar.
#[derive(InputObject, Debug, Clone)]
pub struct CalendarDayInput {
    /// The day.
    pub day: Date,
    /// True: a working day; false: a holiday; null: an ordinary day again (the mark is removed).
    pub working: Option<bool>,
    /// Why.
    pub note: Option<String>,
}

/// How often progress reports fall due.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportCadence {
    /// No periodic report (a deadline still asks for one by the deadline).
    None,
    /// Every week, by `day` (1 Monday … 7 Sunday).
    Weekly,
    /// Every month, by `day` (a day past the month's end is its last day).
    Monthly,
    /// Every quarter, `day` days after it ends (0: its last day).
    Quarterly,
    /// Every year, by `month`-`day`.
    Yearly,
}

/// When progress reports fall due (进展报送).
#[derive(SimpleObject, InputObject, Debug, Clone, Copy)]
#[graphql(input_name = "ReportRuleInput")]
pub struct ReportRule {
    /// How often.
    pub cadence: ReportCadence,
    /// The day (see `cadence`); ignored for NONE.
    pub day: Option<i32>,
    /// The month of a YEARLY rule.
    pub month: Option<i32>,
}

impl From<Rule> for ReportRule {
    fn from(rule: Rule) -> Self {
        let (cadence, day, month) = match rule {
            Rule::None => (ReportCadence::None, None, None),
            Rule::Weekly { weekday } => (ReportCadence::Weekly, Some(weekday as i32), None),
            Rule::Monthly { day } => (ReportCadence::Monthly, Some(day as i32), None),
            Rule::Quarterly { days_after } => (ReportCadence::Quarterly, Some(days_after as i32), None),
            Rule::Yearly { month, day } => (ReportCadence::Yearly, Some(day as i32), Some(month as i32)),
        };
        ReportRule { cadence, day, month }
    }
}

impl ReportRule {
    /// The domain's rule (its numbers are checked by the domain).
    pub fn to_rule(self) -> Rule {
        let day = self.day.unwrap_or(0).max(0) as u32;
        match self.cadence {
            ReportCadence::None => Rule::None,
            ReportCadence::Weekly => Rule::Weekly { weekday: day },
            ReportCadence::Monthly => Rule::Monthly { day },
            ReportCadence::Quarterly => Rule::Quarterly { days_after: day },
            ReportCadence::Yearly => Rule::Yearly { month: self.month.unwrap_or(12).max(0) as u32, day },
        }
    }
}
