//! `POST /graphql` (and `GET` for queries): resolves the viewer, attaches per-request data,
//! runs the schema, and makes sure every error leaving the server carries a code.

use super::auth::{Refused, viewer_from_headers};
use crate::config::Introspection;
use crate::graphql::loaders::Loaders;
use crate::policy::Viewer;
use crate::state::AppState;
use async_graphql::{ServerError, Value};
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

/// The client's address, for throttling failed logins.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub std::net::IpAddr);

/// Serves one GraphQL request.
pub async fn handle(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    method: Method,
    headers: HeaderMap,
    request: GraphQLRequest,
) -> Response {
    let viewer = match viewer_from_headers(&state, &headers).await {
        Ok(viewer) => viewer,
        Err(refused) => return unauthenticated(refused),
    };
    let mut request = request.into_inner();
    if method == Method::GET && is_mutation(&request.query) {
        return error_response(StatusCode::METHOD_NOT_ALLOWED, "mutations must use POST", "BAD_USER_INPUT");
    }
    let introspection_allowed =
        state.introspection == Introspection::Authenticated && matches!(viewer, Viewer::User(_));
    if !introspection_allowed {
        if asks_for_introspection(&request.query) {
            let (status, code) = match viewer {
                Viewer::Anonymous => (StatusCode::OK, "UNAUTHENTICATED"),
                Viewer::User(_) => (StatusCode::OK, "FORBIDDEN"),
            };
            return error_response(status, "introspection is not available to this caller", code);
        }
        request = request.disable_introspection();
    }
    let request = request.data(viewer).data(Loaders::new(&state.db)).data(ClientAddr(peer.ip()));
    let mut response = state.schema.execute(request).await;
    response.errors.iter_mut().for_each(ensure_code);
    GraphQLResponse::from(response).into_response()
}

/// Errors raised by async-graphql itself (syntax, validation, variable and argument coercion)
/// carry no code: they are the client's fault, so they become BAD_USER_INPUT. Any other error
/// without a code is a bug; its text is replaced so nothing internal leaks.
fn ensure_code(error: &mut ServerError) {
    let has_code = error.extensions.as_ref().is_some_and(|e| e.get("code").is_some());
    if has_code {
        return;
    }
    let input_error = ["Failed to parse", "Invalid value for argument"].iter().any(|p| error.message.starts_with(p));
    let code = if error.path.is_empty() || input_error {
        "BAD_USER_INPUT"
    } else {
        tracing::error!(message = %error.message, "resolver error without a code");
        error.message = "internal error".into();
        "INTERNAL"
    };
    let mut extensions = error.extensions.take().unwrap_or_default();
    extensions.set("code", Value::from(code));
    error.extensions = Some(extensions);
}

fn is_mutation(query: &str) -> bool {
    use async_graphql::parser::types::OperationType;
    async_graphql::parser::parse_query(query)
        .map(|doc| doc.operations.iter().any(|(_, op)| op.node.ty != OperationType::Query))
        .unwrap_or(false)
}

/// Whether a query selects `__schema` or `__type` anywhere (operations and fragments).
fn asks_for_introspection(query: &str) -> bool {
    use async_graphql::parser::types::{Selection, SelectionSet};
    fn walk(set: &SelectionSet) -> bool {
        set.items.iter().any(|item| match &item.node {
            Selection::Field(f) => {
                matches!(f.node.name.node.as_str(), "__schema" | "__type") || walk(&f.node.selection_set.node)
            }
            Selection::InlineFragment(f) => walk(&f.node.selection_set.node),
            Selection::FragmentSpread(_) => false,
        })
    }
    let Ok(doc) = async_graphql::parser::parse_query(query) else { return false };
    doc.operations.iter().any(|(_, op)| walk(&op.node.selection_set.node))
        || doc.fragments.values().any(|f| walk(&f.node.selection_set.node))
}

fn unauthenticated(refused: Refused) -> Response {
    match refused {
        Refused::Invalid(reason) => tracing::info!(reason, "bearer token refused"),
        Refused::Internal(error) => tracing::error!(%error, "could not verify bearer token"),
    }
    let mut response = error_response(StatusCode::UNAUTHORIZED, "invalid or expired token", "UNAUTHENTICATED");
    response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

fn error_response(status: StatusCode, message: &str, code: &str) -> Response {
    let body = serde_json::json!({ "data": null, "errors": [{ "message": message, "extensions": { "code": code } }] });
    (status, axum::Json(body)).into_response()
}
