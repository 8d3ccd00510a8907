//! The audit trail through HTTP: one entry per changed entity with who, from where and the
//! fields before and after (never a secret); nothing for a refused or failed write; a task's
//! timeline in an office's words; `auditLog` filters; and `duban audit verify` catching a row
//! changed or removed by hand.

use duban::bootstrap::SAMPLE_PLAN;
use duban_tests::{AppOptions, TestApp, password_for, spawn_app, spawn_app_with};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

const LOG: &str = "query($f: AuditLogFilter, $n: Int, $a: String) { auditLog(filter: $f, first: $n, after: $a) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id actorKind actor { username } serviceTokenId clientAddress operation entity entityId taskId action before after hash } } }";

/// The newest `n` entries, oldest first.
async fn newest(app: &TestApp, admin: &str, n: usize) -> Vec<Value> {
    let found = app.graphql(LOG, json!({ "n": n }), Some(admin)).await;
    let mut nodes = found.data()["auditLog"]["nodes"].as_array().unwrap().clone();
    nodes.reverse();
    nodes
}

fn shape(entries: &[Value]) -> Vec<(String, String, String)> {
    let mut shape: Vec<(String, String, String)> = entries
        .iter()
        .map(|e| {
            (
                e["operation"].as_str().unwrap().into(),
                e["entity"].as_str().unwrap().into(),
                e["action"].as_str().unwrap().into(),
            )
        })
        .collect();
    shape.sort();
    shape
}

fn owned(items: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    let mut items: Vec<(String, String, String)> =
        items.iter().map(|(a, b, c)| ((*a).into(), (*b).into(), (*c).into())).collect();
    items.sort();
    items
}

/// A task of the reference plan led by 县民政局, and that unit's account.
async fn lead_on_task(app: &TestApp, admin: &str) -> (String, String, String) {
    let unit = app.department_id_as(admin, "县民政局").await;
    app.create_account(admin, "minzheng", "DEPARTMENT", Some(&unit)).await;
    let token = app.login("minzheng", &password_for("minzheng")).await;
    let tasks =
        app.graphql("{ tasks(filter: { role: LEAD }, first: 1) { nodes { id } } }", json!({}), Some(&token)).await;
    let task = tasks.data()["tasks"]["nodes"][0]["id"].as_str().unwrap().to_owned();
    (token, task, unit)
}

