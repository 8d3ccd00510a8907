//! The second adversarial pass (issue 18), over HTTP and the WebSocket: nesting that used to
//! overflow a worker's stack and abort the process, sockets that outlived the revocation of
//! their credential, a socket's stopped clock, the parsed-document cache grown by refused
//! documents, introspection and codes on the socket, unbounded sockets, and writes by a
//! credential revoked on another process.

use duban_tests::ws::{Received, Subscriber};
use duban_tests::{AppOptions, TestApp, password_for, spawn_app, spawn_app_with};
use serde_json::{Value, json};
use std::time::Duration;

const SOON: Duration = Duration::from_secs(5);

fn nested(open: &str, inner: &str, close: &str, levels: usize) -> String {
    format!("{}{inner}{}", open.repeat(levels), close.repeat(levels))
}

/// Documents whose nesting overflowed the stack before (each about 3–20 KB).
fn deep_documents() -> Vec<(&'static str, String)> {
    vec![
        ("lists", format!("{{task(id:{}){{id}}}}", nested("[", "\"1\"", "]", 1_700))),
        ("input objects", format!("{{task(id:{}){{id}}}}", nested("{a:", "1", "}", 2_000))),
        ("selections", nested("{a", "", "}", 2_000)),
        ("arguments", format!("{{a{}}}", nested("(a:", "1", ")", 2_000))),
    ]
}

async fn still_serving(app: &TestApp) {
    let typename = app.graphql("{ __typename }", json!({}), None).await;
    assert_eq!(typename.data()["__typename"], "Query", "the server keeps serving");
}

#[tokio::test]
async fn deeply_nested_anonymous_requests_are_refused_and_the_server_keeps_serving() {
    let app = spawn_app_with(AppOptions { sample_plan: false, ..AppOptions::default() }).await;
    for (shape, document) in deep_documents() {
        let posted = app.graphql(&document, json!({}), None).await;
        assert_eq!(posted.error_code(), Some("BAD_USER_INPUT"), "POST, {shape}");
        let got = app.raw(app.client.get(app.url("/graphql")).query(&[("query", document.as_str())])).await;
        assert_eq!(got.error_code().as_deref(), Some("BAD_USER_INPUT"), "GET, {shape}");
        still_serving(&app).await;
    }
    // Variables are JSON: past JSON's own depth limit the body is not read, below it the
    // nesting bound holds.
    let deep_variable: Value = serde_json::from_str(&nested("[", "1", "]", 100)).unwrap();
    let with_variable = app.graphql("query($v: [ID]) { __typename }", json!({ "v": deep_variable }), None).await;
    assert_eq!(with_variable.error_code(), Some("BAD_USER_INPUT"));
    let too_deep_for_json =
        format!("{{\"query\":\"{{ __typename }}\",\"variables\":{{\"v\":{}}}}}", nested("[", "1", "]", 3_000));
    let refused = app
        .raw(app.client.post(app.url("/graphql")).header("content-type", "application/json").body(too_deep_for_json))
        .await;
    assert_eq!(refused.error_code().as_deref(), Some("BAD_REQUEST"));
    still_serving(&app).await;
}

#[tokio::test]
async fn deeply_nested_operations_on_a_socket_are_refused_and_the_socket_keeps_working() {
    let app = spawn_app_with(AppOptions { sample_plan: false, ..AppOptions::default() }).await;
    let admin = app.admin_token().await;
    let mut socket = Subscriber::connect(&app.address, &admin).await;
    for (n, (shape, document)) in deep_documents().into_iter().enumerate() {
        let id = format!("deep-{n}");
        socket.subscribe(&id, &document, json!({})).await;
        assert_eq!(refused(&mut socket, &id).await[0]["extensions"]["code"], "BAD_USER_INPUT", "{shape}");
    }
    assert_eq!(socket.next(SOON).await, Some(Received::Complete { id: "deep-3".into() }));
    socket.subscribe("fine", "{ viewer { username } }", json!({})).await;
    assert_eq!(socket.event("fine", SOON).await.unwrap()["viewer"]["username"], "admin");
    still_serving(&app).await;
}

