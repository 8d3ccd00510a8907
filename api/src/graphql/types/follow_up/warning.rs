//! `Warning`: a computed level and the reasons behind it.

use crate::domain::follow_up::warning::{Level, Reason};
use async_graphql::{Enum, SimpleObject};

/// How urgent a piece of work is (红黄绿灯): computed at each request, never stored.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarningLevel {
    /// Not open work (under review, completed, archived, suspended): nothing to warn about.
    None,
    /// Open work on track.
    Green,
    /// The due date approaches.
    Blue,
    /// Urgent or behind: due very soon, behind the expected pace, a report missing or late,
    /// not signed in time, an urging unanswered.
    Yellow,
    /// Overdue, or far behind the expected pace.
    Red,
}

impl From<Level> for WarningLevel {
    fn from(level: Level) -> Self {
        match level {
            Level::None => WarningLevel::None,
            Level::Green => WarningLevel::Green,
            Level::Blue => WarningLevel::Blue,
            Level::Yellow => WarningLevel::Yellow,
            Level::Red => WarningLevel::Red,
        }
    }
}

impl From<WarningLevel> for Level {
    fn from(level: WarningLevel) -> Self {
        match level {
            WarningLevel::None => Level::None,
            WarningLevel::Green => Level::Green,
            WarningLevel::Blue => Level::Blue,
            WarningLevel::Yellow => Level::Yellow,
            WarningLevel::Red => Level::Red,
        }
    }
}

/// A warning: its level and every reason that fired.
#[derive(SimpleObject, Debug, Clone)]
pub struct Warning {
    /// The most urgent reason's level; GREEN for open work without one, NONE for closed work.
    pub level: WarningLevel,
    /// Why, most urgent first.
    pub reasons: Vec<WarningReason>,
}

/// One reason of a warning.
#[derive(SimpleObject, Debug, Clone)]
pub struct WarningReason {
    /// Stable code: OVERDUE, FAR_BEHIND_PACE, DUE_VERY_SOON, BEHIND_PACE, REPORT_MISSING,
    /// REPORT_LATE, NOT_SIGNED, URGING_UNANSWERED, DUE_SOON.
    pub code: String,
    /// The level this reason gives.
    pub level: WarningLevel,
    /// For people (Chinese).
    pub message: String,
}

impl Warning {
    /// The warning of `reasons` (what `Judge::reasons` found) at `level`.
    pub fn new(level: Level, reasons: Vec<Reason>) -> Self {
        Warning {
            level: level.into(),
            reasons: reasons
                .into_iter()
                .map(|r| WarningReason {
                    code: r.code().to_owned(),
                    level: r.level().into(),
                    message: message(r).to_owned(),
                })
                .collect(),
        }
    }
}

fn message(reason: Reason) -> &'static str {
    match reason {
        Reason::Overdue => "已逾期",
        Reason::FarBehindPace => "严重滞后于序时进度",
        Reason::DueVerySoon => "即将到期",
        Reason::BehindPace => "滞后于序时进度",
        Reason::ReportMissing => "进展未按时报送",
        Reason::ReportLate => "上次进展逾期报送",
        Reason::NotSigned => "逾期未签收",
        Reason::UrgingUnanswered => "催办未回复",
        Reason::DueSoon => "临近截止日期",
    }
}
