//! The authorization matrix of the audit trail and of webhooks: `auditLog` (admins), and the
//! webhooks of the service identity's account (the unit system of 县发展和改革局): the office
//! and the system itself manage them, nobody else learns they exist.

use crate::authz_matrix::{admin_only, case, fields, no_vars, op};
use crate::cast::{Cast, Who, str_of};
use crate::matrix::{Case, FORBIDDEN, Fixture, NOT_FOUND, REFUSED, UNAUTHENTICATED, ok, run};
use duban_tests::{TestApp, spawn_app};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::Duration;

type Expect9 = crate::matrix::Expect;

/// The office and the service identity (the account the webhooks belong to).
fn office_and_system(rows: &[&str]) -> [Expect9; 9] {
    [UNAUTHENTICATED, ok(rows), NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, ok(rows), REFUSED, REFUSED]
}

#[rustfmt::skip]
pub fn trail_query_cases() -> Vec<Case> {
    let listed = |d: &Value| d.as_array().into_iter().flatten().map(|h| str_of(&h["url"])).collect();
    vec![
        case(op("auditLog", "{ auditLog(first: 1) { totalCount } }", no_vars, |d| vec![(d["totalCount"].as_u64() > Some(0)).to_string()]),
             admin_only(&["true"])),
        case(op("webhooks", "{ webhooks { url } }", no_vars, listed),
             [UNAUTHENTICATED, ok(&["http://127.0.0.1:9/a", "http://127.0.0.1:9/b"]), ok(&[]), ok(&[]), ok(&[]), ok(&[]),
              ok(&["http://127.0.0.1:9/a", "http://127.0.0.1:9/b"]), REFUSED, REFUSED]),
        case(op("webhookDeliveries", "query($w: ID!) { webhookDeliveries(webhookId: $w) { event } }",
                |f, _| json!({ "w": f.id("hook a") }), |d| vec![(d.as_array().map_or(0, Vec::len) > 0).to_string()]),
             office_and_system(&["true"])),
    ]
}

#[rustfmt::skip]
pub fn trail_mutation_cases() -> Vec<Case> {
    vec![
        case(op("createWebhook", "mutation($o: ID!) { createWebhook(input: { url: \"http://127.0.0.1:9/new\", events: [URGED], ownerId: $o }) { webhook { url events } secret } }",
                |f, _| json!({ "o": f.id("system") }),
                |d| vec![str_of(&d["webhook"]["url"]), d["secret"].as_str().is_some_and(|s| s.starts_with("whsec_")).to_string()]),
             [UNAUTHENTICATED, ok(&["http://127.0.0.1:9/new", "true"]), FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
              ok(&["http://127.0.0.1:9/new", "true"]), REFUSED, REFUSED]),
        case(op("redeliverWebhook", "mutation($d: ID!) { redeliverWebhook(deliveryId: $d) { status } }",
                |f, _| json!({ "d": f.id("delivery") }), |d| fields(d, &["status"])),
             office_and_system(&["PENDING"])),
        case(op("deleteWebhook", "mutation($w: ID!) { deleteWebhook(id: $w) }",
                |f, who| json!({ "w": f.id(if who == Who::Admin { "hook a" } else { "hook b" }) }), |d| vec![d.to_string()]),
             office_and_system(&["true"])),
    ]
}

/// Registers a webhook for the service identity's account, as the admin.
async fn hook(app: &TestApp, cast: &Cast, url: &str, events: &[&str]) -> String {
    let create = "mutation($o: ID!, $u: String!, $e: [String!]!) { createWebhook(input: { url: $u, events: $e, ownerId: $o }) { webhook { id } } }";
    let vars = json!({ "o": cast.user_ids[&Who::Service], "u": url, "e": events });
    app.graphql(create, vars, Some(cast.admin())).await.data()["createWebhook"]["webhook"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Two webhooks of the service identity's account, and one delivery (an instruction on a task
/// of its unit, which it wants to hear of); the endpoint does not answer, which is fine here.
async fn arrange(app: &TestApp, cast: &Cast) -> HashMap<&'static str, String> {
    let a = hook(app, cast, "http://127.0.0.1:9/a", &["INSTRUCTED", "TASK_CHANGED"]).await;
    let b = hook(app, cast, "http://127.0.0.1:9/b", &["URGED"]).await;
    let task = app.graphql("{ tasks(first: 1) { nodes { id } } }", json!({}), cast.token(Who::Service)).await;
    let task = task.data()["tasks"]["nodes"][0]["id"].clone();
    app.graphql(
        "mutation($t: ID!) { instruct(taskId: $t, text: \"请抓紧\") { id } }",
        json!({ "t": task }),
        Some(cast.admin()),
    )
    .await
    .data();
    let deliveries = "query($w: ID!) { webhookDeliveries(webhookId: $w) { id } }";
    let mut delivery = Value::Null;
    for _ in 0..100 {
        let found = app.graphql(deliveries, json!({ "w": a }), Some(cast.admin())).await;
        delivery = found.data()["webhookDeliveries"][0]["id"].clone();
        if delivery.is_string() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let delivery = delivery.as_str().expect("the instruction was fanned out to the webhook").to_owned();
    let system = cast.user_ids[&Who::Service].clone();
    HashMap::from([("hook a", a), ("hook b", b), ("delivery", delivery), ("system", system)])
}

#[tokio::test]
async fn the_trail_and_webhooks_follow_the_authorization_matrix() {
    let app = spawn_app().await;
    let cast = Cast::arrange(&app).await;
    let ids = arrange(&app, &cast).await;
    let mut fixture = Fixture { cast, ids, version: 0 };

    let queries = run(&app, &mut fixture, trail_query_cases()).await;
    let writes = run(&app, &mut fixture, trail_mutation_cases()).await;

    assert_eq!((queries, writes), (3 * 9, 3 * 9));
}
