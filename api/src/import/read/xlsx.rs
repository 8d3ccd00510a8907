//! Spreadsheets (`.xlsx` through calamine after the archive passed its limits, `.xls` through
//! calamine): the sheet whose division table gives the most tasks.
//!
//! Merged regions follow the grid convention: text repeated down the rows a region spans, in
//! its first column only. Date cells become `2022年6月30日`, so the schedule parser reads them.
//!
//! A sheet is never built from its declared or used range (a dense grid from A1 to the last
//! cell named, which a 2 KB file can place at XFD1048576): `.xlsx` cells are streamed and kept
//! only when they have content, `.xls` cell records are scanned ([`super::biff`]) before
//! calamine builds its ranges. Content beyond [`MAX_ROWS`] × [`MAX_COLUMNS`] refuses the file,
//! and the grid's cells and text are charged to the file's [`Budget`] before they are built.

use super::archive::Archive;
use super::biff;
use super::budget::Budget;
use super::{ReadError, plan_from_table, table_lines};
use crate::import::parse::clean::clean;
use crate::import::parse::rows::parse_grid;
use crate::import::pipeline::ParsedPlan;
use calamine::{Data, DataType, Dimensions, Range, Reader, Xls, XlsError, Xlsx, XlsxError};
use std::io::Cursor;

/// Rows and columns a sheet's content may reach: a plan is a few hundred rows of a few columns.
pub(super) const MAX_ROWS: u32 = 5_000;
pub(super) const MAX_COLUMNS: u32 = 64;

/// A sheet's cells with content: row, column, text.
type Cells = Vec<(u32, u32, String)>;

/// Reads a `.xlsx`.
pub(super) fn parse_xlsx(bytes: &[u8], budget: &mut Budget) -> Result<ParsedPlan, ReadError> {
    Archive::open(bytes)?.check_all()?;
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let cells = xlsx_cells(&mut book, &name, budget)?;
        let merges = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
        sheets.push(grid_of(cells, &merges, budget)?);
    }
    plan_from_sheets(&sheets)
}

/// The cells with content of one `.xlsx` sheet, streamed: nothing is built for blank cells
/// or for the declared dimension. A chart sheet has none.
fn xlsx_cells(book: &mut Xlsx<Cursor<&[u8]>>, name: &str, budget: &mut Budget) -> Result<Cells, ReadError> {
    let mut reader = match book.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        Err(XlsxError::NotAWorksheet(_)) => return Ok(Vec::new()),
        Err(error) => return Err(xlsx_error(error)),
    };
    let mut cells = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(xlsx_error)? {
        budget.go_on()?;
        let value = Data::from(cell.get_value().clone());
        if value.is_empty() {
            continue;
        }
        let (row, column) = cell.get_position();
        within_sheet_limits(row, column)?;
        let text = cell_text(&value);
        budget.text(text.len())?;
        cells.push((row, column, text));
    }
    Ok(cells)
}

/// Reads a `.xls`: its cell records are scanned first, calamine builds each sheet's range
/// from the first to the last cell.
pub(super) fn parse_xls(bytes: &[u8], budget: &mut Budget) -> Result<ParsedPlan, ReadError> {
    biff::check_cells(bytes, budget)?;
    let mut book = Xls::new(Cursor::new(bytes)).map_err(xls_error)?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(xls_error)?;
        let merges = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
        sheets.push(grid_of(range_cells(&range, budget)?, &merges, budget)?);
    }
    plan_from_sheets(&sheets)
}

/// The cells with content of a range calamine built.
fn range_cells(range: &Range<Data>, budget: &mut Budget) -> Result<Cells, ReadError> {
    let (top, left) = range.start().unwrap_or((0, 0));
    let absolute = |offset: usize, from: u32| from.saturating_add(u32::try_from(offset).unwrap_or(u32::MAX));
    let mut cells = Vec::new();
    for (row, column, value) in range.used_cells() {
        let (row, column) = (absolute(row, top), absolute(column, left));
        within_sheet_limits(row, column)?;
        let text = cell_text(value);
        budget.text(text.len())?;
        cells.push((row, column, text));
    }
    Ok(cells)
}

/// Content beyond the rows and columns a plan takes refuses the file.
pub(super) fn within_sheet_limits(row: u32, column: u32) -> Result<(), ReadError> {
    if row < MAX_ROWS && column < MAX_COLUMNS {
        return Ok(());
    }
    Err(ReadError::TooMuchData { reason: format!("a sheet has content beyond row {MAX_ROWS} or column {MAX_COLUMNS}") })
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

/// A sheet as cleaned cell texts from A1, merged regions filled: its cells, and the text merged
/// regions copy, are charged to `budget` first.
fn grid_of(cells: Cells, merges: &[Dimensions], budget: &mut Budget) -> Result<Vec<Vec<String>>, ReadError> {
    let rows = cells.iter().map(|(r, _, _)| r + 1).max().unwrap_or(0);
    let columns = cells.iter().map(|(_, c, _)| c + 1).max().unwrap_or(0);
    budget.cells(rows as usize * columns as usize)?;
    let mut grid = vec![vec![String::new(); columns as usize]; rows as usize];
    for (r, c, text) in cells {
        grid[r as usize][c as usize] = text;
    }
    for merge in merges {
        let (top, left) = merge.start;
        let Some(text) = grid.get(top as usize).and_then(|row| row.get(left as usize)).cloned() else { continue };
        for r in top..=merge.end.0.min(rows - 1) {
            budget.text(text.len())?;
            for c in left..=merge.end.1.min(columns - 1) {
                grid[r as usize][c as usize] = if c == left { text.clone() } else { String::new() };
            }
        }
    }
    Ok(grid)
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
