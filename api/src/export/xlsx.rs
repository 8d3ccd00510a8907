//! The division table as an Excel workbook: one sheet, the notice on top (title, document
//! number, issuer, date — the importer reads them back), then the header, frozen and filtered,
//! then one row a task. Every cell is written as text: nothing a plan or a report says is ever
//! taken for a formula.

use super::columns::COLUMNS;
use super::table::DivisionTable;
use crate::error::{AppError, AppResult};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

/// Rows above the header: the title, then the document number, issuer and date.
const HEADER_ROW: u32 = 2;

/// Longest text an Excel cell holds.
const MAX_CELL_CHARS: usize = 32_767;

/// The workbook's bytes.
pub(super) fn write(table: &DivisionTable) -> AppResult<Vec<u8>> {
    build(table).map_err(|error| AppError::internal(anyhow::Error::new(error).context("cannot write the workbook")))
}

fn build(table: &DivisionTable) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("分工表")?;
    notice(sheet, table)?;
    let header = Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Center).set_border(FormatBorder::Thin);
    let body = Format::new().set_text_wrap().set_align(FormatAlign::Top).set_border(FormatBorder::Thin);
    for (c, column) in (0u16..).zip(COLUMNS) {
        sheet.set_column_width(c, column.width)?;
        sheet.write_string_with_format(HEADER_ROW, c, column.header, &header)?;
    }
    for (r, row) in (HEADER_ROW + 1..).zip(&table.rows) {
        for (c, column) in (0u16..).zip(COLUMNS) {
            sheet.write_string_with_format(r, c, fit(&(column.value)(row, table)), &body)?;
        }
    }
    let last_column = u16::try_from(COLUMNS.len() - 1).unwrap_or(u16::MAX);
    let last_row = HEADER_ROW + u32::try_from(table.rows.len()).unwrap_or(0);
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    sheet.autofilter(HEADER_ROW, 0, last_row, last_column)?;
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    sheet.set_landscape();
    book.save_to_buffer()
}

/// The title merged across the table, then the document number, issuer and date.
fn notice(sheet: &mut Worksheet, table: &DivisionTable) -> Result<(), XlsxError> {
    let document = &table.document;
    let last_column = u16::try_from(COLUMNS.len() - 1).unwrap_or(u16::MAX);
    let title = Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Center);
    sheet.merge_range(0, 0, 0, last_column, fit(&document.title), &title)?;
    sheet.set_row_height(0, 28)?;
    let facts = [
        document.doc_number.clone().unwrap_or_default(),
        document.issuer.clone().unwrap_or_default(),
        document.issued_on.map(|d| d.format("%Y年%-m月%-d日").to_string()).unwrap_or_default(),
    ];
    // Number on the left, issuer and date towards the right, as a notice is laid out.
    for (c, fact) in [0u16, 3, 4].into_iter().zip(facts) {
        if !fact.is_empty() {
            sheet.write_string(1, c, fact)?;
        }
    }
    Ok(())
}

/// `text`, cut to what a cell holds.
fn fit(text: &str) -> &str {
    match text.char_indices().nth(MAX_CELL_CHARS - 1) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}
