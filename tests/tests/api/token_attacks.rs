//! Forged, stale and misdirected tokens, each refused over HTTP with 401, `WWW-Authenticate:
//! Bearer` and UNAUTHENTICATED; and the login endpoint's answers to guessing.
//!
//! Every forgery starts from a genuine token's header and claims, and a control case signs
//! those unchanged claims with the app's secret and is accepted: each refusal is then due to
//! the one thing the attack changed.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use duban::config::Config;
use duban_tests::{ADMIN_PASSWORD, GqlResponse, TestApp, password_for, spawn_app, token_keys, token_keys_with};
use jsonwebtoken::{Algorithm, EncodingKey};
use secrecy::ExposeSecret as _;
use serde_json::{Value, json};

const VIEWER: &str = "{ viewer { username } }";

/// The secret the test apps sign with.
fn app_secret() -> String {
    let secret = Config::for_database("sqlite::memory:").jwt_secret.expect("test secret");
    secret.expose_secret().to_owned()
}

/// The decoded (header, claims) of a token.
fn decode(token: &str) -> (Value, Value) {
    let part = |i: usize| -> Value {
        let segment = token.split('.').nth(i).expect("three segments");
        serde_json::from_slice(&B64.decode(segment).expect("base64url")).expect("JSON")
    };
    (part(0), part(1))
}

/// `header.claims.signature`, the signature an HMAC with `secret` under `alg`, or empty.
fn forge(header: &Value, claims: &Value, signer: Option<(Algorithm, &str)>) -> String {
    let message = format!("{}.{}", B64.encode(header.to_string()), B64.encode(claims.to_string()));
    let signature = signer.map_or_else(String::new, |(alg, secret)| {
        jsonwebtoken::crypto::sign(message.as_bytes(), &EncodingKey::from_secret(secret.as_bytes()), alg).expect("sign")
    });
    format!("{message}.{signature}")
}

/// Asserts the request was refused as a bad credential, never served anonymously.
fn assert_refused(response: &GqlResponse, attack: &str) {
    assert_eq!(response.status, 401, "{attack}: {}", response.body);
    assert_eq!(response.error_codes(), ["UNAUTHENTICATED"], "{attack}");
    assert_eq!(response.www_authenticate.as_deref(), Some("Bearer"), "{attack}");
    assert!(response.body["data"].is_null(), "{attack}");
}

/// A leader account's genuine token, decoded.
async fn genuine(app: &TestApp) -> (String, Value, Value) {
    let token = app.user_token("leader", "LEADER", None).await;
    let (header, claims) = decode(&token);
    (token, header, claims)
}

#[tokio::test]
async fn forged_and_misdirected_tokens_are_refused_but_a_faithful_copy_is_accepted() {
    let app = spawn_app().await;
    let (_, header, claims) = genuine(&app).await;
    let secret = app_secret();
    let now = chrono::Utc::now().timestamp();
    let with = |changes: Value| {
        let mut changed = claims.clone();
        changed.as_object_mut().expect("claims").extend(changes.as_object().expect("changes").clone());
        changed
    };
    let header_with = |alg: &str| {
        let mut h = header.clone();
        h["alg"] = json!(alg);
        h
    };
    let control = forge(&header, &claims, Some((Algorithm::HS256, &secret)));
    let accepted = app.graphql(VIEWER, json!({}), Some(&control)).await;
    assert_eq!(accepted.data()["viewer"]["username"], "leader", "the forge reproduces a genuine token");

    let no_kid = json!({ "alg": "HS256", "typ": "JWT" });
    let attacks = [
        ("alg none", forge(&header_with("none"), &claims, None)),
        ("alg None", forge(&header_with("None"), &claims, None)),
        ("alg none without kid", forge(&json!({ "alg": "none", "typ": "JWT" }), &claims, None)),
        ("RS256 header, HMAC of the secret", forge(&header_with("RS256"), &claims, Some((Algorithm::HS256, &secret)))),
        ("RS256 header, junk signature", format!("{}AAAA", forge(&header_with("RS256"), &claims, None))),
        ("HS512 signed with the secret", forge(&header_with("HS512"), &claims, Some((Algorithm::HS512, &secret)))),
        (
            "another secret under our kid",
            forge(&header, &claims, Some((Algorithm::HS256, "attacker-secret-0123456789abcdef"))),
        ),
        ("no kid", forge(&no_kid, &claims, Some((Algorithm::HS256, &secret)))),
        (
            "unknown kid",
            forge(
                &json!({ "alg": "HS256", "typ": "JWT", "kid": "0011223344556677" }),
                &claims,
                Some((Algorithm::HS256, &secret)),
            ),
        ),
        (
            "nbf in the future",
            forge(&header, &with(json!({ "nbf": now + 3600, "iat": now + 3600 })), Some((Algorithm::HS256, &secret))),
        ),
        ("exp in the past", forge(&header, &with(json!({ "exp": now - 60 })), Some((Algorithm::HS256, &secret)))),
        ("wrong iss", forge(&header, &with(json!({ "iss": "someone-else" })), Some((Algorithm::HS256, &secret)))),
        ("wrong aud", forge(&header, &with(json!({ "aud": "another-api" })), Some((Algorithm::HS256, &secret)))),
        ("no exp", forge(&header, &without(&claims, "exp"), Some((Algorithm::HS256, &secret)))),
        ("no aud", forge(&header, &without(&claims, "aud"), Some((Algorithm::HS256, &secret)))),
        (
            "stale token version",
            forge(
                &header,
                &with(json!({ "tv": claims["tv"].as_i64().unwrap_or(1) - 1 })),
                Some((Algorithm::HS256, &secret)),
            ),
        ),
        ("unknown subject", forge(&header, &with(json!({ "sub": "999999" })), Some((Algorithm::HS256, &secret)))),
        ("not a JWT", "definitely-not-a-token".to_owned()),
        ("unsigned", forge(&header, &claims, None)),
    ];
    for (attack, token) in attacks {
        assert_refused(&app.graphql(VIEWER, json!({}), Some(&token)).await, attack);
    }
}

