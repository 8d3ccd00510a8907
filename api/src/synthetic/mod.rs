//! Synthetic data for load benchmarks: `duban seed-synthetic --scale N [--seed S]`.
//!
//! Scale N is N plans of 26 tasks, ≈30 units at scale 1 growing to ≈300 at scale 1000, one
//! DEPARTMENT account per unit (`unit<id>`), two admins and three leaders, all with the password
//! [`PASSWORD`]. Each task has lived through the follow-up loop up to the caller's today
//! ([`story`]): sign-offs (some late), monthly reports (some late, some missing), extensions,
//! urgings, leaders' instructions, completion reports returned or approved, archived work.
//! Units, groups and documents go through the domain functions; the rest is written in bulk
//! (`insert_many`, ≤1000 rows per statement) inside one transaction, since per-row writes would
//! take minutes at scale 1000, and the tasks' warning facts are computed at the end as the
//! domain computes them. The same seed and today always give the same rows (ids aside, on a
//! database that is new).

mod names;
mod plan;
mod story;
mod write;

use crate::domain::Caller;
use crate::domain::departments::{self, DepartmentInput};
use crate::domain::documents::{self, DocumentInput};
use crate::domain::follow_up::cadence::ReportRule;
use crate::domain::users;
use crate::error::{AppError, AppResult};
use chrono::{NaiveDate, TimeZone};
use entity::{AssignmentRole, DepartmentKind, ScheduleKind, UserRole, user};
use plan::{Roster, TaskDraft};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter};
use std::collections::BTreeMap;

/// The password of every synthetic account.
pub const PASSWORD: &str = "synthetic-password";

/// Largest scale accepted (26 million tasks would be a mistake, not a benchmark).
const MAX_SCALE: u32 = 100_000;

/// Rows per bulk insert: well under PostgreSQL's 65,535 bind parameters.
pub(super) const CHUNK: usize = 1000;

/// The reporting rule of every synthetic plan: monthly, by the 25th.
pub(super) const RULE: ReportRule = ReportRule::Monthly { day: 25 };

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub units: usize,
    pub documents: usize,
    pub tasks: usize,
    pub assignments: usize,
    pub reports: usize,
    pub accounts: usize,
    /// Extension requests, urgings, instructions and completion reports.
    pub follow_up_rows: usize,
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
    let txn = crate::domain::audit::begin(db, caller).await?;
    let roster = create_departments(&txn, caller, &mut rng, unit_count(scale)).await?;
    let mut summary = Summary { units: roster.units.len(), ..Summary::default() };
    let authors = create_accounts(&txn, caller, &hash, &roster).await?;
    summary.accounts = authors.units.len() + 5;
    let mut drafts = Vec::with_capacity(scale as usize * plan::TASKS_PER_PLAN as usize);
    for number in 1..=scale {
        let issued_on = issue_date(&mut rng);
        let document = documents::insert(&txn, caller, document_input(&mut rng, number, issued_on)).await?;
        drafts.extend(plan::draft_tasks(&mut rng, &roster, issued_on).into_iter().map(|t| (document.id, issued_on, t)));
    }
    summary.documents = scale as usize;
    tracing::info!(elapsed = ?started.elapsed(), "units, accounts and documents written");
    let stories = tell_stories(&mut rng, &roster, &drafts, caller.today());
    write::write_tasks(&txn, &drafts, &stories, &authors, caller.today(), &mut summary).await?;
    tracing::info!(elapsed = ?started.elapsed(), "tasks, assignments and reports written");
    // Benchmark data: one entry on the trail for the whole seeding, not one per row.
    caller.take_changes();
    let after = serde_json::json!({
        "scale": scale, "seed": seed, "units": summary.units, "documents": summary.documents,
        "tasks": summary.tasks, "assignments": summary.assignments, "reports": summary.reports,
    });
    caller.record(crate::domain::audit::keyed(
        crate::domain::audit::Table::Database,
        0,
        crate::domain::audit::Action::Create,
        None,
        Some(after),
    ));
    crate::domain::audit::commit(txn, caller, crate::domain::audit::Operation::SeedSynthetic).await?;
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

/// What happened to each task by `today` (one random stream, after the plans are drawn).
fn tell_stories(
    rng: &mut StdRng,
    roster: &Roster,
    drafts: &[(i32, NaiveDate, TaskDraft)],
    today: NaiveDate,
) -> Vec<story::Story> {
    let units: std::collections::HashSet<i32> = roster.units.iter().copied().collect();
    let rule = RULE;
    drafts
        .iter()
        .map(|(_, issued_on, draft)| {
            let places: Vec<(bool, bool)> =
                draft.units.iter().map(|(id, role)| (units.contains(id), *role == AssignmentRole::Lead)).collect();
            let ongoing = matches!(draft.schedule.kind, ScheduleKind::Ongoing | ScheduleKind::Recurring);
            let setting = story::Setting {
                issued_on: *issued_on,
                due: draft.schedule.due_date,
                rule,
                ongoing,
                today,
                units: &places,
            };
            story::tell(rng, &setting)
        })
        .collect()
}

