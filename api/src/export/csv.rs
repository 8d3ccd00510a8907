//! The division table as CSV: UTF-8 with a byte-order mark (Excel reads the Chinese text
//! only then), the header, one row a task. Cells that a spreadsheet would take for a formula
//! (`=`, `+`, `-`, `@`, a tab or carriage return first) are written with a leading `'`, so a
//! report's text never runs as one.

use super::columns::COLUMNS;
use super::table::DivisionTable;
use crate::error::{AppError, AppResult};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The file's bytes.
pub(super) fn write(table: &DivisionTable) -> AppResult<Vec<u8>> {
    let failed = |error: csv::Error| AppError::internal(anyhow::Error::new(error).context("cannot write the CSV"));
    let mut writer = csv::Writer::from_writer(BOM.to_vec());
    writer.write_record(COLUMNS.iter().map(|c| c.header)).map_err(failed)?;
    for row in &table.rows {
        writer.write_record(COLUMNS.iter().map(|c| inert((c.value)(row, table)))).map_err(failed)?;
    }
    writer.into_inner().map_err(|error| failed(error.into_error().into()))
}

/// `text`, with a leading `'` when a spreadsheet would read it as a formula.
fn inert(text: String) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text }
}

#[cfg(test)]
mod tests {
    use super::inert;

    #[test]
    fn formulas_are_written_as_text() {
        assert_eq!(inert("=HYPERLINK(\"x\")".into()), "'=HYPERLINK(\"x\")");
        assert_eq!(inert("@SUM(A1)".into()), "'@SUM(A1)");
        assert_eq!(inert("县民政局".into()), "县民政局");
    }
}
