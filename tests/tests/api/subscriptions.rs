//! Subscriptions over WebSocket (graphql-transport-ws on `/graphql`): sign-in in
//! `connection_init`, events filtered by the same rules as queries (a unit never hears of
//! another unit's urgings, nor of a task it cannot see), a revoked credential closes the
//! connection, and a change made through another process arrives too.

use duban_tests::ws::{Received, Subscriber};
use duban_tests::{AppOptions, ServerProcess, TestApp, password_for, spawn_app, spawn_app_with};
use serde_json::{Value, json};
use std::time::Duration;

const TASK_CHANGED: &str =
    "subscription($t: ID!) { taskChanged(taskId: $t) { entry { code text department { name } } task { id status } } }";
const TODO_CHANGED: &str = "subscription { myTodoChanged { total counts { kind count } } }";
const SOON: Duration = Duration::from_secs(5);
const QUIET: Duration = Duration::from_millis(700);

/// Task 14 of the reference plan, its lead 县民政局 and one supporting unit, with accounts.
struct Scene {
    app: TestApp,
    admin: String,
    lead: String,
    supporting: String,
    supporting_id: String,
    unrelated: String,
    task: String,
}

async fn scene() -> Scene {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let found = app
        .graphql(
            "{ tasks(first: 100) { nodes { id seq assignments { role department { id name kind } } } } }",
            json!({}),
            Some(&admin),
        )
        .await;
    let task = found.data()["tasks"]["nodes"].as_array().unwrap().iter().find(|t| t["seq"] == 14).unwrap().clone();
    let parts = task["assignments"].as_array().unwrap();
    let lead = &parts.iter().find(|a| a["role"] == "LEAD").unwrap()["department"];
    let supporting =
        &parts.iter().find(|a| a["role"] == "SUPPORTING" && a["department"]["kind"] == "UNIT").unwrap()["department"];
    let sifa = app.department_id_as(&admin, "县司法局").await;
    app.create_account(&admin, "lead", "DEPARTMENT", lead["id"].as_str()).await;
    app.create_account(&admin, "supporting", "DEPARTMENT", supporting["id"].as_str()).await;
    app.create_account(&admin, "unrelated", "DEPARTMENT", Some(&sifa)).await;
    Scene {
        lead: app.login("lead", &password_for("lead")).await,
        supporting: app.login("supporting", &password_for("supporting")).await,
        unrelated: app.login("unrelated", &password_for("unrelated")).await,
        supporting_id: supporting["id"].as_str().unwrap().to_owned(),
        task: task["id"].as_str().unwrap().to_owned(),
        app,
        admin,
    }
}

impl Scene {
    /// The office deactivates the account that `token` belongs to.
    async fn deactivate(&self, token: &str) {
        let id = self.app.graphql("{ viewer { id } }", json!({}), Some(token)).await.data()["viewer"]["id"].clone();
        let deactivate = "mutation($id: ID!) { deactivateUser(id: $id) { active } }";
        self.app.graphql(deactivate, json!({ "id": id }), Some(&self.admin)).await.data();
    }
}

/// The code the connection closes with (its subscriptions may complete first).
async fn close_code(subscriber: &mut Subscriber) -> Option<u16> {
    loop {
        match subscriber.next(SOON).await {
            Some(Received::Closed(code)) => return code,
            Some(Received::Complete { .. }) => continue,
            other => panic!("expected the connection to close, got {other:?}"),
        }
    }
}

