//! The cell records of a `.xls` workbook, scanned before calamine reads it: calamine builds
//! every sheet's range, dense from its first to its last cell, when it opens the file, so a
//! sheet with cells far apart must be refused before that.
//!
//! A BIFF workbook stream is a sequence of records `[type: u16][length: u16][data]`; the cell
//! records (numbers, labels, formulas, …) start with the row and the column they fill, a
//! `BOF` record starts each sheet.

use super::ReadError;
use super::budget::Budget;
use super::xlsx::within_sheet_limits;
use std::io::{Cursor, Read};

/// Start of a substream (the globals, or one sheet).
const BOF: u16 = 0x0809;
/// Records holding one cell, row and column first: formula, number, label, boolean or error,
/// RK number, rich label, shared-string label.
const CELL_RECORDS: [u16; 7] = [0x0006, 0x0203, 0x0204, 0x0205, 0x027E, 0x00D6, 0x00FD];
/// Several RK numbers in a row: row, first column, …, last column in the last two bytes.
const MULRK: u16 = 0x00BD;

/// Refuses a workbook with content beyond the sheet limits, or whose sheets' ranges (first to
/// last cell) would hold more cells than the budget leaves.
pub(super) fn check_cells(bytes: &[u8], budget: &mut Budget) -> Result<(), ReadError> {
    let stream = workbook_stream(bytes)?;
    let mut sheet = Extent::default();
    let mut at = 0;
    while let Some((kind, data)) = record(&stream, at) {
        at += 4 + data.len();
        match kind {
            BOF => budget.cells(std::mem::take(&mut sheet).area())?,
            MULRK if data.len() >= 6 => {
                let row = u16_at(data, 0);
                sheet.add(row, u16_at(data, 2))?;
                sheet.add(row, u16_at(data, data.len() - 2))?;
            }
            kind if CELL_RECORDS.contains(&kind) && data.len() >= 4 => sheet.add(u16_at(data, 0), u16_at(data, 2))?,
            _ => {}
        }
    }
    budget.cells(sheet.area())
}

/// The `Workbook` (BIFF8) or `Book` (BIFF5) stream of a compound file.
fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, ReadError> {
    let damaged = |e: std::io::Error| ReadError::Damaged(format!("cannot read the workbook: {e}"));
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(damaged)?;
    let name = ["/Workbook", "/Book"].into_iter().find(|name| file.is_stream(name));
    let Some(name) = name else { return Err(ReadError::WrongContent { expected: ".xls" }) };
    let mut stream = Vec::new();
    // The stream lives inside the file, so it is no larger than the file.
    let limit = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    file.open_stream(name).map_err(damaged)?.take(limit).read_to_end(&mut stream).map_err(damaged)?;
    Ok(stream)
}

/// The record at `at`: its type and data, when a whole record is there.
fn record(stream: &[u8], at: usize) -> Option<(u16, &[u8])> {
    let header = stream.get(at..at + 4)?;
    let length = usize::from(u16_at(header, 2));
    Some((u16_at(header, 0), stream.get(at + 4..at + 4 + length)?))
}

fn u16_at(data: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([data[at], data[at + 1]])
}

/// The rows and columns one sheet's cells reach, from the first to the last.
#[derive(Debug, Default)]
struct Extent {
    rows: Option<(u16, u16)>,
    columns: Option<(u16, u16)>,
}

impl Extent {
    fn add(&mut self, row: u16, column: u16) -> Result<(), ReadError> {
        within_sheet_limits(u32::from(row), u32::from(column))?;
        let widen = |span: Option<(u16, u16)>, at: u16| Some(span.map_or((at, at), |(a, b)| (a.min(at), b.max(at))));
        self.rows = widen(self.rows, row);
        self.columns = widen(self.columns, column);
        Ok(())
    }

    /// The cells of the range calamine builds for the sheet.
    fn area(&self) -> usize {
        let span = |s: Option<(u16, u16)>| s.map_or(0, |(a, b)| usize::from(b - a) + 1);
        span(self.rows) * span(self.columns)
    }
}
