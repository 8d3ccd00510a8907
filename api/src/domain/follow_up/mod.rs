//! The follow-up loop (督办闭环): 交办 → 签收 → 办理 + 进展反馈 → 催办 → 办结报告 → 审核 (通过 /
//! 退回重办) → 办结 → 销号, with warnings, extension requests and leaders' instructions.
//!
//! Pure rules first: [`states`] (the two state machines), [`cadence`] (when reports fall due),
//! [`calendar`] (working days), [`warning`] (the warning rules, read as SQL and as Rust). The
//! others are domain functions over them, each one transaction that ends by refreshing the
//! warning facts of the tasks it touched ([`facts`]).

pub mod cadence;
pub mod calendar;
pub mod completion;
pub mod due_dates;
pub mod extensions;
pub mod facts;
pub mod instructions;
pub mod interest;
pub mod members;
pub mod on_task;
pub mod parts;
pub mod periods;
pub mod reporting;
pub mod settings;
pub mod states;
pub mod statistics;
pub mod todo;
pub mod urgings;
pub mod warning;
pub mod watch;
pub mod work;
pub mod worklist;
