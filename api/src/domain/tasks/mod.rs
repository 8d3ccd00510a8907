//! Tasks: listing them as the viewer may see them (in plan order or by urgency), and the admin
//! writes.

mod detail;
mod mutation;
mod order;
mod query;

pub use detail::*;
pub use mutation::*;
pub use order::*;
pub use query::*;
