//! Synthetic data for load benchmarks: `duban seed-synthetic --scale N [--seed S]`.
//!
//! Scale N is N plans of 26 tasks, ≈30 units at scale 1 growing to ≈300 at scale 1000, one
//! DEPARTMENT account per unit (`unit<id>`), two admins and three leaders, all with the password
//! [`PASSWORD`]. Units, groups and documents go through the domain functions; tasks,
//! assignments, reports and accounts are written in bulk (`insert_many`, ≤1000 rows per
//! statement) inside one transaction, since per-row writes would take minutes at scale 1000.
//! The same seed always gives the same rows (ids aside, on a database that is new).

mod names;
mod plan;

use crate::domain::Caller;
use crate::domain::departments::{self, DepartmentInput};
use crate::domain::documents::{self, DocumentInput};
use crate::domain::tasks::{self, AssignmentSpec};
use crate::domain::users;
use crate::error::{AppError, AppResult};
use chrono::{NaiveDate, TimeZone};
use entity::{DepartmentKind, UserRole, progress_report, task, user};
use plan::{Roster, TaskDraft};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, Set};
use std::collections::BTreeMap;

/// The password of every synthetic account.
pub const PASSWORD: &str = "synthetic-password";

/// Largest scale accepted (26 million tasks would be a mistake, not a benchmark).
const MAX_SCALE: u32 = 100_000;

/// Rows per bulk insert: well under PostgreSQL's 65,535 bind parameters.
const CHUNK: usize = 1000;

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub units: usize,
    pub documents: usize,
    pub tasks: usize,
    pub assignments: usize,
    pub reports: usize,
    pub accounts: usize,
}

/// Units for a scale: 30 at scale 1, 300 at scale 1000, logarithmic in between.
pub fn unit_count(scale: u32) -> usize {
    30 + (90.0 * f64::from(scale.max(1)).log10()).round() as usize
}

/// Fills an empty database; refuses one that already holds documents.
pub async fn seed(db: &DatabaseConnection, caller: &Caller, scale: u32, seed: u64) -> AppResult<Summary> {
    crate::policy::rules::admin(&caller.viewer)?;
    if !(1..=MAX_SCALE).contains(&scale) {
        return Err(AppError::bad_input(format!("scale must be between 1 and {MAX_SCALE}")));
    }
    if documents::count(db, caller).await? > 0 {
        return Err(AppError::bad_input("the database already holds documents; seed an empty database"));
    }
    let hash = users::hash_blocking(PASSWORD.to_owned()).await?;
    let mut rng = StdRng::seed_from_u64(seed);
    let started = std::time::Instant::now();
    let txn = crate::db::begin_write(db).await?;
    let roster = create_departments(&txn, caller, &mut rng, unit_count(scale)).await?;
    let mut summary = Summary { units: roster.units.len(), ..Summary::default() };
    let authors = create_accounts(&txn, caller, &hash, &roster).await?;
    summary.accounts = authors.len() + 5;
    let mut drafts = Vec::with_capacity(scale as usize * plan::TASKS_PER_PLAN as usize);
    for number in 1..=scale {
        let issued_on = issue_date(&mut rng);
        let document = documents::insert(&txn, caller, document_input(&mut rng, number, issued_on)).await?;
        drafts.extend(plan::draft_tasks(&mut rng, &roster, issued_on).into_iter().map(|t| (document.id, issued_on, t)));
    }
    summary.documents = scale as usize;
    tracing::info!(elapsed = ?started.elapsed(), "units, accounts and documents written");
    write_tasks(&txn, caller, &drafts, &authors, &mut summary).await?;
    tracing::info!(elapsed = ?started.elapsed(), "tasks, assignments and reports written");
    txn.commit().await?;
    Ok(summary)
}

