//! Webhooks for unit systems, against a receiver in the test: a delivery is signed as the
//! README says (HMAC-SHA256 over `<t>.<body>`, checked here with the crate, not with duban's
//! code); an endpoint that is down is retried until it answers; a process killed between the
//! commit and the delivery still delivers once it is back (the audit trail is the outbox).

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use duban_tests::{AppOptions, ServerProcess, TestApp, password_for, spawn_app_with};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the receiver got: headers and body of each request.
#[derive(Clone, Default)]
struct Inbox {
    received: Arc<Mutex<Vec<(HeaderMap, Bytes)>>>,
    /// Answer 503 to this many requests first.
    failing: Arc<Mutex<u32>>,
}

async fn receive(State(inbox): State<Inbox>, headers: HeaderMap, body: Bytes) -> StatusCode {
    {
        let mut failing = inbox.failing.lock().unwrap();
        if *failing > 0 {
            *failing -= 1;
            return StatusCode::SERVICE_UNAVAILABLE;
        }
    }
    inbox.received.lock().unwrap().push((headers, body));
    StatusCode::NO_CONTENT
}

/// A receiver on `listener`'s port; returns its inbox.
fn serve(listener: tokio::net::TcpListener, inbox: Inbox) {
    let app = Router::new().route("/hook", post(receive)).with_state(inbox);
    tokio::spawn(async move { axum::serve(listener, app).await });
}

async fn receiver() -> (String, Inbox) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let inbox = Inbox::default();
    serve(listener, inbox.clone());
    (url, inbox)
}

/// Checks a `Duban-Signature` header as a receiver would.
fn signed(secret: &str, header: &str, body: &[u8]) -> bool {
    let mut parts = header.split(',').filter_map(|p| p.split_once('='));
    let (Some(("t", t)), Some(("v1", v1))) = (parts.next(), parts.next()) else { return false };
    let Ok(age) = t.parse::<i64>().map(|t| (chrono::Utc::now().timestamp() - t).abs()) else { return false };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    age < 300 && hex::decode(v1).is_ok_and(|sig| mac.verify_slice(&sig).is_ok())
}

/// The plan, a unit (县民政局) with its system's account, and a task it leads.
struct Unit {
    admin: String,
    system: String,
    task: String,
}

async fn unit(app: &TestApp) -> Unit {
    let admin = app.admin_token().await;
    app.graphql(
        "mutation($t: String!) { importPlan(text: $t) { document { id } } }",
        json!({ "t": duban::bootstrap::SAMPLE_PLAN }),
        Some(&admin),
    )
    .await
    .data();
    let id = app.department_id_as(&admin, "县民政局").await;
    let system = app.create_account(&admin, "minzheng-system", "SERVICE", Some(&id)).await;
    app.create_account(&admin, "minzheng", "DEPARTMENT", Some(&id)).await;
    let person = app.login("minzheng", &password_for("minzheng")).await;
    let tasks =
        app.graphql("{ tasks(filter: { role: LEAD }, first: 1) { nodes { id } } }", json!({}), Some(&person)).await;
    Unit { admin, system, task: tasks.data()["tasks"]["nodes"][0]["id"].as_str().unwrap().to_owned() }
}

async fn register(address: &str, admin: &str, owner: &str, url: &str, events: &[&str]) -> (String, String) {
    let create = "mutation($i: WebhookInput!) { createWebhook(input: $i) { webhook { id } secret } }";
    let body = json!({ "query": create, "variables": { "i": { "url": url, "events": events, "ownerId": owner } } });
    let response: Value = reqwest::Client::new()
        .post(format!("{address}/graphql"))
        .bearer_auth(admin)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let created = &response["data"]["createWebhook"];
    (created["webhook"]["id"].as_str().expect("a webhook").to_owned(), created["secret"].as_str().unwrap().to_owned())
}

