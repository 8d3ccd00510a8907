//! Errors carry stable codes, and nothing internal reaches the client.

use duban_tests::spawn_app;
use sea_orm::ConnectionTrait;
use serde_json::json;

#[tokio::test]
async fn a_database_error_reaches_the_client_as_a_generic_internal_error() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for table in ["report_period", "assignment"] {
        app.db.execute_unprepared(&format!("DROP TABLE {table}")).await.expect("drop a table behind the server's back");
    }
    let response = app.graphql("{ tasks(first: 3) { nodes { assignments { role } } } }", json!({}), Some(&admin)).await;
    assert!(response.error_codes().iter().all(|c| c == "INTERNAL"), "{}", response.body);
    assert!(!response.error_codes().is_empty());
    let text = response.body.to_string().to_lowercase();
    for leak in ["assignment\"", "select", "no such table", "relation", "sqlite", "postgres", "/tmp", ".rs"] {
        assert!(!text.contains(leak), "response leaks {leak:?}: {text}");
    }
}

#[tokio::test]
async fn malformed_queries_and_unknown_fields_are_bad_user_input() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for query in ["{ tasks { nodes { nope } } }", "{ tasks(", "query { tasks(first: \"x\") { totalCount } }"] {
        let response = app.graphql(query, json!({}), Some(&admin)).await;
        assert_eq!(response.error_code(), Some("BAD_USER_INPUT"), "{query}: {}", response.body);
    }
}

#[tokio::test]
async fn mutations_over_get_are_refused() {
    let app = spawn_app().await;
    let url = format!("{}/graphql?query=mutation%7BlogoutEverywhere%7D", app.address);
    let response = app.client.get(url).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 405);
    let get_query = app.client.get(format!("{}/graphql?query=%7B__typename%7D", app.address)).send().await.unwrap();
    let body: serde_json::Value = get_query.json().await.unwrap();
    assert_eq!(body["data"]["__typename"], "Query");
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    let health = app.client.get(format!("{}/healthz", app.address)).send().await.unwrap();
    assert_eq!(health.status().as_u16(), 200);
    let ready = app.client.get(format!("{}/readyz", app.address)).send().await.unwrap();
    assert_eq!(ready.status().as_u16(), 200);
}
