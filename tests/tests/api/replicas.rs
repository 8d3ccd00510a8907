//! Two duban processes on one database, the production shape behind a load balancer: what one
//! revokes the other refuses within moments (at the commit's notification on PostgreSQL), a stale version is a conflict on either, and failed
//! logins count across both.

use duban_tests::{ADMIN_PASSWORD, GqlResponse, ServerProcess, TestApp, password_for, spawn_app};
use serde_json::{Value, json};

const VIEWER: &str = "{ viewer { username } }";
const BINARY: &str = env!("CARGO_BIN_EXE_duban-process");

/// A GraphQL call to another process.
async fn call(
    client: &reqwest::Client,
    address: &str,
    query: &str,
    variables: Value,
    token: Option<&str>,
) -> GqlResponse {
    let mut request =
        client.post(format!("{address}/graphql")).json(&json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("send");
    let status = response.status().as_u16();
    let body = response.json().await.expect("JSON");
    GqlResponse { status, body, www_authenticate: None }
}

fn refused(response: &GqlResponse, what: &str) {
    assert_eq!((response.status, response.error_code()), (401, Some("UNAUTHENTICATED")), "{what}: {}", response.body);
}

/// How long a revocation may take to reach the other process: each keeps accounts in memory
/// and drops one when the audit trail says it changed; PostgreSQL tells every process at the
/// commit (LISTEN/NOTIFY), SQLite has no notifications and each process looks every 250 ms.
fn propagation(app: &TestApp) -> std::time::Duration {
    std::time::Duration::from_millis(if app.is_postgres() { 500 } else { 1_500 })
}

/// Calls `address` with `token` until it is refused, within [`propagation`].
async fn refused_soon(app: &TestApp, client: &reqwest::Client, address: &str, token: &str, what: &str) {
    let started = std::time::Instant::now();
    loop {
        let response = call(client, address, VIEWER, json!({}), Some(token)).await;
        if response.status == 401 || started.elapsed() > propagation(app) {
            refused(&response, what);
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

async fn second_process(app: &TestApp) -> ServerProcess {
    ServerProcess::start(BINARY, &app.url)
}

#[tokio::test]
async fn what_one_process_revokes_the_other_refuses_within_moments() {
    let app = spawn_app().await;
    let b = second_process(&app).await;
    let admin = app.admin_token().await;
    let client = reqwest::Client::new();

    // Deactivation through A, seen by B.
    let id = app.create_account(&admin, "leaving", "LEADER", None).await;
    let token = app.login("leaving", &password_for("leaving")).await;
    assert_eq!(
        call(&client, &b.address, VIEWER, json!({}), Some(&token)).await.data()["viewer"]["username"],
        "leaving"
    );
    app.graphql("mutation($id: ID!) { deactivateUser(id: $id) { active } }", json!({ "id": id }), Some(&admin))
        .await
        .data();
    refused_soon(&app, &client, &b.address, &token, "deactivated through A, used on B").await;

    // A password change through B, seen by A.
    app.create_account(&admin, "changing", "LEADER", None).await;
    let old = app.login("changing", &password_for("changing")).await;
    let change = "mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) { token } }";
    let vars = json!({ "o": password_for("changing"), "n": "a-brand-new-password" });
    call(&client, &b.address, change, vars, Some(&old)).await.data();
    refused_soon(&app, &client, &app.address, &old, "password changed through B, used on A").await;

    // logoutEverywhere through A, seen by B.
    app.create_account(&admin, "everywhere", "LEADER", None).await;
    let session = app.login("everywhere", &password_for("everywhere")).await;
    app.graphql("mutation { logoutEverywhere }", json!({}), Some(&session)).await.data();
    refused_soon(&app, &client, &b.address, &session, "logged out everywhere on A, used on B").await;

    // A service token revoked through B, seen by A.
    let unit = app.department_id_as(&admin, "县发展和改革局").await;
    let service = app.create_account(&admin, "fagai-system", "SERVICE", Some(&unit)).await;
    let issue = "mutation($u: ID!) { createServiceToken(userId: $u, name: \"ledger\") { token serviceToken { id } } }";
    let issued = app.graphql(issue, json!({ "u": service }), Some(&admin)).await;
    let secret = issued.data()["createServiceToken"]["token"].as_str().unwrap().to_owned();
    let token_id = issued.data()["createServiceToken"]["serviceToken"]["id"].clone();
    assert_eq!(app.graphql(VIEWER, json!({}), Some(&secret)).await.data()["viewer"]["username"], "fagai-system");
    let revoke = "mutation($id: ID!) { revokeServiceToken(id: $id) { revokedAt } }";
    call(&client, &b.address, revoke, json!({ "id": token_id }), Some(&admin)).await.data();
    refused_soon(&app, &client, &app.address, &secret, "service token revoked through B, used on A").await;
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_on_either_process() {
    let app = spawn_app().await;
    let b = second_process(&app).await;
    let admin = app.admin_token().await;
    let client = reqwest::Client::new();
    let listed = app.graphql("{ tasks(first: 1) { nodes { id version } } }", json!({}), Some(&admin)).await;
    let task = listed.data()["tasks"]["nodes"][0].clone();
    let update = "mutation($id: ID!, $v: Int!, $t: String!) { updateTask(id: $id, expectedVersion: $v, input: { title: $t }) { version } }";

    let first =
        app.graphql(update, json!({ "id": task["id"], "v": task["version"], "t": "A wins" }), Some(&admin)).await;
    let second = call(
        &client,
        &b.address,
        update,
        json!({ "id": task["id"], "v": task["version"], "t": "B lost" }),
        Some(&admin),
    )
    .await;

    assert_eq!(first.data()["updateTask"]["version"], task["version"].as_i64().unwrap() + 1);
    assert_eq!(second.error_code(), Some("CONFLICT"), "{}", second.body);
    let third = call(
        &client,
        &b.address,
        update,
        json!({ "id": task["id"], "v": task["version"], "t": "B again" }),
        Some(&admin),
    )
    .await;
    assert_eq!(third.error_code(), Some("CONFLICT"));
}

#[tokio::test]
async fn failed_logins_count_across_processes() {
    let app = spawn_app().await;
    let b = second_process(&app).await;
    let client = reqwest::Client::new();
    let login = "mutation($p: String!) { login(username: \"admin\", password: $p) { token } }";
    let mut codes = Vec::new();
    for attempt in 0..5 {
        let wrong = json!({ "p": "a-wrong-guess" });
        let response = if attempt % 2 == 0 {
            app.graphql(login, wrong, None).await
        } else {
            call(&client, &b.address, login, wrong, None).await
        };
        codes.push(response.error_code().map(str::to_owned));
    }
    assert!(codes.iter().all(|c| c.as_deref() == Some("UNAUTHENTICATED")), "{codes:?}");
    let on_a = app.graphql(login, json!({ "p": ADMIN_PASSWORD }), None).await;
    let on_b = call(&client, &b.address, login, json!({ "p": ADMIN_PASSWORD }), None).await;
    assert_eq!(on_a.error_code(), Some("RATE_LIMITED"), "five failures across two processes spend one budget");
    assert_eq!(on_b.error_code(), Some("RATE_LIMITED"));
}
