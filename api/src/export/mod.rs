//! A plan's division table (分工表) as a file, for the office to print, circulate and file:
//! `GET /documents/{id}/division-table.xlsx|.csv` and `duban export`.
//!
//! - [`table`]: the domain: which rows the caller may see (the document's tasks through the
//!   caller's scope, with their units and the latest report the caller may read);
//! - [`columns`]: which columns, and what each shows of a row (adding a column is one line);
//! - [`xlsx`] and [`csv`]: how the table is written.
//!
//! The HTTP handler (`http::export`) and the command line only say who asks and write bytes.

pub mod bulletin;
pub mod columns;
mod csv;
pub mod table;
mod xlsx;

pub use table::{DivisionTable, DocumentRef, Row, division_table};

use crate::domain::Caller;
use crate::error::AppResult;
use sea_orm::ConnectionTrait;

/// The file formats of a division table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An Excel workbook: the notice on top, the header frozen, columns sized.
    Xlsx,
    /// UTF-8 CSV with a byte-order mark (so Excel reads the Chinese text), header and rows only.
    Csv,
}

impl Format {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }

    /// The media type of the file.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }

    /// `xlsx` or `csv` (any case).
    pub fn parse(name: &str) -> Option<Format> {
        match name.trim().to_ascii_lowercase().as_str() {
            "xlsx" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// A division table written as a file.
#[derive(Debug, Clone)]
pub struct ExportFile {
    /// A file name that carries the document number (`盘县政办发〔2014〕103号-分工表.xlsx`).
    pub file_name: String,
    /// The same in ASCII, for clients that read no other (`division-table-7.xlsx`).
    pub ascii_file_name: String,
    pub format: Format,
    pub bytes: Vec<u8>,
    /// Task rows written.
    pub rows: usize,
}

/// The division table of `document` as the caller may see it, written in `format`.
pub async fn division_table_file(
    db: &impl ConnectionTrait,
    caller: &Caller,
    document: &DocumentRef,
    format: Format,
) -> AppResult<ExportFile> {
    let table = division_table(db, caller, document).await?;
    let bytes = match format {
        Format::Xlsx => xlsx::write(&table)?,
        Format::Csv => csv::write(&table)?,
    };
    Ok(ExportFile {
        file_name: file_name(&table, format),
        ascii_file_name: format!("division-table-{}.{}", table.document.id, format.extension()),
        format,
        bytes,
        rows: table.rows.len(),
    })
}

/// `<document number>-分工表.<ext>`, or `document-<id>-分工表.<ext>` for a document without a
/// number; characters no file system takes are left out.
fn file_name(table: &DivisionTable, format: Format) -> String {
    let document = &table.document;
    let stem = document.doc_number.clone().unwrap_or_else(|| format!("document-{}", document.id));
    let stem: String = stem.chars().filter(|c| !c.is_control() && !r#"/\:*?"<>|"#.contains(*c)).collect();
    format!("{}-分工表.{}", stem.trim(), format.extension())
}
