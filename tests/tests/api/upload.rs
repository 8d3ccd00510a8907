//! Plan files through `importPlan(file: Upload)`, sent as the GraphQL multipart request spec
//! describes (`operations`, `map`, the file part): the reference plan as a Word table and as a
//! sheet gives the tasks of the pasted text; every refusal has its code and reason.

use duban::bootstrap::SAMPLE_PLAN;
use duban::import::read::samples;
use duban_tests::{AppOptions, RawResponse, TestApp, spawn_app, spawn_app_with};
use serde_json::{Value, json};

/// What the upload tests read back of an import.
pub const IMPORT_FILE: &str = "mutation($f: Upload, $d: Boolean, $r: Boolean) {
    importPlan(file: $f, dryRun: $d, replace: $r) {
        dryRun document { id docNumber title issuer issuedOn }
        tasks { seq number title measures lead { name }
                assignments { role department { name kind } }
                schedule { text kind dueDate ongoing waitingFor offsetMonths } }
        warnings { code } } }";

/// A multipart upload of `bytes` as `file_name` to `query` (its `$f` variable is the file),
/// with the other `variables` as given.
pub fn upload_request(
    app: &TestApp,
    token: Option<&str>,
    query: &str,
    variables: Value,
    file_name: &str,
    bytes: Vec<u8>,
) -> reqwest::RequestBuilder {
    let mut variables = variables;
    variables["f"] = Value::Null;
    let operations = json!({ "query": query, "variables": variables });
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(file_name.to_owned())
        .mime_str("application/octet-stream")
        .expect("a valid media type");
    let form = reqwest::multipart::Form::new()
        .text("operations", operations.to_string())
        .text("map", json!({ "0": ["variables.f"] }).to_string())
        .part("0", part);
    let request = app.client.post(app.url("/graphql")).multipart(form);
    match token {
        Some(token) => request.bearer_auth(token),
        None => request,
    }
}

/// Uploads a plan file through `importPlan`.
pub async fn upload(app: &TestApp, token: &str, file_name: &str, bytes: Vec<u8>, options: Value) -> RawResponse {
    app.raw(upload_request(app, Some(token), IMPORT_FILE, options, file_name, bytes)).await
}

async fn empty_app() -> (TestApp, String) {
    let app = spawn_app_with(AppOptions { sample_plan: false, ..Default::default() }).await;
    let admin = app.admin_token().await;
    (app, admin)
}

/// Per task: seq, title, measures, units with their roles, schedule, as the response shows them.
fn essentials(result: &Value) -> Vec<Value> {
    let tasks = result["tasks"].as_array().expect("tasks");
    tasks
        .iter()
        .map(|t| json!([t["seq"], t["title"], t["measures"], t["lead"], t["assignments"], t["schedule"]]))
        .collect()
}

/// The reference plan as pasted, previewed (a dry run writes nothing, so the file can follow).
async fn text_preview(app: &TestApp, admin: &str) -> Value {
    let query = IMPORT_FILE.replace("$f: Upload", "$t: String").replace("file: $f", "text: $t");
    let preview = app.graphql(&query, json!({ "t": SAMPLE_PLAN, "d": true }), Some(admin)).await;
    preview.data()["importPlan"].clone()
}

async fn counts(app: &TestApp, admin: &str) -> (i64, i64) {
    let counts = app.graphql("{ documents { totalCount } tasks { totalCount } }", json!({}), Some(admin)).await;
    let data = counts.data();
    (data["documents"]["totalCount"].as_i64().unwrap(), data["tasks"]["totalCount"].as_i64().unwrap())
}

