//! The whole import in one transaction: clean → notice → rows → units → schedules → write.
//! A dry run does every step, then rolls back.

use super::parse::rows::{RawTask, UnitSpec};
use super::parse::schedule::{self, ParsedSchedule};
use super::parse::{ParseWarning, clean, notice, rows};
use super::resolve::Resolver;
use crate::domain::Caller;
use crate::domain::audit;
use crate::domain::documents::{self, DocumentInput};
use crate::domain::follow_up::{cadence, calendar};
use crate::domain::policy_events::format_levels;
use crate::domain::tasks::{self, AssignmentSpec, NewTask, Outline, ScheduleFields};
use crate::error::{AppError, AppResult};
use crate::policy::rules;
use entity::{AssignmentRole, DepartmentKind, assignment, department, department_alias, document, task};
use sea_orm::TransactionSession;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};

/// Largest text accepted (a long plan is a few hundred kilobytes).
pub const MAX_IMPORT_BYTES: usize = 2 * 1024 * 1024;

/// Most tasks one plan may hold (the largest real plans have a few hundred).
pub const MAX_TASKS: usize = 2_000;

/// Most units one task may name (a long real list names a few dozen).
pub const MAX_UNITS_PER_TASK: usize = 200;

/// Ids per `IN (…)` list when reading back what was written: well under SQLite's 32,766 and
/// PostgreSQL's 65,535 bind parameters.
const IDS_PER_STATEMENT: usize = 1_000;

/// How to import.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Do everything, then roll back: a preview with warnings.
    pub dry_run: bool,
    /// Replace an existing document with the same number instead of refusing.
    pub replace: bool,
}

/// Something the admin should look at; the import still went through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportWarning {
    pub line: Option<usize>,
    pub code: String,
    pub message: String,
}

/// Something the importer inferred about one task rather than read: what the office checks
/// first in a preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportCheck {
    /// The task's number within the plan.
    pub seq: i32,
    /// `YEAR_INFERRED`, `SCHEDULE_FROM_TEXT`, `LEAD_BY_POSITION`, `CATCH_ALL`.
    pub code: &'static str,
    /// What to check, for people.
    pub message: String,
}

/// What an import produced (or, for a dry run, would produce).
#[derive(Debug, Clone)]
pub struct ImportOutcome {
    pub document: document::Model,
    pub tasks: Vec<task::Model>,
    pub assignments: Vec<assignment::Model>,
    /// Every department the tasks refer to, with its aliases (for previews that outlive a
    /// rolled-back run).
    pub departments: Vec<(department::Model, Vec<String>)>,
    pub created_departments: Vec<department::Model>,
    pub warnings: Vec<ImportWarning>,
    /// Per task, what was inferred rather than read.
    pub checks: Vec<ImportCheck>,
}

/// Imports `text` as one plan (admins and the console). The document keeps `text` as given.
#[tracing::instrument(skip_all, fields(bytes = text.len(), dry_run = options.dry_run))]
pub async fn import_plan(
    db: &impl TransactionTrait,
    caller: &Caller,
    text: &str,
    options: ImportOptions,
) -> AppResult<ImportOutcome> {
    rules::admin(&caller.viewer)?;
    if text.len() > MAX_IMPORT_BYTES {
        return Err(AppError::bad_input(format!("the text is larger than {} MB", MAX_IMPORT_BYTES / 1024 / 1024)));
    }
    let parsed = parse_text(text)?;
    import_parsed(db, caller, parsed, options).await
}

/// Writes a parsed plan, however it was read (pasted text or a file), in one transaction; a
/// dry run rolls it back. The document keeps `parsed.source`.
pub async fn import_parsed(
    db: &impl TransactionTrait,
    caller: &Caller,
    parsed: ParsedPlan,
    options: ImportOptions,
) -> AppResult<ImportOutcome> {
    rules::admin(&caller.viewer)?;
    let txn = audit::begin(db, caller).await?;
    let outcome = write(&txn, caller, parsed, options).await?;
    if options.dry_run {
        caller.take_changes();
        txn.rollback().await?;
    } else {
        audit::commit(txn, caller, audit::Operation::ImportPlan).await?;
    }
    Ok(outcome)
}

