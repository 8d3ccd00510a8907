//! The facts an assessment scores, read from the record for one span (and one plan, or all):
//! each names its unit, its task, the day it happened on and what it was. Every fact comes from
//! a row the follow-up loop keeps; nothing here is counted that the record does not show.
//!
//! - a task **completed** in the span (approved then), on time when the lead unit handed in
//!   the approved completion report by the task's due date; it counts for the lead unit;
//! - a reporting **period** due in the span: answered on time, late (补报), or missed (a period
//!   whose due day has passed unanswered counts as missed even before the catch-up records it);
//! - a **sign-off** due in the span and made after it, or still not made when it has passed;
//! - an **urging** received in the span, and one whose reply-by day fell in the span and was
//!   answered after it or not at all;
//! - a **completion report returned** (退回) in the span, against the unit that handed it in.
//!
//! Only units that can act (not groups, not catch-all names) are judged: a group's members are
//! judged on the parts they hold through it.

use super::period::Span;
use crate::domain::clock::county_day;
use crate::error::AppResult;
use chrono::NaiveDate;
use entity::{
    AssignmentRole, AssignmentState, CompletionDecision, DepartmentKind, PeriodState, TaskStatus, assignment,
    completion_report, department, report_period, task, urging,
};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeMap, HashMap};

/// What a fact was: the rule it is scored by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FactKind {
    CompletedOnTime,
    CompletedLate,
    PeriodOnTime,
    PeriodLate,
    PeriodMissed,
    SignedLate,
    Urged,
    UrgingAnsweredLate,
    CompletionReturned,
}

/// One fact about one unit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fact {
    pub kind: FactKind,
    pub unit_id: i32,
    pub task_id: i32,
    /// The day it happened on (for a period or a deadline, the day it was due).
    pub on: NaiveDate,
    /// The due day it was judged against, when there was one: the task's due date, the
    /// period's due day, the sign-off deadline, the reply-by day.
    pub due_on: Option<NaiveDate>,
}

/// A task as the facts name it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TaskLabel {
    pub id: i32,
    pub document_id: i32,
    pub seq: i32,
    pub title: String,
}

/// A unit judged.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Unit {
    pub id: i32,
    pub name: String,
}

/// Everything read for one span: the units judged, their facts, the tasks the facts name.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub units: Vec<Unit>,
    pub facts: Vec<Fact>,
    pub tasks: HashMap<i32, TaskLabel>,
}

/// The tasks of the plan, as a subquery (`None`: every plan).
fn plan_tasks(document_id: Option<i32>) -> Option<SelectStatement> {
    document_id.map(|id| {
        Query::select()
            .column(task::Column::Id)
            .from(task::Entity)
            .and_where(Expr::col(task::Column::DocumentId).eq(id))
            .to_owned()
    })
}

fn on_plan(column: impl ColumnTrait, document_id: Option<i32>) -> Condition {
    match plan_tasks(document_id) {
        Some(tasks) => Condition::all().add(column.in_subquery(tasks)),
        None => Condition::all(),
    }
}

