//! No N+1: the statements one request runs do not grow with the page size.

use duban_tests::{AppOptions, TestApp, spawn_app_with};
use serde_json::json;

const PAGE_QUERY: &str = "query($n: Int) { tasks(first: $n) { totalCount nodes { title dueDate
    document { title } lead { name aliases } assignments { role department { name aliases } } } } }";

/// Statements the server ran for one request.
async fn statements_for(app: &TestApp, first: i32, token: &str) -> u64 {
    let before = app.statements();
    let response = app.graphql(PAGE_QUERY, json!({ "n": first }), Some(token)).await;
    let nodes = response.data()["tasks"]["nodes"].as_array().unwrap().len();
    assert_eq!(nodes as i32, first);
    let ran = app.statements() - before;
    eprintln!("page of {first}: {ran} statements\n{}", app.statements_since(before).join("\n"));
    assert!(ran > 0, "the count sees the statements of a request");
    ran
}

#[tokio::test]
async fn a_page_of_100_tasks_costs_the_same_statements_as_a_page_of_5() {
    let app = spawn_app_with(AppOptions { sample_plan: true, ..Default::default() }).await;
    let admin = app.admin_token().await;
    // Four more copies of the plan, so a page of 100 exists.
    for n in 2..=5 {
        let text = duban::bootstrap::SAMPLE_PLAN.replace("〕103號", &format!("〕{n}03號"));
        let imported = app
            .graphql(
                "mutation($t: String!) { importPlan(text: $t) { tasks { id } } }",
                json!({ "t": text }),
                Some(&admin),
            )
            .await;
        assert_eq!(imported.data()["importPlan"]["tasks"].as_array().unwrap().len(), 26);
    }
    let small = statements_for(&app, 5, &admin).await;
    let large = statements_for(&app, 100, &admin).await;
    assert_eq!(small, large, "statements must not grow with the page size");
    // Tasks page, count, documents, assignments with departments, aliases.
    assert!(large <= 6, "{large} statements for one page");
}

/// Statements one request runs, whatever it returns.
async fn statements_of(app: &TestApp, query: &str, variables: serde_json::Value, token: &str) -> u64 {
    let before = app.statements();
    app.graphql(query, variables, Some(token)).await.data();
    app.statements() - before
}

#[tokio::test]
async fn a_warm_request_reads_no_account_and_a_revocation_is_felt_at_once() {
    let app = spawn_app_with(AppOptions::default()).await;
    let unit = app.user_token("minzheng", "DEPARTMENT", Some("县民政局")).await;
    let admin = app.admin_token().await;
    let system_id =
        app.create_account(&admin, "minzheng-system", "SERVICE", Some(&app.department_id("县民政局").await)).await;
    let issued = app
        .graphql(
            "mutation($u: ID!) { createServiceToken(userId: $u, name: \"ledger\") { token } }",
            json!({ "u": system_id }),
            Some(&admin),
        )
        .await;
    let system = issued.data()["createServiceToken"]["token"].as_str().unwrap().to_owned();
    // The first request of a credential reads its account (one statement, counted like any
    // read), the next reads nothing to know who asks.
    for token in [&unit, &system] {
        let cold = statements_of(&app, "{ __typename }", json!({}), token).await;
        let warm = statements_of(&app, "{ __typename }", json!({}), token).await;
        assert_eq!(
            (cold, warm),
            (1, 0),
            "the account is read once\n{}",
            app.statements_since(app.statements() - cold - warm).join("\n")
        );
    }
    // Revoked, then refused on the very next request.
    let me = app.graphql("{ viewer { id } }", json!({}), Some(&unit)).await.data()["viewer"]["id"].clone();
    app.graphql("mutation($id: ID!) { deactivateUser(id: $id) { active } }", json!({ "id": me }), Some(&admin))
        .await
        .data();
    assert_eq!(app.graphql("{ __typename }", json!({}), Some(&unit)).await.status, 401);
    app.graphql("mutation($u: ID!) { deactivateUser(id: $u) { active } }", json!({ "u": system_id }), Some(&admin))
        .await
        .data();
    assert_eq!(app.graphql("{ __typename }", json!({}), Some(&system)).await.status, 401);
}

#[tokio::test]
async fn a_unit_dashboard_costs_two_statements_and_a_task_detail_one() {
    let app = spawn_app_with(AppOptions::default()).await;
    let unit = app.user_token("minzheng", "DEPARTMENT", Some("县民政局")).await;
    let dept = app.department_id("县民政局").await;
    // The account is read once, on the first request.
    statements_of(&app, "{ __typename }", json!({}), &unit).await;
    let dashboard = "query($d: ID!, $n: Int) { tasks(filter: { departmentId: $d }, first: $n) { nodes {
        id title status dueDate myRole assignments { role department { name } } } } }";
    for first in [5, 20, 100] {
        let n = statements_of(&app, dashboard, json!({ "d": dept, "n": first }), &unit).await;
        assert_eq!(
            n,
            2,
            "dashboard of {first}: the page, then its units\n{}",
            app.statements_since(app.statements() - n).join("\n")
        );
    }
    let ids = app.graphql("{ tasks(first: 1) { nodes { id } } }", json!({}), Some(&unit)).await;
    let id = ids.data()["tasks"]["nodes"][0]["id"].clone();
    app.sign_for(&unit, id.as_str().unwrap()).await;
    let report = "mutation($t: ID!) { submitReport(taskId: $t, text: \"已部署\", percent: 20) { id } }";
    app.graphql(report, json!({ "t": id }), Some(&unit)).await.data();
    let detail = "query($id: ID!) { task(id: $id) { title document { title docNumber }
        schedule { text kind dueDate } assignments { role department { name } }
        reports(first: 5) { nodes { text percent department { name } } } } }";
    let answer = app.graphql(detail, json!({ "id": id }), Some(&unit)).await;
    assert_eq!(answer.data()["task"]["reports"]["nodes"][0]["department"]["name"], "县民政局");
    let n = statements_of(&app, detail, json!({ "id": id }), &unit).await;
    assert_eq!(n, 1, "task detail: {n} statements\n{}", app.statements_since(app.statements() - n).join("\n"));
}

