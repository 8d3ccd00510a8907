//! Reader tests: the reference plan as a Word table and as a sheet, merged cells, headers below
//! a title, columns in another order, and every refusal.

mod build;
mod refusals;
mod tables;

use super::parse_file;
use crate::import::parse::rows::{RawTask, UnitSpec};
use crate::import::pipeline::{ParsedPlan, parse_text};
use build::{Cell, Sheet, docx, para, table, text, xlsx};

const REFERENCE: &str = include_str!("../../../../data/panshan-2014-103.txt");

/// The reference plan read independently of the importer: notice lines before the table, then
/// the header and 26 rows of five cells, exactly as pasted (Traditional script, pinyin artifacts).
fn reference_table() -> (Vec<String>, Vec<Vec<String>>) {
    let lines: Vec<&str> = REFERENCE.lines().collect();
    let start = lines.iter().position(|l| l.trim_start().starts_with("序號")).expect("header line");
    let notice = lines[..start].iter().map(|l| l.to_string()).collect();
    let body = lines[start..].join("\n");
    let pieces: Vec<&str> = body.split('|').collect();
    let header = ["序號", "工作任務", "落實措施", "負責單位", "時間進度"];
    let cells: Vec<String> = pieces[..pieces.len() - 1]
        .iter()
        .map(|c| c.trim().to_string())
        .filter(|c| !header.contains(&c.as_str()))
        .collect();
    assert_eq!(cells.len(), 26 * 5, "26 rows of five cells");
    let mut rows = vec![header.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
    rows.extend(cells.chunks(5).map(<[String]>::to_vec));
    (notice, rows)
}

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
    let (notice, rows) = reference_table();
    let body =
        format!("{}{}{}", para(&notice.join("\n")), table(&to_cells(&rows)), para("主办单位:盘山县人民政府办公室"));
    let plan = parse_file("方案.docx", &docx(&body)).expect("docx parses");
    let expected = text_plan();
    assert_eq!(plan.rows.len(), 26);
    assert_eq!(essentials(&plan), essentials(&expected));
    assert_eq!(plan.notice, expected.notice);
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
}

#[test]
fn the_reference_plan_as_a_sheet_below_a_title_reads_like_the_text() {
    let (notice, rows) = reference_table();
    let mut sheet = Sheet { name: "分工方案".into(), ..Sheet::default() };
    sheet.merges.push(((0, 0, 0, 4), notice[6].clone()));
    sheet.cells.push((1, 0, notice[1].clone()));
    sheet.cells.push((1, 3, notice[4].clone()));
    sheet.cells.push((1, 4, notice[5].clone()));
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.cells.push((u32::try_from(r + 2).unwrap(), u16::try_from(c).unwrap(), cell.clone()));
        }
    }
    let cover = Sheet {
        name: "说明".into(), cells: vec![(0, 0, "填表说明:请按时报送。".into())], ..Sheet::default()
    };
    let plan = parse_file("方案.XLSX", &xlsx(&[cover, sheet])).expect("xlsx parses");
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

fn to_cells(rows: &[Vec<String>]) -> Vec<Vec<Cell>> {
    rows.iter().map(|row| row.iter().map(|c| text(c)).collect()).collect()
}
