//! Reads without a round trip to spare.
//!
//! sqlx's pool checks a PostgreSQL connection with a round trip to the server when it hands the
//! connection out and again when it takes it back (a `Sync` message and its answer). A read of
//! one statement then costs three round trips instead of one: in the profile of a task detail
//! under load, the checks took about a tenth of the server's CPU, and as much of PostgreSQL's
//! again (see BENCHMARKS.md). The reads of a GraphQL request therefore go through a pool of their
//! own ([`Reader`], on `deadpool`) that hands connections out as they are and takes them back
//! without a word.
//!
//! What the checks were for is kept another way: a statement that fails because its connection
//! is broken (the network was cut, or the server ended the session: a restart, a failover,
//! `pg_terminate_backend`, an idle timeout) drops that connection and every idle
//! one beside it (they went the same way), and a read is tried once more on a new connection.
//! A connection whose statement was abandoned halfway is dropped, not reused. Writes keep sqlx's
//! pool: they run in transactions, and a statement of a transaction is never repeated.
//!
//! On SQLite there is no server to talk to, and the reader is the ordinary pool.
//!
//! Every statement is reported to a [`StatementHook`] with the pool that ran it: the reader runs
//! the statements of GraphQL requests (reads) and nothing else, so its count is what requests
//! cost, whatever the background tasks run meanwhile on the other pool.

use deadpool::managed::{self, Metrics, Object, RecycleResult};
use sea_orm::sqlx::postgres::{PgConnectOptions, PgConnection};
use sea_orm::sqlx::{self, ConnectOptions as _};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, ExecResult, QueryResult, RuntimeErr, Statement};
use sea_query_sqlx::SqlxValues;
use std::sync::Arc;
use std::time::Instant;

/// What runs after every statement (the `/metrics` counter, the test suite's count), told
/// which pool ran it.
pub type StatementHook = Arc<dyn Fn(&sea_orm::metric::Info<'_>, Via) + Send + Sync>;

/// The pool a statement ran on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The reader: reads of GraphQL requests.
    Reader,
    /// The main pool: writes, and everything outside a GraphQL request.
    Pool,
}

/// The connection for reads: runs statements like a [`DatabaseConnection`], cheaper on
/// PostgreSQL. Cheap to clone.
#[derive(Clone)]
pub struct Reader {
    kind: Kind,
    hook: Option<StatementHook>,
}

#[derive(Clone)]
enum Kind {
    Pool(DatabaseConnection),
    Postgres(managed::Pool<Connector>),
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.kind {
            Kind::Pool(_) => "pool",
            Kind::Postgres(_) => "postgres",
        };
        f.debug_struct("Reader").field("kind", &kind).finish()
    }
}

/// Opens PostgreSQL connections for the reader, with the session settings of the main pool.
pub struct Connector {
    options: PgConnectOptions,
}

impl managed::Manager for Connector {
    type Type = PgConnection;
    type Error = sqlx::Error;

    async fn create(&self) -> Result<PgConnection, sqlx::Error> {
        self.options.connect().await
    }

    /// Handed out as it is: a broken connection shows itself on its next statement (see
    /// [`Reader::run`]).
    async fn recycle(&self, _: &mut PgConnection, _: &Metrics) -> RecycleResult<sqlx::Error> {
        Ok(())
    }
}

impl Reader {
    /// The reader over `db`'s database: a pool of its own on PostgreSQL (`url`, `size`
    /// connections at most, opened as needed), `db`'s pool elsewhere.
    pub fn open(
        db: &DatabaseConnection,
        url: &str,
        size: usize,
        hook: Option<StatementHook>,
    ) -> anyhow::Result<Reader> {
        use anyhow::Context;
        if db.get_database_backend() != DbBackend::Postgres {
            // A clone of the connection keeps a callback of its own.
            let mut own = db.clone();
            if let Some(hook) = hook {
                own.set_metric_callback(move |info| hook(info, Via::Reader));
            }
            return Ok(Reader { kind: Kind::Pool(own), hook: None });
        }
        let options: PgConnectOptions = url.parse().context("cannot read the database URL")?;
        // No statement text in the log, as on the main pool (`super::connect`).
        let mut options = super::session_options(options, url).disable_statement_logging();
        if !url.contains("plan_cache_mode") {
            // Reads are the same few statements over and over with other values: planned once
            // per connection. PostgreSQL's own choice kept planning some of them on every
            // execution (a unit's to-do list: 1 ms of planning for 1 ms of work; see
            // BENCHMARKS.md), because a plan for unknown statuses and days looked dearer than
            // the plans for known ones, which were the same plans.
            options = options.options([("plan_cache_mode", "force_generic_plan")]);
        }
        let pool = managed::Pool::builder(Connector { options })
            .max_size(size)
            .queue_mode(managed::QueueMode::Lifo)
            .runtime(deadpool::Runtime::Tokio1)
            .wait_timeout(Some(super::ACQUIRE_TIMEOUT))
            .create_timeout(Some(super::CONNECT_TIMEOUT))
            .build()
            .context("cannot build the read pool")?;
        Ok(Reader { kind: Kind::Postgres(pool), hook })
    }

