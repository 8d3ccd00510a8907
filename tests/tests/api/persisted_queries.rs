//! Automatic persisted queries (Apollo's protocol, version 1): a document is named by its
//! SHA-256 once the server has seen it, by POST and by GET; the server asks for a document it
//! does not know, refuses a hash that is not the document's, keeps only documents that parse,
//! and a document used by hash is authorised like any other request.

use duban_tests::{RawResponse, TestApp, spawn_app};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
const TASKS: &str = "query Tasks($first: Int!) { tasks(first: $first) { nodes { seq } } }";

fn hash_of(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn extension(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

async fn post(app: &TestApp, token: Option<&str>, body: Value) -> RawResponse {
    let mut request = app.client.post(app.url("/graphql")).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    app.raw(request).await
}

async fn get(app: &TestApp, token: &str, hash: &str, variables: Value) -> RawResponse {
    let query = [("extensions", extension(hash).to_string()), ("variables", variables.to_string())];
    app.raw(app.client.get(app.url("/graphql")).bearer_auth(token).query(&query)).await
}

fn seqs(response: &RawResponse) -> Vec<i64> {
    let body = response.json();
    assert!(body.get("errors").is_none(), "{}", response.text);
    body["data"]["tasks"]["nodes"].as_array().expect("nodes").iter().map(|n| n["seq"].as_i64().expect("seq")).collect()
}

#[tokio::test]
async fn a_document_is_sent_once_and_then_named_by_its_hash() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let hash = hash_of(TASKS);

    // Unknown: the client is asked for the document, in both media types.
    let unknown =
        post(&app, Some(&admin), json!({ "extensions": extension(&hash), "variables": { "first": 2 } })).await;
    assert_eq!((unknown.status, unknown.error_code().as_deref()), (200, Some("PERSISTED_QUERY_NOT_FOUND")));
    let strict = app
        .raw(
            app.client
                .post(app.url("/graphql"))
                .bearer_auth(&admin)
                .header("accept", GRAPHQL_RESPONSE)
                .json(&json!({ "extensions": extension(&hash) })),
        )
        .await;
    assert_eq!((strict.status, strict.error_code().as_deref()), (400, Some("PERSISTED_QUERY_NOT_FOUND")));

    // Sent with its text and hash: served, and kept.
    let sent = post(
        &app,
        Some(&admin),
        json!({ "query": TASKS, "variables": { "first": 2 }, "extensions": extension(&hash) }),
    )
    .await;
    assert_eq!(seqs(&sent), vec![1, 2]);

    // Then by hash alone, with other variables, by POST and by GET.
    let by_post =
        post(&app, Some(&admin), json!({ "extensions": extension(&hash), "variables": { "first": 3 } })).await;
    assert_eq!(seqs(&by_post), vec![1, 2, 3]);
    let by_get = get(&app, &admin, &hash, json!({ "first": 1 })).await;
    assert_eq!((by_get.status, seqs(&by_get)), (200, vec![1]));
    // The hash may be written in capitals.
    let upper =
        post(&app, Some(&admin), json!({ "extensions": extension(&hash.to_uppercase()), "variables": { "first": 1 } }))
            .await;
    assert_eq!(seqs(&upper), vec![1]);
}

#[tokio::test]
async fn a_hash_grants_nothing_and_a_mutation_by_hash_is_refused_over_get() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let hash = hash_of(TASKS);
    let sent = post(
        &app,
        Some(&admin),
        json!({ "query": TASKS, "variables": { "first": 1 }, "extensions": extension(&hash) }),
    )
    .await;
    assert_eq!(seqs(&sent), vec![1]);
    let anonymous = post(&app, None, json!({ "extensions": extension(&hash), "variables": { "first": 1 } })).await;
    assert_eq!(anonymous.error_code().as_deref(), Some("UNAUTHENTICATED"), "{}", anonymous.text);

    let dry_run = "mutation($text: String!) { importPlan(text: $text, dryRun: true) { dryRun } }";
    let mutation_hash = hash_of(dry_run);
    let registered = post(
        &app,
        Some(&admin),
        json!({ "query": dry_run, "variables": { "text": "no plan" }, "extensions": extension(&mutation_hash) }),
    )
    .await;
    assert_eq!(registered.error_code().as_deref(), Some("BAD_USER_INPUT"), "{}", registered.text);
    let over_get = get(&app, &admin, &mutation_hash, json!({ "text": "no plan" })).await;
    assert_eq!((over_get.status, over_get.error_code().as_deref()), (405, Some("BAD_REQUEST")));
}

#[tokio::test]
async fn wrong_hashes_unknown_versions_and_documents_that_do_not_parse_are_refused_and_not_kept() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let other = hash_of("{ __typename }");

    let mismatch = post(
        &app,
        Some(&admin),
        json!({ "query": TASKS, "variables": { "first": 1 }, "extensions": extension(&other) }),
    )
    .await;
    assert_eq!(mismatch.error_code().as_deref(), Some("BAD_REQUEST"), "{}", mismatch.text);
    for hash in [&other, &hash_of(TASKS)] {
        let still_unknown = post(&app, Some(&admin), json!({ "extensions": extension(hash) })).await;
        assert_eq!(still_unknown.error_code().as_deref(), Some("PERSISTED_QUERY_NOT_FOUND"), "{hash}");
    }

    let broken = "{ tasks(first: 1) { nodes { seq } }";
    let refused = post(&app, Some(&admin), json!({ "query": broken, "extensions": extension(&hash_of(broken)) })).await;
    assert_eq!(refused.error_code().as_deref(), Some("BAD_USER_INPUT"), "{}", refused.text);
    let not_kept = post(&app, Some(&admin), json!({ "extensions": extension(&hash_of(broken)) })).await;
    assert_eq!(not_kept.error_code().as_deref(), Some("PERSISTED_QUERY_NOT_FOUND"));

    let version_two = json!({ "persistedQuery": { "version": 2, "sha256Hash": other } });
    let unsupported = post(&app, Some(&admin), json!({ "extensions": version_two })).await;
    assert_eq!(unsupported.error_code().as_deref(), Some("PERSISTED_QUERY_NOT_SUPPORTED"));

    let malformed = [
        json!({ "persistedQuery": { "version": 1, "sha256Hash": &other[..40] } }),
        json!({ "persistedQuery": { "version": 1, "sha256Hash": 7 } }),
        json!({ "persistedQuery": { "sha256Hash": other } }),
        json!({ "persistedQuery": "yes" }),
    ];
    for extensions in malformed {
        let response = post(&app, Some(&admin), json!({ "extensions": extensions })).await;
        assert_eq!((response.status, response.error_code().as_deref()), (400, Some("BAD_REQUEST")), "{extensions}");
    }
    // Without a persisted query, a request still needs its query.
    let no_query = post(&app, Some(&admin), json!({ "extensions": {} })).await;
    assert_eq!((no_query.status, no_query.error_code().as_deref()), (400, Some("BAD_REQUEST")));
}