fn without(claims: &Value, name: &str) -> Value {
    let mut stripped = claims.clone();
    stripped.as_object_mut().expect("claims").remove(name);
    stripped
}

#[tokio::test]
async fn a_tampered_payload_is_refused() {
    let app = spawn_app().await;
    let (token, _, claims) = genuine(&app).await;
    let admin = app.login("admin", ADMIN_PASSWORD).await;
    let (_, admin_claims) = decode(&admin);
    let mut raised = claims.clone();
    raised["role"] = json!("ADMIN");
    raised["sub"] = admin_claims["sub"].clone();
    let segments: Vec<&str> = token.split('.').collect();
    let tampered = format!("{}.{}.{}", segments[0], B64.encode(raised.to_string()), segments[2]);

    let response = app.graphql("{ users { username } }", json!({}), Some(&tampered)).await;

    assert_refused(&response, "tampered payload");
}

#[tokio::test]
async fn tokens_signed_by_the_apps_own_keys_for_the_wrong_time_issuer_or_audience_are_refused() {
    let app = spawn_app().await;
    let (_, _, claims) = genuine(&app).await;
    let (sub, tv) = (claims["sub"].as_str().expect("sub").to_owned(), claims["tv"].as_i64().expect("tv") as i32);
    let now = chrono::Utc::now();
    let hours = chrono::Duration::hours;
    let issue = |keys: duban::auth::TokenKeys, at| keys.issue(&sub, "LEADER", None, tv, at).expect("sign").0;
    let fresh = issue(token_keys(hours(8)), now);
    assert_eq!(app.graphql(VIEWER, json!({}), Some(&fresh)).await.data()["viewer"]["username"], "leader");

    let attacks = [
        ("expired", issue(token_keys(hours(8)), now - hours(9))),
        ("nbf in the future", issue(token_keys(hours(8)), now + hours(1))),
        ("wrong iss", issue(token_keys_with(app_secret(), "not-duban", "duban-api", hours(8)), now)),
        ("wrong aud", issue(token_keys_with(app_secret(), "duban", "not-duban-api", hours(8)), now)),
        (
            "another secret",
            issue(token_keys_with("another-secret-of-32-bytes-at-least!", "duban", "duban-api", hours(8)), now),
        ),
    ];
    for (attack, token) in attacks {
        assert_refused(&app.graphql(VIEWER, json!({}), Some(&token)).await, attack);
    }
}