    /// Opens every connection of the pool now, each with a first statement run, so that the
    /// first requests after start do not pay for connecting.
    pub async fn warm(&self) -> Result<(), DbErr> {
        let Kind::Postgres(pool) = &self.kind else { return Ok(()) };
        let size = pool.status().max_size;
        let mut held = Vec::with_capacity(size);
        for _ in 0..size {
            let mut conn = pool.get().await.map_err(acquire_error)?;
            sqlx::raw_sql("SELECT 1").execute(&mut *conn).await.map_err(query_error)?;
            held.push(conn);
        }
        Ok(())
    }

    /// Runs one statement on a pooled connection; a read that met a broken connection is run
    /// once more on a fresh one.
    async fn run<T>(&self, stmt: &Statement, op: Op) -> Result<T, DbErr>
    where
        T: From<Outcome>,
    {
        let Kind::Postgres(pool) = &self.kind else { unreachable!("SQLite statements go to the pool") };
        let started = Instant::now();
        let mut result = once(pool, stmt, op).await;
        if op.reads() && is_select(&stmt.sql) && result.as_ref().is_err_and(is_broken_connection) {
            // The server went away and came back, or the network did: every idle connection
            // is as dead as this one.
            drop(pool.retain(|_, _| false));
            result = once(pool, stmt, op).await;
        }
        if let Some(hook) = &self.hook {
            let info = sea_orm::metric::Info { elapsed: started.elapsed(), statement: stmt, failed: result.is_err() };
            hook(&info, Via::Reader);
        }
        result.map(T::from).map_err(|error| match op {
            Op::Execute | Op::Unprepared => DbErr::Exec(RuntimeErr::SqlxError(error.into())),
            _ => query_error(error),
        })
    }
}

/// What a statement is run for.
#[derive(Clone, Copy)]
enum Op {
    Execute,
    /// Sent as text, without preparing (several statements may be in it).
    Unprepared,
    One,
    All,
}

impl Op {
    /// Whether the statement reads (and may be run again).
    fn reads(self) -> bool {
        matches!(self, Op::One | Op::All)
    }
}

/// Whether a statement's text is a query (`SELECT`, or a parenthesised one first in a `UNION`),
/// so that running it again changes nothing: rows fetched with `query_one` may come from an
/// `INSERT … RETURNING`, which must never run twice.
fn is_select(sql: &str) -> bool {
    let text = sql.trim_start().trim_start_matches('(');
    text.get(..7).is_some_and(|word| word.eq_ignore_ascii_case("SELECT "))
}

/// What one run of a statement gave.
enum Outcome {
    Done(ExecResult),
    Rows(Vec<QueryResult>),
}

impl From<Outcome> for ExecResult {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Done(done) => done,
            Outcome::Rows(_) => unreachable!("an execution returns no rows"),
        }
    }
}

impl From<Outcome> for Vec<QueryResult> {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Rows(rows) => rows,
            Outcome::Done(_) => Vec::new(),
        }
    }
}

impl From<Outcome> for Option<QueryResult> {
    fn from(outcome: Outcome) -> Self {
        Vec::<QueryResult>::from(outcome).into_iter().next()
    }
}

