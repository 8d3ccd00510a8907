//! Findings of the adversarial pass, each kept fixed by a test that failed before its fix.

use duban_tests::{ADMIN_PASSWORD, TestApp, password_for, spawn_app, token_keys};
use serde_json::{Value, json};
use std::net::{IpAddr, Ipv4Addr};

const VIEWER: &str = "{ viewer { username role } }";

/// A SERVICE account for 县发展和改革局 with a service token: (admin token, account id, secret).
async fn service_account(app: &TestApp) -> (String, String, String) {
    let admin = app.admin_token().await;
    let unit = app.department_id_as(&admin, "县发展和改革局").await;
    let id = app.create_account(&admin, "fagai-system", "SERVICE", Some(&unit)).await;
    let issued = app
        .graphql(
            "mutation($u: ID!) { createServiceToken(userId: $u, name: \"ledger\") { token } }",
            json!({ "u": id }),
            Some(&admin),
        )
        .await;
    let secret = issued.data()["createServiceToken"]["token"].as_str().expect("secret").to_owned();
    (admin, id, secret)
}

#[tokio::test]
async fn changing_a_service_accounts_role_or_unit_revokes_its_service_tokens() {
    let update = "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { role } }";
    for (change, input) in [
        ("role change to ADMIN", json!({ "role": "ADMIN", "departmentId": null })),
        ("unit change", json!({ "departmentId": "__other_unit__" })),
    ] {
        let app = spawn_app().await;
        let (admin, id, secret) = service_account(&app).await;
        let before = app.graphql(VIEWER, json!({}), Some(&secret)).await;
        assert_eq!(before.data()["viewer"]["role"], "SERVICE");
        let mut input = input;
        if input["departmentId"] == "__other_unit__" {
            input["departmentId"] = Value::String(app.department_id_as(&admin, "县民政局").await);
        }

        app.graphql(update, json!({ "id": id, "i": input }), Some(&admin)).await.data();

        let after = app.graphql(VIEWER, json!({}), Some(&secret)).await;
        assert_eq!((after.status, after.error_code()), (401, Some("UNAUTHENTICATED")), "{change}");
        let users = app.graphql("{ users { username } }", json!({}), Some(&secret)).await;
        assert_eq!(users.status, 401, "{change}: the old token never acts with the new role");
    }
}

/// A client whose requests come from `address` (another loopback address of this host).
fn client_from(address: Ipv4Addr) -> reqwest::Client {
    reqwest::Client::builder().local_address(IpAddr::V4(address)).build().expect("client")
}

async fn login_from(app: &TestApp, client: &reqwest::Client, username: &str, password: &str) -> Option<String> {
    let body = json!({ "query": "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
                       "variables": { "u": username, "p": password } });
    let response: Value = client.post(app.url("/graphql")).json(&body).send().await.unwrap().json().await.unwrap();
    match response["errors"][0]["extensions"]["code"].as_str() {
        Some(code) => Some(code.to_owned()),
        None => {
            assert!(response["data"]["login"]["token"].is_string(), "{response}");
            None
        }
    }
}

#[tokio::test]
async fn guessing_from_one_address_does_not_lock_the_user_out_from_another() {
    let app = spawn_app().await;
    let attacker = client_from(Ipv4Addr::new(127, 0, 0, 2));
    let office = client_from(Ipv4Addr::new(127, 0, 0, 1));
    for _ in 0..5 {
        assert_eq!(login_from(&app, &attacker, "admin", "a-wrong-guess").await.as_deref(), Some("UNAUTHENTICATED"));
    }
    let throttled = login_from(&app, &attacker, "admin", ADMIN_PASSWORD).await;
    assert_eq!(throttled.as_deref(), Some("RATE_LIMITED"), "the guessing address waits, even with the password");
    for _ in 0..10 {
        let again = login_from(&app, &attacker, "admin", "a-wrong-guess").await;
        assert_eq!(again.as_deref(), Some("RATE_LIMITED"));
    }
    assert_eq!(
        login_from(&app, &office, "admin", ADMIN_PASSWORD).await,
        None,
        "the admin still signs in at the office"
    );
}