/// A unit's account, signed in over HTTP and on an acknowledged socket with no subscription.
struct Opened {
    token: String,
    user_id: String,
    socket: Subscriber,
}

async fn open_as_unit(app: &TestApp, admin: &str, username: &str) -> Opened {
    let unit = app.department_id_as(admin, "县民政局").await;
    let user_id = app.create_account(admin, username, "DEPARTMENT", Some(&unit)).await;
    let token = app.login(username, &password_for(username)).await;
    let socket = Subscriber::connect(&app.address, &token).await;
    Opened { token, user_id, socket }
}

/// Task 14 of the reference plan: 县民政局 leads it.
async fn task_14(app: &TestApp, admin: &str) -> String {
    let found = app.graphql("{ tasks(first: 100) { nodes { id seq } } }", json!({}), Some(admin)).await;
    let nodes = found.data()["tasks"]["nodes"].as_array().unwrap().clone();
    nodes.iter().find(|t| t["seq"] == 14).unwrap()["id"].as_str().unwrap().to_owned()
}

const SIGN: &str = "mutation($t: ID!) { signTask(taskId: $t, input: { responsiblePerson: \"王五\", contact: \"0427-1111111\" }) { state } }";

/// The state of 县民政局's part of `task`, as the office reads it.
async fn part_state(app: &TestApp, admin: &str, task: &str) -> String {
    let read = app
        .graphql(
            "query($t: ID!) { task(id: $t) { assignments { state department { name } } } }",
            json!({ "t": task }),
            Some(admin),
        )
        .await;
    let parts = read.data()["task"]["assignments"].as_array().unwrap().clone();
    parts.iter().find(|a| a["department"]["name"] == "县民政局").unwrap()["state"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_open_socket_cannot_act_once_its_credential_is_revoked() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let task = task_14(&app, &admin).await;
    // Each revocation, made over HTTP while the socket is open with no subscription.
    let revocations: [(&str, &str); 4] = [
        ("logoutEverywhere", "self"),
        ("deactivateUser", "mutation($id: ID!) { deactivateUser(id: $id) { id } }"),
        ("resetPassword", "mutation($id: ID!) { resetPassword(id: $id, newPassword: \"another-password-1\") { id } }"),
        (
            "updateUser to LEADER",
            "mutation($id: ID!) { updateUser(id: $id, input: { role: LEADER, departmentId: null }) { id } }",
        ),
    ];
    for (n, (revocation, mutation)) in revocations.into_iter().enumerate() {
        let mut opened = open_as_unit(&app, &admin, &format!("revoked{n}")).await;
        let revoked = if mutation == "self" {
            app.graphql("mutation { logoutEverywhere }", json!({}), Some(&opened.token)).await
        } else {
            app.graphql(mutation, json!({ "id": opened.user_id }), Some(&admin)).await
        };
        revoked.data();
        let http = app.graphql("{ viewer { id } }", json!({}), Some(&opened.token)).await;
        assert_eq!(http.error_code(), Some("UNAUTHENTICATED"), "{revocation}: HTTP refuses the token");

        opened.socket.subscribe("sign", SIGN, json!({ "t": task })).await;
        assert_eq!(opened.socket.refusal("sign", SOON).await.as_deref(), Some("UNAUTHENTICATED"), "{revocation}");
        assert_eq!(close_code(&mut opened.socket).await, Some(4403), "{revocation}: the socket closes");
        assert_eq!(part_state(&app, &admin, &task).await, "ASSIGNED", "{revocation}: nothing was written");
    }
}

/// A `SERVICE` account `username` of `unit` and a service token of it: the secret and its id.
async fn service_token(app: &TestApp, admin: &str, unit: &str, username: &str) -> (String, Value) {
    let user = app.create_account(admin, username, "SERVICE", Some(unit)).await;
    let create = "mutation($u: ID!) { createServiceToken(userId: $u, name: \"ledger\") { token serviceToken { id } } }";
    let created = app.graphql(create, json!({ "u": user }), Some(admin)).await;
    let token = created.data()["createServiceToken"]["token"].as_str().unwrap().to_owned();
    (token, created.data()["createServiceToken"]["serviceToken"]["id"].clone())
}

#[tokio::test]
async fn a_revoked_service_token_cannot_act_on_an_open_socket() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let task = task_14(&app, &admin).await;
    let unit = app.department_id_as(&admin, "县民政局").await;
    let (token, token_id) = service_token(&app, &admin, &unit, "ledger").await;
    let mut socket = Subscriber::connect(&app.address, &token).await;
    let revoke = "mutation($id: ID!) { revokeServiceToken(id: $id) { id } }";
    app.graphql(revoke, json!({ "id": token_id }), Some(&admin)).await.data();

    socket.subscribe("sign", SIGN, json!({ "t": task })).await;
    assert_eq!(socket.refusal("sign", SOON).await.as_deref(), Some("UNAUTHENTICATED"));
    assert_eq!(close_code(&mut socket).await, Some(4403));
    assert_eq!(part_state(&app, &admin, &task).await, "ASSIGNED");
}

