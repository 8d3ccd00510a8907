//! HTTP handlers: `/graphql` (subscriptions over WebSocket; reading requests and writing responses as the GraphQL-over-HTTP
//! spec asks), bearer-token resolution, division-table downloads, health probes, the guards
//! around every route, and the state every handler shares (`state`).

pub mod accounts;
pub mod auth;
pub mod documents;
pub mod export;
pub mod files;
pub mod graphql;
pub mod guard;
pub mod health;
pub mod nesting;
pub mod offline;
pub mod persisted;
pub mod request;
pub mod response;
pub mod socket;
pub mod state;
pub mod ws;
