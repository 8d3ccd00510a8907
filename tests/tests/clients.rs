//! Real GraphQL clients against a real server: graphql-http's conformance audit, Apollo Client,
//! graphql-request, graphql-ws subscriptions, graphql-js's introspection and validation of the
//! README's examples, and
//! Python's `gql` (scripts in `tests/clients/`).
//!
//! The clients are installed by `tests/run` (`npm ci` in `tests/clients/`, a virtualenv in
//! `tests/clients/.venv`); a missing install fails the test with that instruction rather than
//! skipping it.

use duban_tests::spawn_app;
use std::path::{Path, PathBuf};
use std::process::Command;

fn clients_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("clients")
}

/// Runs one client script against `url` with `token`; panics with its output when it fails.
fn run_script(program: &Path, script: &str, url: &str, token: &str) -> String {
    let output = Command::new(program)
        .arg(script)
        .arg(url)
        .arg(token)
        .current_dir(clients_dir())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {} {script}: {e}", program.display()));
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{script} failed:\n{text}");
    text
}

fn node() -> PathBuf {
    let installed = clients_dir().join("node_modules/graphql-http");
    assert!(
        installed.exists(),
        "the Node clients are not installed: run tests/run (it runs `npm ci` in tests/clients)"
    );
    PathBuf::from("node")
}

fn python() -> PathBuf {
    let python = clients_dir().join(".venv/bin/python");
    assert!(python.exists(), "the Python client is not installed: run tests/run (it makes tests/clients/.venv)");
    python
}

#[tokio::test]
async fn graphql_http_audit_passes_every_must_and_should() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let url = app.url("/graphql");
    let out = tokio::task::spawn_blocking(move || run_script(&node(), "audit.mjs", &url, &token)).await.unwrap();
    assert!(out.contains("MUST: 13/13"), "{out}");
}

#[tokio::test]
async fn javascript_clients_and_the_standard_introspection_work() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let url = app.url("/graphql");
    tokio::task::spawn_blocking(move || {
        for script in ["introspection.mjs", "apollo.mjs", "graphql-request.mjs", "subscriptions.mjs"] {
            run_script(&node(), script, &url, &token);
        }
    })
    .await
    .unwrap();
}

/// A unit's page sending evidence with a report through apollo-upload-client: the script
/// uploads a photo as the lead of task 25, attaches it to a report and reads it back through its
/// signed link; the server then holds the photo behind that report, readable by the office.
#[tokio::test]
async fn apollo_upload_client_sends_a_photo_with_a_report() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let tasks = app
        .graphql("{ tasks(first: 100) { nodes { id seq lead { id } } } }", serde_json::json!({}), Some(&admin))
        .await;
    let task = tasks.data()["tasks"]["nodes"].as_array().unwrap().iter().find(|t| t["seq"] == 25).unwrap().clone();
    let (task_id, lead) = (task["id"].as_str().unwrap().to_owned(), task["lead"]["id"].as_str().unwrap().to_owned());
    app.create_account(&admin, "lead", "DEPARTMENT", Some(&lead)).await;
    let token = app.login("lead", &duban_tests::password_for("lead")).await;
    app.sign_for(&token, &task_id).await;
    let url = app.url("/graphql");
    let script = tokio::task::spawn_blocking(move || {
        let output = Command::new(node())
            .args(["upload.mjs", &url, &token, &task_id])
            .current_dir(clients_dir())
            .output()
            .expect("run upload.mjs");
        let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(output.status.success(), "upload.mjs failed:\n{text}");
        text
    });
    let out = script.await.unwrap();
    assert!(out.contains("4 passed, 0 failed"), "{out}");
    let seen = app
        .graphql(
            "{ tasks(first: 100) { nodes { seq reports(first: 5) { nodes { percent evidence { contentType } } } } } }",
            serde_json::json!({}),
            Some(&admin),
        )
        .await;
    let task = seen.data()["tasks"]["nodes"].as_array().unwrap().iter().find(|t| t["seq"] == 25).unwrap().clone();
    assert_eq!(task["reports"]["nodes"][0]["percent"], 80);
    assert_eq!(task["reports"]["nodes"][0]["evidence"][0]["contentType"], "image/png");
}

#[tokio::test]
async fn every_graphql_example_of_the_readme_is_valid_against_the_served_schema() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let url = app.url("/graphql");
    let out =
        tokio::task::spawn_blocking(move || run_script(&node(), "readme-queries.mjs", &url, &token)).await.unwrap();
    assert!(out.contains("README blocks:") && !out.contains("FAIL"), "{out}");
}

#[tokio::test]
async fn python_gql_fetches_the_schema_and_queries() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let url = app.url("/graphql");
    tokio::task::spawn_blocking(move || run_script(&python(), "python_gql.py", &url, &token)).await.unwrap();
}
