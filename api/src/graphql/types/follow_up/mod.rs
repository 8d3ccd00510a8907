//! The GraphQL types of the follow-up loop: warnings, urgings, instructions, extension
//! requests, due date history, completion reports, the to-do list, statistics, settings, and
//! the timeline and audit trail.

pub mod items;
pub mod period;
pub mod settings;
pub mod statistics;
pub mod timeline;
pub mod todo;
pub mod warning;
pub mod worklist;

pub use items::{CompletionReport, DueDateChange, ExtensionRequest, Instruction, InstructionResponse, Urging};
pub use period::ReportPeriod;
pub use warning::{Warning, WarningLevel};
