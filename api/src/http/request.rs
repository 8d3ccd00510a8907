//! Reading a GraphQL request off HTTP, as the GraphQL-over-HTTP spec describes it.
//!
//! - `GET /graphql?query=…&variables=…&operationName=…&extensions=…` (queries only; mutations are
//!   refused later, once the document is parsed);
//! - `POST` with `Content-Type: application/json` (charset, if given, `utf-8`): one request
//!   object, `query` a string, `variables` and `extensions` maps or null, `operationName` a
//!   string or null. Batches (arrays) are not served;
//! - in either, `query` left out when `extensions.persistedQuery` names the document by its hash
//!   (automatic persisted queries, `super::persisted`);
//! - `POST` with `multipart/form-data` following the GraphQL multipart request spec (file
//!   uploads), only with an `Authorization` header: a browser cannot attach one to a cross-site
//!   form, so no other site can make a signed-in user's browser post there.
//!
//! Anything else is refused with a GraphQL-shaped error body (see `super::response`): a POST
//! without a content type or with `text/plain` never executes, since a browser sends those
//! cross-site without asking first.

use super::persisted::Ask;
use super::response::Refusal;
use async_graphql::http::MultipartOptions;
use async_graphql::{Request, Variables};
use axum::body::Body;
use axum::http::{HeaderMap, Method, StatusCode, header};
use futures_util::TryStreamExt;
use serde_json::{Map, Value};

/// Largest JSON body: a pasted plan is at most 2 MB; leave room for JSON escaping.
pub const MAX_JSON_BYTES: usize = 8 * 1024 * 1024;
/// Largest uploaded plan (a Word or Excel file); evidence files have their own limit
/// (`DUBAN_EVIDENCE_MAX_FILE_MB`), and an upload may be as large as the larger of the two.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
/// Room in a multipart body for the operation around its one file.
const MULTIPART_OVERHEAD: usize = 1024 * 1024;

/// A GraphQL request as read off HTTP.
pub struct Incoming {
    /// Its `query` is empty when the request names its document by hash only.
    pub request: Request,
    /// What `extensions.persistedQuery` asks, when the request has one.
    pub persisted: Option<Ask>,
}

/// Reads the GraphQL request of one HTTP request; an uploaded file may have up to
/// `max_file` bytes.
pub async fn read(
    method: &Method,
    query: Option<&str>,
    headers: &HeaderMap,
    body: Body,
    max_file: usize,
) -> Result<Incoming, Refusal> {
    let incoming = read_any(method, query, headers, body, max_file).await?;
    check_upload_placeholders(&incoming.request)?;
    Ok(incoming)
}

/// What async-graphql writes in place of an uploaded file (`#__graphql_file__:0`).
const UPLOAD_PLACEHOLDER: &str = "#__graphql_file__:";

/// Refuses a request whose query or variables spell out an upload's placeholder that names no
/// file it carries: async-graphql's `Upload` panics on a placeholder that is not an index, and
/// looks up the index unchecked. Only the multipart reader puts placeholders in, for the files
/// it received.
fn check_upload_placeholders(request: &Request) -> Result<(), Refusal> {
    fn names_no_upload(value: &async_graphql::Value, uploads: usize) -> bool {
        use async_graphql::Value as V;
        match value {
            V::String(s) => {
                s.strip_prefix(UPLOAD_PLACEHOLDER).is_some_and(|i| i.parse::<usize>().map_or(true, |i| i >= uploads))
            }
            V::List(items) => items.iter().any(|v| names_no_upload(v, uploads)),
            V::Object(fields) => fields.values().any(|v| names_no_upload(v, uploads)),
            _ => false,
        }
    }
    let uploads = request.uploads.len();
    if request.query.contains(UPLOAD_PLACEHOLDER) || request.variables.values().any(|v| names_no_upload(v, uploads)) {
        return Err(bad("a variable names an uploaded file the request does not carry"));
    }
    Ok(())
}

