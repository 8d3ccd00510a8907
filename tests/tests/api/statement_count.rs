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
    ran
}

#[tokio::test]
async fn a_page_of_100_tasks_costs_the_same_statements_as_a_page_of_5() {
    let app = spawn_app_with(AppOptions { sample_plan: true, ..Default::default() }).await;
    let admin = app.admin_token().await;
    // Four more copies of the plan, so a page of 100 exists.
    for n in 2..=5 {
        let text = duban::bootstrap::SAMPLE_PLAN.replace("〕103號", &format!("〕{n}03號"));
        let imported = app.graphql("mutation($t: String!) { importPlan(text: $t) { tasks { id } } }", json!({ "t": text }), Some(&admin)).await;
        assert_eq!(imported.data()["importPlan"]["tasks"].as_array().unwrap().len(), 26);
    }
    let small = statements_for(&app, 5, &admin).await;
    let large = statements_for(&app, 100, &admin).await;
    assert_eq!(small, large, "statements must not grow with the page size");
    // Token check, tasks page, count, documents, assignments, departments, aliases.
    assert!(large <= 8, "{large} statements for one page");
}
