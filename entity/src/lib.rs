//! Plain sea-orm entities for duban's tables. No policy and no GraphQL live here: the `duban`
//! crate decides who may see a row and how it is exposed.

pub mod assessment_rules;
pub mod assignment;
pub mod audit_entry;
pub mod calendar_day;
pub mod completion_report;
pub mod department;
pub mod department_alias;
pub mod document;
pub mod document_source;
pub mod due_date_change;
pub mod enums;
pub mod evidence;
pub mod extension_request;
pub mod follow_up_settings;
pub mod group_member;
pub mod instruction;
pub mod instruction_response;
pub mod login_throttle;
pub mod policy_event;
pub mod progress_report;
pub mod published_assessment;
pub mod report_consolidation;
pub mod report_period;
pub mod service_token;
pub mod task;
pub mod task_follow;
pub mod task_policy;
pub mod urging;
pub mod user;
pub mod webhook;
pub mod webhook_cursor;
pub mod webhook_delivery;

pub use enums::*;
