//! Connecting to SQLite or PostgreSQL and running the migrations; the connection for reads
//! (`reads`).

pub mod reads;

pub use reads::{Reader, StatementHook, Via};

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::path::PathBuf;
use std::time::Duration;

/// How long a request waits for a pooled connection before it fails (with `INTERNAL`): while
/// the database is away, requests fail within this bound instead of piling up.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// How long opening one connection may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens a pool for `url`. SQLite gets WAL mode and a busy timeout so concurrent requests wait
/// for the single writer instead of failing.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    let size = pool_size(url);
    options
        .max_connections(size)
        // Kept open once made (see `warm`): a connection is not made again on a later
        // request's time.
        .idle_timeout(Option::<Duration>::None)
        .connect_timeout(CONNECT_TIMEOUT)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .sqlx_logging(false);
    if url.starts_with("sqlite:") {
        options.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    } else {
        let url = url.to_owned();
        options.map_sqlx_postgres_opts(move |o| session_options(o, &url));
    }
    // The error text may contain the DSN; it goes to the operator's terminal, not to clients.
    Database::connect(options).await.context("cannot connect to the database")
}

/// The settings of every PostgreSQL session duban opens. No parallel workers for its
/// statements: they are short, many run at once, and starting workers cost more than they saved
/// (a unit's to-do list at 16 connections: 155 -> 370 req/s without them; the statistics over
/// every task unchanged; see BENCHMARKS.md). A DSN that sets it in its `options` keeps its own
/// value.
fn session_options(
    options: sea_orm::sqlx::postgres::PgConnectOptions,
    url: &str,
) -> sea_orm::sqlx::postgres::PgConnectOptions {
    if url.contains("max_parallel_workers_per_gather") {
        options
    } else {
        options.options([("max_parallel_workers_per_gather", "0")])
    }
}

/// Connections in the pool. On PostgreSQL the read pool beside it has as many again (see
/// `reads`): twenty in all per process, as many as the single pool had before it, so that two
/// replicas and their tools stay well within a server's default of 100.
pub fn pool_size(url: &str) -> u32 {
    if url.starts_with("sqlite:") { 8 } else { 10 }
}

/// Opens every connection of the pool now, each with a first statement run, so that the first
/// requests after start do not pay for connecting (the pool keeps idle connections open).
pub async fn warm(db: &DatabaseConnection, url: &str) -> anyhow::Result<()> {
    use sea_orm::ConnectionTrait;
    let backend = db.get_database_backend();
    let opened = (0..pool_size(url)).map(|_| async {
        // Each waits a moment so that all are checked out at once (one connection each).
        db.execute_raw(sea_orm::Statement::from_string(backend, select_a_moment(backend))).await
    });
    for result in futures_util::future::join_all(opened).await {
        result.context("cannot open the pool's connections")?;
    }
    Ok(())
}

fn select_a_moment(backend: sea_orm::DbBackend) -> &'static str {
    match backend {
        sea_orm::DbBackend::Postgres => "SELECT pg_sleep(0.05)",
        _ => "SELECT 1",
    }
}

/// Starts a transaction that writes. On SQLite it takes the write lock at `BEGIN` (IMMEDIATE):
/// a second writer then waits for the busy timeout, where a deferred transaction that read
/// first would fail when it tried to write. PostgreSQL ignores the mode.
pub async fn begin_write<C: TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    };
    db.begin_with_options(options).await
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("database migration failed")
}

/// The file behind an SQLite URL, if any (`sqlite://duban.sqlite?mode=rwc` → `duban.sqlite`).
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_path_strips_scheme_and_options() {
        assert_eq!(sqlite_path("sqlite://duban.sqlite?mode=rwc"), Some(PathBuf::from("duban.sqlite")));
        assert_eq!(sqlite_path("sqlite:/tmp/x.db"), Some(PathBuf::from("/tmp/x.db")));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://localhost/x"), None);
    }
}
