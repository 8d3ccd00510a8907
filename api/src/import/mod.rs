//! The plan importer: pasted notice text or a plan file in, document + tasks + assignments out.
//!
//! [`parse`] holds the pure text stages; [`read`] turns .txt/.docx/.xlsx/.xls files into the same
//! parsed plan; [`resolve`] maps unit names to departments; [`pipeline`] writes a parsed plan in
//! one transaction, whether it came from text ([`import_plan`]) or from a file ([`import_file`]).

pub mod catalog;
pub mod file;
pub mod parse;
pub mod pipeline;
pub mod read;
pub mod resolve;
pub mod summary;

pub use file::{FileImportError, import_file};
pub use pipeline::{ImportCheck, ImportOptions, ImportOutcome, ImportWarning, import_plan};