async fn read_any(
    method: &Method,
    query: Option<&str>,
    headers: &HeaderMap,
    body: Body,
    max_file: usize,
) -> Result<Incoming, Refusal> {
    if method == Method::GET {
        return from_query_string(query.unwrap_or_default());
    }
    if method != Method::POST {
        return Err(Refusal::new(StatusCode::METHOD_NOT_ALLOWED, "BAD_REQUEST", "use GET or POST"));
    }
    let Some(content_type) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return Err(unsupported("a POST needs Content-Type: application/json"));
    };
    let mime: mime::Mime = content_type.parse().map_err(|_| unsupported("the Content-Type cannot be read"))?;
    match (mime.type_(), mime.subtype()) {
        (mime::APPLICATION, mime::JSON) => {
            if mime.get_param(mime::CHARSET).is_some_and(|c| c != mime::UTF_8) {
                return Err(unsupported("JSON bodies must be UTF-8"));
            }
            let bytes = axum::body::to_bytes(body, MAX_JSON_BYTES).await.map_err(|_| too_large(MAX_JSON_BYTES))?;
            from_json(&bytes)
        }
        (mime::MULTIPART, mime::FORM_DATA) if headers.contains_key(header::AUTHORIZATION) => {
            Ok(Incoming { request: from_multipart(content_type, body, max_file).await?, persisted: None })
        }
        (mime::MULTIPART, mime::FORM_DATA) => {
            Err(unsupported("uploads (multipart/form-data) need an Authorization header"))
        }
        _ => Err(unsupported("send application/json (or multipart/form-data for an upload)")),
    }
}

fn unsupported(message: &str) -> Refusal {
    Refusal::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "BAD_REQUEST", message)
}

fn too_large(limit: usize) -> Refusal {
    let message = format!("the request body is larger than {} MB", limit / 1024 / 1024);
    Refusal::new(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", &message)
}

fn bad(message: &str) -> Refusal {
    Refusal::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", message)
}

/// `query`, `variables` (JSON text), `operationName`, `extensions` (JSON text) from a URL.
fn from_query_string(input: &str) -> Result<Incoming, Refusal> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(input).map_err(|_| bad("the URL query cannot be read"))?;
    let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let mut object = Map::new();
    object.insert("query".into(), get("query").map_or(Value::Null, |q| Value::String(q.into())));
    object.insert("operationName".into(), get("operationName").map_or(Value::Null, |o| Value::String(o.into())));
    for name in ["variables", "extensions"] {
        let value = match get(name) {
            None | Some("") => Value::Null,
            Some(text) => serde_json::from_str(text).map_err(|_| bad(&format!("{name} is not JSON")))?,
        };
        object.insert(name.into(), value);
    }
    from_object(object)
}

fn from_json(bytes: &[u8]) -> Result<Incoming, Refusal> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(bad("the request body is empty"));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(object)) => from_object(object),
        Ok(Value::Array(_)) => Err(bad("batched requests are not served: send one operation per request")),
        Ok(_) => Err(bad("the body must be a JSON object")),
        Err(_) => Err(bad("the body is not valid JSON")),
    }
}

/// Checks the request parameters' types, as the spec lists them. `query` may be left out when
/// the extensions name a persisted query.
fn from_object(mut object: Map<String, Value>) -> Result<Incoming, Refusal> {
    let persisted = match object.remove("extensions") {
        None | Some(Value::Null) => None,
        Some(Value::Object(extensions)) => extensions.get("persistedQuery").map(Ask::read).transpose().map_err(bad)?,
        Some(_) => return Err(bad("extensions must be an object")),
    };
    let query = match (object.remove("query"), persisted) {
        (Some(Value::String(query)), _) => query,
        (None | Some(Value::Null), Some(_)) => String::new(),
        _ => return Err(bad("query must be a string")),
    };
    let mut request = Request::new(query);
    match object.remove("operationName") {
        None | Some(Value::Null) => {}
        Some(Value::String(name)) => request = request.operation_name(name),
        Some(_) => return Err(bad("operationName must be a string")),
    }
    match object.remove("variables") {
        None | Some(Value::Null) => {}
        Some(variables @ Value::Object(_)) => request = request.variables(Variables::from_json(variables)),
        Some(_) => return Err(bad("variables must be an object")),
    }
    Ok(Incoming { request, persisted })
}

/// The GraphQL multipart request spec (`operations`, `map`, files), through async-graphql.
async fn from_multipart(content_type: &str, body: Body, max_file: usize) -> Result<Request, Refusal> {
    let max_body = max_file + MULTIPART_OVERHEAD;
    let limited = axum::body::Body::new(http_body_util::Limited::new(body, max_body));
    let stream = limited.into_data_stream().map_err(std::io::Error::other);
    let reader = tokio_util::compat::TokioAsyncReadCompatExt::compat(tokio_util::io::StreamReader::new(stream));
    let options = MultipartOptions::default().max_file_size(max_file).max_num_files(1);
    match async_graphql::http::receive_body(Some(content_type), reader, options).await {
        Ok(request) => Ok(request),
        Err(async_graphql::ParseRequestError::PayloadTooLarge) => Err(too_large(max_file)),
        Err(error) => {
            tracing::info!(%error, "multipart request refused");
            if error.to_string().contains("length limit") {
                return Err(too_large(max_body));
            }
            Err(bad("the multipart request does not follow the GraphQL multipart request spec"))
        }
    }
}