/// The errors operation `id` was refused with (other operations' completions skipped).
async fn refused(socket: &mut Subscriber, id: &str) -> Value {
    loop {
        match socket.next(SOON).await {
            Some(Received::Error { id: got, errors }) if got == id => return errors,
            Some(Received::Next { id: got, payload }) if got == id => return payload["errors"].clone(),
            Some(Received::Complete { id: got }) if got != id => continue,
            other => panic!("expected a refusal of {id}, got {other:?}"),
        }
    }
}

/// The code the connection closes with (its operations may end first).
async fn close_code(socket: &mut Subscriber) -> Option<u16> {
    loop {
        match socket.next(SOON).await {
            Some(Received::Closed(code)) => return code,
            Some(Received::Complete { .. } | Received::Error { .. } | Received::Next { .. }) => continue,
            None => panic!("the connection stayed open"),
        }
    }
}

#[tokio::test]
async fn each_operation_on_a_socket_reads_the_clock_when_it_runs() {
    let app = spawn_app().await;
    app.set_today("2014-11-20");
    let admin = app.admin_token().await;
    let task = task_14(&app, &admin).await;
    let mut opened = open_as_unit(&app, &admin, "clock").await;
    // Days pass while the socket stays open.
    app.set_today("2014-12-03");
    let sign = "mutation($t: ID!) { signTask(taskId: $t, input: { responsiblePerson: \"王五\", contact: \"0427-1111111\" }) { signedAt } }";
    opened.socket.subscribe("sign", sign, json!({ "t": task })).await;
    let signed = opened.socket.event("sign", SOON).await.unwrap();
    let at = signed["signTask"]["signedAt"].as_str().unwrap();
    let day = chrono::DateTime::parse_from_rfc3339(at)
        .unwrap()
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap());
    assert_eq!(day.date_naive().to_string(), "2014-12-03", "signed when the operation ran, not at connection_init");
    let _ = opened.token;
}

