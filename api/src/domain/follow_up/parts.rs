//! A unit's part when it is handed a task: the day it was handed over, its sign-off deadline
//! (working days after, from the office's calendar) and its first report due date (from the
//! task's reporting rule and deadline).

use super::cadence::{self, ReportRule};
use super::{calendar, settings};
use crate::error::AppResult;
use chrono::NaiveDate;
use entity::{document, task};
use sea_orm::{ConnectionTrait, EntityTrait};

/// What a new part starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewPart {
    pub assigned_on: NaiveDate,
    pub sign_due: NaiveDate,
    pub next_report_due: Option<NaiveDate>,
}

/// Plans new parts handed out on `today`: loads the thresholds and the calendar once.
pub struct PartPlanner {
    sign_due: NaiveDate,
    today: NaiveDate,
}

impl PartPlanner {
    /// A planner for parts handed out on `today`.
    pub async fn new(db: &impl ConnectionTrait, today: NaiveDate) -> AppResult<Self> {
        let days = settings::load(db).await?.sign_working_days.max(0) as u32;
        let calendar = calendar::around(db, today, days).await?;
        Ok(PartPlanner { sign_due: calendar.add_working_days(today, days), today })
    }

    /// The start of a part on `task`, whose reporting rule is `rule`.
    pub fn plan(&self, task: &task::Model, rule: ReportRule) -> NewPart {
        NewPart {
            assigned_on: self.today,
            sign_due: self.sign_due,
            next_report_due: cadence::next_due(rule, task.due_date, self.today),
        }
    }
}

/// The reporting rule of a task: its own, else its plan's.
pub fn rule_of(task: &task::Model, document: Option<&document::Model>) -> ReportRule {
    match task.report_rule.as_deref() {
        Some(own) => ReportRule::from_stored(Some(own)),
        None => ReportRule::from_stored(document.and_then(|d| d.report_rule.as_deref())),
    }
}

/// The reporting rule of a task, reading its plan when it has none of its own.
pub async fn load_rule(db: &impl ConnectionTrait, task: &task::Model) -> AppResult<ReportRule> {
    if task.report_rule.is_some() {
        return Ok(rule_of(task, None));
    }
    let document = document::Entity::find_by_id(task.document_id).one(db).await?;
    Ok(rule_of(task, document.as_ref()))
}
