//! Admin writes: validation, optimistic concurrency, transactions.

use duban_tests::{TestApp, spawn_app};
use serde_json::{Value, json};

async fn first_task(app: &TestApp, token: &str) -> Value {
    let r =
        app.graphql("{ tasks(first: 1) { nodes { id version title document { id } } } }", json!({}), Some(token)).await;
    r.data()["tasks"]["nodes"][0].clone()
}

const UPDATE: &str = "mutation($id: ID!, $v: Int!, $i: UpdateTaskInput!) {
    updateTask(id: $id, expectedVersion: $v, input: $i) { title version } }";

#[tokio::test]
async fn update_task_with_a_stale_version_conflicts_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let task = first_task(&app, &admin).await;
    let v = task["version"].as_i64().unwrap();
    let ok = app.graphql(UPDATE, json!({ "id": task["id"], "v": v, "i": { "title": "新标题" } }), Some(&admin)).await;
    assert_eq!(ok.data()["updateTask"]["version"], v + 1);
    let stale =
        app.graphql(UPDATE, json!({ "id": task["id"], "v": v, "i": { "title": "另一个标题" } }), Some(&admin)).await;
    assert_eq!(stale.error_code(), Some("CONFLICT"));
    let now = first_task(&app, &admin).await;
    assert_eq!(now["title"], "新标题");
    assert_eq!(now["version"], v + 1);
}

#[tokio::test]
async fn invalid_task_input_is_refused_and_writes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let task = first_task(&app, &admin).await;
    let v = task["version"].as_i64().unwrap();
    let cases = [
        (json!({ "title": "  " }), "BAD_USER_INPUT"),
        (json!({ "seq": 2 }), "BAD_USER_INPUT"),
        (json!({ "seq": 0 }), "BAD_USER_INPUT"),
    ];
    for (input, code) in cases {
        let r = app.graphql(UPDATE, json!({ "id": task["id"], "v": v, "i": input }), Some(&admin)).await;
        assert_eq!(r.error_code(), Some(code), "{input}");
    }
    let missing = app.graphql(UPDATE, json!({ "id": "999999", "v": 1, "i": { "title": "x" } }), Some(&admin)).await;
    assert_eq!(missing.error_code(), Some("NOT_FOUND"));
    assert_eq!(first_task(&app, &admin).await["version"], v);
}

#[tokio::test]
async fn create_task_set_assignments_and_delete() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let doc = first_task(&app, &admin).await["document"]["id"].clone();
    let created = app
        .graphql(
            "mutation($i: CreateTaskInput!) { createTask(input: $i) { id seq schedule { kind } } }",
            json!({ "i": { "documentId": doc, "seq": 27, "title": "新增任务", "schedule": { "text": "2015年底前", "kind": "DEADLINE", "dueDate": "2015-12-31" } } }),
            Some(&admin),
        )
        .await;
    let id = created.data()["createTask"]["id"].clone();
    let duplicate = app
        .graphql(
            "mutation($i: CreateTaskInput!) { createTask(input: $i) { id } }",
            json!({ "i": { "documentId": doc, "seq": 27, "title": "重复", "schedule": { "text": "", "kind": "UNPARSED" } } }),
            Some(&admin),
        )
        .await;
    assert_eq!(duplicate.error_code(), Some("BAD_USER_INPUT"));

    let (finance, civil) = (app.department_id("县财政局").await, app.department_id("县民政局").await);
    const SET: &str = "mutation($t: ID!, $a: [AssignmentInput!]!) { setTaskAssignments(taskId: $t, assignments: $a) {
        lead { name } assignments { role position department { name } } } }";
    let set = app
        .graphql(SET, json!({ "t": id, "a": [{ "departmentId": finance, "role": "LEAD" }, { "departmentId": civil, "role": "SUPPORTING" }] }), Some(&admin))
        .await;
    let task = &set.data()["setTaskAssignments"];
    assert_eq!(task["lead"]["name"], "县财政局");
    assert_eq!(task["assignments"][1]["position"], 2);

    let both = app
        .graphql(SET, json!({ "t": id, "a": [{ "departmentId": finance, "role": "LEAD" }, { "departmentId": finance, "role": "SUPPORTING" }] }), Some(&admin))
        .await;
    assert_eq!(both.error_code(), Some("BAD_USER_INPUT"));
    let unknown =
        app.graphql(SET, json!({ "t": id, "a": [{ "departmentId": "99999", "role": "LEAD" }] }), Some(&admin)).await;
    assert_eq!(unknown.error_code(), Some("NOT_FOUND"));
    let unchanged = app
        .graphql(
            "query($id: ID!) { task(id: $id) { assignments { department { name } } } }",
            json!({ "id": id }),
            Some(&admin),
        )
        .await;
    assert_eq!(
        unchanged.data()["task"]["assignments"].as_array().unwrap().len(),
        2,
        "failed writes left the old assignments"
    );

    let deleted = app.graphql("mutation($id: ID!) { deleteTask(id: $id) }", json!({ "id": id }), Some(&admin)).await;
    assert_eq!(deleted.data()["deleteTask"], true);
    let again = app.graphql("mutation($id: ID!) { deleteTask(id: $id) }", json!({ "id": id }), Some(&admin)).await;
    assert_eq!(again.error_code(), Some("NOT_FOUND"));
}

