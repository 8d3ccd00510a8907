//! Domain functions: they take a connection and the [`Caller`], ask `policy` before they touch
//! the database, own transactions and invariants, and know nothing of GraphQL. Resolvers call
//! exactly one of them.

pub mod assessment;
pub mod audit;
mod caller;
pub mod clock;
pub mod connection;
pub mod dates;
pub mod departments;
pub mod documents;
pub mod evidence;
pub mod follow_up;
pub mod page;
pub mod plan_cache;
pub mod policy_events;
pub mod reports;
pub mod rows;
pub mod service_tokens;
pub mod sessions;
pub mod tasks;
pub mod text;
pub mod throttle;
pub mod users;
pub mod webhooks;

#[cfg(test)]
pub(crate) mod testing;

pub use caller::{Caller, Stamp};
