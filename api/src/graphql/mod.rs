//! The GraphQL transport: types, resolvers and loaders. Resolvers parse input, call one
//! domain function and map the result; rules live in `policy`, work in `domain`.

pub mod connection;
pub mod context;
pub mod loaders;
pub mod mutation;
pub mod prefetch;
pub mod query;
pub mod scalars;
pub mod types;

use crate::state::AuthContext;
use async_graphql::{EmptySubscription, Schema};
use sea_orm::DatabaseConnection;

/// The schema type served at `/graphql`.
pub type AppSchema = Schema<query::Query, mutation::Mutation, EmptySubscription>;

/// Limits that keep one request from exhausting the server.
const MAX_DEPTH: usize = 12;
const MAX_COMPLEXITY: usize = 5_000;

/// Builds the schema with the database and auth keys as shared data. Per-request data (viewer, loaders) is
/// added by the HTTP handler.
pub fn build_schema(db: DatabaseConnection, auth: AuthContext) -> AppSchema {
    Schema::build(query::Query, mutation::Mutation::default(), EmptySubscription)
        .data(db)
        .data(auth)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .finish()
}

/// The schema in SDL, as committed in `schema.graphql`. Types and fields come out sorted.
pub fn sdl() -> String {
    let schema = Schema::build(query::Query, mutation::Mutation::default(), EmptySubscription).finish();
    schema
        .sdl_with_options(async_graphql::SDLExportOptions::new().sorted_fields().sorted_arguments().sorted_enum_items())
}