/// One statement on one connection. The connection goes back to the pool only when the
/// statement ran to its end without breaking it.
async fn once(pool: &managed::Pool<Connector>, stmt: &Statement, op: Op) -> Result<Outcome, sqlx::Error> {
    let conn = pool.get().await.map_err(|error| match error {
        managed::PoolError::Backend(error) => error,
        managed::PoolError::Timeout(_) => sqlx::Error::PoolTimedOut,
        _ => sqlx::Error::PoolClosed,
    })?;
    let mut lease = Lease(Some(conn));
    let conn = lease.0.as_mut().expect("leased");
    let values = SqlxValues(stmt.values.clone().unwrap_or(sea_orm::Values(Vec::new())));
    let query = sqlx::query_with(sqlx::AssertSqlSafe(stmt.sql.as_str()), values);
    let outcome = match op {
        Op::Execute => query.execute(&mut **conn).await.map(|done| Outcome::Done(done.into())),
        Op::Unprepared => sqlx::raw_sql(sqlx::AssertSqlSafe(stmt.sql.as_str()))
            .execute(&mut **conn)
            .await
            .map(|done| Outcome::Done(done.into())),
        Op::One => {
            query.fetch_optional(&mut **conn).await.map(|row| Outcome::Rows(row.into_iter().map(Into::into).collect()))
        }
        Op::All => {
            query.fetch_all(&mut **conn).await.map(|rows| Outcome::Rows(rows.into_iter().map(Into::into).collect()))
        }
    };
    if outcome.as_ref().is_err_and(is_broken_connection) {
        lease.discard();
    } else {
        lease.keep();
    }
    outcome
}

/// A pooled connection in use: dropped with the lease unless [`Lease::keep`] says it is fit to
/// go back (a future abandoned mid-statement leaves it in an unknown state).
struct Lease(Option<Object<Connector>>);

impl Lease {
    fn keep(&mut self) {
        self.0.take();
    }

    fn discard(&mut self) {
        if let Some(conn) = self.0.take() {
            drop(Object::take(conn));
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.discard();
    }
}

/// Whether an error says the connection itself is gone (not that the statement was refused):
/// the socket or the protocol failed, or PostgreSQL ended the session and said why before it
/// closed the socket (class 57P: shut down, restarted, terminated by an administrator, idle
/// too long; class 08: a connection exception).
fn is_broken_connection(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_) | sqlx::Error::Protocol(_) | sqlx::Error::Tls(_) | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(error) => {
            error.code().is_some_and(|code| code.starts_with("57P") || code.starts_with("08"))
        }
        _ => false,
    }
}

fn query_error(error: sqlx::Error) -> DbErr {
    DbErr::Query(RuntimeErr::SqlxError(error.into()))
}

fn acquire_error(error: managed::PoolError<sqlx::Error>) -> DbErr {
    match error {
        managed::PoolError::Backend(error) => DbErr::Conn(RuntimeErr::SqlxError(error.into())),
        managed::PoolError::Timeout(_) => DbErr::ConnectionAcquire(sea_orm::ConnAcquireErr::Timeout),
        _ => DbErr::ConnectionAcquire(sea_orm::ConnAcquireErr::ConnectionClosed),
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for Reader {
    fn get_database_backend(&self) -> DbBackend {
        match &self.kind {
            Kind::Pool(db) => db.get_database_backend(),
            Kind::Postgres(_) => DbBackend::Postgres,
        }
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        match &self.kind {
            Kind::Pool(db) => db.execute_raw(stmt).await,
            Kind::Postgres(_) => self.run(&stmt, Op::Execute).await,
        }
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        match &self.kind {
            Kind::Pool(db) => db.execute_unprepared(sql).await,
            Kind::Postgres(_) => self.run(&Statement::from_string(DbBackend::Postgres, sql), Op::Unprepared).await,
        }
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        match &self.kind {
            Kind::Pool(db) => db.query_one_raw(stmt).await,
            Kind::Postgres(_) => self.run(&stmt, Op::One).await,
        }
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        match &self.kind {
            Kind::Pool(db) => db.query_all_raw(stmt).await,
            Kind::Postgres(_) => self.run(&stmt, Op::All).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_select;

    #[test]
    fn only_queries_are_run_again() {
        assert!(is_select(r#"SELECT "task"."id" FROM "task""#));
        assert!(is_select("  select 1"));
        assert!(is_select(r#"(SELECT "id" FROM "a" LIMIT 21) UNION ALL (SELECT "id" FROM "b" LIMIT 6)"#));
        assert!(!is_select(r#"INSERT INTO "task" ("title") VALUES ($1) RETURNING "id""#));
        assert!(!is_select(r#"UPDATE "task" SET "title" = $1 RETURNING "id""#));
        assert!(!is_select("WITH moved AS (DELETE FROM a RETURNING *) SELECT * FROM moved"));
        assert!(!is_select("SELECTED"));
        assert!(!is_select(""));
    }
}