#[tokio::test]
async fn report_authors_and_policy_event_tasks_are_loaded_once_per_list() {
    let app = spawn_app_with(AppOptions::default()).await;
    let admin = app.admin_token().await;
    let ids = app.graphql("{ tasks(first: 30) { nodes { id seq } } }", json!({}), Some(&admin)).await;
    let task_14 =
        ids.data()["tasks"]["nodes"].as_array().unwrap().iter().find(|t| t["seq"] == 14).unwrap()["id"].clone();
    let mut reporters = Vec::new();
    for (name, unit) in [("minzheng", "县民政局"), ("weisheng", "县卫生局"), ("fagai", "县发展和改革局")]
    {
        let token = app.user_token(name, "DEPARTMENT", Some(unit)).await;
        app.sign_for(&token, task_14.as_str().unwrap()).await;
        reporters.push(token);
    }
    for (n, token) in reporters.iter().cycle().take(12).enumerate() {
        let report = "mutation($t: ID!, $x: String!) { submitReport(taskId: $t, text: $x, percent: 10) { id } }";
        app.graphql(report, json!({ "t": task_14, "x": format!("进展 {n}") }), Some(token)).await.data();
    }
    let reports = |first: i32| {
        format!(
            "query($id: ID!) {{ task(id: $id) {{ reports(first: {first}) {{ nodes {{ text author {{ username }} department {{ name }} }} }} }} }}"
        )
    };
    let few = statements_of(&app, &reports(2), json!({ "id": task_14 }), &admin).await;
    let many = statements_of(&app, &reports(12), json!({ "id": task_14 }), &admin).await;
    assert_eq!(few, many, "authors of a page of reports load in one batch");

    let plan = app.graphql("{ documents { nodes { id } } }", json!({}), Some(&admin)).await;
    let plan = plan.data()["documents"]["nodes"][0]["id"].clone();
    let mut counts = Vec::new();
    for (level, title) in [("PROVINCIAL", "省办法"), ("NATIONAL", "国务院意见"), ("MUNICIPAL", "市细则")] {
        let record = "mutation($i: PolicyEventInput!) { recordPolicyEvent(input: $i) { event { id } } }";
        let input = json!({ "level": level, "title": title, "issuedOn": "2015-03-01", "documentId": plan });
        app.graphql(record, json!({ "i": input }), Some(&admin)).await.data();
        let listed = app.graphql("{ policyEvents { title taskIds } }", json!({}), Some(&admin)).await;
        let named: usize = listed.data()["policyEvents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["taskIds"].as_array().unwrap().len())
            .sum();
        assert!(named > 0, "the province's policy gives waiting tasks their dates: {}", listed.body);
        counts.push(statements_of(&app, "{ policyEvents { title taskIds } }", json!({}), &admin).await);
    }
    // The events, and their tasks in one batch, however many events there are.
    assert!(counts.iter().all(|&n| n == counts[0] && n <= 2), "statements for 1, 2 and 3 policy events: {counts:?}");
}

#[tokio::test]
async fn a_to_do_list_with_its_counts_costs_at_most_three_statements() {
    let app = spawn_app_with(AppOptions::default()).await;
    let unit = app.user_token("minzheng", "DEPARTMENT", Some("县民政局")).await;
    statements_of(&app, "{ __typename }", json!({}), &unit).await;
    let todo =
        "query($n: Int) { todo(first: $n) { total counts { kind count } items { kind date task { seq title } } } }";
    for first in [1, 20] {
        let before = app.statements();
        let response = app.graphql(todo, json!({ "n": first }), Some(&unit)).await;
        let list = &response.data()["todo"];
        let total = list["total"].as_i64().unwrap();
        assert!(total > 1, "the unit has tasks to sign for: {list}");
        assert_eq!(list["items"].as_array().unwrap().len() as i64, total.min(first.into()));
        let signing =
            list["counts"].as_array().unwrap().iter().find(|c| c["kind"] == "SIGN").map(|c| c["count"].as_i64());
        assert!(signing.flatten().is_some_and(|n| n > 0), "tasks to sign for are counted: {list}");
        let n = app.statements() - before;
        // The office's settings, the list with its counts, the tasks of the page.
        assert!(
            (1..=3).contains(&n),
            "to-do list of {first}: {n} statements\n{}",
            app.statements_since(before).join("\n")
        );
    }
}
