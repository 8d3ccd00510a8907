//! Replays every input kept under `src/import/parse/fixtures/fuzz/` (fuzz seeds and any crash
//! found by `cargo fuzz run import_text`) through `parse_text`, each pure stage and the file
//! readers (as .txt, .docx, .xlsx and .xls), exactly as the fuzz target does: none may panic or
//! hang.
//!
//! The archive seeds (`seed-*.docx`, `seed-*.xlsx`) are made by the builders below:
//! `DUBAN_WRITE_FUZZ_SEEDS=1 cargo test -p duban --test fuzz_regressions` writes them anew.

use chrono::NaiveDate;
use duban::import::parse::clean::clean;
use duban::import::parse::notice::parse_notice;
use duban::import::parse::rows::{UnitSpec, parse_rows};
use duban::import::parse::schedule::parse_schedule;
use duban::import::parse::units::split_units;
use duban::import::pipeline::parse_text;
use duban::import::read::parse_file;
use std::io::{Cursor, Write};
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
    for name in ["plan.txt", "plan.docx", "plan.xlsx", "plan.xls"] {
        if let Ok(plan) = parse_file(name, data) {
            for row in &plan.rows {
                parse_schedule(&row.schedule, plan.notice.issued_on);
            }
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

fn fuzz_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/import/parse/fixtures/fuzz")
}

/// A small .docx with a notice paragraph and a division table with merged cells.
fn docx_seed() -> Vec<u8> {
    let cell = |props: &str, text: &str| {
        format!("<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
    };
    let row = |cells: &[String]| format!("<w:tr>{}</w:tr>", cells.concat());
    let body = [
        "<w:p><w:r><w:t>某县政办发〔2022〕5号</w:t></w:r></w:p><w:p><w:r><w:t>2022年3月1日</w:t></w:r></w:p><w:tbl>"
            .to_string(),
        row(&[
            cell("", "序号"),
            cell("", "工作任务"),
            cell("<w:gridSpan w:val=\"2\"/>", "责任单位"),
            cell("", "完成时限"),
        ]),
        row(&[
            cell("<w:vMerge w:val=\"restart\"/>", "1"),
            cell("", "推进老旧小区改造"),
            cell("", "县住建局"),
            cell("", "县财政局等"),
            cell("", "年内"),
        ]),
        row(&[
            cell("<w:vMerge/>", ""),
            cell("", "加装电梯"),
            cell("", "县市场监管局"),
            cell("", ""),
            cell("", "2022年6月底前"),
        ]),
        "</w:tbl>".to_string(),
    ]
    .concat();
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    writer.start_file("word/document.xml", options).expect("member starts");
    writer.write_all(document.as_bytes()).expect("member written");
    writer.finish().expect("zip finishes").into_inner()
}

/// A small .xlsx: a title row, a header in another order, a merged units cell.
fn xlsx_seed() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows: [&[&str]; 4] = [
        &["某县重点任务分工表"],
        &["工作任务", "序号", "牵头单位", "配合单位", "分管领导"],
        &["1.100个示范村创建", "1", "县乡村振兴局", "各乡镇人民政府", "张伟(副县长)"],
        &["2022年底前完成农村公路建设", "2", "", "县财政局", "李强"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *text).expect("cell written");
        }
    }
    sheet.merge_range(2, 2, 3, 2, "县交通运输局", &rust_xlsxwriter::Format::new()).expect("merge written");
    book.save_to_buffer().expect("workbook saves")
}

/// The committed archive seeds are readable as the builders' output is (the table seeds give
/// their rows, the truncated one is refused without a panic). With `DUBAN_WRITE_FUZZ_SEEDS=1` the
/// test first writes them anew from the builders: run it so when the builders change.
#[test]
fn the_committed_archive_seeds_read_like_the_builders_output() {
    if std::env::var_os("DUBAN_WRITE_FUZZ_SEEDS").is_some_and(|v| v == "1") {
        std::fs::write(fuzz_dir().join("seed-table.docx"), docx_seed()).expect("docx seed written");
        std::fs::write(fuzz_dir().join("seed-table.xlsx"), xlsx_seed()).expect("xlsx seed written");
        let mut truncated = docx_seed();
        truncated.truncate(truncated.len() / 2);
        std::fs::write(fuzz_dir().join("seed-truncated.docx"), truncated).expect("truncated seed written");
    }
    let read = |name: &str| std::fs::read(fuzz_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let rows = |name: &str, bytes: &[u8]| parse_file(name, bytes).map(|p| p.rows.len()).ok();
    assert_eq!(rows("seed.docx", &read("seed-table.docx")), rows("seed.docx", &docx_seed()));
    assert_eq!(rows("seed.xlsx", &read("seed-table.xlsx")), rows("seed.xlsx", &xlsx_seed()));
    assert!(parse_file("seed.docx", &read("seed-truncated.docx")).is_err(), "a truncated archive is refused");
}

#[test]
fn the_archive_seeds_parse() {
    assert_eq!(parse_file("seed.docx", &docx_seed()).map(|p| p.rows.len()).ok(), Some(1));
    assert_eq!(parse_file("seed.xlsx", &xlsx_seed()).map(|p| p.rows.len()).ok(), Some(2));
}