#[tokio::test]
async fn each_changed_entity_is_one_entry_with_who_and_what_and_never_a_secret() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (unit, task, unit_id) = lead_on_task(&app, &admin).await;
    let before = app.audit_entries().await;

    app.sign_for(&unit, &task).await;
    let signed = newest(&app, &admin, 1).await;
    assert_eq!(app.audit_entries().await - before, 1, "signing changes one row");
    let entry = &signed[0];
    assert_eq!(shape(&signed), owned(&[("signTask", "assignment", "UPDATE")]));
    assert_eq!((entry["actorKind"].as_str(), entry["actor"]["username"].as_str()), (Some("USER"), Some("minzheng")));
    assert_eq!(entry["clientAddress"], "127.0.0.1");
    assert_eq!(entry["taskId"], task.as_str());
    assert_eq!(entry["before"]["state"], "ASSIGNED");
    assert_eq!(entry["after"]["state"], "SIGNED");
    assert!(entry["after"]["task_id"].is_null(), "only the fields that changed: {}", entry["after"]);

    let report = "mutation($t: ID!) { submitReport(taskId: $t, text: \"已部署\", percent: 20) { id } }";
    app.graphql(report, json!({ "t": task }), Some(&unit)).await.data();
    let reported = newest(&app, &admin, 3).await;
    assert_eq!(
        shape(&reported),
        owned(&[
            ("submitReport", "assignment", "UPDATE"),
            ("submitReport", "progress_report", "CREATE"),
            ("submitReport", "task", "UPDATE")
        ]),
        "the first report: the unit's part, the report, the task's status"
    );

    // A refused write and a failed one leave nothing.
    let count = app.audit_entries().await;
    let archive = "mutation($t: ID!) { archiveTask(taskId: $t, expectedVersion: 1) { id } }";
    assert_eq!(app.graphql(archive, json!({ "t": task }), Some(&unit)).await.error_code(), Some("FORBIDDEN"));
    let too_much = "mutation($t: ID!) { submitReport(taskId: $t, text: \"x\", percent: 101) { id } }";
    assert_eq!(app.graphql(too_much, json!({ "t": task }), Some(&unit)).await.error_code(), Some("BAD_USER_INPUT"));
    let stale = "mutation($t: ID!) { suspendTask(taskId: $t, reason: \"r\", expectedVersion: 99) { id } }";
    assert_eq!(app.graphql(stale, json!({ "t": task }), Some(&admin)).await.error_code(), Some("CONFLICT"));
    assert_eq!(app.audit_entries().await, count);

    // Accounts: the password is said to change, never recorded.
    app.create_account(&admin, "leader1", "LEADER", None).await;
    let leader = app.login("leader1", &password_for("leader1")).await;
    let change =
        "mutation($o: String!) { changePassword(oldPassword: $o, newPassword: \"a-brand-new-secret-1\") { token } }";
    app.graphql(change, json!({ "o": password_for("leader1") }), Some(&leader)).await.data();
    let accounts = app.graphql(LOG, json!({ "f": { "entity": "app_user" }, "n": 100 }), Some(&admin)).await;
    let text = accounts.data().to_string();
    assert!(
        !text.contains("argon2") && !text.contains("a-brand-new-secret-1") && !text.contains("password_hash"),
        "{text}"
    );
    assert!(text.contains("\"password\":\"changed\""), "{text}");
    assert!(text.contains("\"LOGIN\""), "sign-ins are on the record");

    // A unit system acting through a service token is named as such.
    let system = app.create_account(&admin, "minzheng-system", "SERVICE", Some(&unit_id)).await;
    let issued = app
        .graphql(
            "mutation($u: ID!) { createServiceToken(userId: $u, name: \"ledger\") { token serviceToken { id } } }",
            json!({ "u": system }),
            Some(&admin),
        )
        .await;
    let secret = issued.data()["createServiceToken"]["token"].as_str().unwrap().to_owned();
    let token_id = issued.data()["createServiceToken"]["serviceToken"]["id"].clone();
    assert!(!newest(&app, &admin, 1).await[0].to_string().contains(&secret), "the token itself is not recorded");
    app.graphql(report, json!({ "t": task }), Some(&secret)).await.data();
    let by_system = newest(&app, &admin, 1).await;
    assert_eq!((by_system[0]["actorKind"].as_str(), &by_system[0]["serviceTokenId"]), (Some("SERVICE"), &token_id));
}

#[tokio::test]
async fn an_import_records_the_document_its_tasks_their_units_and_new_units() {
    let app = spawn_app_with(AppOptions { sample_plan: false, ..Default::default() }).await;
    let admin = app.admin_token().await;
    let before = app.audit_entries().await;
    let imported = app
        .graphql("mutation($t: String!) { importPlan(text: $t) { tasks { assignments { role } } createdDepartments { name } } }", json!({ "t": SAMPLE_PLAN }), Some(&admin))
        .await;
    let result = &imported.data()["importPlan"];
    let assignments: usize =
        result["tasks"].as_array().unwrap().iter().map(|t| t["assignments"].as_array().unwrap().len()).sum();
    let created = result["createdDepartments"].as_array().unwrap().len();
    let by_entity = |entity: &'static str| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let found = app.graphql(LOG, json!({ "f": { "entity": entity }, "n": 1 }), Some(&admin)).await;
            found.data()["auditLog"]["totalCount"].as_i64().unwrap()
        }
    };
    assert_eq!(by_entity("document").await, 1);
    assert_eq!(by_entity("task").await, 26);
    assert_eq!(by_entity("assignment").await, assignments as i64);
    assert!(by_entity("department").await >= created as i64);
    let total = app.audit_entries().await - before;
    let departments = by_entity("department").await + by_entity("department_alias").await;
    assert_eq!(total, 1 + 26 + assignments as i64 + departments, "one entry per row the import wrote");

    let dry = "mutation($t: String!) { importPlan(text: $t, dryRun: true, replace: true) { dryRun } }";
    let count = app.audit_entries().await;
    app.graphql(dry, json!({ "t": SAMPLE_PLAN }), Some(&admin)).await.data();
    assert_eq!(app.audit_entries().await, count, "a dry run writes nothing, on the trail neither");
}