#[tokio::test]
async fn refused_documents_are_not_kept_and_the_kept_ones_stay_within_their_budget() {
    let app = spawn_app_with(AppOptions { sample_plan: false, ..AppOptions::default() }).await;
    let kept = || async {
        let size: Value = app.client.get(app.url("/__test/documents")).send().await.unwrap().json().await.unwrap();
        size["documents"].as_u64().unwrap()
    };
    let before = kept().await;
    // Anonymous documents that parse but are refused (complexity, unknown fields, no access).
    for n in 0..40 {
        let document = format!(
            "{{ tasks{n}: tasks(first: 100) {{ nodes {{ assignments {{ department {{ tasks(first: 100) {{ totalCount }} }} }} }} }} }}"
        );
        let refused = app.graphql(&document, json!({}), None).await;
        assert!(refused.error_code().is_some(), "refused");
        let unknown = app.graphql(&format!("{{ nothing{n} }}"), json!({}), None).await;
        assert_eq!(unknown.error_code(), Some("BAD_USER_INPUT"));
    }
    assert_eq!(kept().await, before, "refused documents are not kept");
    assert_eq!(app.graphql("{ __typename }", json!({}), None).await.data()["__typename"], "Query");
    assert_eq!(kept().await, before + 1, "a document that ran is kept");
}

#[tokio::test]
async fn the_socket_follows_the_introspection_setting_and_codes_every_error() {
    let app = spawn_app_with(AppOptions {
        sample_plan: false,
        configure: |config| config.introspection = duban::config::Introspection::Off,
        ..AppOptions::default()
    })
    .await;
    let admin = app.admin_token().await;
    let mut socket = Subscriber::connect(&app.address, &admin).await;
    socket.subscribe("schema", "{ __schema { types { name } } }", json!({})).await;
    assert_eq!(refused(&mut socket, "schema").await[0]["extensions"]["code"], "FORBIDDEN");
    socket.subscribe("typo", "{ viewr { id } }", json!({})).await;
    let errors = refused(&mut socket, "typo").await;
    assert_eq!(errors[0]["extensions"]["code"], "BAD_USER_INPUT");
    assert!(!errors.to_string().contains("Did you mean"), "no suggestions without introspection: {errors}");
}

#[tokio::test]
async fn the_standard_introspection_query_runs_on_a_socket() {
    let app = spawn_app_with(AppOptions { sample_plan: false, ..AppOptions::default() }).await;
    let admin = app.admin_token().await;
    let mut socket = Subscriber::connect(&app.address, &admin).await;
    let query = include_str!("../../fixtures/introspection-query.graphql");
    socket.subscribe("schema", query, json!({})).await;
    let data = socket.event("schema", SOON).await.expect("the schema");
    assert!(data["__schema"]["types"].as_array().is_some_and(|types| types.len() > 50));
}

