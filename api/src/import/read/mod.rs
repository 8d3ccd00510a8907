//! Plan files: bytes and a file name in, the same [`ParsedPlan`] as pasted text out.
//!
//! - `.txt`: UTF-8, or GB18030/GBK (what Chinese Windows saves), through the text path;
//! - `.docx`: Word tables read as tables (merged cells included), the notice from the paragraphs
//!   around them; a document without a division table goes through the text path;
//! - `.xlsx`, `.xls`: the sheet that holds a division table.
//!
//! Tables of both kinds become [`crate::import::parse::rows::parse_grid`]'s cells, so columns,
//! units and schedules follow the same rules as text tables. Everything here is pure: no
//! database, no GraphQL. Files are checked before they are opened (size, what the first bytes
//! say, encryption), archives are read within limits on what they unpack to, and tables within
//! limits on the cells and text they expand to ([`budget`]), checked before they are built.
//!
//! The plan's [`ParsedPlan::source`], the text a document keeps, is what the reader extracted:
//! a `.txt` file's decoded text; a Word document's paragraphs and tables; the chosen sheet's
//! rows. Table rows are written `cell | cell |`, one row a line, so the kept text reads (and
//! imports again) like a pasted table.

mod archive;
mod biff;
mod budget;
mod docx;
mod error;
#[cfg(any(test, feature = "test-support"))]
pub mod samples;
mod sniff;
mod text;
mod xlsx;

pub use budget::{Cancel, CancelOnDrop, MAX_CELLS, MAX_TEXT_BYTES};
pub use error::ReadError;

use super::parse::rows::RowsOutcome;
use super::parse::{clean, notice};
use super::pipeline::{self, ParsedPlan};
use crate::error::AppError;

/// Largest file accepted (a `.txt` file: [`pipeline::MAX_IMPORT_BYTES`], as for pasted text).
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// The formats taken, by extension.
pub const ACCEPTED_EXTENSIONS: [&str; 4] = ["txt", "docx", "xlsx", "xls"];

/// Parses a plan file; the extension of `file_name` says how to read `bytes`.
pub fn parse_file(file_name: &str, bytes: &[u8]) -> Result<ParsedPlan, ReadError> {
    parse_file_until(file_name, bytes, &Cancel::default())
}

/// [`parse_file`], stopping with [`ReadError::Abandoned`] once `cancel` is set.
pub fn parse_file_until(file_name: &str, bytes: &[u8], cancel: &Cancel) -> Result<ParsedPlan, ReadError> {
    let mut budget = budget::Budget::new(cancel);
    let extension = extension(file_name);
    // Text keeps the pasted text's own, smaller limit.
    let limit = if extension == "txt" { pipeline::MAX_IMPORT_BYTES } else { MAX_FILE_BYTES };
    if bytes.len() > limit {
        return Err(ReadError::TooLarge { limit_mb: limit / 1024 / 1024 });
    }
    match extension.as_str() {
        "txt" => parse_text(&text::decode(bytes)?),
        "docx" => {
            sniff::expect_zip(bytes, ".docx")?;
            docx::parse(bytes, &mut budget)
        }
        "xlsx" => {
            sniff::expect_zip(bytes, ".xlsx")?;
            xlsx::parse_xlsx(bytes, &mut budget)
        }
        "xls" => {
            sniff::expect_ole(bytes, ".xls")?;
            xlsx::parse_xls(bytes, &mut budget)
        }
        "doc" | "wps" | "dot" | "wpt" => Err(ReadError::OldWordFormat),
        _ => Err(ReadError::UnsupportedType { extension }),
    }
}

/// The lower-case extension of a file name, without the dot (`""` when there is none).
fn extension(file_name: &str) -> String {
    let name = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    name.rsplit_once('.').map(|(_, ext)| ext.trim().to_lowercase()).unwrap_or_default()
}

/// The text path, with its refusal turned into a [`ReadError`].
fn parse_text(text: &str) -> Result<ParsedPlan, ReadError> {
    pipeline::parse_text(text).map_err(no_tasks)
}

/// A plan from a table's rows and the text around it (for the notice); `source` is the text
/// the document keeps.
fn plan_from_table(notice_text: &str, rows: RowsOutcome, source: String) -> Result<ParsedPlan, ReadError> {
    let notice = notice::parse_notice(&clean::clean(notice_text));
    pipeline::plan_from_rows(notice, rows, source).map_err(no_tasks)
}

/// A table as text: one `cell | cell |` line a row (line breaks inside a cell become spaces).
fn table_lines<'a>(rows: impl IntoIterator<Item = &'a Vec<String>>) -> impl Iterator<Item = String> {
    rows.into_iter().map(|row| {
        let cells: Vec<String> = row.iter().map(|c| format!("{} |", c.replace('\n', " "))).collect();
        cells.join(" ")
    })
}

fn no_tasks(error: AppError) -> ReadError {
    ReadError::NoTasks(error.to_string())
}

#[cfg(test)]
mod tests;
