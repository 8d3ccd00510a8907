//! duban: a GraphQL backend that turns task division plans (重点任务分工方案) into tracked work.
//!
//! Layers, outside in: `http` and `graphql` (transport) → `domain` (rules of the data, one
//! transaction per write) → `entity`/`migration` crates (persistence). Who may do what lives in
//! `policy`; the plan importer in `import`, division-table files in `export`; tokens and
//! passwords in `auth`; the audit trail's live events (subscriptions) in `events`.

pub mod auth;
pub mod bootstrap;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod events;
pub mod export;
pub mod graphiql;
pub mod graphql;
pub mod http;
pub mod import;
pub mod observe;
pub mod policy;
pub mod startup;
pub mod storage;
pub mod synthetic;
pub mod telemetry;
