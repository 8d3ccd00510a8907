//! Which rows a division table has: the document's tasks the caller may see, in plan order,
//! each with its units and the latest progress report the caller may read. Nothing here widens
//! a view: tasks come through `tasks::list` (the caller's scope), reports through
//! `reports::visible` (the caller's report scope).

use crate::domain::follow_up::settings;
use crate::domain::follow_up::warning::Judge;
use crate::domain::page::PageRequest;
use crate::domain::rows::task_row;
use crate::domain::tasks::{self, TaskFilter, TaskKey};
use crate::domain::{Caller, documents, evidence, reports};
use crate::error::{AppError, AppResult};
use crate::policy::{follow_up, rules, scope};
use entity::EvidenceTarget;
use entity::{
    AssignmentRole, AssignmentState, DepartmentKind, assignment, department, document, progress_report, task,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// Tasks read per page while walking the document.
const TASKS_PER_PAGE: u64 = 100;

/// Task ids per `IN (…)` list (well under both backends' bind-parameter limits).
const IDS_PER_STATEMENT: usize = 1_000;

/// A task's assignments in the plan's order, with their units' names, by task id.
type UnitsByTask = HashMap<i32, (Vec<assignment::Model>, Vec<(String, DepartmentKind)>)>;

/// Which document: by id (HTTP) or by id or number (the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentRef {
    Id(i32),
    /// A document number as registered (`盘县政办发〔2014〕103号`).
    Number(String),
}

impl DocumentRef {
    /// An id when `text` is a number, else a document number.
    pub fn parse(text: &str) -> DocumentRef {
        let text = text.trim();
        match text.parse() {
            Ok(id) => DocumentRef::Id(id),
            Err(_) => DocumentRef::Number(text.to_owned()),
        }
    }
}

/// One task of the table with what its cells show.
#[derive(Debug, Clone)]
pub struct Row {
    pub task: task::Model,
    /// Lead units' names, in the plan's order.
    pub leads: Vec<String>,
    /// Supporting units' names (groups and catch-alls too), in the plan's order.
    pub supporting: Vec<String>,
    /// The newest progress report of a lead unit the caller may read (the newest of any unit
    /// when it may read none of the leads').
    pub latest_report: Option<progress_report::Model>,
    /// How many files of evidence back that report.
    pub latest_evidence: usize,
    /// The lead units' 承办人 with their contacts, as far as the caller may read them.
    pub lead_people: Vec<String>,
    /// Units that signed for the task, of the units that sign (groups and catch-alls do not).
    pub signed: (usize, usize),
}

/// A plan's division table as the caller may see it.
#[derive(Debug, Clone)]
pub struct DivisionTable {
    pub document: document::Model,
    pub rows: Vec<Row>,
    /// Each lead unit's figures on the plan, as `statistics.byUnit` gives them to the caller.
    pub units: Vec<UnitFigures>,
    /// The caller's today and the office's thresholds, for the warning column.
    pub judge: Judge,
}

/// The division table of `document`: NOT_FOUND for an unknown document; a caller who may see
/// none of its tasks gets the header alone.
#[tracing::instrument(skip_all, fields(document = ?document))]
pub async fn division_table(
    db: &impl ConnectionTrait,
    caller: &Caller,
    document: &DocumentRef,
) -> AppResult<DivisionTable> {
    rules::signed_in(&caller.viewer)?;
    let found = match document {
        DocumentRef::Id(id) => documents::get(db, caller, *id).await?,
        DocumentRef::Number(number) => documents::find_by_number(db, caller, number).await?,
    };
    let document = found.ok_or(AppError::NotFound("document"))?;
    let tasks = visible_tasks(db, caller, document.id).await?;
    let mut units = units_of(db, &tasks).await?;
    let mut rows = Vec::with_capacity(tasks.len());
    for task in tasks {
        let (assignments, units) = units.remove(&task.id).unwrap_or_default();
        let lead_ids: Vec<i32> =
            assignments.iter().filter(|a| a.role == AssignmentRole::Lead).map(|a| a.department_id).collect();
        let latest = latest_report(db, caller, task.id, &lead_ids).await?;
        let latest_evidence = match &latest {
            Some(report) => evidence::of_targets(db, &[(EvidenceTarget::ProgressReport, report.id)]).await?.len(),
            None => 0,
        };
        let names: Vec<String> = units.iter().map(|(name, _)| name.clone()).collect();
        let (leads, supporting) = split_roles(&assignments, &names);
        let lead_people = lead_people(caller, &assignments, &lead_ids);
        let signing: Vec<&assignment::Model> = assignments
            .iter()
            .zip(&units)
            .filter(|(_, (_, kind))| *kind == DepartmentKind::Unit)
            .map(|(a, _)| a)
            .collect();
        let signed = (signing.iter().filter(|a| a.state != AssignmentState::Assigned).count(), signing.len());
        rows.push(Row { task, leads, supporting, latest_report: latest, latest_evidence, lead_people, signed });
    }
    let judge = settings::judge(db, caller).await?;
    let units = unit_figures(db, caller, document.id).await?;
    Ok(DivisionTable { document, rows, units, judge })
}

