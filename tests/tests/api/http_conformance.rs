//! GraphQL over HTTP as the spec asks: media types follow `Accept`, status codes follow the
//! outcome under `application/graphql-response+json`, and every refusal at the HTTP layer is a
//! GraphQL-shaped body with a code. Requests a browser could send cross-site without asking
//! (`text/plain`, no content type, a plain form) never execute.

use duban_tests::{TestApp, spawn_app};
use serde_json::json;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

fn post(app: &TestApp) -> reqwest::RequestBuilder {
    app.client.post(app.url("/graphql"))
}

#[tokio::test]
async fn the_response_media_type_follows_the_accept_header() {
    let app = spawn_app().await;
    let body = json!({ "query": "{ __typename }" }).to_string();
    let cases = [
        (None, "application/json"),
        (Some("application/json"), "application/json"),
        (Some("*/*"), "application/json"),
        (Some(GRAPHQL_RESPONSE), GRAPHQL_RESPONSE),
        (Some("application/graphql-response+json, application/json;q=0.9"), GRAPHQL_RESPONSE),
    ];
    for (accept, expected) in cases {
        let mut request = post(&app).header("content-type", "application/json").body(body.clone());
        if let Some(accept) = accept {
            request = request.header("accept", accept);
        }
        let response = app.raw(request).await;
        assert_eq!(response.status, 200, "{accept:?}");
        assert!(response.content_type.starts_with(expected), "{accept:?} gave {}", response.content_type);
        assert!(response.content_type.contains("charset=utf-8"), "{}", response.content_type);
        assert_eq!(response.json()["data"]["__typename"], "Query");
    }
    let refused =
        app.raw(post(&app).header("content-type", "application/json").header("accept", "text/html").body(body)).await;
    assert_eq!((refused.status, refused.error_code().as_deref()), (406, Some("BAD_REQUEST")));
}

#[tokio::test]
async fn request_errors_answer_400_without_data_under_graphql_response_json() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let cases = [
        (json!({ "query": "{" }), "parse failure"),
        (json!({ "query": "{ noSuchField }" }), "validation failure"),
        (
            json!({ "query": "query($id: ID!) { task(id: $id) { seq } }", "variables": { "id": null } }),
            "variable coercion",
        ),
    ];
    for (body, what) in cases {
        let strict = app.raw(post(&app).bearer_auth(&admin).header("accept", GRAPHQL_RESPONSE).json(&body)).await;
        assert_eq!(strict.status, 400, "{what}: {}", strict.text);
        assert!(strict.json().get("data").is_none(), "{what}: no data entry: {}", strict.text);
        assert_eq!(strict.error_code().as_deref(), Some("BAD_USER_INPUT"), "{what}");
        let lenient = app.raw(post(&app).bearer_auth(&admin).header("accept", "application/json").json(&body)).await;
        assert_eq!(lenient.status, 200, "{what} under application/json: {}", lenient.text);
        assert_eq!(lenient.error_code().as_deref(), Some("BAD_USER_INPUT"), "{what}");
    }
}

#[tokio::test]
async fn malformed_http_requests_get_coded_graphql_shaped_errors() {
    let app = spawn_app().await;
    let json = "application/json";
    let cases: Vec<(&str, Option<&str>, String, u16, &str)> = vec![
        ("invalid JSON", Some(json), "{\"query\": \"{ __typename ".into(), 400, "BAD_REQUEST"),
        ("empty body", Some(json), String::new(), 400, "BAD_REQUEST"),
        ("not an object", Some(json), "42".into(), 400, "BAD_REQUEST"),
        ("a batch", Some(json), json!([{ "query": "{ __typename }" }]).to_string(), 400, "BAD_REQUEST"),
        ("query not a string", Some(json), json!({ "query": 1 }).to_string(), 400, "BAD_REQUEST"),
        ("no query", Some(json), json!({ "notquery": "{ __typename }" }).to_string(), 400, "BAD_REQUEST"),
        (
            "variables not a map",
            Some(json),
            json!({ "query": "{ __typename }", "variables": "x" }).to_string(),
            400,
            "BAD_REQUEST",
        ),
        (
            "operationName not a string",
            Some(json),
            json!({ "query": "{ __typename }", "operationName": 1 }).to_string(),
            400,
            "BAD_REQUEST",
        ),
        (
            "extensions not a map",
            Some(json),
            json!({ "query": "{ __typename }", "extensions": [1] }).to_string(),
            400,
            "BAD_REQUEST",
        ),
        (
            "latin-1 charset",
            Some("application/json; charset=iso-8859-1"),
            json!({ "query": "{ __typename }" }).to_string(),
            415,
            "BAD_REQUEST",
        ),
        ("no content type", None, json!({ "query": "{ __typename }" }).to_string(), 415, "BAD_REQUEST"),
        ("text/plain", Some("text/plain"), json!({ "query": "{ __typename }" }).to_string(), 415, "BAD_REQUEST"),
        ("a form", Some("application/x-www-form-urlencoded"), "query=%7B__typename%7D".into(), 415, "BAD_REQUEST"),
    ];
    for (what, content_type, body, status, code) in cases {
        let mut request = post(&app).body(body);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = app.raw(request).await;
        assert_eq!(response.status, status, "{what}: {}", response.text);
        assert!(response.content_type.starts_with("application/json"), "{what}: {}", response.content_type);
        assert_eq!(response.error_code().as_deref(), Some(code), "{what}: {}", response.text);
        assert!(!response.text.contains("Error("), "{what}: a Rust debug string leaked: {}", response.text);
    }
}

