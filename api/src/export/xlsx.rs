//! The division table as an Excel workbook: the first sheet has the notice on top (title,
//! document number, issuer, date — the importer reads them back), then the header, frozen and
//! filtered, then one row a task. Every cell of it is written as text: nothing a plan or a report
//! says is ever taken for a formula. A second sheet (统计) has each lead unit's figures, as
//! `statistics.byUnit` gives them to the caller, with a native Excel chart of their reports on
//! time.

use super::columns::COLUMNS;
use super::table::DivisionTable;
use crate::error::{AppError, AppResult};
use rust_xlsxwriter::{Chart, ChartType, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

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
    figures(book.add_worksheet(), table)?;
    book.save_to_buffer()
}

/// The statistics sheet: one row a lead unit, then a bar chart of the reports-on-time rate.
fn figures(sheet: &mut Worksheet, table: &DivisionTable) -> Result<(), XlsxError> {
    const NAME: &str = "统计";
    const HEADERS: [&str; 11] = [
        "单位",
        "牵头任务",
        "已办结",
        "按期办结",
        "按期完成率",
        "逾期",
        "应报期数",
        "按时报送",
        "迟报",
        "未报",
        "按时报送率",
    ];
    sheet.set_name(NAME)?;
    let header = Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Center).set_border(FormatBorder::Thin);
    let cell = Format::new().set_border(FormatBorder::Thin);
    let percent = Format::new().set_border(FormatBorder::Thin).set_num_format("0.0%");
    sheet.set_column_width(0, 24)?;
    for (c, title) in (0u16..).zip(HEADERS) {
        sheet.write_string_with_format(0, c, title, &header)?;
    }
    for (r, unit) in (1u32..).zip(&table.units) {
        sheet.write_string_with_format(r, 0, fit(&unit.unit), &cell)?;
        let counts = [unit.tasks, unit.finished, unit.finished_on_time];
        for (c, n) in (1u16..).zip(counts) {
            sheet.write_number_with_format(r, c, n as f64, &cell)?;
        }
        match unit.on_time_rate() {
            Some(rate) => sheet.write_number_with_format(r, 4, rate, &percent)?,
            None => sheet.write_blank(r, 4, &cell)?,
        };
        let periods = [unit.overdue, unit.periods_due, unit.periods_on_time, unit.periods_late, unit.periods_missed];
        for (c, n) in (5u16..).zip(periods) {
            sheet.write_number_with_format(r, c, n as f64, &cell)?;
        }
        match unit.reports_on_time_rate() {
            Some(rate) => sheet.write_number_with_format(r, 10, rate, &percent)?,
            None => sheet.write_blank(r, 10, &cell)?,
        };
    }
    sheet.set_freeze_panes(1, 1)?;
    if table.units.is_empty() {
        return Ok(());
    }
    let last = u32::try_from(table.units.len()).unwrap_or(u32::MAX);
    let mut chart = Chart::new(ChartType::Bar);
    chart.title().set_name("各单位按时报送率");
    chart.add_series().set_name("按时报送率").set_categories((NAME, 1, 0, last, 0)).set_values((NAME, 1, 10, last, 10));
    chart.x_axis().set_max(1.0).set_min(0.0).set_num_format("0%");
    chart.legend().set_hidden();
    chart.set_height(24 * last.max(8) + 80);
    sheet.insert_chart(last + 2, 0, &chart)?;
    Ok(())
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
