//! The real migrator, up and down, on the backend of this run.

use duban_tests::scratch_database;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database};

/// The tables of the database, sorted (the migrator's own bookkeeping table aside).
async fn tables(db: &sea_orm::DatabaseConnection) -> Vec<String> {
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => {
            "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations' ORDER BY 1"
        }
        _ => {
            "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'seaql_migrations' ORDER BY 1"
        }
    };
    let rows = db.query_all_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
    rows.iter().map(|r| r.try_get::<String>("", "t").unwrap()).collect()
}

/// Every table the migrations make.
const TABLES: &[&str] = &[
    "app_user",
    "assessment_rules",
    "assignment",
    "audit_entry",
    "calendar_day",
    "completion_report",
    "department",
    "department_alias",
    "document",
    "document_source",
    "due_date_change",
    "evidence",
    "extension_request",
    "follow_up_settings",
    "group_member",
    "instruction",
    "instruction_response",
    "login_throttle",
    "policy_event",
    "progress_report",
    "published_assessment",
    "report_consolidation",
    "report_period",
    "service_token",
    "task",
    "task_follow",
    "task_policy",
    "urging",
    "webhook",
    "webhook_cursor",
    "webhook_delivery",
];

#[tokio::test]
async fn every_migration_goes_up_down_and_up_again() {
    let scratch = scratch_database().await;
    let db = Database::connect(&scratch.url).await.unwrap();
    Migrator::up(&db, None).await.expect("up");
    assert_eq!(tables(&db).await, TABLES);
    assert!(Migrator::get_pending_migrations(&db).await.unwrap().is_empty());

    Migrator::down(&db, None).await.expect("down");
    assert!(tables(&db).await.is_empty(), "down() removes what up() made");

    Migrator::up(&db, None).await.expect("up again");
    assert_eq!(tables(&db).await, TABLES);
    db.close().await.unwrap();
}

async fn run(db: &sea_orm::DatabaseConnection, sql: &str) {
    db.execute_unprepared(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// `(task_id, department_id, task_document_id, task_seq)` of every assignment, by id.
async fn places(db: &sea_orm::DatabaseConnection) -> Vec<(i32, i32, i32, i32)> {
    let sql = "SELECT task_id, department_id, task_document_id, task_seq FROM assignment ORDER BY id";
    let rows = db.query_all_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
    rows.iter()
        .map(|r| {
            let col = |c| r.try_get::<i32>("", c).unwrap();
            (col("task_id"), col("department_id"), col("task_document_id"), col("task_seq"))
        })
        .collect()
}

#[tokio::test]
async fn assignments_of_an_existing_database_gain_their_tasks_places_and_keep_them_current() {
    let scratch = scratch_database().await;
    let db = Database::connect(&scratch.url).await.unwrap();
    Migrator::up(&db, Some(12)).await.expect("up to the 12th");
    let now = "'2026-11-28 00:00:00+00'";
    run(&db, &format!("INSERT INTO document (id, title, created_at, updated_at) VALUES (1, 'a', {now}, {now}), (2, 'b', {now}, {now})")).await;
    run(&db, &format!("INSERT INTO department (id, name, kind, created_at) VALUES (1, 'x', 'UNIT', {now}), (2, 'y', 'UNIT', {now})")).await;
    run(
        &db,
        &format!(
            "INSERT INTO task (id, document_id, seq, title, measures, schedule_text, schedule_kind, status, created_at, updated_at)
             VALUES (1, 1, 3, 't', '', '', 'ONGOING', 'NOT_STARTED', {now}, {now}),
                    (2, 2, 1, 'u', '', '', 'ONGOING', 'NOT_STARTED', {now}, {now})"
        ),
    )
    .await;
    run(&db, "INSERT INTO assignment (id, task_id, department_id, role, position) VALUES (1, 1, 1, 'LEAD', 1), (2, 1, 2, 'SUPPORTING', 2), (3, 2, 2, 'LEAD', 1)").await;

    Migrator::up(&db, Some(1)).await.expect("the 13th");
    assert_eq!(places(&db).await, vec![(1, 1, 1, 3), (1, 2, 1, 3), (2, 2, 2, 1)], "places copied from the tasks");

    run(&db, "UPDATE task SET seq = 9 WHERE id = 1").await;
    assert_eq!(places(&db).await, vec![(1, 1, 1, 9), (1, 2, 1, 9), (2, 2, 2, 1)], "a renumbered task's places follow");
    run(&db, "DELETE FROM task WHERE id = 2").await;
    assert_eq!(places(&db).await, vec![(1, 1, 1, 9), (1, 2, 1, 9)], "a deleted task takes its assignments");
    let stale = "INSERT INTO assignment (task_id, department_id, role, position, task_document_id, task_seq) VALUES (1, 1, 'LEAD', 1, 1, 4)";
    assert!(db.execute_unprepared(stale).await.is_err(), "a place no task holds is refused");

    Migrator::down(&db, Some(1)).await.expect("down the 13th");
    let kept = "SELECT COUNT(*) AS n FROM assignment";
    let row =
        db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), kept)).await.unwrap().unwrap();
    assert_eq!(row.try_get::<i64>("", "n").unwrap(), 2, "down() keeps the rows");
    assert!(db.execute_unprepared("SELECT task_seq FROM assignment").await.is_err(), "down() drops the columns");
    db.close().await.unwrap();
}