fn code(event: &Value) -> &str {
    event["taskChanged"]["entry"]["code"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_connection_without_a_working_token_is_closed() {
    let app = spawn_app().await;
    for payload in [json!({}), json!({ "Authorization": "Bearer not-a-token" }), json!({ "token": "dbn_svc_nope" })] {
        let mut subscriber = Subscriber::connect_with(&app.address, payload.clone()).await;
        assert!(!subscriber.acknowledged, "{payload}");
        assert_eq!(subscriber.next(SOON).await, Some(Received::Closed(Some(4403))), "{payload}");
    }
}

#[tokio::test]
async fn a_tasks_changes_reach_those_who_see_it_and_a_units_urging_only_that_unit() {
    let s = scene().await;
    let mut lead = Subscriber::connect(&s.app.address, &s.lead).await;
    let mut supporting = Subscriber::connect(&s.app.address, &s.supporting).await;
    let mut unrelated = Subscriber::connect(&s.app.address, &s.unrelated).await;
    for subscriber in [&mut lead, &mut supporting, &mut unrelated] {
        subscriber.subscribe("t", TASK_CHANGED, json!({ "t": s.task })).await;
    }
    assert_eq!(unrelated.refusal("t", SOON).await.as_deref(), Some("NOT_FOUND"), "a task the unit cannot see");
    s.app.subscribed(2).await;

    let urge =
        "mutation($t: ID!, $d: [ID!]!) { urge(input: { taskIds: [$t], departmentIds: $d, text: \"请加快\" }) { id } }";
    s.app.graphql(urge, json!({ "t": s.task, "d": [s.supporting_id] }), Some(&s.admin)).await.data();
    let urged = supporting.event("t", SOON).await.expect("the urged unit hears of its urging");
    assert_eq!(code(&urged), "URGED");
    assert_eq!(urged["taskChanged"]["task"]["id"], s.task.as_str());
    assert_eq!(lead.next(QUIET).await, None, "another unit's urging never reaches the lead");

    s.app
        .graphql(
            "mutation($t: ID!) { instruct(taskId: $t, text: \"抓紧\") { id } }",
            json!({ "t": s.task }),
            Some(&s.admin),
        )
        .await
        .data();
    for subscriber in [&mut lead, &mut supporting] {
        let event = subscriber.event("t", SOON).await.expect("everyone who sees the task hears of an instruction");
        assert_eq!(
            (code(&event), event["taskChanged"]["entry"]["text"].as_str()),
            ("INSTRUCTED", Some("领导批示:抓紧"))
        );
    }
}

#[tokio::test]
async fn the_to_do_counts_come_at_once_and_after_every_change_that_alters_them() {
    let s = scene().await;
    let mut supporting = Subscriber::connect(&s.app.address, &s.supporting).await;
    supporting.subscribe("todo", TODO_CHANGED, json!({})).await;
    let first = supporting.event("todo", SOON).await.expect("the counts at once");
    let kinds = |event: &Value| -> Vec<String> {
        event["myTodoChanged"]["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["kind"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(kinds(&first).contains(&"SIGN".to_owned()), "{first}");

    let urge =
        "mutation($t: ID!, $d: [ID!]!) { urge(input: { taskIds: [$t], departmentIds: $d, text: \"请加快\" }) { id } }";
    s.app.graphql(urge, json!({ "t": s.task, "d": [s.supporting_id] }), Some(&s.admin)).await.data();
    let after = supporting.event("todo", SOON).await.expect("new counts after the urging");
    assert!(kinds(&after).contains(&"URGING".to_owned()), "{after}");
    assert_eq!(after["myTodoChanged"]["total"].as_i64(), first["myTodoChanged"]["total"].as_i64().map(|n| n + 1));

    // A change on a task the unit is not on alters nothing for it: no event.
    let all = s
        .app
        .graphql("{ tasks(first: 100) { nodes { id assignments { department { id } } } } }", json!({}), Some(&s.admin))
        .await;
    let elsewhere = all.data()["tasks"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| !t["assignments"].to_string().contains(&format!("\"{}\"", s.supporting_id)))
        .expect("a task without the supporting unit")["id"]
        .clone();
    s.app
        .graphql(
            "mutation($t: ID!) { instruct(taskId: $t, text: \"抓紧\") { id } }",
            json!({ "t": elsewhere }),
            Some(&s.admin),
        )
        .await
        .data();
    assert_eq!(supporting.next(QUIET).await, None);
}

#[tokio::test]
async fn an_imported_plan_is_announced() {
    let app = spawn_app_with(AppOptions { sample_plan: false, ..Default::default() }).await;
    let admin = app.admin_token().await;
    let mut office = Subscriber::connect(&app.address, &admin).await;
    office.subscribe("d", "subscription { documentImported { title docNumber } }", json!({})).await;
    app.subscribed(1).await;
    let plan = duban::bootstrap::SAMPLE_PLAN;
    app.graphql(
        "mutation($t: String!) { importPlan(text: $t) { document { id } } }",
        json!({ "t": plan }),
        Some(&admin),
    )
    .await
    .data();
    let event = office.event("d", SOON).await.expect("the import is announced");
    assert_eq!(event["documentImported"]["docNumber"], "盘县政办发〔2014〕103号");
}

#[tokio::test]
async fn a_revoked_credential_closes_the_connection() {
    let s = scene().await;
    let mut lead = Subscriber::connect(&s.app.address, &s.lead).await;
    lead.subscribe("t", TASK_CHANGED, json!({ "t": s.task })).await;
    s.app.subscribed(1).await;
    s.deactivate(&s.lead).await;
    assert_eq!(close_code(&mut lead).await, Some(4403));
}

#[tokio::test]
async fn a_change_to_the_subscribers_groups_closes_the_connection_and_others_changes_do_not() {
    let s = scene().await;
    // Signed in with the scheme in lower case and a second space, as the HTTP header may be.
    let payload = json!({ "Authorization": format!("bearer  {}", s.supporting) });
    let mut supporting = Subscriber::connect_with(&s.app.address, payload).await;
    assert!(supporting.acknowledged);
    supporting.subscribe("t", TASK_CHANGED, json!({ "t": s.task })).await;
    s.app.subscribed(1).await;
    // Another account's change is checked against this connection too, and leaves it open.
    s.deactivate(&s.unrelated).await;
    assert_eq!(supporting.next(QUIET).await, None, "the connection stays open");
    // The unit joins a group: what it sees changed, so the connection ends and it signs in again.
    let groups = "{ departments(filter: { kind: GROUP }, first: 1) { nodes { id } } }";
    let group = s.app.graphql(groups, json!({}), Some(&s.admin)).await.data()["departments"]["nodes"][0]["id"].clone();
    let set = "mutation($g: ID!, $m: [ID!]!) { setGroupMembers(groupId: $g, memberIds: $m) { name } }";
    s.app.graphql(set, json!({ "g": group, "m": [s.supporting_id] }), Some(&s.admin)).await.data();
    assert_eq!(close_code(&mut supporting).await, Some(4403));
    let again = Subscriber::connect(&s.app.address, &s.supporting).await;
    assert!(again.acknowledged, "the same token signs in again, with the new groups");
}

const BINARY: &str = env!("CARGO_BIN_EXE_duban-process");

#[tokio::test]
async fn a_change_made_through_another_process_reaches_the_subscriber() {
    let s = scene().await;
    let other = ServerProcess::start(BINARY, &s.app.url);
    let mut supporting = Subscriber::connect(&other.address, &s.supporting).await;
    supporting.subscribe("t", TASK_CHANGED, json!({ "t": s.task })).await;
    other.subscribed(1).await;
    let started = std::time::Instant::now();
    s.app
        .graphql(
            "mutation($t: ID!) { instruct(taskId: $t, text: \"抓紧\") { id } }",
            json!({ "t": s.task }),
            Some(&s.admin),
        )
        .await
        .data();
    let event = supporting.event("t", SOON).await.expect("the change made through the first process arrives");
    assert_eq!(code(&event), "INSTRUCTED");
    // PostgreSQL notifies the other process at the commit; SQLite's pump looks every second.
    let bound = if s.app.is_postgres() { Duration::from_secs(1) } else { Duration::from_millis(2500) };
    assert!(started.elapsed() < bound, "arrived after {:?}", started.elapsed());

    // Revoked through the first process, closed on the second.
    s.deactivate(&s.supporting).await;
    assert_eq!(close_code(&mut supporting).await, Some(4403));
}
