//! Black-box tests of the running server: one binary, one module per capability.

mod admin_writes;
mod authz_matrix;
mod cast;
mod errors;
mod export;
mod faults;
mod http_conformance;
mod import;
mod introspection;
mod limits;
mod matrix;
mod migrations;
mod outage;
mod policy_events;
mod reads;
mod reference_plan;
mod replicas;
mod schema_file;
mod security;
mod shapes;
mod statement_count;
mod token_attacks;
mod unit_lists;
mod unit_views;
mod upload;