#[tokio::test]
async fn a_tasks_timeline_reads_as_the_office_says_it_and_keeps_units_private_items_private() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (unit, task, _) = lead_on_task(&app, &admin).await;
    let assignments = app
        .graphql(
            "query($id: ID!) { task(id: $id) { assignments { role department { id name kind } } } }",
            json!({ "id": task }),
            Some(&admin),
        )
        .await;
    let other = assignments.data()["task"]["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["role"] == "SUPPORTING" && a["department"]["kind"] == "UNIT")
        .expect("a supporting unit")["department"]
        .clone();
    app.sign_for(&unit, &task).await;
    app.graphql(
        "mutation($t: ID!) { submitReport(taskId: $t, text: \"已部署\", percent: 20) { id } }",
        json!({ "t": task }),
        Some(&unit),
    )
    .await
    .data();
    let urge =
        "mutation($t: ID!, $d: [ID!]!) { urge(input: { taskIds: [$t], departmentIds: $d, text: \"请加快\" }) { id } }";
    app.graphql(urge, json!({ "t": task, "d": [other["id"]] }), Some(&admin)).await.data();
    app.graphql(
        "mutation($t: ID!) { instruct(taskId: $t, text: \"务必按期完成\") { id } }",
        json!({ "t": task }),
        Some(&admin),
    )
    .await
    .data();

    let timeline =
        "query($id: ID!) { task(id: $id) { timeline { code text actor { username } department { name } at } } }";
    let lines = |v: &Value| -> Vec<(String, String)> {
        v["task"]["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["code"].as_str().unwrap().into(), l["text"].as_str().unwrap().into()))
            .collect()
    };
    let handed_out = |lines: &[(String, String)]| matches!(lines[0].0.as_str(), "TASK_CREATED");
    let after_hand_out = |lines: Vec<(String, String)>| -> Vec<(String, String)> {
        lines.into_iter().filter(|(c, _)| !matches!(c.as_str(), "TASK_CREATED" | "UNIT_ASSIGNED")).collect()
    };
    let all = lines(app.graphql(timeline, json!({ "id": task }), Some(&admin)).await.data());
    assert!(handed_out(&all), "the import handed the task out first: {all:?}");
    assert!(all.iter().any(|(c, t)| c == "UNIT_ASSIGNED" && t == "交办 县民政局(牵头)"), "{all:?}");
    let office = after_hand_out(all);
    let codes: Vec<&str> = office.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(codes, ["SIGNED", "REPORTED", "URGED", "INSTRUCTED"], "{office:?}");
    assert_eq!(office[0].1, "县民政局 签收");
    assert_eq!(office[1].1, "县民政局 报送进展(20%)");
    assert_eq!(office[2].1, format!("催办 {}:请加快", other["name"].as_str().unwrap()));
    assert_eq!(office[3].1, "领导批示:务必按期完成");
    let own = after_hand_out(lines(app.graphql(timeline, json!({ "id": task }), Some(&unit)).await.data()));
    assert_eq!(
        own.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(),
        ["SIGNED", "REPORTED", "INSTRUCTED"],
        "another unit's urging is not the lead's business"
    );
}

#[tokio::test]
async fn the_audit_log_filters_by_entity_actor_and_time_and_pages() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (unit, task, _) = lead_on_task(&app, &admin).await;
    let started = chrono::Utc::now();
    app.sign_for(&unit, &task).await;
    let me = app.graphql("{ viewer { id } }", json!({}), Some(&unit)).await.data()["viewer"]["id"].clone();
    let by_unit = app.graphql(LOG, json!({ "f": { "actorId": me }, "n": 100 }), Some(&admin)).await;
    let nodes = by_unit.data()["auditLog"]["nodes"].as_array().unwrap().clone();
    assert!(nodes.iter().all(|n| n["actor"]["username"] == "minzheng"), "{nodes:?}");
    assert!(nodes.iter().any(|n| n["operation"] == "signTask"));
    let since = app.graphql(LOG, json!({ "f": { "from": started.to_rfc3339() }, "n": 100 }), Some(&admin)).await;
    let recent: Vec<Value> = since.data()["auditLog"]["nodes"].as_array().unwrap().clone();
    assert!(
        !recent.is_empty() && recent.iter().all(|n| n["operation"] != "importPlan"),
        "only what came after: {recent:?}"
    );

    // Page by page, newest first, the same entries as one page.
    let all = app.graphql(LOG, json!({ "n": 100 }), Some(&admin)).await.data()["auditLog"]["nodes"].clone();
    let (mut after, mut walked) = (Value::Null, Vec::new());
    loop {
        let page = app.graphql(LOG, json!({ "n": 7, "a": after }), Some(&admin)).await;
        let log = &page.data()["auditLog"];
        walked.extend(log["nodes"].as_array().unwrap().iter().map(|n| n["id"].clone()));
        if log["pageInfo"]["hasNextPage"] != true || walked.len() >= 100 {
            break;
        }
        after = log["pageInfo"]["endCursor"].clone();
    }
    let ids: Vec<Value> = all.as_array().unwrap().iter().map(|n| n["id"].clone()).collect();
    assert_eq!(walked[..ids.len().min(walked.len())], ids[..ids.len().min(walked.len())]);
}