#[tokio::test]
async fn a_word_table_and_a_sheet_import_the_26_tasks_of_the_pasted_text() {
    let (app, admin) = empty_app().await;
    let expected = text_preview(&app, &admin).await;
    assert_eq!(expected["tasks"].as_array().unwrap().len(), 26);
    let files = [("方案.docx", samples::reference_docx()), ("方案.xlsx", samples::reference_xlsx())];
    for (name, bytes) in files {
        let response = upload(&app, &admin, name, bytes, json!({ "r": true })).await;
        assert_eq!(response.status, 200, "{name}: {}", response.text);
        let body = response.json();
        assert!(body.get("errors").is_none(), "{name}: {body}");
        let result = &body["data"]["importPlan"];
        assert_eq!(result["dryRun"], false);
        assert_eq!(result["document"]["docNumber"], "盘县政办发〔2014〕103号", "{name}");
        assert_eq!(result["document"]["issuedOn"], "2014-11-13", "{name}");
        assert_eq!(result["document"]["title"], expected["document"]["title"], "{name}");
        assert_eq!(result["tasks"].as_array().unwrap().len(), 26, "{name}");
        assert_eq!(essentials(result), essentials(&expected), "{name}: the same tasks, units and schedules");
        assert_eq!(result["tasks"][14]["lead"]["name"], "县卫生局", "{name}");
    }
    assert_eq!(counts(&app, &admin).await, (1, 26), "the second file replaced the first");
}

#[tokio::test]
async fn a_dry_run_upload_returns_the_preview_and_writes_nothing() {
    let (app, admin) = empty_app().await;
    let response = upload(&app, &admin, "plan.docx", samples::reference_docx(), json!({ "d": true })).await;
    let result = &response.json()["data"]["importPlan"];
    assert_eq!(result["dryRun"], true);
    assert_eq!(result["tasks"].as_array().unwrap().len(), 26, "{}", response.text);
    assert_eq!(counts(&app, &admin).await, (0, 0));
}

#[tokio::test]
async fn refused_files_are_bad_input_with_their_reason_and_write_nothing() {
    let (app, admin) = empty_app().await;
    let cases: [(&str, Vec<u8>, &str); 7] = [
        ("通知.doc", samples::old_word_file(), "FILE_OLD_WORD_FORMAT"),
        ("plan.docx", samples::encrypted_office_file(), "FILE_PASSWORD_PROTECTED"),
        ("plan.xlsx", samples::encrypted_office_file(), "FILE_PASSWORD_PROTECTED"),
        ("plan.docx", samples::zip_bomb(), "FILE_TOO_MUCH_DATA"),
        ("plan.docx", SAMPLE_PLAN.as_bytes().to_vec(), "FILE_WRONG_CONTENT"),
        ("plan.pdf", b"%PDF-1.7".to_vec(), "FILE_TYPE_UNSUPPORTED"),
        ("plan.txt", "序号 | 工作任务 |\n".repeat(150_000).into_bytes(), "FILE_TOO_LARGE"),
    ];
    for (name, bytes, reason) in cases {
        let response = upload(&app, &admin, name, bytes, json!({})).await;
        assert_eq!(response.status, 200, "{name}: {}", response.text);
        let error = &response.json()["errors"][0];
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{name}: {error}");
        assert_eq!(error["extensions"]["reason"], reason, "{name}: {error}");
        assert!(!error["message"].as_str().unwrap_or_default().is_empty());
    }
    let taskless = samples::docx(&samples::para("关于做好冬季防火工作的通知\n请各单位认真落实。"));
    let response = upload(&app, &admin, "notice.docx", taskless, json!({})).await;
    assert_eq!(response.json()["errors"][0]["extensions"]["reason"], "NO_TASKS", "{}", response.text);
    assert_eq!(counts(&app, &admin).await, (0, 0));
}

#[tokio::test]
async fn a_file_over_the_upload_limit_is_refused_by_the_http_layer() {
    let (app, admin) = empty_app().await;
    // Over the largest file an upload may carry (an evidence file's default 20 MB).
    let big = vec![b'a'; 20 * 1024 * 1024 + 1];
    let response = upload(&app, &admin, "plan.xlsx", big, json!({})).await;
    assert_eq!(response.status, 413, "{}", response.text);
    assert_eq!(response.error_code().as_deref(), Some("PAYLOAD_TOO_LARGE"));
}

