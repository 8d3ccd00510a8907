//! Process metrics in the Prometheus text format: HTTP requests by route with their latency,
//! GraphQL operations by name, type and outcome with their latency, errors by code, SQL
//! statements and the subscriptions running.
//!
//! Metrics are recorded with the `metrics` facade and rendered by `metrics-exporter-prometheus`
//! (latencies as histograms). `GET /metrics` on the API's address answers only clients on the
//! loopback interface (the benchmark, a local agent or `curl` on the host); anyone else gets
//! 404, as if the route did not exist. `DUBAN_METRICS_BIND` gives the metrics an address of
//! their own ([`metrics_router`]), which anyone who reaches it may scrape: Prometheus in another
//! container of a private network, without publishing the API's metrics.

use axum::extract::{ConnectInfo, MatchedPath, Request};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::net::SocketAddr;
use std::sync::OnceLock;

/// HTTP requests served, labelled by matched route.
pub const HTTP_REQUESTS: &str = "duban_http_requests_total";
/// SQL statements sent to the database (BEGIN/COMMIT are not reported by sea-orm).
pub const SQL_STATEMENTS: &str = "duban_sql_statements_total";
/// SQL statements that returned an error.
pub const SQL_FAILURES: &str = "duban_sql_statement_failures_total";
/// GraphQL subscriptions running now (over every WebSocket of the process).
pub const SUBSCRIPTIONS: &str = "duban_subscriptions";
/// Seconds an HTTP request took, by matched route and status.
pub const HTTP_SECONDS: &str = "duban_http_request_duration_seconds";
/// Seconds a GraphQL operation over HTTP took, by operation name, type and outcome (`ok` or
/// the first error's code).
pub const GRAPHQL_SECONDS: &str = "duban_graphql_operation_duration_seconds";
/// Errors answered to GraphQL requests, by code.
pub const GRAPHQL_ERRORS: &str = "duban_graphql_errors_total";

/// Latency buckets, in seconds: from a cached read to the request timeout.
const BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process-wide Prometheus recorder, installed on first use. Several apps in one process
/// (the test suite) share it; if another recorder was installed first, nothing is recorded.
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(metrics_exporter_prometheus::Matcher::Suffix("_seconds".into()), BUCKETS)
            .expect("the buckets are not empty");
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder is installed; /metrics stays empty");
        }
        handle
    })
}

/// What runs after every SQL statement: counts it for `/metrics`, then runs `also` (the test
/// suite's own count and log).
pub fn statement_hook(also: Option<crate::db::StatementHook>) -> crate::db::StatementHook {
    handle();
    std::sync::Arc::new(move |info, via| {
        metrics::counter!(SQL_STATEMENTS).increment(1);
        if info.failed {
            metrics::counter!(SQL_FAILURES).increment(1);
        }
        if let Some(also) = &also {
            also(info, via);
        }
    })
}

/// Middleware (as a route layer): counts requests by their matched route, and their latency
/// by route and status.
pub async fn count_requests(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str).to_owned();
    metrics::counter!(HTTP_REQUESTS, "route" => route.clone()).increment(1);
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::histogram!(HTTP_SECONDS, "route" => route, "status" => status).record(started.elapsed().as_secs_f64());
    response
}

/// Records one GraphQL operation: its latency by name (`anonymous` without one; a name that is
/// not a plain GraphQL name, or is over 64 characters, counts as `other`), type and outcome, and
/// each error's code.
pub fn graphql_operation(name: Option<&str>, kind: &'static str, codes: &[String], took: std::time::Duration) {
    let name = match name {
        None => "anonymous".to_owned(),
        Some(n) if n.len() <= 64 && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => n.to_owned(),
        Some(_) => "other".to_owned(),
    };
    let outcome = codes.first().cloned().unwrap_or_else(|| "ok".to_owned());
    metrics::histogram!(GRAPHQL_SECONDS, "operation" => name, "type" => kind, "outcome" => outcome)
        .record(took.as_secs_f64());
    for code in codes {
        metrics::counter!(GRAPHQL_ERRORS, "code" => code.clone()).increment(1);
    }
}

/// The metrics on an address of their own (`DUBAN_METRICS_BIND`): `GET /metrics` to anyone who
/// reaches it.
pub fn metrics_router() -> axum::Router {
    axum::Router::new().route(
        "/metrics",
        axum::routing::get(|| async {
            let handle = handle();
            handle.run_upkeep();
            ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], handle.render())
        }),
    )
}

/// `GET /metrics`: the Prometheus text format, for loopback clients only.
pub async fn render(request: Request) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0);
    if !peer.is_some_and(|addr| addr.ip().is_loopback()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let handle = handle();
    handle.run_upkeep();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], handle.render()).into_response()
}

/// The span of one HTTP request: method, path (never the query, which may carry a signed
/// link or variables) and the request id every log line of the request then carries.
pub fn request_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default();
    tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    #[tokio::test]
    async fn metrics_are_refused_without_a_loopback_peer() {
        let remote: SocketAddr = "203.0.113.7:4000".parse().unwrap();
        let mut request = Request::new(Body::empty());
        request.extensions_mut().insert(ConnectInfo(remote));
        assert_eq!(render(request).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(render(Request::new(Body::empty())).await.status(), StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn metrics_are_served_to_a_loopback_peer() {
        let local: SocketAddr = "127.0.0.1:4000".parse().unwrap();
        let mut request = Request::new(Body::empty());
        request.extensions_mut().insert(ConnectInfo(local));
        assert_eq!(render(request).await.status(), StatusCode::OK);
    }
}
