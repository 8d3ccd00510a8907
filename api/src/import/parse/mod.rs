//! Pure text stages of the importer: no database, no GraphQL.
//!
//! raw text → [`clean`] → [`notice`] metadata → [`rows`] → [`units`] split → [`schedule`] parse.
//! [`labels`] (`牵头单位:`, `分管领导:` and bracket groups) and [`notes`] (rules about who leads,
//! document notes, lists ending in `等`) serve the rows and units stages. Each stage is a plain
//! function with its own unit tests; `super::pipeline` strings them together and writes the
//! result, and `super::read` feeds them the tables of Word and Excel files.

pub mod clean;
pub mod labels;
pub mod notes;
pub mod notice;
pub mod numerals;
pub mod rows;
pub mod schedule;
pub mod units;

/// Something a stage noticed but could cope with; surfaced to the admin as an import warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseWarning {
    /// 1-based line in the cleaned text, when the warning belongs to one.
    pub line: Option<usize>,
    /// Stable machine-readable code, e.g. `YEAR_ASSUMED`, `SCHEDULE_UNPARSED`.
    pub code: &'static str,
    /// Human-readable explanation (Chinese or English).
    pub message: String,
}
