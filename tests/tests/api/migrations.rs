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
    "assignment",
    "calendar_day",
    "completion_report",
    "department",
    "department_alias",
    "document",
    "document_source",
    "due_date_change",
    "extension_request",
    "follow_up_settings",
    "group_member",
    "instruction",
    "instruction_response",
    "login_throttle",
    "policy_event",
    "progress_report",
    "report_consolidation",
    "service_token",
    "task",
    "task_policy",
    "urging",
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
