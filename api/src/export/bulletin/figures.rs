//! What a month's bulletin says, gathered from the record as of the day it is made: the overall
//! figures (the statistics of the plan), the tasks completed in the month, red tasks by lead
//! unit, the units that missed reports or signed late in the month, the ranking of the latest
//! published assessment, leaders' instructions still unanswered, and each unit's reports on
//! time in the month. Every figure is one the API also serves.

use crate::domain::Caller;
use crate::domain::assessment::{self, Assessment, FactKind, Span, facts};
use crate::domain::follow_up::statistics::{self, Asked, StatisticsFilter};
use crate::domain::follow_up::warning::Level;
use crate::domain::tasks::{self, TaskFilter};
use crate::error::{AppError, AppResult};
use crate::policy::rules;
use chrono::NaiveDate;
use entity::{AssignmentRole, TaskStatus, assignment, department, document, instruction, instruction_response, task};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeMap, HashMap};

/// The overall figures, as `statistics.overall` gives them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overall {
    pub tasks: i64,
    pub finished: i64,
    /// 按期完成率: finished by the due date, of those finished with one.
    pub on_time_rate: Option<f64>,
    /// 逾期占比: overdue, of the open tasks with a due date.
    pub overdue_share: Option<f64>,
    pub overdue: i64,
    /// Reporting periods judged and answered on time.
    pub periods_judged: i64,
    pub periods_on_time: i64,
}

/// A task named in the bulletin.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub seq: i32,
    pub title: String,
    /// The lead unit(s).
    pub lead: String,
    /// The day it names: completed on, due on, written on.
    pub on: Option<NaiveDate>,
    /// Completed on time; overdue; (instructions) the text.
    pub note: String,
}

/// A unit that owes reports or sign-offs for the month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owing {
    pub unit: String,
    pub periods_missed: i32,
    pub signed_late: i32,
}

/// One unit's reporting in the month: periods due in it and answered on time.
#[derive(Debug, Clone, PartialEq)]
pub struct Punctuality {
    pub unit: String,
    pub judged: i32,
    pub on_time: i32,
}

impl Punctuality {
    /// The share answered on time (none when nothing was due).
    pub fn rate(&self) -> Option<f64> {
        (self.judged > 0).then(|| f64::from(self.on_time) / f64::from(self.judged))
    }
}

/// Everything a month's bulletin says.
#[derive(Debug, Clone)]
pub struct Bulletin {
    pub month: Span,
    pub document: Option<document::Model>,
    /// The day it was made (the figures are as of this day).
    pub made_on: NaiveDate,
    pub overall: Overall,
    pub completed: Vec<Line>,
    /// Red tasks (overdue first), grouped by lead unit.
    pub red_by_lead: Vec<(String, Vec<Line>)>,
    pub owing: Vec<Owing>,
    /// The latest published assessment of the month, if one was published.
    pub ranking: Option<Assessment>,
    pub instructions: Vec<Line>,
    pub punctuality: Vec<Punctuality>,
}

