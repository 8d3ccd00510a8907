//! Shared application state handed to every handler.

use crate::auth::{LoginThrottle, TokenKeys};
use crate::config::Introspection;
use crate::graphql::AppSchema;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// Token keys and login throttle; shared by the HTTP layer and the `login` resolver.
#[derive(Clone)]
pub struct AuthContext {
    pub tokens: Arc<TokenKeys>,
    pub throttle: Arc<LoginThrottle>,
}

/// Everything a request handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub schema: AppSchema,
    pub auth: AuthContext,
    pub introspection: Introspection,
}