/// The pure part: everything that needs no database.
pub struct ParsedPlan {
    pub notice: notice::Notice,
    pub rows: Vec<RawTask>,
    pub warnings: Vec<ImportWarning>,
    /// The text the plan was read from, kept with the document (and searched for the notice's
    /// reporting rule): pasted text as given; for a file, the text its reader extracted (see
    /// [`super::read`]).
    pub source: String,
}

/// Cleans and parses `text`; no task rows is `BAD_USER_INPUT`.
pub fn parse_text(text: &str) -> AppResult<ParsedPlan> {
    let cleaned = clean::clean(text);
    let notice = notice::parse_notice(&cleaned);
    plan_from_rows(notice, rows::parse_rows(&cleaned), text.to_owned())
}

/// A plan from its notice and rows (read from text or from a file's tables) and the text they
/// were read from; no task rows is `BAD_USER_INPUT`.
pub fn plan_from_rows(notice: notice::Notice, outcome: rows::RowsOutcome, source: String) -> AppResult<ParsedPlan> {
    if outcome.tasks.is_empty() {
        return Err(AppError::bad_input("no task rows were found in the text"));
    }
    check_rows(&outcome.tasks)?;
    check_size(&outcome.tasks)?;
    let warnings = outcome.warnings.into_iter().map(|w| warning(w, None)).collect();
    Ok(ParsedPlan { notice, rows: outcome.tasks, warnings, source })
}

async fn write(
    db: &impl ConnectionTrait,
    caller: &Caller,
    parsed: ParsedPlan,
    options: ImportOptions,
) -> AppResult<ImportOutcome> {
    let ParsedPlan { notice, rows, mut warnings, source } = parsed;
    replace_existing(db, caller, notice.doc_number.as_deref(), options.replace).await?;
    let title = if notice.title.trim().is_empty() { "未命名方案".to_owned() } else { notice.title.clone() };
    let document = documents::insert(
        db,
        caller,
        DocumentInput {
            doc_number: notice.doc_number.clone(),
            title: Some(title),
            issuer: notice.issuer.clone(),
            issued_on: notice.issued_on,
            report_rule: cadence::rule_in_text(&source).map(|rule| rule.to_stored()),
            source_text: Some(source),
        },
    )
    .await?;
    let mut resolver = Resolver::load(db, caller).await?;
    let mut new_tasks = Vec::with_capacity(rows.len());
    let mut units = Vec::with_capacity(rows.len());
    let mut checks = Vec::new();
    for row in &rows {
        let mut schedule = schedule::parse_schedule_with(&row.schedule, notice.plan_dates());
        recount_working_days(db, &mut schedule, notice.issued_on).await?;
        warnings.extend(schedule.warnings.iter().cloned().map(|w| warning(w, Some(row.line))));
        checks.extend(schedule_checks(row, &schedule));
        units.push(assign(db, caller, &mut resolver, row, &mut warnings, &mut checks).await?);
        new_tasks.push(NewTask {
            document_id: document.id,
            seq: row.seq,
            title: row.title.clone(),
            measures: row.measures.clone(),
            schedule: schedule_fields(&row.schedule, schedule),
            outline: Outline {
                number: Some(row.number.clone()).filter(|n| !n.is_empty()),
                parent_seq: row.parent,
                leader: row.leader.clone(),
                schedule_source: Some(row.schedule_source),
                units_not_exhaustive: row.units_not_exhaustive,
            },
        });
    }
    // A fresh document: its tasks and assignments go in as a few bulk statements.
    let created_tasks = tasks::insert_batch(db, caller, &document, new_tasks).await?;
    let assignments = created_tasks.iter().zip(&units).map(|(task, specs)| (task, specs.as_slice()));
    tasks::insert_assignments(db, caller, assignments).await?;
    let mut outcome = collect_outcome(db, document, created_tasks, resolver.created, warnings).await?;
    outcome.checks = checks;
    Ok(outcome)
}

