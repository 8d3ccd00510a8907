//! Spreadsheets (`.xlsx` through calamine after the archive passed its limits, `.xls` through
//! calamine): the sheet whose division table gives the most tasks.
//!
//! Merged regions follow the grid convention: text repeated down the rows a region spans, in
//! its first column only. Date cells become `2022年6月30日`, so the schedule parser reads them.

use super::archive::Archive;
use super::{ReadError, plan_from_table, table_lines};
use crate::import::parse::clean::clean;
use crate::import::parse::rows::parse_grid;
use crate::import::pipeline::ParsedPlan;
use calamine::{Data, DataType, Dimensions, Range, Reader, Xls, XlsError, Xlsx, XlsxError};
use std::io::Cursor;

/// Rows and columns read from one sheet; a used range beyond this is formatting, not a plan.
const MAX_ROWS: u32 = 5_000;
const MAX_COLUMNS: u32 = 64;

/// Reads a `.xlsx`.
pub(super) fn parse_xlsx(bytes: &[u8]) -> Result<ParsedPlan, ReadError> {
    Archive::open(bytes)?.check_all()?;
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(xlsx_error)?;
        let merges = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
        sheets.push(grid_of(&range, &merges));
    }
    plan_from_sheets(&sheets)
}

/// Reads a `.xls`.
pub(super) fn parse_xls(bytes: &[u8]) -> Result<ParsedPlan, ReadError> {
    let mut book = Xls::new(Cursor::new(bytes)).map_err(xls_error)?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(xls_error)?;
        let merges = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
        sheets.push(grid_of(&range, &merges));
    }
    plan_from_sheets(&sheets)
}

fn xlsx_error(error: XlsxError) -> ReadError {
    match error {
        XlsxError::Password => ReadError::PasswordProtected,
        other => ReadError::Damaged(other.to_string()),
    }
}

fn xls_error(error: XlsError) -> ReadError {
    match error {
        XlsError::Password => ReadError::PasswordProtected,
        other => ReadError::Damaged(other.to_string()),
    }
}

/// The sheet with the most tasks; the notice (title, number, date) from that sheet's text.
fn plan_from_sheets(sheets: &[Vec<Vec<String>>]) -> Result<ParsedPlan, ReadError> {
    let best = sheets
        .iter()
        .filter_map(|grid| parse_grid(grid).map(|rows| (grid, rows)))
        .max_by_key(|(_, rows)| rows.tasks.len());
    let Some((grid, rows)) = best else {
        let message = "no division table was found in any sheet: a header row naming 序号, 工作任务 and 责任单位 (or close words) is needed";
        return Err(ReadError::NoTasks(message.to_string()));
    };
    let text: Vec<String> = grid.iter().map(|row| row.join(" ").trim().to_string()).collect();
    // A sheet's used range has blank rows between blocks; the kept text leaves them out.
    let filled = grid.iter().filter(|row| row.iter().any(|c| !c.trim().is_empty()));
    let source: Vec<String> = table_lines(filled).collect();
    plan_from_table(&text.join("\n"), rows, source.join("\n"))
}

/// A sheet as cleaned cell texts from A1, merged regions filled.
fn grid_of(range: &Range<Data>, merges: &[Dimensions]) -> Vec<Vec<String>> {
    let Some((last_row, last_column)) = range.end() else { return Vec::new() };
    let rows = last_row.min(MAX_ROWS - 1) + 1;
    let columns = last_column.min(MAX_COLUMNS - 1) + 1;
    let mut grid: Vec<Vec<String>> = (0..rows)
        .map(|r| (0..columns).map(|c| range.get_value((r, c)).map(cell_text).unwrap_or_default()).collect())
        .collect();
    for merge in merges {
        let (top, left) = merge.start;
        let Some(text) = grid.get(top as usize).and_then(|row| row.get(left as usize)).cloned() else { continue };
        for r in top..=merge.end.0.min(rows - 1) {
            for c in left..=merge.end.1.min(columns - 1) {
                grid[r as usize][c as usize] = if c == left { text.clone() } else { String::new() };
            }
        }
    }
    grid
}

/// One cell as text: whole numbers without `.0`, dates in Chinese.
fn cell_text(cell: &Data) -> String {
    let text = match cell {
        Data::DateTime(_) | Data::DateTimeIso(_) => match cell.as_date() {
            Some(date) => date.format("%Y年%-m月%-d日").to_string(),
            None => cell.to_string(),
        },
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        other => other.to_string(),
    };
    clean(&text)
}
