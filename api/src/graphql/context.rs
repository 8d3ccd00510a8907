//! Reading the request's database, caller and loaders from the GraphQL context.

use crate::auth::AuthContext;
use crate::domain::Caller;
use crate::error::{AppError, AppResult};
use crate::graphql::loaders::Loaders;
use async_graphql::{Context, ID};
use sea_orm::DatabaseConnection;
use std::sync::LazyLock;

/// The database pool, for writes (transactions).
pub fn db<'a>(ctx: &Context<'a>) -> &'a DatabaseConnection {
    ctx.data_unchecked::<DatabaseConnection>()
}

/// The connection for reads outside a transaction (see `db::reads`).
pub fn reads<'a>(ctx: &Context<'a>) -> &'a crate::db::Reader {
    ctx.data_unchecked::<crate::db::Reader>()
}

/// Who is asking, from where and when. Every request carries one (the HTTP layer attaches it);
/// a request without one is anonymous.
pub fn caller<'a>(ctx: &Context<'a>) -> &'a Caller {
    static ANONYMOUS: LazyLock<Caller> = LazyLock::new(|| {
        Caller::new(crate::policy::Viewer::Anonymous, None, crate::domain::clock::Clock::system().read())
    });
    ctx.data_opt::<Caller>().unwrap_or(&ANONYMOUS)
}

/// Token keys and throttle limits.
pub fn auth<'a>(ctx: &Context<'a>) -> &'a AuthContext {
    ctx.data_unchecked::<AuthContext>()
}

/// The per-request DataLoaders.
pub fn loaders<'a>(ctx: &Context<'a>) -> &'a Loaders {
    ctx.data_unchecked::<Loaders>()
}

/// Parses an `ID!` argument holding a row id.
pub fn parse_id(id: &ID) -> AppResult<i32> {
    id.parse::<i32>().ok().filter(|n| *n > 0).ok_or_else(|| AppError::bad_input(format!("invalid id: {}", id.as_str())))
}

/// [`parse_id`] for an optional argument.
pub fn parse_opt_id(id: Option<&ID>) -> AppResult<Option<i32>> {
    id.map(parse_id).transpose()
}

/// [`parse_id`] for a list argument.
pub fn parse_ids(ids: &[ID]) -> AppResult<Vec<i32>> {
    ids.iter().map(parse_id).collect()
}

/// Evidence storage, its limits and link key.
pub fn files<'a>(ctx: &Context<'a>) -> &'a crate::domain::evidence::Files {
    ctx.data_unchecked::<crate::domain::evidence::Files>()
}
