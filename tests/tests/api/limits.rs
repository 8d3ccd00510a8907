//! The limits one request must stay within, each refused with a code (README lists them):
//! depth 12 (introspection-only requests 20), complexity 5,000, `first` ≤ 100, no batches,
//! 8 MB bodies, no fragment cycles, no repeated directive. The standard introspection query
//! that GraphiQL and client tooling send passes.

use duban_tests::spawn_app;
use serde_json::json;

/// `{ tasks { nodes { document { tasks { nodes { … seq } } } } } }`: 3 + 3 × `repeats` levels deep.
fn nested(repeats: usize) -> String {
    let mut inner = String::from("seq");
    for _ in 0..repeats {
        inner = format!("document {{ tasks(first: 1) {{ nodes {{ {inner} }} }} }}");
    }
    format!("{{ tasks(first: 1) {{ nodes {{ {inner} }} }} }}")
}

#[tokio::test]
async fn a_query_nested_deeper_than_12_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let shallow = app.graphql(&nested(3), json!({}), Some(&admin)).await;
    assert!(shallow.body["errors"].is_null(), "depth within the limit runs: {}", shallow.body);
    let deep = app.graphql(&nested(4), json!({}), Some(&admin)).await;
    assert_eq!(deep.error_code(), Some("BAD_USER_INPUT"), "{}", deep.body);
    assert!(deep.body["data"].is_null());
}

#[tokio::test]
async fn a_query_over_the_complexity_limit_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let query =
        "{ tasks(first: 100) { nodes { assignments { department { tasks(first: 100) { nodes { id title } } } } } } }";
    let response = app.graphql(query, json!({}), Some(&admin)).await;
    assert_eq!(response.error_code(), Some("BAD_USER_INPUT"), "{:.300}", response.body.to_string());
    assert!(response.body["data"].is_null());
}

#[tokio::test]
async fn a_page_larger_than_100_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let response = app.graphql("{ tasks(first: 101) { totalCount } }", json!({}), Some(&admin)).await;
    assert_eq!(response.error_code(), Some("BAD_USER_INPUT"));
}

#[tokio::test]
async fn fragment_cycles_and_repeated_directives_are_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let cycle = "{ tasks { ...A } } fragment A on TaskConnection { ...B } fragment B on TaskConnection { ...A }";
    let repeated = "{ tasks @include(if: true) @include(if: true) { totalCount } }";
    for query in [cycle, repeated] {
        let response = app.graphql(query, json!({}), Some(&admin)).await;
        assert_eq!(response.error_code(), Some("BAD_USER_INPUT"), "{query}: {}", response.body);
    }
}

#[tokio::test]
async fn the_standard_introspection_query_with_every_option_passes_for_signed_in_callers() {
    let app = spawn_app().await;
    let leader = app.user_token("leader1", "LEADER", None).await;
    let query = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/introspection-query.graphql"))
        .expect("tests/fixtures/introspection-query.graphql (made by tests/clients/introspection-query.mjs)");
    let response = app.graphql(&query, json!({}), Some(&leader)).await;
    let schema = &response.data()["__schema"];
    assert_eq!(schema["queryType"]["name"], "Query");
    let types = schema["types"].as_array().expect("types");
    assert!(types.iter().any(|t| t["name"] == "Task"), "the Task type is described");
    let anonymous = app.graphql(&query, json!({}), None).await;
    assert_eq!(anonymous.error_code(), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn an_introspection_query_nested_past_its_own_limit_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut of_type = String::from("name");
    for _ in 0..30 {
        of_type = format!("ofType {{ {of_type} }}");
    }
    let query = format!("{{ __schema {{ types {{ fields {{ type {{ {of_type} }} }} }} }} }}");
    let response = app.graphql(&query, json!({}), Some(&admin)).await;
    assert_eq!(response.error_code(), Some("BAD_USER_INPUT"), "{}", response.body);
}

#[tokio::test]
async fn validation_errors_suggest_names_only_to_callers_who_may_introspect() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let typo = "mutation { creatUser(input: {}) { id } }";
    let anonymous = app.graphql(typo, json!({}), None).await;
    assert_eq!(anonymous.error_code(), Some("BAD_USER_INPUT"));
    assert!(!anonymous.body.to_string().contains("Did you mean"), "no hint for anonymous callers: {}", anonymous.body);
    let signed_in = app.graphql(typo, json!({}), Some(&admin)).await;
    assert!(signed_in.body.to_string().contains("createUser"), "signed-in callers get the hint: {}", signed_in.body);
}
