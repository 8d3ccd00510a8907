//! Writing GraphQL responses as the GraphQL-over-HTTP spec asks: the media type the client
//! accepts, the status code that goes with it, and a GraphQL-shaped body for every refusal.
//!
//! - `Accept: application/graphql-response+json` gets that media type; a request that never
//!   reached execution (parse, validation or variable errors, refusals) then answers 4xx and has
//!   no `data` entry.
//! - `Accept: application/json`, `*/*` or no `Accept` gets `application/json`, and 200 for every
//!   well-formed GraphQL request, errors or not (older clients read the body only on 200).
//! - Refusals at the HTTP layer (bad JSON, content type, size, method, token, timeout, panic) all
//!   answer `{"errors":[{"message":…,"extensions":{"code":…}}]}` with the status they call for.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json; charset=utf-8";
const JSON: &str = "application/json; charset=utf-8";

/// The media type a response is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaType {
    /// `application/graphql-response+json`: status codes follow the outcome.
    GraphqlResponseJson,
    /// `application/json`: 200 for every well-formed request.
    Json,
}

impl MediaType {
    /// The type a request's `Accept` header asks for; `None` when it accepts neither.
    pub fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
        let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
            return Some(MediaType::Json);
        };
        let offered = accept.split(',').filter_map(|part| {
            let mut params = part.split(';');
            let name = params.next()?.trim().to_ascii_lowercase();
            let q = params.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
            (q > 0.0).then_some(name)
        });
        let offered: Vec<String> = offered.collect();
        let has = |name: &str| offered.iter().any(|o| o == name);
        if has("application/graphql-response+json") {
            Some(MediaType::GraphqlResponseJson)
        } else if has("application/json") || has("*/*") || has("application/*") {
            Some(MediaType::Json)
        } else {
            None
        }
    }

    fn header(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            MediaType::GraphqlResponseJson => GRAPHQL_RESPONSE_JSON,
            MediaType::Json => JSON,
        })
    }
}

/// A request refused before (or instead of) execution, with its status and stable code.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Extra headers (`Allow`, `WWW-Authenticate`, `Retry-After`).
    pub headers: Vec<(header::HeaderName, HeaderValue)>,
}

impl Refusal {
    /// A refusal with `status` and `code`.
    pub fn new(status: StatusCode, code: &'static str, message: &str) -> Self {
        Refusal { status, code, message: message.to_owned(), headers: Vec::new() }
    }

    /// Adds a response header.
    pub fn with_header(mut self, name: header::HeaderName, value: &'static str) -> Self {
        self.headers.push((name, HeaderValue::from_static(value)));
        self
    }

    /// The response, in `media` (JSON when the client accepts no GraphQL media type).
    pub fn respond(self, media: Option<MediaType>) -> Response {
        let body = json!({ "errors": [{ "message": self.message, "extensions": { "code": self.code } }] });
        let mut response = write(self.status, media.unwrap_or(MediaType::Json), body.to_string());
        response.headers_mut().extend(self.headers);
        response
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        self.respond(None)
    }
}

/// Writes an executed (or refused-in-GraphQL) response: `request_error` when execution never
/// started, which decides the status under `application/graphql-response+json` and drops `data`.
pub fn graphql(response: async_graphql::Response, media: MediaType) -> Response {
    let request_error = !response.errors.is_empty()
        && response.data == async_graphql::Value::Null
        && response.errors.iter().all(|e| e.path.is_empty());
    let status = match media {
        MediaType::GraphqlResponseJson if request_error => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    };
    let cache = response.cache_control.value().filter(|_| response.errors.is_empty());
    let headers = response.http_headers.clone();
    // Straight to text: a detour through `serde_json::Value` built the whole answer twice.
    let body = if request_error {
        let mut body = serde_json::to_value(&response).unwrap_or_else(|_| json!({}));
        if let Some(object) = body.as_object_mut() {
            object.remove("data");
        }
        body.to_string()
    } else {
        serde_json::to_string(&response).unwrap_or_else(|_| "{}".to_owned())
    };
    let mut written = write(status, media, body);
    if let Some(value) = cache.and_then(|c| HeaderValue::from_str(&c).ok()) {
        written.headers_mut().insert(header::CACHE_CONTROL, value);
    }
    written.headers_mut().extend(headers);
    written
}

fn write(status: StatusCode, media: MediaType, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, media.header());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: Option<&str>) -> Option<MediaType> {
        let mut headers = HeaderMap::new();
        if let Some(v) = value {
            headers.insert(header::ACCEPT, HeaderValue::from_str(v).unwrap());
        }
        MediaType::negotiate(&headers)
    }

    #[test]
    fn the_accept_header_picks_the_media_type() {
        assert_eq!(accept(None), Some(MediaType::Json));
        assert_eq!(accept(Some("application/json")), Some(MediaType::Json));
        assert_eq!(accept(Some("*/*")), Some(MediaType::Json));
        assert_eq!(accept(Some("application/graphql-response+json")), Some(MediaType::GraphqlResponseJson));
        assert_eq!(
            accept(Some("application/graphql-response+json, application/json;q=0.9")),
            Some(MediaType::GraphqlResponseJson)
        );
        assert_eq!(accept(Some("application/graphql-response+json;q=0, application/json")), Some(MediaType::Json));
        assert_eq!(accept(Some("text/html")), None);
    }

    #[test]
    fn request_errors_have_no_data_and_answer_400_only_under_graphql_response_json() {
        let failed = || async_graphql::Response::from_errors(vec![async_graphql::ServerError::new("syntax", None)]);
        let strict = graphql(failed(), MediaType::GraphqlResponseJson);
        assert_eq!(strict.status(), StatusCode::BAD_REQUEST);
        assert_eq!(graphql(failed(), MediaType::Json).status(), StatusCode::OK);
        assert!(
            strict.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/graphql-response+json")
        );
    }
}