async fn create_departments(
    txn: &DatabaseTransaction,
    caller: &Caller,
    rng: &mut StdRng,
    count: usize,
) -> AppResult<Roster> {
    let mut units = Vec::with_capacity(count);
    let mut towns = Vec::new();
    for (name, is_town) in names::unit_names(rng, count) {
        let unit = departments::insert(txn, caller, department(&name, DepartmentKind::Unit)).await?;
        units.push(unit.id);
        if is_town {
            towns.push(unit.id);
        }
    }
    let towns_group = departments::insert(txn, caller, department(names::TOWNS_GROUP, DepartmentKind::Group)).await?.id;
    departments::set_members(txn, caller, towns_group, &towns).await?;
    let catch_all = departments::insert(txn, caller, department(names::CATCH_ALL, DepartmentKind::CatchAll)).await?.id;
    Ok(Roster { units, towns_group, catch_all })
}

fn department(name: &str, kind: DepartmentKind) -> DepartmentInput {
    DepartmentInput { name: Some(name.to_owned()), kind: Some(kind), needs_review: Some(false) }
}

/// Creates the accounts; returns each unit's account id by unit id.
async fn create_accounts(
    txn: &DatabaseTransaction,
    caller: &Caller,
    hash: &str,
    roster: &Roster,
) -> AppResult<BTreeMap<i32, i32>> {
    let mut accounts: Vec<(String, UserRole, Option<i32>)> = Vec::new();
    accounts.extend((1..=2).map(|i| (format!("synadmin{i}"), UserRole::Admin, None)));
    accounts.extend((1..=3).map(|i| (format!("leader{i}"), UserRole::Leader, None)));
    accounts.extend(roster.units.iter().map(|id| (format!("unit{id}"), UserRole::Department, Some(*id))));
    users::insert_with_hash(txn, caller, hash, &accounts).await?;
    let unit_accounts = user::Entity::find().filter(user::Column::Role.eq(UserRole::Department)).all(txn).await?;
    Ok(unit_accounts.into_iter().filter_map(|u| Some((u.department_id?, u.id))).collect())
}

/// Plans are issued on a day between 2014 and mid-2026.
fn issue_date(rng: &mut StdRng) -> NaiveDate {
    let start = NaiveDate::from_ymd_opt(2014, 1, 6).unwrap_or_default();
    start + chrono::Days::new(rng.random_range(0..4500))
}

fn document_input(rng: &mut StdRng, number: u32, issued_on: NaiveDate) -> DocumentInput {
    use chrono::Datelike;
    DocumentInput {
        doc_number: Some(format!("盘县政办发〔{}〕{number}号", issued_on.year())),
        title: Some(names::plan_title(rng)),
        issuer: Some("盘山县人民政府办公室".to_owned()),
        issued_on: Some(issued_on),
        source_text: Some(String::new()),
        report_rule: Some(crate::domain::follow_up::cadence::ReportRule::Monthly { day: 25 }.to_stored()),
    }
}

/// Inserts tasks in chunks, then their assignments and reports with the returned ids.
async fn write_tasks(
    txn: &DatabaseTransaction,
    caller: &Caller,
    drafts: &[(i32, NaiveDate, TaskDraft)],
    authors: &BTreeMap<i32, i32>,
    summary: &mut Summary,
) -> AppResult<()> {
    let mut written = Vec::with_capacity(drafts.len());
    for chunk in drafts.chunks(CHUNK) {
        let rows = chunk.iter().map(|(document_id, issued_on, draft)| task_row(*document_id, *issued_on, draft));
        let mut inserted = task::Entity::insert_many(rows).exec_with_returning(txn).await?;
        // RETURNING keeps the VALUES order on PostgreSQL and SQLite; sort by id to be sure.
        inserted.sort_by_key(|t| t.id);
        written.extend(inserted);
    }
    let mut units = Vec::with_capacity(drafts.len());
    let mut reports = Vec::new();
    for (task, (_, issued_on, draft)) in written.iter().zip(drafts) {
        let specs: Vec<AssignmentSpec> =
            draft.units.iter().map(|&(department_id, role)| AssignmentSpec { department_id, role }).collect();
        units.push(specs);
        for (unit, percent, day) in &draft.reports {
            let author = *authors.get(unit).ok_or(AppError::NotFound("unit account"))?;
            reports.push(report_row(task.id, *issued_on, (*unit, author), *percent, *day));
        }
    }
    tracing::info!(tasks = written.len(), "tasks written");
    summary.tasks = written.len();
    summary.assignments = units.iter().map(Vec::len).sum();
    summary.reports = reports.len();
    let assignments = written.iter().zip(&units).map(|(task, specs)| (task, specs.as_slice()));
    tasks::insert_assignments(txn, caller, assignments).await?;
    for chunk in reports.chunks(CHUNK) {
        progress_report::Entity::insert_many(chunk.to_vec()).exec(txn).await?;
    }
    Ok(())
}

