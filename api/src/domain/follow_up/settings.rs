//! The office's follow-up thresholds: stored in the database (one row), changed by admins,
//! validated so that the warning rules stay meaningful.

use crate::domain::Caller;
use crate::domain::audit;
use crate::error::{AppError, AppResult};
use crate::policy::rules;
use entity::follow_up_settings;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set, TransactionTrait};

/// The thresholds the warnings and sign-off deadlines use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    /// A due date this many days ahead or fewer is approaching (BLUE).
    pub approaching_days: i32,
    /// … this many or fewer is urgent (YELLOW).
    pub urgent_days: i32,
    /// Behind the expected pace by more than this many percentage points: YELLOW.
    pub pace_yellow_points: i32,
    /// … by more than this many: RED.
    pub pace_red_points: i32,
    /// Working days a unit has to sign for a task it was handed.
    pub sign_working_days: i32,
    /// Months after a policy's issue for a task that waited for it and names no period.
    pub policy_default_months: i32,
    /// Days after an urging before an overdue task's lead unit is due another (待催办).
    pub urge_again_days: i32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            approaching_days: 7,
            urgent_days: 3,
            pace_yellow_points: 10,
            pace_red_points: 30,
            sign_working_days: 3,
            policy_default_months: 3,
            urge_again_days: 7,
        }
    }
}

impl Thresholds {
    /// Refuses thresholds the rules cannot use: negative days, urgent after approaching, a
    /// yellow pace at or past the red one.
    pub fn validate(self) -> AppResult<Self> {
        let days_ok = (0..=90).contains(&self.urgent_days) && (self.urgent_days..=90).contains(&self.approaching_days);
        let pace_ok = self.pace_yellow_points > 0
            && self.pace_yellow_points < self.pace_red_points
            && self.pace_red_points <= 100;
        let sign_ok = (0..=30).contains(&self.sign_working_days);
        let policy_ok = (1..=24).contains(&self.policy_default_months);
        let urge_ok = (1..=90).contains(&self.urge_again_days);
        match (days_ok, pace_ok, sign_ok, policy_ok, urge_ok) {
            (false, _, _, _, _) => Err(AppError::bad_input("need 0 ≤ urgentDays ≤ approachingDays ≤ 90")),
            (_, false, _, _, _) => Err(AppError::bad_input("need 0 < paceYellowPoints < paceRedPoints ≤ 100")),
            (_, _, false, _, _) => Err(AppError::bad_input("signWorkingDays must be between 0 and 30")),
            (_, _, _, false, _) => Err(AppError::bad_input("policyDefaultMonths must be between 1 and 24")),
            (_, _, _, _, false) => Err(AppError::bad_input("urgeAgainDays must be between 1 and 90")),
            _ => Ok(self),
        }
    }
}

/// The thresholds in force (the domain's own use, inside any transaction).
pub(in crate::domain) async fn load(db: &impl ConnectionTrait) -> AppResult<Thresholds> {
    let row = follow_up_settings::Entity::find_by_id(1).one(db).await?;
    Ok(row.map_or_else(Thresholds::default, |r| Thresholds {
        approaching_days: r.approaching_days,
        urgent_days: r.urgent_days,
        pace_yellow_points: r.pace_yellow_points,
        pace_red_points: r.pace_red_points,
        sign_working_days: r.sign_working_days,
        policy_default_months: r.policy_default_months,
        urge_again_days: r.urge_again_days,
    }))
}

/// How warnings are judged for the caller (anyone signed in): its today and the thresholds in
/// force, read once per request or table.
pub async fn judge(db: &impl ConnectionTrait, caller: &Caller) -> AppResult<super::warning::Judge> {
    rules::signed_in(&caller.viewer)?;
    Ok(super::warning::Judge { today: caller.today(), thresholds: load(db).await? })
}

/// The thresholds in force (anyone signed in).
pub async fn get(db: &impl ConnectionTrait, caller: &Caller) -> AppResult<Thresholds> {
    rules::signed_in(&caller.viewer)?;
    load(db).await
}

/// Replaces the thresholds (admins).
pub async fn update(db: &impl TransactionTrait, caller: &Caller, new: Thresholds) -> AppResult<Thresholds> {
    rules::admin(&caller.viewer)?;
    let new = new.validate()?;
    let txn = audit::begin(db, caller).await?;
    let row = follow_up_settings::ActiveModel {
        id: Set(1),
        approaching_days: Set(new.approaching_days),
        urgent_days: Set(new.urgent_days),
        pace_yellow_points: Set(new.pace_yellow_points),
        pace_red_points: Set(new.pace_red_points),
        sign_working_days: Set(new.sign_working_days),
        policy_default_months: Set(new.policy_default_months),
        urge_again_days: Set(new.urge_again_days),
    };
    let before = follow_up_settings::Entity::find_by_id(1).one(&txn).await?;
    let after = match &before {
        Some(_) => row.update(&txn).await?,
        None => row.insert(&txn).await?,
    };
    let action = if before.is_some() { audit::Action::Update } else { audit::Action::Create };
    caller.record(audit::keyed(
        audit::Table::FollowUpSettings,
        1,
        action,
        before.as_ref().map(audit::json),
        Some(audit::json(&after)),
    ));
    audit::commit(txn, caller, audit::Operation::UpdateWarningSettings).await?;
    Ok(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_are_validated() {
        assert!(Thresholds::default().validate().is_ok());
        let bad = [
            Thresholds { urgent_days: 8, ..Default::default() },
            Thresholds { approaching_days: -1, urgent_days: -1, ..Default::default() },
            Thresholds { pace_yellow_points: 30, ..Default::default() },
            Thresholds { pace_red_points: 101, ..Default::default() },
            Thresholds { sign_working_days: 31, ..Default::default() },
            Thresholds { urge_again_days: 0, ..Default::default() },
        ];
        for thresholds in bad {
            assert_eq!(thresholds.validate().unwrap_err().code(), "BAD_USER_INPUT", "{thresholds:?}");
        }
    }
}