const BINARY: &str = env!("CARGO_BIN_EXE_duban-process");

fn verify(url: &str) -> (bool, String) {
    let output = std::process::Command::new(BINARY)
        .args(["audit", "verify"])
        .env("DATABASE_URL", url)
        .env("DUBAN_AUDIT_KEY", duban_tests::audit_key())
        .env("DUBAN_LOG_FORMAT", "pretty")
        .output()
        .expect("run duban audit verify");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

#[tokio::test]
async fn duban_audit_verify_names_the_first_entry_changed_or_removed_by_hand() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (unit, task, _) = lead_on_task(&app, &admin).await;
    app.sign_for(&unit, &task).await;
    let url = app.url.clone();
    let (ok, text) = tokio::task::spawn_blocking({
        let url = url.clone();
        move || verify(&url)
    })
    .await
    .unwrap();
    assert!(ok && text.contains("intact"), "{text}");

    let backend = app.db.get_database_backend();
    let run = |sql: String| {
        let db = app.db.clone();
        async move { db.execute_raw(sea_orm::Statement::from_string(backend, sql)).await.unwrap() }
    };
    let middle = app.audit_entries().await / 2;
    run(format!("UPDATE audit_entry SET after = '{{\"state\":\"DONE\"}}' WHERE id = {middle}")).await;
    let (ok, text) = tokio::task::spawn_blocking({
        let url = url.clone();
        move || verify(&url)
    })
    .await
    .unwrap();
    assert!(!ok && text.contains(&format!("#{middle}")), "an edited entry is named: {text}");

    run(format!("DELETE FROM audit_entry WHERE id >= {middle} AND id < {}", middle + 2)).await;
    let (ok, text) = tokio::task::spawn_blocking(move || verify(&url)).await.unwrap();
    assert!(!ok && text.contains(&format!("#{}", middle + 2)), "a removal is named at the entry after it: {text}");
}
