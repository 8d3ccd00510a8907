//! What guards every route: the request time limit, panics, and CORS. Each refusal is a coded
//! GraphQL-shaped body (see `response`), so clients handle them like any other error.

use super::response::Refusal;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Answers `TIMEOUT` (503, `Retry-After`) when a request takes longer than `limit`. A GraphQL
/// request keeps running to its end in its own task (see `graphql::handle`), so a write that
/// was under way is completed, not cut in half.
pub async fn time_limit(limit: Duration, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(?limit, "request timed out");
            Refusal::new(StatusCode::SERVICE_UNAVAILABLE, "TIMEOUT", "the request took too long; retry later")
                .with_header(header::RETRY_AFTER, "5")
                .into_response()
        }
    }
}

/// Turns a panic anywhere in a handler into `INTERNAL` for that request (logged); the server
/// keeps serving.
pub fn panicked(cause: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = cause
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| cause.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown".into());
    tracing::error!(%message, "a handler panicked");
    Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", "internal error").into_response()
}

/// A route that panics, mounted only when the test hooks are on.
pub async fn panic_for_tests() -> Response {
    panic!("panic requested by a test");
}

/// A route that takes `millis` to answer, mounted only when the test hooks are on.
pub async fn sleep_for_tests(axum::extract::Path(millis): axum::extract::Path<u64>) -> &'static str {
    tokio::time::sleep(Duration::from_millis(millis)).await;
    "slept"
}

/// How many subscriptions listen to this app's events now, mounted only when the test hooks
/// are on: a test waits for its subscriptions to have started instead of sleeping.
pub async fn subscribers_for_tests(
    axum::extract::State(state): axum::extract::State<crate::http::state::AppState>,
) -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({ "subscribers": state.events.subscriptions() }))
}

/// How many parsed documents the process keeps, and their estimated memory, mounted only when
/// the test hooks are on.
pub async fn documents_for_tests(
    axum::extract::State(state): axum::extract::State<crate::http::state::AppState>,
) -> axum::Json<serde_json::Value> {
    let (documents, bytes) = state.documents.size();
    axum::Json(serde_json::json!({ "documents": documents, "bytes": bytes }))
}

/// CORS: closed unless origins are configured; then those origins may call `/graphql` with a
/// bearer token (no cookies: duban never uses them).
pub fn cors(origins: &[String]) -> CorsLayer {
    let allowed: Vec<HeaderValue> = origins
        .iter()
        .map(|o| o.trim())
        .filter(|o| !o.is_empty())
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    if allowed.is_empty() {
        return CorsLayer::new();
    }
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
        .max_age(Duration::from_secs(600))
}
