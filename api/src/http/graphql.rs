//! `POST /graphql` (and `GET` for queries): negotiates the media type, resolves the caller,
//! reads the request, finds a persisted query's document (`persisted`), parses it once, picks
//! the schema the caller may use, runs it to the end even if the client leaves, and makes sure
//! every error leaving the server carries a code.

use super::auth::{Refused, viewer_from_headers};
use super::documents::Parsed;
use super::request;
use super::response::{self, MediaType, Refusal};
use crate::domain::Caller;
use crate::graphql::AppSchema;
use crate::graphql::loaders::Loaders;
use crate::http::state::AppState;
use crate::policy::{Viewer, rules};
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{ServerError, Value};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use std::net::SocketAddr;

/// Serves one GraphQL request in a task of its own, started before anything is read: a client
/// that hangs up mid-write must not cancel the write halfway (hyper drops a handler's future when
/// its connection closes), so once the request has reached duban it runs to its end, unread.
pub async fn handle(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
) -> Response {
    let media = MediaType::negotiate(req.headers());
    // The task carries the request's span (its id), so its log lines say which request they are.
    let served = tracing::Instrument::in_current_span(serve(state, peer, req));
    match tokio::spawn(served).await {
        Ok(response) => response,
        Err(error) => {
            tracing::error!(%error, "a GraphQL request panicked");
            internal().respond(media)
        }
    }
}

/// The largest file an upload may carry: a plan's limit or an evidence file's, the larger.
fn max_upload(state: &AppState) -> usize {
    state.files.limits.max_file_bytes().max(request::MAX_UPLOAD_BYTES)
}

async fn serve(state: AppState, peer: SocketAddr, req: Request) -> Response {
    let Some(media) = MediaType::negotiate(req.headers()) else {
        let refusal = Refusal::new(
            StatusCode::NOT_ACCEPTABLE,
            "BAD_REQUEST",
            "accept application/graphql-response+json or application/json",
        );
        return refusal.respond(None);
    };
    let credential = match viewer_from_headers(&state, req.headers()).await {
        Ok(credential) => credential,
        Err(refused) => return unauthenticated(refused).respond(Some(media)),
    };
    let viewer = credential.viewer;
    let (parts, body) = req.into_parts();
    let request::Incoming { mut request, persisted } =
        match request::read(&parts.method, parts.uri.query(), &parts.headers, body, max_upload(&state)).await {
            Ok(incoming) => incoming,
            Err(refusal) => return refusal.respond(Some(media)),
        };
    let new_hash = match persisted.map(|ask| state.persisted.resolve(ask, &mut request.query)).transpose() {
        Ok(new_hash) => new_hash.flatten(),
        Err(failure) => {
            return response::graphql(request_error(ServerError::new(failure.message(), None), failure.code()), media);
        }
    };
    let (schema, parsed) = match prepare(&state, &viewer, &mut request) {
        Ok(prepared) => prepared,
        Err(refused) => return response::graphql(*refused, media),
    };
    let operation = operation_type(&parsed.document, request.operation_name.as_deref());
    if parts.method == axum::http::Method::GET && operation.is_some_and(|op| op != OperationType::Query) {
        let refusal = Refusal::new(StatusCode::METHOD_NOT_ALLOWED, "BAD_REQUEST", "mutations must use POST")
            .with_header(header::ALLOW, "POST");
        return refusal.respond(Some(media));
    }
    let caller = Caller::new(viewer, Some(peer.ip()), state.clock.read()).with_credential(credential.stamp);
    // Test hooks: a request without its loaders makes the first resolver that needs them panic;
    // a request may have its tasks read whole, for comparison with what a selection reads.
    let break_resolvers = state.test_hooks && parts.headers.contains_key("x-duban-test-panic");
    if !break_resolvers {
        request = request.data(Loaders::new(&state.reads, &caller));
    }
    if state.test_hooks && parts.headers.contains_key("x-duban-test-whole-rows") {
        request = request.data(crate::graphql::fetch::WholeRows);
    }
    let query = std::mem::take(&mut request.query);
    let name = request.operation_name.clone().or_else(|| sole_operation_name(&parsed.document));
    let request = request.data(caller.clone());
    let started = std::time::Instant::now();
    let mut executed = schema.execute(request).await;
    // What this request wrote is in the process's caches before it answers.
    if let Some(last) = caller.last_entry() {
        state.events.caught_up(last).await;
    }
    if passed_validation(&executed.errors) {
        state.documents.keep(&query, &parsed);
        if let Some(hash) = new_hash {
            state.persisted.keep(hash, &query);
        }
    }
    executed.errors.iter_mut().for_each(ensure_code);
    let kind = match operation {
        Some(OperationType::Query) => "query",
        Some(OperationType::Mutation) => "mutation",
        Some(OperationType::Subscription) => "subscription",
        None => "unknown",
    };
    let codes: Vec<String> = executed.errors.iter().filter_map(code_of).collect();
    crate::observe::graphql_operation(name.as_deref(), kind, &codes, started.elapsed());
    response::graphql(executed, media)
}