#[tokio::test]
async fn look_alike_usernames_control_characters_markup_and_blank_passwords_are_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let create = "mutation($i: CreateUserInput!) { createUser(input: $i) { username } }";
    let account = |username: &str, password: &str| json!({ "i": { "username": username, "password": password, "role": "LEADER" } });
    let cases = [
        ("ａｄｍｉｎ", "a-long-password", "CONFLICT"),
        ("ADMIN ", "a-long-password", "CONFLICT"),
        ("ad\u{0}min", "a-long-password", "BAD_USER_INPUT"),
        ("<script>alert(1)</script>", "a-long-password", "BAD_USER_INPUT"),
        ("two words", "a-long-password", "BAD_USER_INPUT"),
        ("newleader", "          ", "BAD_USER_INPUT"),
        (
            "newleader",
            "\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}",
            "BAD_USER_INPUT",
        ),
    ];
    for (username, password, code) in cases {
        let response = app.graphql(create, account(username, password), Some(&admin)).await;
        assert_eq!(response.error_code(), Some(code), "{username:?} / {password:?}: {}", response.body);
    }
    let made = app.graphql(create, account("ＬＥＡＤＥＲ２", "a-long-password"), Some(&admin)).await;
    assert_eq!(made.data()["createUser"]["username"], "leader2", "full-width input is stored in its one spelling");
    let token = app.login("leader2", "a-long-password").await;
    assert!(!token.is_empty());
}

#[tokio::test]
async fn department_search_treats_wildcards_as_text() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let search = "query($s: String) { departments(filter: { search: $s }, first: 100) { totalCount } }";
    for pattern in ["%", "_", "县%局", "\\"] {
        let found = app.graphql(search, json!({ "s": pattern }), Some(&admin)).await;
        assert_eq!(found.data()["departments"]["totalCount"], 0, "{pattern:?} matches itself only");
    }
    let plain = app.graphql(search, json!({ "s": "县民政局" }), Some(&admin)).await;
    assert_eq!(plain.data()["departments"]["totalCount"], 1);
}

#[tokio::test]
async fn an_absurd_plan_is_refused_up_front_with_bad_user_input() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let units: Vec<String> = (0..60_000).map(|n| format!("县第{n}局")).collect();
    let plan = format!("某县政办发〔2026〕1号\n1．一项任务。（牵头单位：{}）\n", units.join("、"));
    let response = app
        .graphql("mutation($t: String!) { importPlan(text: $t) { tasks { id } } }", json!({ "t": plan }), Some(&admin))
        .await;
    assert_eq!(response.error_code(), Some("BAD_USER_INPUT"), "{:.300}", response.body.to_string());
    let created =
        app.graphql("{ departments(filter: { needsReview: true }) { totalCount } }", json!({}), Some(&admin)).await;
    assert_eq!(created.data()["departments"]["totalCount"], 0, "refused before anything was resolved or written");
}

#[tokio::test]
async fn a_correctly_signed_token_that_lives_a_century_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = app.create_account(&admin, "longlived", "LEADER", None).await;
    let keys = token_keys(chrono::Duration::days(36_500));
    let (century, _) = keys.issue(&id, "LEADER", None, 1, chrono::Utc::now()).expect("sign");
    let response = app.graphql(VIEWER, json!({}), Some(&century)).await;
    assert_eq!((response.status, response.error_code()), (401, Some("UNAUTHENTICATED")));
    let normal = app.login("longlived", &password_for("longlived")).await;
    assert_eq!(app.graphql(VIEWER, json!({}), Some(&normal)).await.data()["viewer"]["username"], "longlived");
}

/// Issue 18, finding 9: a stolen token must not be an unlimited oracle for the account's password.
#[tokio::test]
async fn guessing_the_old_password_in_change_password_is_throttled_like_login() {
    let app = spawn_app().await;
    let token = app.user_token("minzheng", "DEPARTMENT", Some("县民政局")).await;
    let change = "mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) { token } }";
    let attempt = |old: &str| json!({ "o": old, "n": "a-new-password-for-minzheng" });

    let mut wrong = Vec::new();
    for _ in 0..10 {
        let answer = app.graphql(change, attempt("a-wrong-guess"), Some(&token)).await;
        wrong.push(answer.error_code().map(str::to_owned));
        if answer.error_code() == Some("RATE_LIMITED") {
            assert!(
                answer.body["errors"][0]["extensions"]["retryAfter"].as_u64().is_some_and(|s| (1..=60).contains(&s))
            );
            break;
        }
    }
    let right = app.graphql(change, attempt(&password_for("minzheng")), Some(&token)).await;

    assert_eq!(wrong.last().cloned().flatten().as_deref(), Some("RATE_LIMITED"), "guesses are throttled: {wrong:?}");
    assert!(wrong.len() <= 6, "within the login limit of five failures: {wrong:?}");
    assert!(wrong[..wrong.len() - 1].iter().all(|c| c.as_deref() == Some("BAD_USER_INPUT")), "{wrong:?}");
    assert_eq!(right.error_code(), Some("RATE_LIMITED"), "the right password waits too");
    assert!(right.body["errors"][0]["extensions"]["retryAfter"].as_u64().is_some());
}
