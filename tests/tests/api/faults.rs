//! Faults inside one server: a panicking handler or resolver, a request that takes too long,
//! a client that hangs up in the middle of a write. Each ends the one request with a code and
//! leaves the server serving.

use duban_tests::{AppOptions, spawn_app, spawn_app_with};
use serde_json::json;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

#[tokio::test]
async fn a_panicking_handler_answers_internal_and_the_server_keeps_serving() {
    let app = spawn_app().await;
    let panicked = app.raw(app.client.get(app.url("/__test/panic"))).await;
    assert_eq!((panicked.status, panicked.error_code().as_deref()), (500, Some("INTERNAL")));
    assert!(!panicked.text.contains("panic requested"), "the cause stays in the log: {}", panicked.text);
    let after = app.raw(app.client.get(app.url("/healthz"))).await;
    assert_eq!(after.status, 200);
}

#[tokio::test]
async fn a_panicking_resolver_answers_internal_and_the_server_keeps_serving() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let request = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&admin)
        .header("x-duban-test-panic", "1")
        .json(&json!({ "query": "{ tasks(first: 2) { nodes { lead { name } } } }" }));
    let panicked = app.raw(request).await;
    assert_eq!((panicked.status, panicked.error_code().as_deref()), (500, Some("INTERNAL")), "{}", panicked.text);
    let after = app.graphql("{ tasks(first: 2) { nodes { lead { name } } } }", json!({}), Some(&admin)).await;
    assert_eq!(after.data()["tasks"]["nodes"][0]["lead"]["name"], "县民政局");
}

#[tokio::test]
async fn a_request_over_the_time_limit_answers_timeout() {
    let app = spawn_app_with(AppOptions { configure: |c| c.request_timeout_secs = 1, ..Default::default() }).await;
    let slow = app.raw(app.client.get(app.url("/__test/sleep/3000"))).await;
    assert_eq!((slow.status, slow.error_code().as_deref()), (503, Some("TIMEOUT")));
    assert!(slow.headers.contains_key("retry-after"));
    let quick = app.raw(app.client.get(app.url("/__test/sleep/10"))).await;
    assert_eq!(quick.status, 200);
}

/// Sends an import over a raw socket and hangs up before any answer can come.
async fn post_and_hang_up(address: &str, token: &str, body: &str) {
    let host = address.trim_start_matches("http://");
    let mut socket = tokio::net::TcpStream::connect(host).await.expect("connect");
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nAuthorization: Bearer {token}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    socket.write_all(head.as_bytes()).await.expect("write head");
    socket.write_all(body.as_bytes()).await.expect("write body");
    // Long enough for the server to have taken the request in (on a loaded machine too), far
    // shorter than the import it starts.
    tokio::time::sleep(Duration::from_millis(150)).await;
    drop(socket);
}

/// A plan of `tasks` numbered items with their units in a parenthesis: large enough that its
/// import is still writing when the client hangs up.
fn large_plan(tasks: usize) -> String {
    let mut text = String::from("某县政办发〔2026〕9号\n某县人民政府办公室\n2026年1月5日\n某县重点任务分工方案\n");
    for n in 1..=tasks {
        text.push_str(&format!(
            "{n}．第{n}项重点工作。（牵头单位：县民政局；配合单位：县财政局、县卫生局、县统计局）\n"
        ));
    }
    text
}

#[tokio::test]
async fn a_client_that_hangs_up_mid_import_still_gets_the_whole_plan_written() {
    let app = spawn_app_with(AppOptions { sample_plan: false, ..Default::default() }).await;
    let admin = app.admin_token().await;
    let query = "mutation($t: String!) { importPlan(text: $t) { tasks { id } } }";
    let body = json!({ "query": query, "variables": { "t": large_plan(900) } });

    post_and_hang_up(&app.address, &admin, &body.to_string()).await;

    // Waits for the import to finish (up to two minutes on a busy machine: 900 tasks and their
    // 3,600 units' places, each on the audit trail).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    let mut seen = 0;
    while tokio::time::Instant::now() < deadline {
        let listed = app.graphql("{ tasks(first: 100) { totalCount } }", json!({}), Some(&admin)).await;
        seen = listed.data()["tasks"]["totalCount"].as_i64().unwrap_or_default();
        if seen > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(seen, 900, "the import ran to its end after the client left: every task, never part of them");
}
