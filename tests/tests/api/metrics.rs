//! `/metrics` as an operator scrapes it: on an address of its own (`DUBAN_METRICS_BIND`), with
//! each GraphQL operation's latency by name, type and outcome, errors by code, and HTTP latency
//! by route. (The recorder is the process's, shared by the tests of this binary: operation
//! names here are this test's own.)

use duban_tests::{AppOptions, spawn_app_with};
use serde_json::json;

/// The value of the sample whose line starts with `metric{` and holds every label of `labels`.
fn sample(text: &str, metric: &str, labels: &[&str]) -> Option<f64> {
    text.lines()
        .filter(|line| line.starts_with(&format!("{metric}{{")))
        .find(|line| labels.iter().all(|label| line.contains(label)))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|value| value.parse().ok())
}

#[tokio::test]
async fn metrics_on_their_own_address_show_operations_by_name_and_outcome() {
    let app = spawn_app_with(AppOptions {
        configure: |c| c.metrics_bind = Some("127.0.0.1:0".parse().expect("an address")),
        ..AppOptions::default()
    })
    .await;
    let admin = app.admin_token().await;
    for _ in 0..3 {
        app.graphql("query MetricsProbe { tasks(first: 2) { totalCount } }", json!({}), Some(&admin)).await.data();
    }
    let refused =
        app.graphql("query MetricsProbeTooMany { tasks(first: 101) { totalCount } }", json!({}), Some(&admin)).await;
    assert_eq!(refused.error_code(), Some("BAD_USER_INPUT"));

    let address = app.metrics_address.clone().expect("the metrics' own address");
    assert_ne!(address, app.address);
    let text = reqwest::get(format!("{address}/metrics")).await.expect("scrape").text().await.expect("text");

    let ok = ["operation=\"MetricsProbe\"", "type=\"query\"", "outcome=\"ok\""];
    assert_eq!(sample(&text, "duban_graphql_operation_duration_seconds_count", &ok), Some(3.0), "{text}");
    assert!(
        sample(&text, "duban_graphql_operation_duration_seconds_bucket", &[ok[0], ok[2], "le=\"+Inf\""]) == Some(3.0)
    );
    let refused = ["operation=\"MetricsProbeTooMany\"", "outcome=\"BAD_USER_INPUT\""];
    assert_eq!(sample(&text, "duban_graphql_operation_duration_seconds_count", &refused), Some(1.0));
    assert!(sample(&text, "duban_graphql_errors_total", &["code=\"BAD_USER_INPUT\""]).is_some_and(|n| n >= 1.0));
    let graphql = ["route=\"/graphql\"", "status=\"200\""];
    assert!(sample(&text, "duban_http_request_duration_seconds_count", &graphql).is_some_and(|n| n >= 4.0), "{text}");

    // The API's own /metrics still answers the loopback interface.
    let local = app.raw(app.client.get(app.url("/metrics"))).await;
    assert_eq!(local.status, 200);
    assert!(local.text.contains("duban_graphql_operation_duration_seconds"));
}
