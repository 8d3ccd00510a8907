//! Domain functions: they take a connection and the viewer, own transactions and invariants,
//! and know nothing of GraphQL. Resolvers call exactly one of them.

pub mod clock;
pub mod dates;
pub mod departments;
pub mod documents;
pub mod page;
pub mod policy_events;
pub mod reports;
pub mod service_tokens;
pub mod sessions;
pub mod tasks;
pub mod users;
