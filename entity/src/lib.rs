//! Plain sea-orm entities for duban's tables. No policy and no GraphQL live here: the `duban`
//! crate decides who may see a row and how it is exposed.

pub mod assignment;
pub mod department;
pub mod department_alias;
pub mod document;
pub mod document_source;
pub mod enums;
pub mod group_member;
pub mod login_throttle;
pub mod policy_event;
pub mod progress_report;
pub mod service_token;
pub mod task;
pub mod task_policy;
pub mod user;

pub use enums::*;