/// What the schedule took from elsewhere than a schedule cell: the year, or the task's text.
fn schedule_checks(row: &RawTask, schedule: &ParsedSchedule) -> Vec<ImportCheck> {
    let mut checks = Vec::new();
    if schedule.year_inferred {
        let message = format!("第 {} 项的时间进度「{}」未写年份,年份取自方案", row.number, row.schedule);
        checks.push(ImportCheck { seq: row.seq, code: "YEAR_INFERRED", message });
    }
    let from_text = matches!(
        row.schedule_source,
        entity::ScheduleSource::Title | entity::ScheduleSource::Measures | entity::ScheduleSource::Parenthetical
    );
    if from_text {
        let message = format!("第 {} 项的时间进度「{}」取自任务正文", row.number, row.schedule);
        checks.push(ImportCheck { seq: row.seq, code: "SCHEDULE_FROM_TEXT", message });
    }
    checks
}

/// A deadline counted in working days from the plan's issue date (`30个工作日内`) is counted
/// again on the office's calendar, holidays and make-up working days included.
async fn recount_working_days(
    db: &impl ConnectionTrait,
    schedule: &mut ParsedSchedule,
    issued_on: Option<chrono::NaiveDate>,
) -> AppResult<()> {
    if let (entity::ScheduleKind::Deadline, Some(days), Some(issued)) = (schedule.kind, schedule.offset_days, issued_on)
    {
        let days = u32::try_from(days).unwrap_or(0);
        schedule.due_date = Some(calendar::working_days_after(db, issued, days).await?);
        schedule.offset_days = None;
    }
    Ok(())
}

/// Every row needs a title and a number of its own; the error names the plan line.
fn check_rows(rows: &[RawTask]) -> AppResult<()> {
    let mut seen = std::collections::HashSet::new();
    for row in rows {
        if row.title.trim().is_empty() {
            return Err(AppError::bad_input(format!("line {}: task {} has no title", row.line, row.seq)));
        }
        if row.seq < 1 || !seen.insert(row.seq) {
            return Err(AppError::bad_input(format!("line {}: a second task numbered {}", row.line, row.seq)));
        }
    }
    Ok(())
}

/// Refuses absurd plans up front, before anything is resolved or written.
fn check_size(rows: &[RawTask]) -> AppResult<()> {
    if rows.len() > MAX_TASKS {
        return Err(AppError::bad_input(format!("the plan has {} tasks; at most {MAX_TASKS} are taken", rows.len())));
    }
    for row in rows {
        let units = match &row.units {
            UnitSpec::Listed(names) => names.len(),
            UnitSpec::Explicit { leads, supporting } => leads.len() + supporting.len(),
        };
        if units > MAX_UNITS_PER_TASK {
            return Err(AppError::bad_input(format!(
                "line {}: task {} names {units} units; at most {MAX_UNITS_PER_TASK} are taken",
                row.line, row.seq
            )));
        }
    }
    Ok(())
}

/// Refuses a second document with the same number, or deletes the old one when asked to.
async fn replace_existing(
    db: &impl ConnectionTrait,
    caller: &Caller,
    number: Option<&str>,
    replace: bool,
) -> AppResult<()> {
    let Some(number) = number else { return Ok(()) };
    let Some(existing) = documents::find_by_number(db, caller, number).await? else { return Ok(()) };
    if !replace {
        return Err(AppError::Conflict(format!(
            "document {number} was already imported; pass replace: true to import it again"
        )));
    }
    documents::remove(db, caller, existing.id).await
}