fn department(name: &str, kind: DepartmentKind) -> DepartmentInput {
    DepartmentInput { name: Some(name.to_owned()), kind: Some(kind), needs_review: Some(false) }
}

/// Who writes what: each unit's account by unit id, an admin and a leader.
pub(super) struct Authors {
    pub units: BTreeMap<i32, i32>,
    pub admin: i32,
    pub leader: i32,
}

/// Creates the accounts; returns who writes what.
async fn create_accounts(
    txn: &DatabaseTransaction,
    caller: &Caller,
    hash: &str,
    roster: &Roster,
) -> AppResult<Authors> {
    let mut accounts: Vec<(String, UserRole, Option<i32>)> = Vec::new();
    accounts.extend((1..=2).map(|i| (format!("synadmin{i}"), UserRole::Admin, None)));
    accounts.extend((1..=3).map(|i| (format!("leader{i}"), UserRole::Leader, None)));
    accounts.extend(roster.units.iter().map(|id| (format!("unit{id}"), UserRole::Department, Some(*id))));
    users::insert_with_hash(txn, caller, hash, &accounts).await?;
    let all = user::Entity::find().filter(user::Column::Username.is_in(["synadmin1", "leader1"])).all(txn).await?;
    let id_of = |name: &str| all.iter().find(|u| u.username == name).map(|u| u.id).ok_or(AppError::NotFound("account"));
    let (admin, leader) = (id_of("synadmin1")?, id_of("leader1")?);
    let unit_accounts = user::Entity::find().filter(user::Column::Role.eq(UserRole::Department)).all(txn).await?;
    let units = unit_accounts.into_iter().filter_map(|u| Some((u.department_id?, u.id))).collect();
    Ok(Authors { units, admin, leader })
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
        report_rule: Some(ReportRule::Monthly { day: 25 }.to_stored()),
    }
}

/// 09:00 in China (01:00 UTC), `days_later` after `date`.
pub(super) fn morning(date: NaiveDate, days_later: i64) -> chrono::DateTime<chrono::Utc> {
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
    async fn seeded_work_stands_at_every_step_of_the_loop_with_its_warning_facts() {
        use entity::{assignment, completion_report, extension_request, progress_report, task, urging};
        use sea_orm::PaginatorTrait;
        let (db, path) = fresh_database("loop").await;
        seed(&db, &console(), 8, 3).await.unwrap();
        let tasks = task::Entity::find().all(&db).await.unwrap();
        let statuses: std::collections::BTreeSet<String> = tasks.iter().map(|t| format!("{:?}", t.status)).collect();
        assert!(statuses.len() >= 5, "{statuses:?}");
        let parts = assignment::Entity::find().all(&db).await.unwrap();
        let states: std::collections::BTreeSet<String> = parts.iter().map(|a| format!("{:?}", a.state)).collect();
        assert_eq!(states.len(), 4, "{states:?}");
        assert!(tasks.iter().any(|t| t.earliest_report_due.is_some()), "report dues reach the task's facts");
        assert!(tasks.iter().any(|t| t.latest_percent.is_some()), "so do the lead's percents");
        assert!(tasks.iter().any(|t| t.original_due_date != t.due_date), "some work was extended");
        assert!(
            progress_report::Entity::find().filter(progress_report::Column::Late.eq(true)).count(&db).await.unwrap()
                > 0
        );
        assert!(urging::Entity::find().count(&db).await.unwrap() > 0);
        assert!(completion_report::Entity::find().count(&db).await.unwrap() > 0);
        assert!(extension_request::Entity::find().count(&db).await.unwrap() > 0);
        let _ = std::fs::remove_file(path);
    }

    #[tokio::test]
    async fn the_same_seed_writes_the_same_rows() {
        async fn titles(name: &str) -> Vec<(String, String, Option<NaiveDate>)> {
            let (db, path) = fresh_database(name).await;
            seed(&db, &console(), 1, 11).await.unwrap();
            let rows = entity::task::Entity::find().all(&db).await.unwrap();
            let _ = std::fs::remove_file(path);
            rows.into_iter().map(|t| (t.title, t.schedule_text, t.due_date)).collect()
        }
        assert_eq!(titles("first").await, titles("second").await);
    }
}
