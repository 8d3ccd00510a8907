//! Importer speed on the reference plan (盘县政办发〔2014〕103号, 26 tasks).
//!
//! - `parse_text`: every pure stage (clean → notice → rows); target well under 1 ms.
//! - `parse_schedule`: the 26 reference schedule cells with the plan's issue date.
//! - `parse_file` on a .docx: the reference plan as a Word table (notice paragraphs, one table
//!   of 26 rows; built by `read::samples`, as the tests build it), read from the zip archive
//!   and its XML through the same stages.
//! - `import_plan`: the whole import into a migrated SQLite file database in one transaction,
//!   with `replace: true` so each iteration replaces the previous one; target well under 20 ms.
//!   Before measuring it, the SQL statements of one import are printed by kind with their time.
//!
//! Run with `cargo bench -p duban --bench import`.

use criterion::{Criterion, criterion_group, criterion_main};
use duban::bootstrap::SAMPLE_PLAN;
use duban::domain::Caller;
use duban::domain::clock::Clock;
use duban::import::parse::schedule::parse_schedule;
use duban::import::pipeline::parse_text;
use duban::import::read::parse_file;
use duban::import::{ImportOptions, import_plan};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

fn bench_parse_text(c: &mut Criterion) {
    c.bench_function("parse_text/reference_plan", |b| {
        b.iter(|| parse_text(black_box(SAMPLE_PLAN)).expect("reference plan parses"));
    });
}

fn bench_parse_schedule(c: &mut Criterion) {
    let plan = parse_text(SAMPLE_PLAN).expect("reference plan parses");
    let plan_date = plan.notice.issued_on;
    let schedules: Vec<String> = plan.rows.iter().map(|row| row.schedule.clone()).collect();
    assert_eq!(schedules.len(), 26, "the reference plan has 26 schedules");
    c.bench_function("parse_schedule/26_reference_schedules", |b| {
        b.iter(|| {
            for text in &schedules {
                black_box(parse_schedule(black_box(text), black_box(plan_date)));
            }
        });
    });
}

fn bench_parse_docx(c: &mut Criterion) {
    let docx = duban::import::read::samples::reference_docx();
    let plan = parse_file("plan.docx", &docx).expect("reference docx parses");
    assert_eq!(plan.rows.len(), 26, "the reference plan has 26 tasks");
    c.bench_function("parse_file/reference_plan_docx", |b| {
        b.iter(|| parse_file("plan.docx", black_box(&docx)).expect("reference docx parses"));
    });
}

/// A fresh SQLite file under the system temp directory, removed (with its WAL files) on drop.
struct TempDatabase {
    path: PathBuf,
}

impl TempDatabase {
    fn new() -> Self {
        let path = std::env::temp_dir().join(format!("duban-bench-import-{}.sqlite", std::process::id()));
        remove_database_files(&path);
        Self { path }
    }

    fn url(&self) -> String {
        format!("sqlite://{}?mode=rwc", self.path.display())
    }
}

impl Drop for TempDatabase {
    fn drop(&mut self) {
        remove_database_files(&self.path);
    }
}

fn remove_database_files(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        // A file that is not there is exactly what we want.
        let _ = std::fs::remove_file(file);
    }
}

fn bench_import_plan(c: &mut Criterion) {
    let runtime = Runtime::new().expect("tokio runtime starts");
    let database = TempDatabase::new();
    let mut db = runtime.block_on(async {
        let db = duban::db::connect(&database.url()).await.expect("sqlite opens");
        duban::db::migrate(&db).await.expect("migrations run");
        db
    });
    let options = ImportOptions { replace: true, ..Default::default() };
    // One import outside the measurement, so every measured iteration replaces a plan.
    let first = runtime.block_on(import_plan(&db, &console(), SAMPLE_PLAN, options)).expect("reference plan imports");
    assert_eq!(first.tasks.len(), 26, "the reference plan has 26 tasks");
    report_statements(&runtime, &mut db, options);
    c.bench_function("import_plan/reference_plan_sqlite_replace", |b| {
        // `block_on` per iteration costs microseconds, negligible next to the import itself.
        b.iter(|| {
            runtime
                .block_on(import_plan(&db, &console(), black_box(SAMPLE_PLAN), options))
                .expect("reference plan imports")
        });
    });
    runtime.block_on(db.close()).expect("database closes");
}

/// Imports averaged by [`report_statements`].
const PROFILED_IMPORTS: u32 = 20;

/// Statements of a replacing import, grouped by their first words, with the time each group took
/// (averaged over [`PROFILED_IMPORTS`] imports); printed once so a slow import shows where its
/// time goes. BEGIN and COMMIT are not reported by sea-orm, so they fall into the remainder.
fn report_statements(runtime: &Runtime, db: &mut sea_orm::DatabaseConnection, options: ImportOptions) {
    let groups: Arc<Mutex<BTreeMap<String, (u32, Duration)>>> = Arc::default();
    let sink = Arc::clone(&groups);
    db.set_metric_callback(move |info| {
        let key: String = info.statement.sql.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
        let mut groups = sink.lock().expect("metric lock");
        let entry = groups.entry(key).or_default();
        entry.0 += 1;
        entry.1 += info.elapsed;
    });
    let started = Instant::now();
    for _ in 0..PROFILED_IMPORTS {
        runtime.block_on(import_plan(&*db, &console(), SAMPLE_PLAN, options)).expect("reference plan imports");
    }
    let wall = started.elapsed() / PROFILED_IMPORTS;
    db.set_metric_callback(|_| {});
    let groups = groups.lock().expect("metric lock");
    let (count, in_sql) = groups.values().fold((0, Duration::ZERO), |(n, t), (c, d)| (n + c, t + *d));
    let (count, in_sql) = (count / PROFILED_IMPORTS, in_sql / PROFILED_IMPORTS);
    eprintln!("per import (mean of {PROFILED_IMPORTS}): {wall:?} wall, {count} statements taking {in_sql:?}");
    eprintln!("  rest (parsing, name resolution, BEGIN/COMMIT, pool): {:?}", wall.saturating_sub(in_sql));
    for (key, (n, took)) in groups.iter() {
        eprintln!("  {:>4} × {:>10?}  {key}", n / PROFILED_IMPORTS, *took / PROFILED_IMPORTS);
    }
}

/// The importer runs as the operator at the console (as `duban import` does).
fn console() -> Caller {
    Caller::system(Clock::system().read())
}

criterion_group!(benches, bench_parse_text, bench_parse_schedule, bench_parse_docx, bench_import_plan);
criterion_main!(benches);
