//! Files small to send but huge once read are refused before they are built; a read whose
//! request ended stops.

use super::super::samples::{
    bare_xlsx, compound_file, merged_cell_bomb, reference_docx, reference_xlsx, sparse_sheet_bomb,
};
use super::super::{Cancel, ReadError, parse_file, parse_file_until};
use std::time::{Duration, Instant};

fn code(name: &str, bytes: &[u8]) -> &'static str {
    match parse_file(name, bytes) {
        Ok(_) => "OK",
        Err(e) => e.code(),
    }
}

/// A BIFF record: type, length, data.
fn record(kind: u16, data: &[u8]) -> Vec<u8> {
    let length = u16::try_from(data.len()).expect("a short record");
    [&kind.to_le_bytes()[..], &length.to_le_bytes(), data].concat()
}

/// A NUMBER record (row, column, format, value) at `row`, `column`.
fn number(row: u16, column: u16) -> Vec<u8> {
    let data = [&row.to_le_bytes()[..], &column.to_le_bytes(), &[0, 0], &1.0f64.to_le_bytes()].concat();
    record(0x0203, &data)
}

#[test]
fn a_sheet_naming_its_far_corner_is_refused_without_being_built() {
    let started = Instant::now();
    assert_eq!(code("plan.xlsx", &sparse_sheet_bomb()), "FILE_TOO_MUCH_DATA");
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
}

#[test]
fn a_large_declared_dimension_alone_is_not_content() {
    // Generators declare what they like; only cells with content count.
    let sheet = bare_xlsx("A1:XFD1048576", &[("A1", "关于印发重点任务分工方案的通知")]);
    assert_eq!(code("plan.xlsx", &sheet), "NO_TASKS");
}

#[test]
fn content_beyond_the_columns_a_plan_takes_is_refused() {
    assert_eq!(code("plan.xlsx", &bare_xlsx("A1:BZ1", &[("A1", "序号"), ("BZ1", "x")])), "FILE_TOO_MUCH_DATA");
    assert_eq!(code("plan.xlsx", &bare_xlsx("A1:A5001", &[("A1", "序号"), ("A5001", "x")])), "FILE_TOO_MUCH_DATA");
    assert_eq!(code("plan.xlsx", &bare_xlsx("A1:BL5000", &[("A1", "序号"), ("BL5000", "x")])), "NO_TASKS");
}

#[test]
fn a_merged_word_cell_is_charged_once_per_row_it_fills() {
    let started = Instant::now();
    let bomb = merged_cell_bomb(1024 * 1024, 300);
    assert_eq!(code("plan.docx", &bomb), "FILE_TOO_MUCH_DATA");
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    // The same shape within the budget is read.
    assert_ne!(code("plan.docx", &merged_cell_bomb(1024, 30)), "FILE_TOO_MUCH_DATA");
}

#[test]
fn an_xls_with_a_cell_far_away_is_refused_before_calamine_builds_its_range() {
    let bof = record(0x0809, &[0, 6, 0x10, 0, 0, 0, 0, 0]);
    let workbook =
        [bof.clone(), record(0x000A, &[]), bof, number(0, 0), number(65_535, 255), record(0x000A, &[])].concat();
    assert_eq!(code("plan.xls", &compound_file(&[("Workbook", &workbook)])), "FILE_TOO_MUCH_DATA");
}

#[test]
fn a_read_whose_request_ended_stops() {
    let cancel = Cancel::default();
    drop(cancel.on_drop());
    for (name, bytes) in [("plan.docx", reference_docx()), ("plan.xlsx", reference_xlsx())] {
        assert_eq!(parse_file_until(name, &bytes, &cancel).map(|_| ()), Err(ReadError::Abandoned), "{name}");
        assert!(parse_file(name, &bytes).is_ok(), "{name}: read when nobody stops it");
    }
}
