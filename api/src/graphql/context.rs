//! Reading the request's database, viewer and loaders from the GraphQL context.

use crate::error::{AppError, AppResult, IntoGql};
use crate::graphql::loaders::Loaders;
use crate::policy::{Principal, Viewer, rules};
use async_graphql::{Context, ID};
use sea_orm::DatabaseConnection;

/// The database pool.
pub fn db<'a>(ctx: &Context<'a>) -> &'a DatabaseConnection {
    ctx.data_unchecked::<DatabaseConnection>()
}

/// Who is asking (anonymous when the request carried no token).
pub fn viewer<'a>(ctx: &Context<'a>) -> &'a Viewer {
    ctx.data_opt::<Viewer>().unwrap_or(&Viewer::Anonymous)
}

/// The signed-in principal, or `UNAUTHENTICATED`.
pub fn principal<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Principal> {
    rules::signed_in(viewer(ctx)).gql()
}

/// The signed-in admin, or `UNAUTHENTICATED` / `FORBIDDEN`.
pub fn admin<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Principal> {
    rules::admin(viewer(ctx)).gql()
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
