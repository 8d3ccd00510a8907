//! The plan importer: pasted notice text in, document + tasks + assignments out.
//!
//! [`parse`] holds the pure text stages; [`resolve`] maps unit names to departments;
//! [`pipeline`] runs everything in one transaction.

pub mod catalog;
pub mod parse;
pub mod pipeline;
pub mod resolve;
pub mod summary;

pub use pipeline::{ImportOptions, ImportOutcome, ImportWarning, import_plan};