/// An error's `extensions.code`.
fn code_of(error: &ServerError) -> Option<String> {
    match error.extensions.as_ref()?.get("code")? {
        async_graphql::Value::String(code) => Some(code.clone()),
        _ => None,
    }
}

/// Screens, parses and picks the schema of a request as `viewer` sends it (over HTTP or a
/// WebSocket): its document and variables must not nest too deeply, it must parse, and it may
/// ask for introspection only if the viewer may introspect. The request carries the parsed
/// document on success.
pub(super) fn prepare(
    state: &AppState,
    viewer: &Viewer,
    request: &mut async_graphql::Request,
) -> Result<(AppSchema, std::sync::Arc<Parsed>), Box<async_graphql::Response>> {
    let refused = |error: ServerError| Box::new(request_error(error, "BAD_USER_INPUT"));
    if let Err(deep) = super::nesting::screen_variables(request.variables.iter()) {
        return Err(refused(ServerError::new(deep.message(), None)));
    }
    let parsed = state.documents.parse(&request.query).map_err(refused)?;
    let schema = pick_schema(state, viewer, &parsed)?.clone();
    request.set_parsed_query(parsed.document.clone());
    Ok((schema, parsed))
}

/// Whether a request got past validation: errors of parsing, validation and limits have no
/// path; resolvers' errors do.
pub(super) fn passed_validation(errors: &[ServerError]) -> bool {
    errors.iter().all(|error| !error.path.is_empty())
}

/// Which schema serves the request: introspection-only requests of callers who may introspect
/// get the introspection limits; a request that asks for introspection it may not have is
/// refused; everyone who may not introspect gets the schema without suggestions.
fn pick_schema<'a>(
    state: &'a AppState,
    viewer: &Viewer,
    parsed: &Parsed,
) -> Result<&'a AppSchema, Box<async_graphql::Response>> {
    let allowed = rules::may_introspect(viewer, state.introspection);
    let (asks, only) = (parsed.asks_introspection, parsed.only_introspection);
    match allowed {
        Ok(()) if only => Ok(&state.schemas.introspection),
        Ok(()) => Ok(&state.schemas.full),
        Err(refused) if asks => Err(Box::new(request_error(
            ServerError::new("introspection is not available to this caller", None),
            refused.code(),
        ))),
        Err(_) => Ok(&state.schemas.quiet),
    }
}

/// The type of the operation the request runs; `None` when the document does not say (no
/// such operation name, or several without a name): validation reports that.
pub(super) fn operation_type(document: &ExecutableDocument, name: Option<&str>) -> Option<OperationType> {
    use async_graphql::parser::types::DocumentOperations;
    match (&document.operations, name) {
        (DocumentOperations::Single(op), _) => Some(op.node.ty),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| op.node.ty),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next().map(|op| op.node.ty),
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// The name of a document's only operation, when it is named.
fn sole_operation_name(document: &ExecutableDocument) -> Option<String> {
    match &document.operations {
        async_graphql::parser::types::DocumentOperations::Multiple(ops) if ops.len() == 1 => {
            ops.keys().next().map(|name| name.to_string())
        }
        _ => None,
    }
}

fn request_error(mut error: ServerError, code: &str) -> async_graphql::Response {
    let mut extensions = error.extensions.take().unwrap_or_default();
    extensions.set("code", Value::from(code));
    error.extensions = Some(extensions);
    async_graphql::Response::from_errors(vec![error])
}

/// Errors raised by async-graphql itself (syntax, validation, variable and argument coercion)
/// carry no code: they are the client's fault, so they become BAD_USER_INPUT. Any other error
/// without a code is a bug; its text is replaced so nothing internal leaks.
pub(super) fn ensure_code(error: &mut ServerError) {
    let has_code = error.extensions.as_ref().is_some_and(|e| e.get("code").is_some());
    if has_code {
        return;
    }
    let input_error = ["Failed to parse", "Invalid value for argument", "Expected input type"]
        .iter()
        .any(|p| error.message.starts_with(p));
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

/// A refused token is 401; a token that could not be checked (the database is away) is not the
/// client's fault and must not sign it out: 503, retry later.
pub(super) fn unauthenticated(refused: Refused) -> Refusal {
    match refused {
        Refused::Invalid(reason) => {
            tracing::info!(reason, "bearer token refused");
            Refusal::new(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", "invalid or expired token")
                .with_header(header::WWW_AUTHENTICATE, "Bearer")
        }
        Refused::Internal(error) => {
            tracing::error!(%error, "could not verify bearer token");
            Refusal::new(StatusCode::SERVICE_UNAVAILABLE, "INTERNAL", "the service is unavailable; retry later")
                .with_header(header::RETRY_AFTER, "5")
        }
    }
}

/// The response to a request whose handling panicked (the cause is in the log).
pub fn internal() -> Refusal {
    Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", "internal error")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(query).unwrap()
    }

    #[test]
    fn the_operation_type_follows_the_operation_name() {
        let doc = parse("query A { __typename } mutation B { logoutEverywhere }");
        assert_eq!(operation_type(&doc, Some("B")), Some(OperationType::Mutation));
        assert_eq!(operation_type(&doc, Some("A")), Some(OperationType::Query));
        assert_eq!(operation_type(&doc, None), None);
    }
}
