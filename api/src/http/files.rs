//! `GET /files/{id}`: a file of evidence, to whoever may read what it backs — with the bearer
//! token, or through the short-lived signed link `Evidence.url` gives
//! (`?expires=…&signature=…`). No listing: a file is reached only by an id its reader was
//! shown. Refusals have the GraphQL-shaped body of every other refusal.

use super::auth::viewer_from_headers;
use super::export::{refusal, token_required};
use crate::domain::Caller;
use crate::domain::evidence;
use crate::error::AppError;
use crate::http::state::AppState;
use crate::policy::Viewer;
use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use entity::evidence as row;
use std::net::SocketAddr;

/// A signed link's query.
#[derive(serde::Deserialize)]
pub struct Link {
    expires: Option<i64>,
    signature: Option<String>,
}

/// The file's bytes, as an attachment.
pub async fn download(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    Query(link): Query<Link>,
    headers: HeaderMap,
) -> Response {
    // A path that is no id names no file.
    let Ok(id) = id.parse::<i32>() else { return refusal(AppError::NotFound("file")).into_response() };
    let found = match (link.expires, link.signature) {
        (Some(expires), Some(signature)) => {
            if !state.files.links.verify(id, expires, &signature, chrono::Utc::now().timestamp()) {
                return refusal(AppError::Forbidden("the link has expired or is not valid")).into_response();
            }
            evidence::by_link(&state.reads, &state.files, id).await
        }
        _ => {
            let credential = match viewer_from_headers(&state, &headers).await {
                Ok(credential) if credential.viewer == Viewer::Anonymous => return token_required().into_response(),
                Ok(credential) => credential,
                Err(refused) => return super::graphql::unauthenticated(refused).into_response(),
            };
            let caller =
                Caller::new(credential.viewer, Some(peer.ip()), state.clock.read()).with_credential(credential.stamp);
            evidence::download(&state.reads, &state.files, &caller, id).await
        }
    };
    match found {
        Ok((file, bytes)) => attachment(&file, bytes),
        Err(error) => refusal(error).into_response(),
    }
}

/// The bytes with their type (as found in the content), the cleaned name (RFC 6266), the
/// SHA-256 (`Repr-Digest`, RFC 9530), never cached by a shared cache, never sniffed, and
/// sandboxed should a browser render it.
fn attachment(file: &row::Model, bytes: bytes::Bytes) -> Response {
    let ascii: String = file
        .file_name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .collect();
    let disposition = super::export::disposition(&file.file_name, &ascii);
    let digest = hex::decode(&file.sha256).map(|raw| base64::engine::general_purpose::STANDARD.encode(raw));
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&file.content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    if let Ok(Ok(value)) = digest.map(|d| HeaderValue::from_str(&format!("sha-256=:{d}:"))) {
        headers.insert("repr-digest", value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox"));
    response
}

/// Runs the evidence sweep now, with no grace for objects (mounted only when the test hooks
/// are on: a test's storage holds only its own uploads).
pub async fn sweep_for_tests(State(state): State<AppState>) -> axum::Json<serde_json::Value> {
    let caller = Caller::system(state.clock.read());
    match evidence::sweep(&state.db, &state.files, &caller, chrono::Duration::zero()).await {
        Ok(swept) => axum::Json(serde_json::json!(swept)),
        Err(error) => axum::Json(serde_json::json!({ "error": error.to_string() })),
    }
}