#[tokio::test]
async fn a_deactivated_users_token_stops_working_at_once() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let unit = app.department_id_as(&admin, "县民政局").await;
    let id = app.create_account(&admin, "leaving", "DEPARTMENT", Some(&unit)).await;
    let token = app.login("leaving", &password_for("leaving")).await;
    assert_eq!(app.graphql(VIEWER, json!({}), Some(&token)).await.data()["viewer"]["username"], "leaving");

    app.graphql("mutation($id: ID!) { deactivateUser(id: $id) { active } }", json!({ "id": id }), Some(&admin))
        .await
        .data();

    assert_refused(&app.graphql(VIEWER, json!({}), Some(&token)).await, "deactivated");
    let again = login(&app, "leaving", &password_for("leaving")).await;
    assert_eq!(again.error_code(), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn a_token_issued_before_the_user_changed_the_password_is_refused() {
    let app = spawn_app().await;
    let old = app.user_token("changer", "LEADER", None).await;
    let change = "mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) { token } }";

    let changed =
        app.graphql(change, json!({ "o": password_for("changer"), "n": "an-entirely-new-one" }), Some(&old)).await;

    let new = changed.data()["changePassword"]["token"].as_str().expect("new token").to_owned();
    assert_refused(&app.graphql(VIEWER, json!({}), Some(&old)).await, "before changePassword");
    assert_eq!(app.graphql(VIEWER, json!({}), Some(&new)).await.data()["viewer"]["username"], "changer");
    assert_eq!(login(&app, "changer", &password_for("changer")).await.error_code(), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn a_token_issued_before_an_admin_reset_the_password_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = app.create_account(&admin, "forgetful", "LEADER", None).await;
    let old = app.login("forgetful", &password_for("forgetful")).await;
    let reset = "mutation($id: ID!, $p: String!) { resetPassword(id: $id, newPassword: $p) { username } }";

    app.graphql(reset, json!({ "id": id, "p": "set-by-the-office" }), Some(&admin)).await.data();

    assert_refused(&app.graphql(VIEWER, json!({}), Some(&old)).await, "before resetPassword");
    let fresh = app.login("forgetful", "set-by-the-office").await;
    assert_eq!(app.graphql(VIEWER, json!({}), Some(&fresh)).await.data()["viewer"]["username"], "forgetful");
}

#[tokio::test]
async fn a_malformed_authorization_header_is_refused_not_treated_as_anonymous() {
    let app = spawn_app().await;
    for header in ["Bearer", "Bearer ", "Basic YWRtaW46YWRtaW4=", "token abc", "Bearer a.b.c"] {
        let response = app
            .client
            .post(format!("{}/graphql", app.address))
            .header("Authorization", header)
            .json(&json!({ "query": VIEWER }))
            .send()
            .await
            .expect("send");
        assert_eq!(response.status().as_u16(), 401, "{header:?}");
        let challenge = response.headers().get("www-authenticate").and_then(|v| v.to_str().ok()).map(str::to_owned);
        assert_eq!(challenge.as_deref(), Some("Bearer"), "{header:?}");
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{header:?}");
    }
}

async fn login(app: &TestApp, username: &str, password: &str) -> GqlResponse {
    app.graphql(
        "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
        json!({ "u": username, "p": password }),
        None,
    )
    .await
}

#[tokio::test]
async fn an_unknown_user_and_a_wrong_password_get_the_same_answer() {
    let app = spawn_app().await;

    let unknown = login(&app, "nobody-here", "some-password-123").await;
    let wrong = login(&app, "admin", "not-the-admin-password").await;

    assert_eq!(unknown.error_code(), Some("UNAUTHENTICATED"));
    // Said as what it is (not "authentication required"), without saying which of the two.
    for refused in [&unknown, &wrong] {
        assert_eq!(refused.body["errors"][0]["extensions"]["reason"], "WRONG_CREDENTIALS");
    }
    assert_eq!((unknown.status, unknown.error_codes()), (wrong.status, wrong.error_codes()));
    assert_eq!(
        unknown.body["errors"][0]["message"], wrong.body["errors"][0]["message"],
        "the message must not tell them apart"
    );
    assert!(unknown.body["data"].is_null() && wrong.body["data"].is_null());
}

#[tokio::test]
async fn repeated_failed_logins_are_throttled_while_another_username_still_logs_in() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.create_account(&admin, "targeted", "LEADER", None).await;
    app.create_account(&admin, "bystander", "LEADER", None).await;

    let mut codes = Vec::new();
    for _ in 0..6 {
        codes.push(login(&app, "targeted", "guess-guess-guess").await.error_code().map(str::to_owned));
    }
    let right_password = login(&app, "targeted", &password_for("targeted")).await;
    let bystander = login(&app, "bystander", &password_for("bystander")).await;

    let unauthenticated = Some("UNAUTHENTICATED".to_owned());
    assert_eq!(codes[..5], vec![unauthenticated; 5], "the first failures are plain failures");
    assert_eq!(codes[5].as_deref(), Some("RATE_LIMITED"));
    assert_eq!(right_password.error_code(), Some("RATE_LIMITED"), "even the right password waits");
    assert!(bystander.data()["login"]["token"].is_string(), "another username is not locked out");
}

#[tokio::test]
async fn a_service_token_of_a_deactivated_account_is_refused() {
    let app = spawn_app().await;
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
    assert_eq!(app.graphql(VIEWER, json!({}), Some(&secret)).await.data()["viewer"]["username"], "fagai-system");

    app.graphql("mutation($id: ID!) { deactivateUser(id: $id) { active } }", json!({ "id": id }), Some(&admin))
        .await
        .data();

    assert_refused(&app.graphql(VIEWER, json!({}), Some(&secret)).await, "service token of a deactivated account");
}

#[tokio::test]
async fn a_token_issued_before_an_admin_changed_the_accounts_unit_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (from, to) = (app.department_id_as(&admin, "县民政局").await, app.department_id_as(&admin, "县司法局").await);
    let id = app.create_account(&admin, "moving", "DEPARTMENT", Some(&from)).await;
    let old = app.login("moving", &password_for("moving")).await;
    let update = "mutation($id: ID!, $d: ID!) { updateUser(id: $id, input: { departmentId: $d }) { id } }";

    app.graphql(update, json!({ "id": id, "d": to }), Some(&admin)).await.data();

    assert_refused(&app.graphql(VIEWER, json!({}), Some(&old)).await, "before updateUser");
}
