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