#[tokio::test]
async fn uploads_need_a_token_and_an_admin() {
    let app = spawn_app().await;
    let anonymous = app.raw(upload_request(&app, None, IMPORT_FILE, json!({}), "plan.docx", samples::reference_docx()));
    let anonymous = anonymous.await;
    assert_eq!(anonymous.status, 415, "{}", anonymous.text);
    assert_eq!(anonymous.error_code().as_deref(), Some("BAD_REQUEST"));
    let leader = app.user_token("leader1", "LEADER", None).await;
    let refused = upload(&app, &leader, "plan.docx", samples::reference_docx(), json!({ "d": true })).await;
    assert_eq!(refused.error_code().as_deref(), Some("FORBIDDEN"), "{}", refused.text);
    let unit = app.user_token("minzheng", "DEPARTMENT", Some("县民政局")).await;
    let refused = upload(&app, &unit, "plan.docx", samples::reference_docx(), json!({ "d": true })).await;
    assert_eq!(refused.error_code().as_deref(), Some("FORBIDDEN"), "{}", refused.text);
}

#[tokio::test]
async fn exactly_one_of_file_and_text_is_taken() {
    let (app, admin) = empty_app().await;
    let both = "mutation($f: Upload, $t: String) { importPlan(file: $f, text: $t, dryRun: true) { dryRun } }";
    let vars = json!({ "t": SAMPLE_PLAN });
    let response =
        app.raw(upload_request(&app, Some(&admin), both, vars, "plan.docx", samples::reference_docx())).await;
    assert_eq!(response.error_code().as_deref(), Some("BAD_USER_INPUT"), "{}", response.text);
    let neither = app.graphql("mutation { importPlan(dryRun: true) { dryRun } }", json!({}), Some(&admin)).await;
    assert_eq!(neither.error_code(), Some("BAD_USER_INPUT"), "{}", neither.body);
    let nulls = "mutation { importPlan(file: null, text: null) { dryRun } }";
    assert_eq!(app.graphql(nulls, json!({}), Some(&admin)).await.error_code(), Some("BAD_USER_INPUT"));
}

#[tokio::test]
async fn a_json_request_cannot_stand_in_for_an_uploaded_file() {
    let (app, admin) = empty_app().await;
    let query = "mutation($f: Upload) { importPlan(file: $f) { dryRun } }";
    // What only the multipart reader may write: refused before the request runs.
    for value in [json!("#__graphql_file__:0"), json!("#__graphql_file__:x"), json!({ "a": ["#__graphql_file__:"] })] {
        let response = app.graphql(query, json!({ "f": value }), Some(&admin)).await;
        assert_eq!((response.status, response.error_code()), (400, Some("BAD_REQUEST")), "{value}: {}", response.body);
    }
    let inline =
        app.graphql("mutation { importPlan(file: \"#__graphql_file__:x\") { dryRun } }", json!({}), None).await;
    assert_eq!((inline.status, inline.error_code()), (400, Some("BAD_REQUEST")), "{}", inline.body);
    for value in [json!("plan.docx"), json!(7)] {
        let response = app.graphql(query, json!({ "f": value }), Some(&admin)).await;
        assert_eq!(response.error_code(), Some("BAD_USER_INPUT"), "{value}: {}", response.body);
    }
    // In a multipart request, only the placeholders of the files it carries.
    let vars = json!({ "t": "#__graphql_file__:1" });
    let query = "mutation($f: Upload, $t: String) { importPlan(file: $f, text: $t) { dryRun } }";
    let response =
        app.raw(upload_request(&app, Some(&admin), query, vars, "plan.docx", samples::reference_docx())).await;
    assert_eq!((response.status, response.error_code().as_deref()), (400, Some("BAD_REQUEST")), "{}", response.text);
}
