//! Shared application state handed to every handler.

use crate::auth::AuthContext;
use crate::domain::clock::Clock;
use crate::events::Hub;
use crate::graphql::Schemas;
use sea_orm::DatabaseConnection;

/// Everything a request handler needs; one reference count to clone (every request clones it).
#[derive(Clone)]
pub struct AppState(std::sync::Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> AppState {
        AppState(std::sync::Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] holds.
pub struct Shared {
    /// Writes (transactions) and everything outside a GraphQL request.
    pub db: DatabaseConnection,
    /// The reads of GraphQL requests (see `db::reads`).
    pub reads: crate::db::Reader,
    pub schemas: Schemas,
    pub auth: AuthContext,
    /// Whether signed-in callers may introspect (`DUBAN_INTROSPECTION`).
    pub introspection: bool,
    /// The one clock every request reads once.
    pub clock: Clock,
    /// Test-only hooks are on (never from the environment; see `Config::test_hooks`).
    pub test_hooks: bool,
    /// The audit trail's entries as they are committed (subscriptions).
    pub events: Hub,
    /// The accounts behind bearer credentials, kept until the trail says they changed.
    pub accounts: std::sync::Arc<crate::http::accounts::Accounts>,
    /// GraphQL documents as parsed, by their text.
    pub documents: std::sync::Arc<crate::http::documents::Documents>,
    /// Documents clients named by their hash (automatic persisted queries).
    pub persisted: crate::http::persisted::Persisted,
    /// The open WebSockets by account, and their limits.
    pub sockets: crate::http::socket::Sockets,
    /// Evidence files: storage, limits and the key of download links.
    pub files: crate::domain::evidence::Files,
}
