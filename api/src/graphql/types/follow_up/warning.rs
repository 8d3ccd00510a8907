//! `Warning`: a computed level and the reasons behind it.

use crate::domain::follow_up::warning::{Level, Reason};
use async_graphql::SimpleObject;

pub use crate::graphql::types::enums::WarningLevel;

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
        Reason::ReportLate => "上一报送周期逾期或未报送",
        Reason::NotSigned => "逾期未签收",
        Reason::UrgingUnanswered => "催办未回复",
        Reason::DueSoon => "临近截止日期",
    }
}
