//! Black-box tests of the running server: one binary, one module per capability.

mod admin_writes;
mod authz_matrix;
mod cast;
mod errors;
mod import;
mod introspection;
mod matrix;
mod migrations;
mod policy_events;
mod reads;
mod reference_plan;
mod schema_file;
mod statement_count;
mod token_attacks;
mod unit_lists;
mod unit_views;
