//! The plan importer: pasted notice text in, document + tasks + assignments out.
//!
//! [`parse`] holds the pure text stages; [`read`] turns .txt/.docx/.xlsx/.xls files into the same
//! parsed plan; [`resolve`] maps unit names to departments;
//! [`pipeline`] runs everything in one transaction.

pub mod catalog;
pub mod parse;
pub mod pipeline;
pub mod read;
pub mod resolve;
pub mod summary;

pub use pipeline::{ImportOptions, ImportOutcome, ImportWarning, import_plan};
