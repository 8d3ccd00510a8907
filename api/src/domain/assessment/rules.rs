//! The office's scoring rules (考核细则): points per fact and the span judged over by default.
//! Stored in one row, changed by admins (audited), validated so that punctuality never scores
//! below lateness and lateness never below silence.

use super::facts::FactKind;
use crate::domain::Caller;
use crate::domain::audit;
use crate::error::{AppError, AppResult};
use crate::policy::rules;
use entity::{AssessmentPeriodKind, assessment_rules};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set, TransactionTrait};

/// Points per fact; a unit's score is `base` plus the points of its facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rules {
    pub base: i32,
    pub completed_on_time: i32,
    pub completed_late: i32,
    pub period_on_time: i32,
    pub period_late: i32,
    pub period_missed: i32,
    pub signed_late: i32,
    pub urged: i32,
    pub urging_answered_late: i32,
    pub completion_returned: i32,
    /// The span the office judges over when none is named.
    pub judged_over: AssessmentPeriodKind,
}

impl Default for Rules {
    /// The defaults README documents: 100 to start, +5 a task completed on time (+2 late), +1 a
    /// period reported on time, −1 reported late, −3 missed, −1 a sign-off past its deadline,
    /// −1 an urging received, −2 an urging answered late, −2 a completion returned; by month.
    fn default() -> Self {
        Rules {
            base: 100,
            completed_on_time: 5,
            completed_late: 2,
            period_on_time: 1,
            period_late: -1,
            period_missed: -3,
            signed_late: -1,
            urged: -1,
            urging_answered_late: -2,
            completion_returned: -2,
            judged_over: AssessmentPeriodKind::Month,
        }
    }
}

impl Rules {
    /// The points a fact of `kind` is worth.
    pub fn points(&self, kind: FactKind) -> i32 {
        match kind {
            FactKind::CompletedOnTime => self.completed_on_time,
            FactKind::CompletedLate => self.completed_late,
            FactKind::PeriodOnTime => self.period_on_time,
            FactKind::PeriodLate => self.period_late,
            FactKind::PeriodMissed => self.period_missed,
            FactKind::SignedLate => self.signed_late,
            FactKind::Urged => self.urged,
            FactKind::UrgingAnsweredLate => self.urging_answered_late,
            FactKind::CompletionReturned => self.completion_returned,
        }
    }

    /// Refuses rules that would reward the wrong thing: points outside −100…100, a base outside
    /// 0…1000, lateness worth more than punctuality or silence worth more than lateness.
    pub fn validate(self) -> AppResult<Self> {
        let points = [
            self.completed_on_time,
            self.completed_late,
            self.period_on_time,
            self.period_late,
            self.period_missed,
            self.signed_late,
            self.urged,
            self.urging_answered_late,
            self.completion_returned,
        ];
        if !(0..=1000).contains(&self.base) {
            return Err(AppError::bad_input("base must be between 0 and 1000"));
        }
        if points.iter().any(|p| !(-100..=100).contains(p)) {
            return Err(AppError::bad_input("points must be between -100 and 100"));
        }
        if self.completed_late > self.completed_on_time {
            return Err(AppError::bad_input("completedLate may not exceed completedOnTime"));
        }
        if !(self.period_on_time >= self.period_late && self.period_late >= self.period_missed) {
            return Err(AppError::bad_input("need periodOnTime ≥ periodLate ≥ periodMissed"));
        }
        Ok(self)
    }
}

fn from_row(row: assessment_rules::Model) -> Rules {
    Rules {
        base: row.base,
        completed_on_time: row.completed_on_time,
        completed_late: row.completed_late,
        period_on_time: row.period_on_time,
        period_late: row.period_late,
        period_missed: row.period_missed,
        signed_late: row.signed_late,
        urged: row.urged,
        urging_answered_late: row.urging_answered_late,
        completion_returned: row.completion_returned,
        judged_over: row.judged_over,
    }
}

/// The rules in force (the domain's own use).
pub(super) async fn load(db: &impl ConnectionTrait) -> AppResult<Rules> {
    Ok(assessment_rules::Entity::find_by_id(1).one(db).await?.map_or_else(Rules::default, from_row))
}

/// The rules in force (anyone signed in: a unit may read how it is scored).
pub async fn get(db: &impl ConnectionTrait, caller: &Caller) -> AppResult<Rules> {
    rules::signed_in(&caller.viewer)?;
    load(db).await
}

/// Replaces the rules (admins). Published assessments keep the rules they were scored by.
pub async fn update(db: &impl TransactionTrait, caller: &Caller, new: Rules) -> AppResult<Rules> {
    rules::admin(&caller.viewer)?;
    let new = new.validate()?;
    let txn = audit::begin(db, caller).await?;
    let row = assessment_rules::ActiveModel {
        id: Set(1),
        base: Set(new.base),
        completed_on_time: Set(new.completed_on_time),
        completed_late: Set(new.completed_late),
        period_on_time: Set(new.period_on_time),
        period_late: Set(new.period_late),
        period_missed: Set(new.period_missed),
        signed_late: Set(new.signed_late),
        urged: Set(new.urged),
        urging_answered_late: Set(new.urging_answered_late),
        completion_returned: Set(new.completion_returned),
        judged_over: Set(new.judged_over),
    };
    let before = assessment_rules::Entity::find_by_id(1).one(&txn).await?;
    let after = match &before {
        Some(_) => row.update(&txn).await?,
        None => row.insert(&txn).await?,
    };
    let action = if before.is_some() { audit::Action::Update } else { audit::Action::Create };
    caller.record(audit::keyed(
        audit::Table::AssessmentRules,
        1,
        action,
        before.as_ref().map(audit::json),
        Some(audit::json(&after)),
    ));
    audit::commit(txn, caller, audit::Operation::UpdateAssessmentRules).await?;
    Ok(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_that_reward_the_wrong_thing_are_refused() {
        assert!(Rules::default().validate().is_ok());
        let bad = [
            Rules { completed_late: 6, ..Default::default() },
            Rules { period_late: 2, ..Default::default() },
            Rules { period_missed: 0, ..Default::default() },
            Rules { urged: -101, ..Default::default() },
            Rules { base: -1, ..Default::default() },
        ];
        for rules in bad {
            assert_eq!(rules.validate().unwrap_err().code(), "BAD_USER_INPUT", "{rules:?}");
        }
    }
}