async fn strings(db: &sea_orm::DatabaseConnection, sql: &str) -> Vec<Vec<Option<String>>> {
    let rows = db.query_all_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
    rows.iter().map(|r| (0..).map_while(|i| r.try_get_by_index::<Option<String>>(i).ok()).collect::<Vec<_>>()).collect()
}

#[tokio::test]
async fn tasks_and_reports_of_an_existing_database_keep_their_states_through_the_follow_up_migrations() {
    let scratch = scratch_database().await;
    let db = Database::connect(&scratch.url).await.unwrap();
    Migrator::up(&db, Some(14)).await.expect("up to the 14th");
    let (created, changed, reported) =
        ("'2026-11-01 08:00:00+00:00'", "'2026-11-20 08:00:00+00:00'", "'2026-11-09 23:30:00+00:00'");
    run(&db, &format!("INSERT INTO document (id, title, issued_on, created_at, updated_at) VALUES (1, 'a', '2026-10-30', {created}, {created})")).await;
    run(&db, &format!("INSERT INTO department (id, name, kind, created_at) VALUES (1, 'x', 'UNIT', {created}), (2, 'y', 'UNIT', {created})")).await;
    run(&db, &format!("INSERT INTO app_user (id, username, password_hash, role, department_id, created_at, updated_at) VALUES (1, 'u', 'h', 'DEPARTMENT', 1, {created}, {created})")).await;
    run(
        &db,
        &format!(
            "INSERT INTO task (id, document_id, seq, title, measures, schedule_text, schedule_kind, due_date, status, created_at, updated_at)
             VALUES (1, 1, 1, 'todo', '', '', 'DEADLINE', '2026-12-31', 'NOT_STARTED', {created}, {created}),
                    (2, 1, 2, 'doing', '', '', 'ONGOING', NULL, 'IN_PROGRESS', {created}, {changed}),
                    (3, 1, 3, 'done', '', '', 'DEADLINE', '2026-11-30', 'COMPLETED', {created}, {changed})"
        ),
    )
    .await;
    run(
        &db,
        "INSERT INTO assignment (id, task_id, department_id, role, position, task_document_id, task_seq)
         VALUES (1, 1, 1, 'LEAD', 1, 1, 1), (2, 2, 1, 'LEAD', 1, 1, 2), (3, 2, 2, 'SUPPORTING', 2, 1, 2),
                (4, 3, 1, 'LEAD', 1, 1, 3)",
    )
    .await;
    run(&db, &format!("INSERT INTO progress_report (id, task_id, department_id, author_id, text, percent, created_at) VALUES (1, 2, 1, 1, 'r', 40, {reported})")).await;

    Migrator::up(&db, None).await.expect("the follow-up migrations");
    let tasks = strings(&db, "SELECT status, CAST(assigned_on AS TEXT), CAST(original_due_date AS TEXT), CAST(latest_percent AS TEXT), CAST(completed_at IS NOT NULL AS TEXT) FROM task ORDER BY id").await;
    let some = |s: &str| Some(s.to_owned());
    let completed = |t: &Vec<Option<String>>| t[4].as_deref().is_some_and(|v| v == "1" || v == "true");
    assert_eq!(
        tasks.iter().map(|t| t[..4].to_vec()).collect::<Vec<_>>(),
        vec![
            vec![some("NOT_STARTED"), some("2026-10-30"), some("2026-12-31"), None],
            vec![some("IN_PROGRESS"), some("2026-10-30"), None, some("40")],
            vec![some("COMPLETED"), some("2026-10-30"), some("2026-11-30"), None],
        ],
        "statuses, the day handed out (the notice's date), the original due date and the latest percent"
    );
    assert_eq!(
        tasks.iter().map(completed).collect::<Vec<_>>(),
        vec![false, false, true],
        "a completed task keeps when"
    );
    let parts =
        strings(&db, "SELECT state, CAST(last_report_on AS TEXT), CAST(sign_due AS TEXT) FROM assignment ORDER BY id")
            .await;
    assert_eq!(
        parts,
        vec![
            vec![some("ASSIGNED"), None, None],
            vec![some("IN_PROGRESS"), some("2026-11-10"), None],
            vec![some("ASSIGNED"), None, None],
            vec![some("DONE"), None, None],
        ],
        "units that reported are at work, those of completed tasks are done; no sign-off deadline is invented"
    );
    let reports = strings(&db, "SELECT CAST(reported_on AS TEXT), CAST(late AS TEXT) FROM progress_report").await;
    assert_eq!(reports[0][0], some("2026-11-10"), "a report keeps its day in the county");
    assert!(matches!(reports[0][1].as_deref(), Some("0" | "false")), "and counts as on time");
    db.close().await.unwrap();
}
