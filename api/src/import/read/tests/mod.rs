//! Reader tests: the reference plan as a Word table and as a sheet, merged cells, headers below
//! a title, columns in another order, and every refusal.

mod expansion;
mod refusals;
mod tables;

use super::parse_file;
use super::samples::{docx, para, reference_docx, reference_xlsx};
use crate::import::parse::rows::{RawTask, UnitSpec};
use crate::import::pipeline::{ParsedPlan, parse_text};

const REFERENCE: &str = include_str!("../../../../data/panshan-2014-103.txt");

/// What must agree between two readings of the same plan.
fn essentials(plan: &ParsedPlan) -> Vec<(i32, String, String, UnitSpec, String)> {
    plan.rows
        .iter()
        .map(|t: &RawTask| (t.seq, t.title.clone(), t.measures.clone(), t.units.clone(), t.schedule.clone()))
        .collect()
}

fn text_plan() -> ParsedPlan {
    parse_text(REFERENCE).expect("reference plan parses")
}

#[test]
fn the_reference_plan_as_a_word_table_reads_like_the_text() {
    let plan = parse_file("方案.docx", &reference_docx()).expect("docx parses");
    let expected = text_plan();
    assert_eq!(plan.rows.len(), 26);
    assert_eq!(essentials(&plan), essentials(&expected));
    assert_eq!(plan.notice, expected.notice);
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
}

#[test]
fn the_reference_plan_as_a_sheet_below_a_title_reads_like_the_text() {
    let plan = parse_file("方案.XLSX", &reference_xlsx()).expect("xlsx parses");
    let expected = text_plan();
    assert_eq!(essentials(&plan), essentials(&expected));
    assert_eq!(plan.notice, expected.notice);
}

#[test]
fn a_word_document_without_tables_goes_through_the_text_path() {
    let fixture = include_str!("../../parse/fixtures/layout2-paren-labels.txt");
    let plan = parse_file("notice.docx", &docx(&para(fixture))).expect("docx parses");
    let expected = parse_text(fixture).expect("fixture parses");
    assert_eq!(essentials(&plan), essentials(&expected));
    assert_eq!(plan.notice.doc_number.as_deref(), Some("某县政办发〔2021〕15号"));
}

#[test]
fn a_gb18030_text_file_reads_like_utf8() {
    let (encoded, _, _) = encoding_rs::GB18030.encode(REFERENCE);
    assert!(std::str::from_utf8(&encoded).is_err());
    let plan = parse_file("plan.txt", &encoded).expect("GB18030 text parses");
    assert_eq!(essentials(&plan), essentials(&text_plan()));
    let utf8 = parse_file("plan.TXT", format!("\u{FEFF}{REFERENCE}").as_bytes()).expect("UTF-8 with BOM parses");
    assert_eq!(essentials(&utf8), essentials(&text_plan()));
}
