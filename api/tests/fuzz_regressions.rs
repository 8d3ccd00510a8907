//! Replays every input kept under `src/import/parse/fixtures/fuzz/` (fuzz seeds and any crash
//! found by `cargo fuzz run import_text`) through `parse_text` and each pure stage, exactly as
//! the fuzz target does: none may panic or hang.

use chrono::NaiveDate;
use duban::import::parse::clean::clean;
use duban::import::parse::notice::parse_notice;
use duban::import::parse::rows::{UnitSpec, parse_rows};
use duban::import::parse::schedule::parse_schedule;
use duban::import::parse::units::split_units;
use duban::import::pipeline::parse_text;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

/// Far above what any input here needs (milliseconds); a hang fails instead of blocking CI.
const PER_INPUT_LIMIT: Duration = Duration::from_secs(60);

fn regression_inputs() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/import/parse/fixtures/fuzz");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// Mirrors `fuzz/fuzz_targets/import_text.rs`.
fn run_every_stage(data: &[u8]) {
    let raw = String::from_utf8_lossy(data);
    let plan_date = NaiveDate::from_ymd_opt(2014, 11, 13);
    if let Ok(plan) = parse_text(&raw) {
        for row in &plan.rows {
            parse_schedule(&row.schedule, plan.notice.issued_on);
            parse_schedule(&row.schedule, plan_date);
        }
    }
    let cleaned = clean(&raw);
    for text in [raw.as_ref(), cleaned.as_str()] {
        parse_notice(text);
        let rows = parse_rows(text);
        split_units(text);
        parse_schedule(text, plan_date);
        parse_schedule(text, None);
        for row in &rows.tasks {
            parse_schedule(&row.schedule, plan_date);
            let names: Vec<&String> = match &row.units {
                UnitSpec::Listed(names) => names.iter().collect(),
                UnitSpec::Explicit { leads, supporting } => leads.iter().chain(supporting).collect(),
            };
            for name in names {
                split_units(name);
            }
        }
    }
}

#[test]
fn every_kept_fuzz_input_passes_every_stage_without_panicking() {
    let files = regression_inputs();
    assert!(!files.is_empty(), "src/import/parse/fixtures/fuzz/ holds no inputs");
    for path in files {
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let (done, finished) = mpsc::channel();
        let worker = std::thread::spawn(move || {
            run_every_stage(&data);
            // The receiver only goes away after a timeout, when the test has failed anyway.
            let _ = done.send(());
        });
        match finished.recv_timeout(PER_INPUT_LIMIT) {
            Ok(()) => worker.join().expect("worker finished"),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                panic!("{} panicked in a parse stage (see the panic above)", path.display())
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!("{} took over {PER_INPUT_LIMIT:?}: a hang?", path.display())
            }
        }
    }
}