/// Reads the facts of `span` (of one plan, or all), judged as of `today`.
pub async fn read(
    db: &impl ConnectionTrait,
    span: Span,
    document_id: Option<i32>,
    today: NaiveDate,
) -> AppResult<Record> {
    let (from, to) = span.instants();
    let (first, last) = (span.first(), span.last());
    let mut facts = Vec::new();

    // Tasks completed (approved) in the span, for their lead units.
    let completed_in_span = || {
        let mut ids = Query::select()
            .column(task::Column::Id)
            .from(task::Entity)
            .and_where(Expr::col(task::Column::Status).is_in([TaskStatus::Completed, TaskStatus::Archived]))
            .and_where(Expr::col(task::Column::CompletedAt).gte(from))
            .and_where(Expr::col(task::Column::CompletedAt).lt(to))
            .to_owned();
        if let Some(id) = document_id {
            ids.and_where(Expr::col(task::Column::DocumentId).eq(id));
        }
        ids
    };
    let completed = task::Entity::find().filter(task::Column::Id.in_subquery(completed_in_span())).all(db).await?;
    if !completed.is_empty() {
        let mut handed_in: HashMap<i32, NaiveDate> = HashMap::new();
        let approved = completion_report::Entity::find()
            .filter(completion_report::Column::Decision.eq(CompletionDecision::Approved))
            .filter(completion_report::Column::TaskId.in_subquery(completed_in_span()))
            .all(db)
            .await?;
        for report in approved {
            let day = county_day(report.created_at);
            handed_in.entry(report.task_id).and_modify(|d| *d = Ord::max(*d, day)).or_insert(day);
        }
        let leads = assignment::Entity::find()
            .filter(assignment::Column::Role.eq(AssignmentRole::Lead))
            .filter(assignment::Column::TaskId.in_subquery(completed_in_span()))
            .all(db)
            .await?;
        let by_task: HashMap<i32, &task::Model> = completed.iter().map(|t| (t.id, t)).collect();
        for lead in leads {
            let Some(task) = by_task.get(&lead.task_id) else { continue };
            let Some(completed_at) = task.completed_at else { continue };
            let on = county_day(completed_at);
            let handed = handed_in.get(&task.id).copied().unwrap_or(on);
            let on_time = task.due_date.is_none_or(|due| handed <= due);
            let kind = if on_time { FactKind::CompletedOnTime } else { FactKind::CompletedLate };
            facts.push(Fact { kind, unit_id: lead.department_id, task_id: task.id, on, due_on: task.due_date });
        }
    }

    // Reporting periods due in the span.
    let periods = report_period::Entity::find()
        .filter(report_period::Column::DueOn.gte(first))
        .filter(report_period::Column::DueOn.lte(last))
        .filter(on_plan(report_period::Column::TaskId, document_id))
        .all(db)
        .await?;
    for period in periods {
        let kind = match period.state {
            PeriodState::OnTime => FactKind::PeriodOnTime,
            PeriodState::Late => FactKind::PeriodLate,
            PeriodState::Missed => FactKind::PeriodMissed,
            PeriodState::Due if period.due_on < today => FactKind::PeriodMissed,
            PeriodState::Due => continue,
        };
        facts.push(Fact {
            kind,
            unit_id: period.department_id,
            task_id: period.task_id,
            on: period.due_on,
            due_on: Some(period.due_on),
        });
    }

    // Sign-offs due in the span, made late or not at all.
    let mut parts = assignment::Entity::find()
        .filter(assignment::Column::SignDue.gte(first))
        .filter(assignment::Column::SignDue.lte(last));
    if let Some(id) = document_id {
        parts = parts.filter(assignment::Column::TaskDocumentId.eq(id));
    }
    for part in parts.all(db).await? {
        let Some(due) = part.sign_due else { continue };
        let late = match part.signed_at {
            Some(at) => county_day(at) > due,
            None => part.state == AssignmentState::Assigned && due < today,
        };
        if late {
            facts.push(Fact {
                kind: FactKind::SignedLate,
                unit_id: part.department_id,
                task_id: part.task_id,
                on: due,
                due_on: Some(due),
            });
        }
    }

    // Urgings received in the span, and urgings due an answer in it.
    let received = urging::Entity::find()
        .filter(urging::Column::CreatedAt.gte(from))
        .filter(urging::Column::CreatedAt.lt(to))
        .filter(on_plan(urging::Column::TaskId, document_id))
        .all(db)
        .await?;
    for urged in received {
        let on = county_day(urged.created_at);
        facts.push(Fact {
            kind: FactKind::Urged,
            unit_id: urged.department_id,
            task_id: urged.task_id,
            on,
            due_on: urged.reply_by,
        });
    }
    let answerable = urging::Entity::find()
        .filter(urging::Column::ReplyBy.gte(first))
        .filter(urging::Column::ReplyBy.lte(last))
        .filter(on_plan(urging::Column::TaskId, document_id))
        .all(db)
        .await?;
    for urged in answerable {
        let Some(reply_by) = urged.reply_by else { continue };
        let late = match (urged.answered_at, urged.closed_at) {
            (Some(at), _) => county_day(at) > reply_by,
            // Closed unanswered with its task: late only if the day had already passed.
            (None, Some(closed)) => county_day(closed) > reply_by,
            (None, None) => reply_by < today,
        };
        if late {
            facts.push(Fact {
                kind: FactKind::UrgingAnsweredLate,
                unit_id: urged.department_id,
                task_id: urged.task_id,
                on: reply_by,
                due_on: Some(reply_by),
            });
        }
    }

    // Completion reports returned in the span.
    let returned = completion_report::Entity::find()
        .filter(completion_report::Column::Decision.eq(CompletionDecision::Returned))
        .filter(completion_report::Column::DecidedAt.gte(from))
        .filter(completion_report::Column::DecidedAt.lt(to))
        .filter(on_plan(completion_report::Column::TaskId, document_id))
        .all(db)
        .await?;
    for report in returned {
        let Some(decided) = report.decided_at else { continue };
        facts.push(Fact {
            kind: FactKind::CompletionReturned,
            unit_id: report.department_id,
            task_id: report.task_id,
            on: county_day(decided),
            due_on: None,
        });
    }

    // The units judged: every unit that holds a part handed out by the span's end, on the plan.
    let mut holders = Query::select()
        .column(assignment::Column::DepartmentId)
        .from(assignment::Entity)
        .cond_where(
            Condition::any()
                .add(assignment::Column::AssignedOn.lte(last))
                .add(assignment::Column::AssignedOn.is_null()),
        )
        .to_owned();
    if let Some(id) = document_id {
        holders.and_where(Expr::col(assignment::Column::TaskDocumentId).eq(id));
    }
    let fact_units: Vec<i32> = facts.iter().map(|f| f.unit_id).collect();
    let units: Vec<Unit> = department::Entity::find()
        .filter(department::Column::Kind.eq(DepartmentKind::Unit))
        .filter(
            Condition::any()
                .add(department::Column::Id.in_subquery(holders))
                .add(department::Column::Id.is_in(dedup(fact_units))),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|d| Unit { id: d.id, name: d.name })
        .collect();
    let judged: std::collections::HashSet<i32> = units.iter().map(|u| u.id).collect();
    facts.retain(|f| judged.contains(&f.unit_id));

    let mut tasks = HashMap::new();
    for chunk in dedup(facts.iter().map(|f| f.task_id).collect()).chunks(500) {
        let rows = task::Entity::find()
            .select_only()
            .columns([task::Column::Id, task::Column::DocumentId, task::Column::Seq, task::Column::Title])
            .filter(task::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple::<(i32, i32, i32, String)>()
            .all(db)
            .await?;
        for (id, document_id, seq, title) in rows {
            tasks.insert(id, TaskLabel { id, document_id, seq, title });
        }
    }
    Ok(Record { units, facts, tasks })
}

fn dedup(mut ids: Vec<i32>) -> Vec<i32> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Facts grouped by unit, in the order a reader checks them: by day, then by rule, then task.
pub fn by_unit(mut facts: Vec<Fact>) -> BTreeMap<i32, Vec<Fact>> {
    facts.sort_by_key(|f| (f.on, f.kind, f.task_id));
    let mut grouped: BTreeMap<i32, Vec<Fact>> = BTreeMap::new();
    for fact in facts {
        grouped.entry(fact.unit_id).or_default().push(fact);
    }
    grouped
}
