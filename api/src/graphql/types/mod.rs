//! GraphQL output types. Each wraps an entity model and exposes its columns one by one, on
//! purpose: a new column never publishes itself.

pub mod assessment;
pub mod assignment;
pub mod department;
pub mod document;
pub mod enums;
pub mod evidence;
pub mod follow_up;
pub mod policy;
pub mod report;
pub mod task;
pub mod user;
pub mod webhook;

pub use department::Department;
pub use document::Document;
pub use report::ProgressReport;
pub use task::Task;
pub use user::User;
