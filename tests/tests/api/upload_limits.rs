//! Files that are small to send but huge once read: a sheet whose cells are far apart, a Word
//! table whose merged cell repeats a long text down many rows. They are refused quickly with
//! `FILE_TOO_MUCH_DATA`, without the server building what they would expand to, and the server
//! keeps answering.

use super::upload::upload;
use duban::import::read::samples;
use duban_tests::{AppOptions, TestApp, spawn_app_with};
use serde_json::json;
use std::time::{Duration, Instant};

/// Far more than a refusal needs, far less than building the expanded file takes.
const QUICKLY: Duration = Duration::from_secs(5);

async fn empty_app() -> (TestApp, String) {
    let app = spawn_app_with(AppOptions { sample_plan: false, ..Default::default() }).await;
    let admin = app.admin_token().await;
    (app, admin)
}

async fn assert_refused_quickly(app: &TestApp, admin: &str, name: &str, bytes: Vec<u8>) {
    let started = Instant::now();
    let response = upload(app, admin, name, bytes, json!({ "d": true })).await;
    let took = started.elapsed();
    let error = &response.json()["errors"][0];
    // A file read whole would echo megabytes of text back: show the start only.
    let shown: String = response.text.chars().take(300).collect();
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{name}: {shown}");
    assert_eq!(error["extensions"]["reason"], "FILE_TOO_MUCH_DATA", "{name}: {error}");
    assert!(took < QUICKLY, "{name}: answered after {took:?}");
    let after = app.graphql("{ documents { totalCount } }", json!({}), Some(admin)).await;
    assert_eq!(after.data()["documents"]["totalCount"], 0, "{name}: the server still serves");
}

#[tokio::test]
async fn a_sheet_with_a_cell_at_the_far_corner_is_refused_without_building_the_sheet() {
    let (app, admin) = empty_app().await;
    let bomb = samples::sparse_sheet_bomb();
    assert!(bomb.len() < 4096, "a small file: {} bytes", bomb.len());
    assert_refused_quickly(&app, &admin, "plan.xlsx", bomb).await;
}

#[tokio::test]
async fn a_merged_word_cell_repeated_down_many_rows_is_refused_by_the_text_it_would_make() {
    let (app, admin) = empty_app().await;
    let bomb = samples::merged_cell_bomb(1024 * 1024, 300);
    assert!(bomb.len() < 2 * 1024 * 1024, "under the upload limit: {} bytes", bomb.len());
    assert_refused_quickly(&app, &admin, "plan.docx", bomb).await;
}
