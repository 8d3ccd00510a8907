//! Reading tasks, documents and departments through GraphQL.

use duban_tests::spawn_app;
use serde_json::json;

#[tokio::test]
async fn anonymous_callers_cannot_read_tasks() {
    let app = spawn_app().await;
    let response = app.graphql("{ tasks { totalCount } }", json!({}), None).await;
    assert_eq!(response.error_code(), Some("UNAUTHENTICATED"));
    assert!(response.body["data"].is_null());
}

#[tokio::test]
async fn the_reference_plan_is_served_in_plan_order_with_a_total() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let response = app
        .graphql(
            "{ tasks(first: 5) { totalCount pageInfo { hasNextPage endCursor }
                 edges { cursor node { seq title lead { name } document { docNumber } } } } }",
            json!({}),
            Some(&admin),
        )
        .await;
    let tasks = &response.data()["tasks"];
    assert_eq!(tasks["totalCount"], 26);
    assert_eq!(tasks["pageInfo"]["hasNextPage"], true);
    let seqs: Vec<i64> =
        tasks["edges"].as_array().unwrap().iter().map(|e| e["node"]["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, vec![1, 2, 3, 4, 5]);
    assert_eq!(tasks["edges"][0]["node"]["lead"]["name"], "县民政局");
    assert_eq!(tasks["edges"][0]["node"]["document"]["docNumber"], "盘县政办发〔2014〕103号");
}

#[tokio::test]
async fn pages_follow_each_other_without_gaps_or_repeats() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut after: Option<String> = None;
    let mut seen = Vec::new();
    loop {
        let response = app
            .graphql(
                "query($after: String) { tasks(first: 7, after: $after) {
                    pageInfo { hasNextPage endCursor } nodes { seq } } }",
                json!({ "after": after }),
                Some(&admin),
            )
            .await;
        let page = &response.data()["tasks"];
        seen.extend(page["nodes"].as_array().unwrap().iter().map(|n| n["seq"].as_i64().unwrap()));
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(seen, (1..=26).collect::<Vec<_>>());
}

#[tokio::test]
async fn page_size_defaults_to_20_and_more_than_100_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let default = app.graphql("{ tasks { nodes { id } } }", json!({}), Some(&admin)).await;
    assert_eq!(default.data()["tasks"]["nodes"].as_array().unwrap().len(), 20);
    for query in [
        "{ tasks(first: 101) { nodes { id } } }",
        "{ departments(first: 101) { nodes { id } } }",
        "{ documents(first: -1) { nodes { id } } }",
    ] {
        let refused = app.graphql(query, json!({}), Some(&admin)).await;
        assert_eq!(refused.error_code(), Some("BAD_USER_INPUT"), "{query}");
    }
    let bad_cursor = app.graphql(r#"{ tasks(after: "nonsense!") { nodes { id } } }"#, json!({}), Some(&admin)).await;
    assert_eq!(bad_cursor.error_code(), Some("BAD_USER_INPUT"));
}

#[tokio::test]
async fn filters_narrow_the_list() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let count = |filter: serde_json::Value| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let r = app
                .graphql(
                    "query($f: TaskFilter) { tasks(filter: $f) { totalCount } }",
                    json!({ "f": filter }),
                    Some(&admin),
                )
                .await;
            r.data()["tasks"]["totalCount"].as_i64().unwrap()
        }
    };
    let health = app.department_id("县卫生局").await;
    assert_eq!(count(json!({ "scheduleKind": "ONGOING" })).await, 9);
    assert_eq!(count(json!({ "scheduleKind": "RECURRING" })).await, 1);
    assert_eq!(count(json!({ "search": "医疗救助" })).await, 3);
    assert_eq!(count(json!({ "search": "醫療救助" })).await, 3, "Traditional input matches");
    assert_eq!(count(json!({ "departmentId": health, "role": "LEAD" })).await, 1);
    let all_health = count(json!({ "departmentId": health })).await;
    assert_eq!(all_health, 12);
    // Every dated deadline of a 2014 plan has passed and nothing is completed.
    assert_eq!(count(json!({ "overdue": true })).await, 5);
    assert_eq!(count(json!({ "overdue": false })).await, 21);
}

#[tokio::test]
async fn documents_and_departments_are_listed_with_nested_tasks() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let response = app
        .graphql(
            r#"{ documents { totalCount nodes { docNumber title issuer issuedOn tasks(first: 2) { totalCount nodes { seq } } } }
                departments(filter: { kind: GROUP }) { nodes { name kind tasks(role: SUPPORTING, first: 1) { totalCount } } } }"#,
            json!({}),
            Some(&admin),
        )
        .await;
    let data = response.data();
    let doc = &data["documents"]["nodes"][0];
    assert_eq!(data["documents"]["totalCount"], 1);
    assert_eq!(doc["issuer"], "盘山县人民政府办公室");
    assert_eq!(doc["issuedOn"], "2014-11-13");
    assert_eq!(doc["tasks"]["totalCount"], 26);
    let towns = data["departments"]["nodes"].as_array().unwrap().iter().find(|d| d["name"] == "各镇人民政府").unwrap();
    assert_eq!(towns["tasks"]["totalCount"], 23);
}

#[tokio::test]
async fn a_task_by_id_and_a_missing_one() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let first = app.graphql("{ tasks(first: 1) { nodes { id } } }", json!({}), Some(&admin)).await;
    let id = first.data()["tasks"]["nodes"][0]["id"].as_str().unwrap().to_owned();
    let found = app
        .graphql(
            "query($id: ID!) { task(id: $id) { seq schedule { text kind dueDate ongoing } dueDate overdue version
                 assignments { position role department { name kind } } } }",
            json!({ "id": id }),
            Some(&admin),
        )
        .await;
    let task = &found.data()["task"];
    assert_eq!(task["schedule"]["kind"], "DEADLINE");
    assert_eq!(task["schedule"]["ongoing"], true);
    assert_eq!(task["dueDate"], "2014-12-31");
    assert_eq!(task["assignments"].as_array().unwrap().len(), 5);
    assert_eq!(task["assignments"][4]["department"]["kind"], "GROUP");
    let missing = app.graphql(r#"{ task(id: "999999") { id } }"#, json!({}), Some(&admin)).await;
    assert!(missing.data()["task"].is_null());
    let malformed = app.graphql(r#"{ task(id: "abc") { id } }"#, json!({}), Some(&admin)).await;
    assert_eq!(malformed.error_code(), Some("BAD_USER_INPUT"));
}
