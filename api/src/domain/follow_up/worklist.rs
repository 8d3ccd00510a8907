//! The office's list of what to urge (待催办): the office and leaders see, longest waiting first,
//! every unit that owes something on open work —
//! - a sign-off past its deadline (`SIGN_OVERDUE`, waiting since the deadline);
//! - a reporting period missed (`PERIOD_MISSED`, since the oldest period missed and not yet
//!   answered, whether it may still be answered late or not);
//! - an overdue task's lead unit not urged in the last `urgeAgainDays` days
//!   (`OVERDUE_NOT_URGED`, since the due date);
//! - an urging not answered by its reply-by day (`URGING_UNANSWERED`, since that day).
//!
//! `urgings::urge` takes the whole list, or a selection of it, in one transaction.

use super::settings;
use super::states;
use crate::domain::Caller;
use crate::error::AppResult;
use crate::policy::follow_up as may;
use crate::policy::rules;
use chrono::NaiveDate;
use entity::{AssignmentRole, AssignmentState, DepartmentKind, TaskStatus, assignment, department, task, urging};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationTrait,
};
use std::collections::HashMap;

/// Why a unit is on the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UrgeReason {
    SignOverdue,
    PeriodMissed,
    OverdueNotUrged,
    UrgingUnanswered,
}

/// One unit owing something on one task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrgeItem {
    pub reason: UrgeReason,
    pub task_id: i32,
    pub unit_id: i32,
    /// The day it has waited since.
    pub since: NaiveDate,
    /// The unanswered urging (`URGING_UNANSWERED`).
    pub urging_id: Option<i32>,
    /// The last day the unit was urged on the task, if ever.
    pub last_urged_on: Option<NaiveDate>,
}

impl UrgeItem {
    /// Days it has waited, as of `today`.
    pub fn waiting_days(&self, today: NaiveDate) -> i64 {
        (today - self.since).num_days()
    }
}

/// Which part of the list.
#[derive(Debug, Clone, Default)]
pub struct UrgeFilter {
    pub document_id: Option<i32>,
    /// Only these reasons (all when empty).
    pub reasons: Vec<UrgeReason>,
}

const OPEN: [TaskStatus; 3] = [TaskStatus::NotStarted, TaskStatus::InProgress, TaskStatus::Returned];

/// Parts of units (not groups or catch-all names) still working on open tasks, of the plan.
fn working_parts(document_id: Option<i32>) -> sea_orm::Select<assignment::Entity> {
    debug_assert!(OPEN.iter().all(|s| states::is_open(*s)));
    let mut parts = assignment::Entity::find()
        .join(JoinType::InnerJoin, assignment::Relation::Department.def())
        .join(JoinType::InnerJoin, assignment::Relation::Task.def())
        .filter(department::Column::Kind.eq(DepartmentKind::Unit))
        .filter(task::Column::Status.is_in(OPEN))
        .filter(assignment::Column::State.ne(AssignmentState::Done));
    if let Some(id) = document_id {
        parts = parts.filter(assignment::Column::TaskDocumentId.eq(id));
    }
    parts
}

