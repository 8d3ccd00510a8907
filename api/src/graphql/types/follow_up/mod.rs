//! The GraphQL types of the follow-up loop: warnings, urgings, instructions, extension
//! requests, due date history, completion reports, the to-do list, statistics and settings.

pub mod items;
pub mod settings;
pub mod statistics;
pub mod todo;
pub mod warning;

pub use items::{CompletionReport, DueDateChange, ExtensionRequest, Instruction, InstructionResponse, Urging};
pub use warning::{Warning, WarningLevel};