/// Resolves a row's units and decides roles.
async fn assign(
    db: &impl ConnectionTrait,
    caller: &Caller,
    resolver: &mut Resolver,
    row: &RawTask,
    warnings: &mut Vec<ImportWarning>,
    checks: &mut Vec<ImportCheck>,
) -> AppResult<Vec<AssignmentSpec>> {
    let (leads, supporting, first_unit_leads) = match &row.units {
        UnitSpec::Listed(names) => (Vec::new(), names.clone(), true),
        UnitSpec::Explicit { leads, supporting } => (leads.clone(), supporting.clone(), false),
    };
    let mut specs: Vec<AssignmentSpec> = Vec::new();
    let named = leads
        .iter()
        .map(|n| (n, AssignmentRole::Lead))
        .chain(supporting.iter().map(|n| (n, AssignmentRole::Supporting)));
    for (name, role) in named {
        let name = name.trim();
        let dept = resolver.resolve(db, caller, name).await?;
        if specs.iter().any(|s| s.department_id == dept.id) {
            warnings.push(ImportWarning {
                line: Some(row.line),
                code: "UNIT_REPEATED".into(),
                message: format!("task {}: {name} names {} again; kept once", row.seq, dept.name),
            });
            continue;
        }
        if dept.kind == DepartmentKind::CatchAll {
            let message = format!("第 {} 项的「{name}」是泛指,不指向具体单位", row.number);
            checks.push(ImportCheck { seq: row.seq, code: "CATCH_ALL", message });
        }
        let role = if first_unit_leads
            && dept.kind == DepartmentKind::Unit
            && !specs.iter().any(|s| s.role == AssignmentRole::Lead)
        {
            let message = format!("第 {} 项未写明牵头单位,按排列顺序以「{}」为牵头单位", row.number, dept.name);
            checks.push(ImportCheck { seq: row.seq, code: "LEAD_BY_POSITION", message });
            AssignmentRole::Lead
        } else {
            role
        };
        specs.push(AssignmentSpec { department_id: dept.id, role });
    }
    if !specs.iter().any(|s| s.role == AssignmentRole::Lead) {
        warnings.push(ImportWarning {
            line: Some(row.line),
            code: "NO_LEAD".into(),
            message: format!("task {}: no lead unit could be named", row.seq),
        });
    }
    Ok(specs)
}

fn schedule_fields(text: &str, parsed: ParsedSchedule) -> ScheduleFields {
    ScheduleFields {
        text: text.trim().to_owned(),
        kind: parsed.kind,
        due_date: parsed.due_date,
        ongoing: parsed.ongoing,
        waiting_for: format_levels(&parsed.waiting_for),
        offset_months: parsed.offset_months,
        offset_days: parsed.offset_days,
        milestones: parsed.milestones,
        starts_on: parsed.starts_on,
        year_inferred: parsed.year_inferred,
    }
}

async fn collect_outcome(
    db: &impl ConnectionTrait,
    document: document::Model,
    tasks: Vec<task::Model>,
    created_departments: Vec<department::Model>,
    warnings: Vec<ImportWarning>,
) -> AppResult<ImportOutcome> {
    let task_ids: Vec<i32> = tasks.iter().map(|t| t.id).collect();
    let mut assignments = Vec::new();
    for ids in task_ids.chunks(IDS_PER_STATEMENT) {
        let rows = assignment::Entity::find()
            .filter(assignment::Column::TaskId.is_in(ids.to_vec()))
            .order_by_asc(assignment::Column::TaskId)
            .order_by_asc(assignment::Column::Position)
            .all(db)
            .await?;
        assignments.extend(rows);
    }
    let mut dept_ids: Vec<i32> = assignments.iter().map(|a| a.department_id).collect();
    dept_ids.sort_unstable();
    dept_ids.dedup();
    let mut departments = Vec::with_capacity(dept_ids.len());
    for ids in dept_ids.chunks(IDS_PER_STATEMENT) {
        let rows = department::Entity::find()
            .filter(department::Column::Id.is_in(ids.to_vec()))
            .find_with_related(department_alias::Entity)
            .all(db)
            .await?;
        departments.extend(rows.into_iter().map(|(d, aliases)| (d, aliases.into_iter().map(|a| a.alias).collect())));
    }
    Ok(ImportOutcome { document, tasks, assignments, departments, created_departments, warnings, checks: Vec::new() })
}

fn warning(w: ParseWarning, line: Option<usize>) -> ImportWarning {
    ImportWarning { line: w.line.or(line), code: w.code.to_owned(), message: w.message }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::{refused_before_any_statement, unit_caller};

    #[tokio::test]
    async fn only_admins_import_and_they_are_refused_before_any_statement() {
        let db = sea_orm::DatabaseConnection::default();
        for caller in unit_caller() {
            let plan = crate::bootstrap::SAMPLE_PLAN;
            refused_before_any_statement(import_plan(&db, &caller, plan, ImportOptions::default()).await);
        }
    }
}