fn task_row(document_id: i32, issued_on: NaiveDate, draft: &TaskDraft) -> task::ActiveModel {
    let created = morning(issued_on, 0);
    let schedule = draft.schedule.clone();
    task::ActiveModel {
        document_id: Set(document_id),
        seq: Set(draft.seq),
        title: Set(draft.title.clone()),
        measures: Set(draft.measures.clone()),
        schedule_text: Set(schedule.text),
        schedule_kind: Set(schedule.kind),
        due_date: Set(schedule.due_date),
        ongoing: Set(schedule.ongoing),
        waiting_for: Set(schedule.waiting_for),
        offset_months: Set(schedule.offset_months),
        offset_days: Set(schedule.offset_days),
        status: Set(draft.status),
        version: Set(1),
        created_at: Set(created),
        updated_at: Set(created),
        ..Default::default()
    }
}

/// A report by `(unit, author)`: the unit's own account writes it.
fn report_row(
    task_id: i32,
    issued_on: NaiveDate,
    (unit, author): (i32, i32),
    percent: i32,
    day: i64,
) -> progress_report::ActiveModel {
    progress_report::ActiveModel {
        task_id: Set(task_id),
        department_id: Set(unit),
        author_id: Set(author),
        text: Set(names::report(percent)),
        percent: Set(percent),
        created_at: Set(morning(issued_on, day)),
        ..Default::default()
    }
}

/// 09:00 in China (01:00 UTC), `days_later` after `date`.
fn morning(date: NaiveDate, days_later: i64) -> chrono::DateTime<chrono::Utc> {
    let day = date + chrono::Duration::days(days_later);
    chrono::Utc.from_utc_datetime(&day.and_hms_opt(1, 0, 0).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_grow_from_30_to_300() {
        assert_eq!(unit_count(1), 30);
        assert_eq!(unit_count(1000), 300);
    }

    fn console() -> Caller {
        Caller::system(crate::domain::clock::Clock::system().read())
    }

    async fn fresh_database(name: &str) -> (DatabaseConnection, std::path::PathBuf) {
        let path = std::env::temp_dir().join(format!("duban-synthetic-{name}-{}.sqlite", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let db = crate::db::connect(&format!("sqlite://{}?mode=rwc", path.display())).await.unwrap();
        crate::db::migrate(&db).await.unwrap();
        (db, path)
    }

    #[tokio::test]
    async fn only_admins_and_the_console_seed() {
        let db = DatabaseConnection::default();
        for caller in crate::domain::testing::unit_caller() {
            crate::domain::testing::refused_before_any_statement(seed(&db, &caller, 1, 1).await);
        }
    }

    #[tokio::test]
    async fn seeding_fills_an_empty_database_and_refuses_a_second_time() {
        let (db, path) = fresh_database("twice").await;
        let summary = seed(&db, &console(), 2, 7).await.unwrap();
        assert_eq!((summary.units, summary.documents, summary.tasks, summary.accounts), (57, 2, 52, 62));
        assert!(summary.assignments >= 4 * summary.tasks);
        let again = seed(&db, &console(), 1, 7).await.unwrap_err();
        assert_eq!(again.code(), "BAD_USER_INPUT");
        let _ = std::fs::remove_file(path);
    }

    #[tokio::test]
    async fn the_same_seed_writes_the_same_rows() {
        async fn titles(name: &str) -> Vec<(String, String, Option<NaiveDate>)> {
            let (db, path) = fresh_database(name).await;
            seed(&db, &console(), 1, 11).await.unwrap();
            let rows = task::Entity::find().all(&db).await.unwrap();
            let _ = std::fs::remove_file(path);
            rows.into_iter().map(|t| (t.title, t.schedule_text, t.due_date)).collect()
        }
        assert_eq!(titles("first").await, titles("second").await);
    }
}
