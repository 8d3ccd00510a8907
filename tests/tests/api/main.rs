//! Black-box tests of the running server: one binary, one module per capability.

mod admin_writes;
mod errors;
mod import;
mod policy_events;
mod reads;
mod schema_file;
mod statement_count;