async fn wait_for(inbox: &Inbox, n: usize, within: Duration) -> Vec<(HeaderMap, Bytes)> {
    let started = std::time::Instant::now();
    loop {
        let received = inbox.received.lock().unwrap().clone();
        if received.len() >= n || started.elapsed() > within {
            return received;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn fast_retries() -> AppOptions {
    AppOptions { sample_plan: false, configure: |c| c.webhook_retry_base_ms = 200, ..Default::default() }
}

#[tokio::test]
async fn a_delivery_is_signed_and_tells_what_the_unit_may_see() {
    let app = spawn_app_with(fast_retries()).await;
    let unit = unit(&app).await;
    let (url, inbox) = receiver().await;
    let (_, secret) = register(&app.address, &unit.admin, &unit.system, &url, &["URGED", "INSTRUCTED"]).await;

    let urge = "mutation($t: ID!) { urge(input: { taskIds: [$t], text: \"请加快\" }) { id } }";
    app.graphql(urge, json!({ "t": unit.task }), Some(&unit.admin)).await.data();
    let got = wait_for(&inbox, 1, Duration::from_secs(10)).await;
    assert_eq!(got.len(), 1, "one delivery for one urging");
    let (headers, body) = &got[0];
    let header = headers["duban-signature"].to_str().unwrap();
    assert!(signed(&secret, header, body), "the signature checks out: {header}");
    assert!(!signed("whsec_wrong", header, body), "and only with the webhook's secret");
    assert_eq!(headers["duban-event"], "URGED");
    assert_eq!(headers["content-type"], "application/json");
    let payload: Value = serde_json::from_slice(body).unwrap();
    assert_eq!((payload["event"].as_str(), payload["task"]["id"].as_str()), (Some("URGED"), Some(unit.task.as_str())));
    assert!(payload["text"].as_str().unwrap().starts_with("催办 县民政局"), "{payload}");

    // An urging of another unit on another task is not the unit system's business.
    let other = app
        .graphql(
            "{ tasks(filter: { departmentId: null }, first: 100) { nodes { id lead { name } } } }",
            json!({}),
            Some(&unit.admin),
        )
        .await;
    let elsewhere = other.data()["tasks"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["lead"]["name"] != "县民政局")
        .unwrap()["id"]
        .clone();
    app.graphql(urge, json!({ "t": elsewhere }), Some(&unit.admin)).await.data();
    app.graphql(
        "mutation($t: ID!) { instruct(taskId: $t, text: \"抓紧\") { id } }",
        json!({ "t": unit.task }),
        Some(&unit.admin),
    )
    .await
    .data();
    let got = wait_for(&inbox, 2, Duration::from_secs(10)).await;
    let events: Vec<Value> =
        got.iter().map(|(_, b)| serde_json::from_slice::<Value>(b).unwrap()["event"].clone()).collect();
    assert_eq!(events, [json!("URGED"), json!("INSTRUCTED")], "nothing about the other unit's task");
}

#[tokio::test]
async fn an_endpoint_that_is_down_is_retried_until_it_answers() {
    let app = spawn_app_with(fast_retries()).await;
    let unit = unit(&app).await;
    let (url, inbox) = receiver().await;
    *inbox.failing.lock().unwrap() = 2;
    let (hook, _) = register(&app.address, &unit.admin, &unit.system, &url, &["INSTRUCTED"]).await;
    app.graphql(
        "mutation($t: ID!) { instruct(taskId: $t, text: \"抓紧\") { id } }",
        json!({ "t": unit.task }),
        Some(&unit.admin),
    )
    .await
    .data();
    let got = wait_for(&inbox, 1, Duration::from_secs(15)).await;
    assert_eq!(got.len(), 1, "delivered on the third attempt");
    let log =
        "query($w: ID!) { webhookDeliveries(webhookId: $w) { status attempts lastStatusCode lastError deliveredAt } }";
    let mut delivery = Value::Null;
    for _ in 0..50 {
        delivery =
            app.graphql(log, json!({ "w": hook }), Some(&unit.admin)).await.data()["webhookDeliveries"][0].clone();
        if delivery["status"] == "DELIVERED" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        (delivery["status"].as_str(), delivery["attempts"].as_i64()),
        (Some("DELIVERED"), Some(3)),
        "{delivery}"
    );
    assert_eq!(delivery["lastStatusCode"], 204);

    // A redelivery sends it once more.
    let id = app
        .graphql("query($w: ID!) { webhookDeliveries(webhookId: $w) { id } }", json!({ "w": hook }), Some(&unit.admin))
        .await;
    let id = id.data()["webhookDeliveries"][0]["id"].clone();
    app.graphql(
        "mutation($d: ID!) { redeliverWebhook(deliveryId: $d) { status } }",
        json!({ "d": id }),
        Some(&unit.admin),
    )
    .await
    .data();
    assert_eq!(wait_for(&inbox, 2, Duration::from_secs(10)).await.len(), 2);
}

#[tokio::test]
async fn a_process_killed_between_the_commit_and_the_delivery_delivers_after_restart() {
    // The in-test server shares the database but sends nothing: only the processes do.
    let app = spawn_app_with(AppOptions {
        sample_plan: false,
        configure: |c| c.dispatch_webhooks = false,
        ..Default::default()
    })
    .await;
    let unit = unit(&app).await;
    // The receiver's port is reserved but nobody listens yet: the first process cannot deliver.
    let reserved = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = reserved.local_addr().unwrap();
    drop(reserved);
    let url = format!("http://{address}/hook");
    const BINARY: &str = env!("CARGO_BIN_EXE_duban-process");
    let settings = [("DUBAN_WEBHOOK_RETRY_BASE_MS", "200"), ("DUBAN_WEBHOOK_ALLOWED_NETWORKS", "127.0.0.0/8")];
    let first = ServerProcess::start_with(BINARY, &app.url, &settings);
    register(&first.address, &unit.admin, &unit.system, &url, &["INSTRUCTED"]).await;
    let instruct = json!({ "query": "mutation($t: ID!) { instruct(taskId: $t, text: \"抓紧\") { id } }", "variables": { "t": unit.task } });
    let done: Value = reqwest::Client::new()
        .post(format!("{}/graphql", first.address))
        .bearer_auth(&unit.admin)
        .json(&instruct)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(done["errors"].is_null(), "{done}");
    first.kill();

    let inbox = Inbox::default();
    serve(tokio::net::TcpListener::bind(address).await.unwrap(), inbox.clone());
    let _second = ServerProcess::start_with(BINARY, &app.url, &settings);
    let got = wait_for(&inbox, 1, Duration::from_secs(30)).await;
    assert_eq!(got.len(), 1, "the instruction committed before the kill is delivered once");
    let payload: Value = serde_json::from_slice(&got[0].1).unwrap();
    assert_eq!(payload["event"], "INSTRUCTED");
}

/// A server that allows only the intranet network 10.20.0.0/16 among internal addresses (no
/// loopback: the receivers of these tests are refused).
fn intranet_only() -> AppOptions {
    AppOptions {
        sample_plan: false,
        configure: |c| {
            c.webhook_retry_base_ms = 200;
            c.webhook_allowed_networks = vec!["10.20.0.0/16".parse().unwrap()];
        },
        ..Default::default()
    }
}

/// The error code of registering `url` for the unit's system (None when registered).
async fn registering(app: &TestApp, unit: &Unit, url: &str) -> Option<String> {
    let create = "mutation($i: WebhookInput!) { createWebhook(input: $i) { webhook { id } } }";
    let input = json!({ "i": { "url": url, "events": ["INSTRUCTED"], "ownerId": unit.system } });
    app.graphql(create, input, Some(&unit.admin)).await.error_code().map(str::to_owned)
}

/// Issue 18, finding 6: webhooks were a port scanner of the server's own network.
#[tokio::test]
async fn webhooks_to_internal_addresses_are_refused_unless_their_network_is_allowed() {
    let app = spawn_app_with(intranet_only()).await;
    let unit = unit(&app).await;
    let internal = [
        "http://127.0.0.1:18111/metrics",
        "http://127.0.0.1:5432/",
        "http://169.254.169.254/latest/meta-data/",
        "http://2130706433:8000/",
        "http://0x7f.1:8000/",
        "http://localhost:8000/",
        "http://[::1]:8000/",
        "http://[::ffff:127.0.0.1]:8000/",
        "http://[::ffff:169.254.169.254]/",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://[fc00::1]/",
        "http://[fe80::1]/",
        "http://224.0.0.1/",
        "http://[ff02::1]/",
        "http://0.0.0.0:8000/",
        "http://255.255.255.255/",
        "http://192.0.2.1/",
        "http://198.18.0.1/",
        "http://[2001:db8::1]/",
    ];
    for url in internal {
        assert_eq!(registering(&app, &unit, url).await.as_deref(), Some("BAD_USER_INPUT"), "{url}");
    }
    assert_eq!(registering(&app, &unit, "http://10.20.3.4:8080/hook").await, None, "the allowed intranet network");
    assert_eq!(registering(&app, &unit, "http://93.184.215.14/hook").await, None, "a public address");
}

/// A name that answered with a public address at registration and with loopback at delivery
/// (DNS rebinding), and a literal internal address that got into the table: both are refused
/// on the address that would be connected to, and the log says only that.
#[tokio::test]
async fn a_delivery_is_refused_on_the_address_it_would_connect_to() {
    use sea_orm::ConnectionTrait;
    let app = spawn_app_with(intranet_only()).await;
    let unit = unit(&app).await;
    let (url, inbox) = receiver().await;
    let port = url.trim_start_matches("http://127.0.0.1:").trim_end_matches("/hook").to_owned();
    let mut hooks = Vec::new();
    for rebound in [format!("http://localhost:{port}/hook"), url.clone()] {
        let (hook, _) =
            register(&app.address, &unit.admin, &unit.system, "http://93.184.215.14/hook", &["INSTRUCTED"]).await;
        // What registration checked no longer holds at delivery.
        let sql = format!("UPDATE webhook SET url = '{rebound}' WHERE id = {hook}");
        app.db.execute_unprepared(&sql).await.unwrap();
        hooks.push(hook);
    }
    app.graphql(
        "mutation($t: ID!) { instruct(taskId: $t, text: \"抓紧\") { id } }",
        json!({ "t": unit.task }),
        Some(&unit.admin),
    )
    .await
    .data();

    let log = "query($w: ID!) { webhookDeliveries(webhookId: $w) { status attempts lastStatusCode lastError } }";
    for hook in hooks {
        let mut delivery = Value::Null;
        for _ in 0..100 {
            delivery =
                app.graphql(log, json!({ "w": hook }), Some(&unit.admin)).await.data()["webhookDeliveries"][0].clone();
            if delivery["attempts"].as_i64().is_some_and(|n| n > 0) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(
            delivery,
            json!({ "status": "FAILED", "attempts": 1, "lastStatusCode": null, "lastError": "DESTINATION_REFUSED" }),
            "refused at once, and nothing of what answered"
        );
    }
    assert!(inbox.received.lock().unwrap().is_empty(), "the receiver on loopback got nothing");
}

/// Issue 18, finding 8: a supporting unit's system hears of the reports its unit may read (its
/// own and the lead's), not of the other supporting unit's.
#[tokio::test]
async fn task_changed_deliveries_tell_only_of_reports_the_owner_may_read() {
    let app = spawn_app_with(AppOptions { configure: |c| c.webhook_retry_base_ms = 200, ..Default::default() }).await;
    let scene = crate::authz_counts::cast(&app).await;
    let system = app.create_account(&scene.admin, "supporting-system", "SERVICE", Some(&scene.supporting.id)).await;
    let (url, inbox) = receiver().await;
    register(&app.address, &scene.admin, &system, &url, &["TASK_CHANGED"]).await;

    scene.report_and_urge(&app, false).await;
    // Two lines are due; a third, if it were sent, would come with them, so wait a little more.
    let mut reported = Vec::new();
    for _ in 0..100 {
        let got = inbox.received.lock().unwrap().clone();
        let payloads: Vec<Value> = got.iter().map(|(_, b)| serde_json::from_slice(b).unwrap()).collect();
        reported = payloads.iter().filter(|p| p["code"] == "REPORTED").map(|p| p["text"].clone()).collect();
        if reported.len() >= 2 {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            let got = inbox.received.lock().unwrap().clone();
            let payloads: Vec<Value> = got.iter().map(|(_, b)| serde_json::from_slice(b).unwrap()).collect();
            reported = payloads.iter().filter(|p| p["code"] == "REPORTED").map(|p| p["text"].clone()).collect();
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let expected = [
        json!(format!("{} 报送进展(10%)", scene.lead.name)),
        json!(format!("{} 报送进展(20%)", scene.supporting.name)),
    ];
    assert_eq!(reported, expected, "nothing of {}'s report", scene.other.name);
}