/// One lead unit's figures on the plan (the statistics sheet).
#[derive(Debug, Clone, PartialEq)]
pub struct UnitFigures {
    pub unit: String,
    pub tasks: i64,
    pub finished: i64,
    pub finished_on_time: i64,
    pub finished_with_due: i64,
    pub overdue: i64,
    pub periods_due: i64,
    pub periods_on_time: i64,
    pub periods_late: i64,
    pub periods_missed: i64,
}

impl UnitFigures {
    /// Periods answered on time, of those judged (none when nothing was due).
    pub fn reports_on_time_rate(&self) -> Option<f64> {
        (self.periods_due > 0).then(|| self.periods_on_time as f64 / self.periods_due as f64)
    }

    /// Tasks finished by the due date, of those finished with one.
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.finished_with_due > 0).then(|| self.finished_on_time as f64 / self.finished_with_due as f64)
    }
}

/// The statistics by lead unit of the plan, as the caller may see them, by unit name.
async fn unit_figures(db: &impl ConnectionTrait, caller: &Caller, document_id: i32) -> AppResult<Vec<UnitFigures>> {
    use crate::domain::follow_up::statistics::{self, Asked, StatisticsFilter};
    let filter = StatisticsFilter { document_id: Some(document_id), ..Default::default() };
    let asked = Asked {
        overall: false,
        by_document: false,
        by_unit: true,
        overall_reports: false,
        document_reports: false,
        unit_reports: false,
        overall_periods: false,
        document_periods: false,
        unit_periods: true,
    };
    let by_unit = statistics::statistics(db, caller, &filter, asked).await?.by_unit;
    let ids: Vec<i32> = by_unit.iter().filter_map(|(f, _)| f.group_id).collect();
    let names: HashMap<i32, String> = department::Entity::find()
        .filter(department::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let mut units: Vec<UnitFigures> = by_unit
        .into_iter()
        .filter_map(|(f, r)| {
            Some(UnitFigures {
                unit: names.get(&f.group_id?)?.clone(),
                tasks: f.total,
                finished: f.finished.unwrap_or(0),
                finished_on_time: f.finished_on_time.unwrap_or(0),
                finished_with_due: f.finished_with_due.unwrap_or(0),
                overdue: f.overdue.unwrap_or(0),
                periods_due: r.periods_due.unwrap_or(0),
                periods_on_time: r.periods_on_time.unwrap_or(0),
                periods_late: r.periods_late.unwrap_or(0),
                periods_missed: r.periods_missed.unwrap_or(0),
            })
        })
        .collect();
    units.sort_by(|a, b| a.unit.cmp(&b.unit));
    Ok(units)
}

/// The newest report of a lead unit that the caller may read; else the newest it may read.
async fn latest_report(
    db: &impl ConnectionTrait,
    caller: &Caller,
    task_id: i32,
    leads: &[i32],
) -> AppResult<Option<progress_report::Model>> {
    let lead = progress_report::Entity::find()
        .filter(progress_report::Column::TaskId.eq(task_id))
        .filter(progress_report::Column::DepartmentId.is_in(leads.to_vec()))
        .filter(scope::visible_reports(&caller.viewer))
        .order_by_desc(progress_report::Column::Id)
        .one(db)
        .await?;
    if lead.is_some() {
        return Ok(lead);
    }
    let page = PageRequest { first: 1, after: None };
    Ok(reports::visible(db, caller, task_id, &page).await?.items.into_iter().next())
}

/// The lead units' 承办人 (`张三 0427-1234567`) that the caller may read (`Assignment.contact`'s
/// rule).
fn lead_people(caller: &Caller, assignments: &[assignment::Model], leads: &[i32]) -> Vec<String> {
    let pairs: Vec<_> = assignments.iter().map(|a| (a.department_id, a.role)).collect();
    let role = caller.viewer.principal().and_then(|p| rules::role_on_task(p, &pairs));
    let visible = follow_up::visible_contacts(&caller.viewer, role, leads);
    assignments
        .iter()
        .filter(|a| a.role == AssignmentRole::Lead && visible.includes(a.department_id))
        .filter_map(|a| {
            let person = a.responsible_person.as_deref()?.trim();
            let contact = a.contact.as_deref().map(str::trim).unwrap_or_default();
            Some(if contact.is_empty() { person.to_owned() } else { format!("{person} {contact}") })
        })
        .collect()
}

/// Every task of the document the caller may see, in plan order, page by page.
async fn visible_tasks(db: &impl ConnectionTrait, caller: &Caller, document_id: i32) -> AppResult<Vec<task::Model>> {
    let filter = TaskFilter { document_id: Some(document_id), ..TaskFilter::default() };
    let mut all = Vec::new();
    let mut after: Option<TaskKey> = None;
    loop {
        let page =
            tasks::list(db, caller, &filter, &PageRequest { first: TASKS_PER_PAGE, after }, task_row::Columns::ALL)
                .await?;
        after = page.items.last().map(|t| (t.document_id, t.seq));
        all.extend(page.items);
        if !page.has_next || after.is_none() {
            return Ok(all);
        }
    }
}

/// The units of the tasks. Every unit on a task the caller may see is shown, as on
/// `Task.assignments`.
async fn units_of(db: &impl ConnectionTrait, tasks: &[task::Model]) -> AppResult<UnitsByTask> {
    let ids: Vec<i32> = tasks.iter().map(|t| t.id).collect();
    let mut by_task = UnitsByTask::new();
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let rows = assignment::Entity::find()
            .filter(assignment::Column::TaskId.is_in(chunk.to_vec()))
            .order_by_asc(assignment::Column::TaskId)
            .order_by_asc(assignment::Column::Position)
            .find_also_related(department::Entity)
            .all(db)
            .await?;
        // The table is the plan's: a group stands as the plan names it, not as its members' parts.
        for (place, unit) in rows.into_iter().filter(|(place, _)| place.via_group_id.is_none()) {
            let entry = by_task.entry(place.task_id).or_default();
            entry.1.push(unit.map_or((String::new(), DepartmentKind::Unit), |u| (u.name, u.kind)));
            entry.0.push(place);
        }
    }
    Ok(by_task)
}

/// Lead and supporting units' names, each in the plan's order.
fn split_roles(assignments: &[assignment::Model], names: &[String]) -> (Vec<String>, Vec<String>) {
    let (mut leads, mut supporting) = (Vec::new(), Vec::new());
    for (place, name) in assignments.iter().zip(names) {
        match place.role {
            AssignmentRole::Lead => leads.push(name.clone()),
            AssignmentRole::Supporting => supporting.push(name.clone()),
        }
    }
    (leads, supporting)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_named_by_id_or_by_number() {
        assert_eq!(DocumentRef::parse(" 12 "), DocumentRef::Id(12));
        assert_eq!(
            DocumentRef::parse("盘县政办发〔2014〕103号"),
            DocumentRef::Number("盘县政办发〔2014〕103号".into())
        );
    }

    #[tokio::test]
    async fn anonymous_callers_are_refused_before_any_statement() {
        let db = sea_orm::DatabaseConnection::default();
        let caller = Caller::new(crate::policy::Viewer::Anonymous, None, crate::domain::clock::Clock::system().read());
        let refused = division_table(&db, &caller, &DocumentRef::Id(1)).await.expect_err("refused");
        assert_eq!(refused.code(), "UNAUTHENTICATED");
    }
}
