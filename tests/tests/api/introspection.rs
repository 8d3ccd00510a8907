//! Introspection needs a signed-in user, and a setting turns it off for everyone.

use duban::config::Introspection;
use duban_tests::{AppOptions, spawn_app, spawn_app_with};
use serde_json::json;

const SCHEMA: &str = "{ __schema { queryType { name } } }";

#[tokio::test]
async fn anonymous_callers_cannot_introspect_but_signed_in_users_can() {
    let app = spawn_app().await;
    let anonymous = app.graphql(SCHEMA, json!({}), None).await;
    assert_eq!(anonymous.error_code(), Some("UNAUTHENTICATED"));
    assert!(anonymous.body["data"].is_null());
    let hidden =
        app.graphql("query { ...F } fragment F on Query { __type(name: \"Task\") { name } }", json!({}), None).await;
    assert_eq!(hidden.error_code(), Some("UNAUTHENTICATED"), "fragments are looked into too");
    let leader = app.user_token("leader1", "LEADER", None).await;
    let allowed = app.graphql(SCHEMA, json!({}), Some(&leader)).await;
    assert_eq!(allowed.data()["__schema"]["queryType"]["name"], "Query");
}

#[tokio::test]
async fn introspection_can_be_turned_off_for_everyone() {
    let app =
        spawn_app_with(AppOptions { configure: |c| c.introspection = Introspection::Off, ..Default::default() }).await;
    let admin = app.admin_token().await;
    let refused = app.graphql(SCHEMA, json!({}), Some(&admin)).await;
    assert_eq!(refused.error_code(), Some("FORBIDDEN"));
    let plain = app.graphql("{ viewer { username } }", json!({}), Some(&admin)).await;
    assert_eq!(plain.data()["viewer"]["username"], "admin");
}