#[tokio::test]
async fn merging_departments_moves_assignments_and_keeps_the_old_name_as_alias() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let created = app
        .graphql(
            r#"mutation { createDepartment(input: { name: "县卫计局" }) { id kind needsReview } }"#,
            json!({}),
            Some(&admin),
        )
        .await;
    let new_id = created.data()["createDepartment"]["id"].clone();
    let health = app.department_id("县卫生局").await;
    let merged = app
        .graphql(
            "mutation($f: ID!, $i: ID!) { mergeDepartments(fromId: $f, intoId: $i) { name aliases tasks { totalCount } } }",
            json!({ "f": health, "i": new_id }),
            Some(&admin),
        )
        .await;
    let dept = &merged.data()["mergeDepartments"];
    assert_eq!(dept["tasks"]["totalCount"], 12);
    assert!(dept["aliases"].as_array().unwrap().iter().any(|a| a == "县卫生局"));
    let gone =
        app.graphql("query($id: ID!) { department(id: $id) { id } }", json!({ "id": health }), Some(&admin)).await;
    assert!(gone.data()["department"].is_null());
    let taken = app
        .graphql(r#"mutation { createDepartment(input: { name: "县卫生局" }) { id } }"#, json!({}), Some(&admin))
        .await;
    assert_eq!(taken.error_code(), Some("CONFLICT"), "the old name is now an alias");
    let self_merge = app
        .graphql(
            "mutation($f: ID!) { mergeDepartments(fromId: $f, intoId: $f) { id } }",
            json!({ "f": new_id }),
            Some(&admin),
        )
        .await;
    assert_eq!(self_merge.error_code(), Some("BAD_USER_INPUT"));
}

#[tokio::test]
async fn documents_can_be_created_updated_and_deleted_with_their_tasks() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let doc = first_task(&app, &admin).await["document"]["id"].clone();
    let dup = app
        .graphql(
            r#"mutation { createDocument(input: { title: "x", docNumber: "盘县政办发〔2014〕103号" }) { id } }"#,
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(dup.error_code(), Some("CONFLICT"));
    let empty =
        app.graphql(r#"mutation { createDocument(input: { title: " " }) { id } }"#, json!({}), Some(&admin)).await;
    assert_eq!(empty.error_code(), Some("BAD_USER_INPUT"));
    let updated = app
        .graphql(
            "mutation($id: ID!) { updateDocument(id: $id, input: { issuer: \"盘山县政府\" }) { issuer } }",
            json!({ "id": doc }),
            Some(&admin),
        )
        .await;
    assert_eq!(updated.data()["updateDocument"]["issuer"], "盘山县政府");
    let deleted =
        app.graphql("mutation($id: ID!) { deleteDocument(id: $id) }", json!({ "id": doc }), Some(&admin)).await;
    assert_eq!(deleted.data()["deleteDocument"], true);
    let tasks = app.graphql("{ tasks { totalCount } }", json!({}), Some(&admin)).await;
    assert_eq!(tasks.data()["tasks"]["totalCount"], 0);
}
