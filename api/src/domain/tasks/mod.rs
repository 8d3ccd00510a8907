//! Tasks: listing them as the viewer may see them, and the admin writes.

mod mutation;
mod query;

pub use mutation::*;
pub use query::*;
