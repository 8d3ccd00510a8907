//! HTTP handlers: `/graphql`, health probes, and bearer-token resolution.

pub mod auth;
pub mod graphql;
pub mod health;