/// The list (the office and leaders), longest waiting first.
pub async fn urge_list(db: &impl ConnectionTrait, caller: &Caller, filter: &UrgeFilter) -> AppResult<Vec<UrgeItem>> {
    may::may_urge(rules::account(&caller.viewer)?)?;
    let today = caller.today();
    let wanted = |reason| filter.reasons.is_empty() || filter.reasons.contains(&reason);
    let mut items = Vec::new();

    if wanted(UrgeReason::SignOverdue) {
        let late = working_parts(filter.document_id)
            .filter(assignment::Column::State.eq(AssignmentState::Assigned))
            .filter(assignment::Column::SignDue.lt(today))
            .all(db)
            .await?;
        items.extend(late.into_iter().filter_map(|part| {
            Some(UrgeItem {
                reason: UrgeReason::SignOverdue,
                task_id: part.task_id,
                unit_id: part.department_id,
                since: part.sign_due?,
                urging_id: None,
                last_urged_on: None,
            })
        }));
    }

    if wanted(UrgeReason::PeriodMissed) {
        // The oldest period owed: one missed and no longer answerable, the one a report may
        // still answer late (补报), or the open one past its due day before the catch-up.
        let missed = working_parts(filter.document_id)
            .filter(
                Condition::any()
                    .add(assignment::Column::MissedSince.is_not_null())
                    .add(assignment::Column::NextReportDue.lt(today))
                    .add(assignment::Column::PeriodDueOn.lt(today)),
            )
            .all(db)
            .await?;
        items.extend(missed.into_iter().filter_map(|part| {
            let past = |day: Option<NaiveDate>| day.filter(|d| *d < today);
            let since = [part.missed_since, past(part.next_report_due), past(part.period_due_on)]
                .into_iter()
                .flatten()
                .min()?;
            Some(UrgeItem {
                reason: UrgeReason::PeriodMissed,
                task_id: part.task_id,
                unit_id: part.department_id,
                since,
                urging_id: None,
                last_urged_on: None,
            })
        }));
    }

    if wanted(UrgeReason::OverdueNotUrged) {
        let thresholds = settings::load(db).await?;
        let leads = working_parts(filter.document_id)
            .filter(assignment::Column::Role.eq(AssignmentRole::Lead))
            .filter(task::Column::DueDate.lt(today))
            .select_only()
            .column(assignment::Column::TaskId)
            .column(assignment::Column::DepartmentId)
            .column(task::Column::DueDate)
            .into_tuple::<(i32, i32, NaiveDate)>()
            .all(db)
            .await?;
        let recent_from = today - chrono::Days::new(thresholds.urge_again_days as u64 - 1);
        for (task_id, unit_id, due) in leads {
            items.push(UrgeItem {
                reason: UrgeReason::OverdueNotUrged,
                task_id,
                unit_id,
                since: due,
                urging_id: None,
                last_urged_on: None,
            });
        }
        // Urged within the last `urgeAgainDays` days (today included): not due another yet.
        let last = last_urged(db, &items).await?;
        items.retain(|item| {
            item.reason != UrgeReason::OverdueNotUrged
                || last.get(&(item.task_id, item.unit_id)).is_none_or(|day| *day < recent_from)
        });
    }

    if wanted(UrgeReason::UrgingUnanswered) {
        let mut unanswered = urging::Entity::find()
            .join(JoinType::InnerJoin, urging_task())
            .filter(task::Column::Status.is_in(OPEN))
            .filter(urging::Column::ReplyBy.lt(today))
            .filter(urging::Column::AnsweredAt.is_null())
            .filter(urging::Column::ClosedAt.is_null());
        if let Some(id) = filter.document_id {
            unanswered = unanswered.filter(task::Column::DocumentId.eq(id));
        }
        items.extend(unanswered.all(db).await?.into_iter().filter_map(|urged| {
            Some(UrgeItem {
                reason: UrgeReason::UrgingUnanswered,
                task_id: urged.task_id,
                unit_id: urged.department_id,
                since: urged.reply_by?,
                urging_id: Some(urged.id),
                last_urged_on: None,
            })
        }));
    }

    let last = last_urged(db, &items).await?;
    for item in &mut items {
        item.last_urged_on = last.get(&(item.task_id, item.unit_id)).copied();
    }
    items.sort_by_key(|i| (i.since, i.reason, i.task_id, i.unit_id));
    Ok(items)
}

fn urging_task() -> sea_orm::RelationDef {
    urging::Entity::belongs_to(task::Entity).from(urging::Column::TaskId).to(task::Column::Id).into()
}

/// The last day each (task, unit) of `items` was urged.
async fn last_urged(db: &impl ConnectionTrait, items: &[UrgeItem]) -> AppResult<HashMap<(i32, i32), NaiveDate>> {
    let mut tasks: Vec<i32> = items.iter().map(|i| i.task_id).collect();
    tasks.sort_unstable();
    tasks.dedup();
    let mut last: HashMap<(i32, i32), NaiveDate> = HashMap::new();
    for chunk in tasks.chunks(1000) {
        let rows = urging::Entity::find()
            .select_only()
            .column(urging::Column::TaskId)
            .column(urging::Column::DepartmentId)
            .expr(Func::max(Expr::col(urging::Column::CreatedAt)))
            .filter(urging::Column::TaskId.is_in(chunk.to_vec()))
            .group_by(urging::Column::TaskId)
            .group_by(urging::Column::DepartmentId)
            .into_tuple::<(i32, i32, chrono::DateTime<chrono::Utc>)>()
            .all(db)
            .await?;
        for (task_id, unit_id, at) in rows {
            last.insert((task_id, unit_id), crate::domain::clock::county_day(at));
        }
    }
    Ok(last)
}
