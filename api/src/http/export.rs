//! `GET /documents/{id}/division-table.xlsx` and `.csv`: a plan's division table as a file;
//! `GET /bulletins/YYYY-MM.docx[?document=ID]`: a month's bulletin (督查通报), the office's and
//! leaders'.
//!
//! A bearer token is required (401 `UNAUTHENTICATED` without one, as for a bad one); the rows
//! are what the token's account may see ([`crate::export`]); an unknown document is 404
//! `NOT_FOUND`. Refusals have the GraphQL-shaped body of every other refusal.

use super::auth::viewer_from_headers;
use super::response::Refusal;
use crate::domain::Caller;
use crate::domain::assessment::Span;
use crate::error::AppError;
use crate::export::{self, DocumentRef, ExportFile, Format};
use crate::http::state::AppState;
use crate::policy::Viewer;
use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::net::SocketAddr;

/// The division table as an Excel workbook.
pub async fn xlsx(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    division_table(&state, peer, &id, &headers, Format::Xlsx).await
}

/// The division table as UTF-8 CSV.
pub async fn csv(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    division_table(&state, peer, &id, &headers, Format::Csv).await
}

/// Which plan's bulletin (all plans' when omitted).
#[derive(Debug, serde::Deserialize)]
pub struct BulletinQuery {
    document: Option<String>,
}

/// A month's bulletin as a Word document: `/bulletins/2015-03.docx`.
pub async fn bulletin(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(file): Path<String>,
    Query(query): Query<BulletinQuery>,
    headers: HeaderMap,
) -> Response {
    let credential = match viewer_from_headers(&state, &headers).await {
        Ok(credential) if credential.viewer == Viewer::Anonymous => return token_required().into_response(),
        Ok(credential) => credential,
        Err(refused) => return super::graphql::unauthenticated(refused).into_response(),
    };
    // A path that names no month names no bulletin.
    let Some(month) = file.strip_suffix(".docx").and_then(Span::parse_month) else {
        return refusal(AppError::NotFound("bulletin")).into_response();
    };
    let document = match query.document.as_deref().map(str::parse::<i32>) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => return refusal(AppError::NotFound("document")).into_response(),
    };
    let caller = Caller::new(credential.viewer, Some(peer.ip()), state.clock.read()).with_credential(credential.stamp);
    if let Err(error) = crate::domain::follow_up::periods::catch_up_for(&state.db, &caller).await {
        return refusal(error).into_response();
    }
    match export::bulletin::bulletin_file(&state.reads, &caller, month, document).await {
        Ok(file) => download(
            file.bytes,
            &file.file_name,
            &file.ascii_file_name,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        Err(error) => refusal(error).into_response(),
    }
}

async fn division_table(state: &AppState, peer: SocketAddr, id: &str, headers: &HeaderMap, format: Format) -> Response {
    let credential = match viewer_from_headers(state, headers).await {
        Ok(credential) if credential.viewer == Viewer::Anonymous => return token_required().into_response(),
        Ok(credential) => credential,
        Err(refused) => return super::graphql::unauthenticated(refused).into_response(),
    };
    // A path that is no id names no document.
    let Ok(id) = id.parse::<i32>() else { return refusal(AppError::NotFound("document")).into_response() };
    let caller = Caller::new(credential.viewer, Some(peer.ip()), state.clock.read()).with_credential(credential.stamp);
    match export::division_table_file(&state.reads, &caller, &DocumentRef::Id(id), format).await {
        Ok(file) => attachment(file),
        Err(error) => refusal(error).into_response(),
    }
}

pub(crate) fn token_required() -> Refusal {
    Refusal::new(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", "a bearer token is required")
        .with_header(header::WWW_AUTHENTICATE, "Bearer")
}

/// A domain refusal with the status that goes with its code.
pub(crate) fn refusal(error: AppError) -> Refusal {
    let status = match &error {
        AppError::Unauthenticated | AppError::WrongCredentials => return token_required(),
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::BadInput(_) | AppError::Refused { .. } => StatusCode::BAD_REQUEST,
        AppError::Conflict(_) | AppError::InvalidState(_) => StatusCode::CONFLICT,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Internal(cause) => {
            tracing::error!(error = format!("{cause:#}"), "file export failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    };
    Refusal::new(status, error.code(), &error.to_string())
}

/// Characters a `filename*` value may carry as they are (RFC 5987 `attr-char`).
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// `Content-Disposition` of a file to be saved rather than shown: `attachment` with an ASCII
/// `filename` for old clients and the real one as `filename*=UTF-8''…` (RFC 6266).
pub(crate) fn disposition(file_name: &str, ascii_file_name: &str) -> String {
    format!(
        "attachment; filename=\"{ascii_file_name}\"; filename*=UTF-8''{}",
        utf8_percent_encode(file_name, ATTR_CHAR)
    )
}

/// The division table as a file to save, with the headers of every download.
fn attachment(file: ExportFile) -> Response {
    download(file.bytes, &file.file_name, &file.ascii_file_name, file.format.content_type())
}

/// A file to save, with the headers of every download.
fn download(bytes: Vec<u8>, file_name: &str, ascii_file_name: &str, content_type: &'static str) -> Response {
    let disposition = disposition(file_name, ascii_file_name);
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    // Government data: never kept by a shared cache, never sniffed into something else.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_name_is_percent_encoded_with_an_ascii_fallback() {
        let file = ExportFile {
            file_name: "盘县政办发〔2014〕103号-分工表.xlsx".into(),
            ascii_file_name: "division-table-7.xlsx".into(),
            format: Format::Xlsx,
            bytes: Vec::new(),
            rows: 0,
        };
        let response = attachment(file);
        let value = response.headers()[header::CONTENT_DISPOSITION].to_str().unwrap().to_owned();
        assert!(value.starts_with("attachment; filename=\"division-table-7.xlsx\"; "), "{value}");
        assert!(value.contains("filename*=UTF-8''%E7%9B%98"), "{value}");
        assert!(value.ends_with("103%E5%8F%B7-%E5%88%86%E5%B7%A5%E8%A1%A8.xlsx"), "{value}");
    }

    #[test]
    fn refusals_answer_with_the_status_of_their_code() {
        assert_eq!(refusal(AppError::NotFound("document")).status, StatusCode::NOT_FOUND);
        assert_eq!(refusal(AppError::Unauthenticated).status, StatusCode::UNAUTHORIZED);
        assert_eq!(refusal(AppError::Forbidden("x")).status, StatusCode::FORBIDDEN);
    }
}
