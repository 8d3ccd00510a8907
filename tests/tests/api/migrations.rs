//! The real migrator, up and down, on the backend of this run.

use duban_tests::scratch_database;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database};

async fn table_count(db: &sea_orm::DatabaseConnection) -> usize {
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations'"
        }
        _ => "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'seaql_migrations'",
    };
    db.query_all_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await.unwrap().len()
}

#[tokio::test]
async fn every_migration_goes_up_down_and_up_again() {
    let scratch = scratch_database().await;
    let db = Database::connect(&scratch.url).await.unwrap();
    Migrator::up(&db, None).await.expect("up");
    let tables = table_count(&db).await;
    assert_eq!(tables, Migrator::migrations().len(), "one table per migration");
    assert!(Migrator::get_pending_migrations(&db).await.unwrap().is_empty());

    Migrator::down(&db, None).await.expect("down");
    assert_eq!(table_count(&db).await, 0, "down() removes what up() made");

    Migrator::up(&db, None).await.expect("up again");
    assert_eq!(table_count(&db).await, tables);
    db.close().await.unwrap();
}