#[tokio::test]
async fn sockets_are_bounded() {
    let app = spawn_app_with(AppOptions {
        sample_plan: false,
        configure: |config| {
            config.ws_init_timeout_secs = 1;
            config.ws_max_operations = 3;
            config.ws_max_sockets_per_account = 2;
        },
        ..AppOptions::default()
    })
    .await;
    let admin = app.admin_token().await;

    // A socket that never sends connection_init is closed with 4408.
    let mut silent = Subscriber::open(&app.address).await;
    assert_eq!(silent.next(Duration::from_secs(5)).await, Some(Received::Closed(Some(4408))));

    // A socket runs at most three operations at once: of four subscriptions, one is refused
    // (whichever starts last: the protocol handler starts them in no fixed order).
    let mut socket = Subscriber::connect(&app.address, &admin).await;
    for n in 0..4 {
        socket.subscribe(&format!("s{n}"), "subscription { documentImported { id } }", json!({})).await;
    }
    let errors = match socket.next(SOON).await {
        Some(Received::Error { errors, .. }) => errors,
        Some(Received::Next { payload, .. }) => payload["errors"].clone(),
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(
        socket.next(Duration::from_millis(500)).await.map(|m| matches!(m, Received::Complete { .. })),
        Some(true)
    );
    assert_eq!(socket.next(Duration::from_millis(500)).await, None, "the other three go on");
    assert_eq!(errors[0]["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(errors[0]["extensions"]["reason"], "TOO_MANY_OPERATIONS");

    // An account holds at most two sockets; a closed one gives its place back.
    let second = Subscriber::connect(&app.address, &admin).await;
    let mut third = Subscriber::connect_with(&app.address, json!({ "Authorization": format!("Bearer {admin}") })).await;
    assert!(!third.acknowledged, "a third socket of the account is refused");
    assert_eq!(third.next(SOON).await, Some(Received::Closed(Some(4429))));
    drop(second);
    let mut again = None;
    for _ in 0..50 {
        let socket =
            Subscriber::connect_with(&app.address, json!({ "Authorization": format!("Bearer {admin}") })).await;
        if socket.acknowledged {
            again = Some(socket);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(again.is_some(), "a closed socket gives its place back");
}

#[tokio::test]
async fn a_write_by_a_credential_revoked_where_this_process_cannot_see_it_never_commits() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let task = task_14(&app, &admin).await;
    let unit = app.department_id_as(&admin, "县民政局").await;
    app.create_account(&admin, "elsewhere", "DEPARTMENT", Some(&unit)).await;
    let token = app.login("elsewhere", &password_for("elsewhere")).await;
    app.graphql("{ viewer { id } }", json!({}), Some(&token)).await.data();
    // Revoked behind the process's back (as by a replica whose notice has not arrived yet): the
    // account cache still holds the old token version, so reads pass for a moment, but a write
    // checks the database inside its own transaction.
    let revoke = "UPDATE app_user SET token_version = token_version + 1 WHERE username = 'elsewhere'";
    sea_orm::ConnectionTrait::execute_unprepared(&app.db, revoke).await.unwrap();
    let signed = app.graphql(SIGN, json!({ "t": task }), Some(&token)).await;
    assert_eq!(signed.error_code(), Some("UNAUTHENTICATED"));
    assert_eq!(part_state(&app, &admin, &task).await, "ASSIGNED", "nothing was written");

    let (service, _) = service_token(&app, &admin, &unit, "ledger2").await;
    app.graphql("{ viewer { id } }", json!({}), Some(&service)).await.data();
    let revoke = "UPDATE service_token SET revoked_at = created_at WHERE revoked_at IS NULL";
    sea_orm::ConnectionTrait::execute_unprepared(&app.db, revoke).await.unwrap();
    let signed = app.graphql(SIGN, json!({ "t": task }), Some(&service)).await;
    assert_eq!(signed.error_code(), Some("UNAUTHENTICATED"));
    assert_eq!(part_state(&app, &admin, &task).await, "ASSIGNED", "nothing was written");
}

const BINARY: &str = env!("CARGO_BIN_EXE_duban-process");

#[tokio::test]
async fn a_socket_on_another_process_cannot_act_once_its_credential_is_revoked() {
    let app = spawn_app().await;
    if !app.is_postgres() {
        return; // processes share a database through PostgreSQL's notifications only
    }
    let admin = app.admin_token().await;
    let task = task_14(&app, &admin).await;
    let unit = app.department_id_as(&admin, "县民政局").await;
    let user_id = app.create_account(&admin, "replica", "DEPARTMENT", Some(&unit)).await;
    let token = app.login("replica", &password_for("replica")).await;
    let other = duban_tests::ServerProcess::start(BINARY, &app.url);
    let mut socket = Subscriber::connect(&other.address, &token).await;
    socket.subscribe("viewer", "{ viewer { username } }", json!({})).await;
    assert_eq!(socket.event("viewer", SOON).await.unwrap()["viewer"]["username"], "replica");

    // Revoked through this process; the operation reaches the other one at once.
    app.graphql("mutation($id: ID!) { deactivateUser(id: $id) { id } }", json!({ "id": user_id }), Some(&admin))
        .await
        .data();
    socket.subscribe("sign", SIGN, json!({ "t": task })).await;
    assert_eq!(refused(&mut socket, "sign").await[0]["extensions"]["code"], "UNAUTHENTICATED");
    assert_eq!(close_code(&mut socket).await, Some(4403));
    assert_eq!(part_state(&app, &admin, &task).await, "ASSIGNED", "nothing was written");
}