/// Gathers the bulletin of `month` (the office and leaders).
pub async fn gather(
    db: &impl ConnectionTrait,
    caller: &Caller,
    month: Span,
    document_id: Option<i32>,
) -> AppResult<Bulletin> {
    rules::reads_bulletin(&caller.viewer)?;
    let document = match document_id {
        Some(id) => Some(document::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound("document"))?),
        None => None,
    };
    if month.first() > caller.today() {
        return Err(AppError::bad_input("the month has not begun"));
    }
    let filter = StatisticsFilter { document_id, ..Default::default() };
    let asked = Asked {
        overall: true,
        by_document: false,
        by_unit: false,
        overall_reports: false,
        document_reports: false,
        unit_reports: false,
        overall_periods: true,
        document_periods: false,
        unit_periods: false,
    };
    let (figures, reports) = statistics::statistics(db, caller, &filter, asked).await?.overall;
    let share = |n: Option<i64>, of: Option<i64>| match of.unwrap_or(0) {
        0 => None,
        d => Some(n.unwrap_or(0) as f64 / d as f64),
    };
    let overall = Overall {
        tasks: figures.total,
        finished: figures.finished.unwrap_or(0),
        on_time_rate: share(figures.finished_on_time, figures.finished_with_due),
        overdue_share: share(figures.overdue, figures.dated_open),
        overdue: figures.overdue.unwrap_or(0),
        periods_judged: reports.periods_due.unwrap_or(0),
        periods_on_time: reports.periods_on_time.unwrap_or(0),
    };

    let record = facts::read(db, month, document_id, caller.today()).await?;
    let units: HashMap<i32, String> = record.units.iter().map(|u| (u.id, u.name.clone())).collect();
    let name = |id: i32| units.get(&id).cloned().unwrap_or_default();
    let label = |id: i32| record.tasks.get(&id);

    let mut completed: Vec<Line> = record
        .facts
        .iter()
        .filter(|f| matches!(f.kind, FactKind::CompletedOnTime | FactKind::CompletedLate))
        .filter_map(|f| {
            let task = label(f.task_id)?;
            let note = if f.kind == FactKind::CompletedOnTime { "按期完成" } else { "逾期完成" };
            Some(Line {
                seq: task.seq,
                title: task.title.clone(),
                lead: name(f.unit_id),
                on: Some(f.on),
                note: note.into(),
            })
        })
        .collect();
    completed.sort_by_key(|l| (l.seq, l.lead.clone()));

    let mut owing: BTreeMap<String, Owing> = BTreeMap::new();
    let mut punctual: BTreeMap<String, Punctuality> = BTreeMap::new();
    for unit in &record.units {
        punctual.insert(unit.name.clone(), Punctuality { unit: unit.name.clone(), judged: 0, on_time: 0 });
    }
    for fact in &record.facts {
        let unit = name(fact.unit_id);
        if matches!(fact.kind, FactKind::PeriodMissed | FactKind::SignedLate) {
            let row = owing.entry(unit.clone()).or_insert_with(|| Owing {
                unit: unit.clone(),
                periods_missed: 0,
                signed_late: 0,
            });
            match fact.kind {
                FactKind::PeriodMissed => row.periods_missed += 1,
                _ => row.signed_late += 1,
            }
        }
        if matches!(fact.kind, FactKind::PeriodOnTime | FactKind::PeriodLate | FactKind::PeriodMissed)
            && let Some(row) = punctual.get_mut(&unit)
        {
            row.judged += 1;
            row.on_time += i32::from(fact.kind == FactKind::PeriodOnTime);
        }
    }
    let mut owing: Vec<Owing> = owing.into_values().collect();
    owing.sort_by(|a, b| {
        (b.periods_missed + b.signed_late).cmp(&(a.periods_missed + a.signed_late)).then(a.unit.cmp(&b.unit))
    });
    let mut punctuality: Vec<Punctuality> = punctual.into_values().filter(|p| p.judged > 0).collect();
    punctuality
        .sort_by(|a, b| b.rate().partial_cmp(&a.rate()).unwrap_or(std::cmp::Ordering::Equal).then(a.unit.cmp(&b.unit)));

    let red_filter = TaskFilter { document_id, warning: Some(Level::Red), ..Default::default() };
    let red_ids = tasks::filtered_ids(db, caller, &red_filter).await?;
    let leads = lead_names(db, &red_ids).await?;
    let mut red_by_lead: BTreeMap<String, Vec<Line>> = BTreeMap::new();
    for chunk in red_ids.chunks(500) {
        for task in task::Entity::find().filter(task::Column::Id.is_in(chunk.to_vec())).all(db).await? {
            let lead = leads.get(&task.id).cloned().unwrap_or_default();
            let overdue = task.due_date.is_some_and(|due| due < caller.today());
            let note = if overdue { "已逾期" } else { "进度滞后" };
            red_by_lead.entry(lead.clone()).or_default().push(Line {
                seq: task.seq,
                title: task.title,
                lead,
                on: task.due_date,
                note: note.into(),
            });
        }
    }
    let mut red_by_lead: Vec<(String, Vec<Line>)> = red_by_lead.into_iter().collect();
    for (_, lines) in &mut red_by_lead {
        lines.sort_by_key(|l| (l.note != "已逾期", l.seq));
    }

    let ranking = assessment::published::latest_for(db, caller, month, document_id).await?;
    let instructions = unanswered_instructions(db, document_id).await?;

    Ok(Bulletin {
        month,
        document,
        made_on: caller.today(),
        overall,
        completed,
        red_by_lead,
        owing,
        ranking,
        instructions,
        punctuality,
    })
}

/// The lead unit names of each task (joined by 、 when several).
async fn lead_names(db: &impl ConnectionTrait, task_ids: &[i32]) -> AppResult<HashMap<i32, String>> {
    let mut names: HashMap<i32, String> = HashMap::new();
    for chunk in task_ids.chunks(500) {
        let leads = assignment::Entity::find()
            .find_also_related(department::Entity)
            .filter(assignment::Column::TaskId.is_in(chunk.to_vec()))
            .filter(assignment::Column::Role.eq(AssignmentRole::Lead))
            .filter(assignment::Column::ViaGroupId.is_null())
            .order_by_asc(assignment::Column::Position)
            .all(db)
            .await?;
        for (part, unit) in leads {
            let Some(unit) = unit else { continue };
            names.entry(part.task_id).and_modify(|n| *n = format!("{n}、{}", unit.name)).or_insert(unit.name);
        }
    }
    Ok(names)
}

/// Leaders' instructions on open tasks that no unit has responded to, oldest first.
async fn unanswered_instructions(db: &impl ConnectionTrait, document_id: Option<i32>) -> AppResult<Vec<Line>> {
    let responded = Query::select()
        .column(instruction_response::Column::InstructionId)
        .from(instruction_response::Entity)
        .to_owned();
    let written = instruction::Entity::find()
        .filter(instruction::Column::Id.not_in_subquery(responded))
        .order_by_asc(instruction::Column::CreatedAt)
        .order_by_asc(instruction::Column::Id)
        .all(db)
        .await?;
    let mut tasks: HashMap<i32, task::Model> = HashMap::new();
    let ids: Vec<i32> = written.iter().map(|i| i.task_id).collect();
    for chunk in ids.chunks(500) {
        for t in task::Entity::find().filter(task::Column::Id.is_in(chunk.to_vec())).all(db).await? {
            tasks.insert(t.id, t);
        }
    }
    let open = [TaskStatus::NotStarted, TaskStatus::InProgress, TaskStatus::Returned, TaskStatus::PendingReview];
    let kept: Vec<(instruction::Model, &task::Model)> = written
        .into_iter()
        .filter_map(|i| {
            let t = tasks.get(&i.task_id)?;
            (open.contains(&t.status) && document_id.is_none_or(|d| t.document_id == d)).then_some((i, t))
        })
        .collect();
    let leads = lead_names(db, &kept.iter().map(|(_, t)| t.id).collect::<Vec<_>>()).await?;
    Ok(kept
        .into_iter()
        .map(|(i, t)| Line {
            seq: t.seq,
            lead: leads.get(&t.id).cloned().unwrap_or_default(),
            title: t.title.clone(),
            on: Some(crate::domain::clock::county_day(i.created_at)),
            note: i.text,
        })
        .collect())
}