#[tokio::test]
async fn a_mutation_sent_as_text_plain_or_a_plain_form_never_runs() {
    let app = spawn_app().await;
    let token = app.user_token("leader1", "LEADER", None).await;
    let mutation = json!({ "query": "mutation { logoutEverywhere }" }).to_string();
    for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
        let response =
            app.raw(post(&app).bearer_auth(&token).header("content-type", content_type).body(mutation.clone())).await;
        assert_eq!(response.status, 415, "{content_type}");
    }
    let upload_form = "multipart/form-data; boundary=x";
    let form = "--x\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{\"query\":\"mutation { logoutEverywhere }\"}\r\n--x--\r\n";
    let anonymous_form = app.raw(post(&app).header("content-type", upload_form).body(form)).await;
    assert_eq!(anonymous_form.status, 415, "a multipart body without a token is refused: {}", anonymous_form.text);
    let still = app.graphql("{ viewer { username } }", json!({}), Some(&token)).await;
    assert_eq!(still.data()["viewer"]["username"], "leader1", "the token still works: nothing ran");
}

#[tokio::test]
async fn mutations_over_get_are_refused_with_405_and_allow_post() {
    let app = spawn_app().await;
    let response = app.raw(app.client.get(app.url("/graphql?query=mutation%7BlogoutEverywhere%7D"))).await;
    assert_eq!(response.status, 405);
    assert_eq!(response.headers.get("allow").and_then(|v| v.to_str().ok()), Some("POST"));
    assert_eq!(response.error_code().as_deref(), Some("BAD_REQUEST"));
    let named = app
        .raw(app.client.get(
            app.url("/graphql?query=query%20A%7B__typename%7D%20mutation%20B%7BlogoutEverywhere%7D&operationName=B"),
        ))
        .await;
    assert_eq!(named.status, 405, "the operation named in operationName decides");
    let query = app.raw(app.client.get(app.url("/graphql?query=%7B__typename%7D"))).await;
    assert_eq!(query.json()["data"]["__typename"], "Query");
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_413_and_a_code() {
    let app = spawn_app().await;
    let padding = "x".repeat(9 * 1024 * 1024);
    let body = json!({ "query": "{ __typename }", "variables": { "padding": padding } });
    let response = app.raw(post(&app).json(&body)).await;
    assert_eq!((response.status, response.error_code().as_deref()), (413, Some("PAYLOAD_TOO_LARGE")));
}

/// Every answer names its request: a client's own `x-request-id` comes back as sent (so a
/// frontend's error report and the server's log lines meet), and a request without one gets a
/// new UUID, refusals and routes outside `/graphql` included.
#[tokio::test]
async fn every_response_carries_the_request_id() {
    let app = spawn_app().await;
    let body = json!({ "query": "{ __typename }" }).to_string();
    let sent = app
        .raw(post(&app).header("content-type", "application/json").header("x-request-id", "frontend-42").body(body))
        .await;
    assert_eq!(sent.header("x-request-id").as_deref(), Some("frontend-42"));
    let mut seen = Vec::new();
    for request in [post(&app).header("content-type", "text/plain").body("{}"), app.client.get(app.url("/healthz"))] {
        let response = app.raw(request).await;
        let id = response.header("x-request-id").expect("an id");
        assert_eq!(id.len(), 36, "a UUID: {id}");
        seen.push(id);
    }
    assert_ne!(seen[0], seen[1], "one id per request");
}
