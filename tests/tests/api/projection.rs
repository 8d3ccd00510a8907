//! Reads fetch only what the selection asks for, and answer the same as if they fetched all.
//!
//! A task's fields read only the columns they need (`graphql/fetch/reads.rs`): each field of a
//! task, asked alone and among all the others, must answer exactly what it answers when the
//! server reads the tasks' rows whole (a test hook). Fields and their sub-selections come from
//! introspection, so a new field is checked without a line here. Through a page, an ordered page and a task's detail; as the
//! office and as a unit (roles, contacts and reports differ by viewer); on data where the
//! follow-up loop has run (signed and late parts, reports, warnings).

use duban_tests::{AppOptions, TestApp, spawn_app_with};
use serde_json::{Value, json};

/// Object types whose fields are expanded in the selection of everything (one more level of
/// scalars below them); other object types get their scalar fields only.
const EXPAND: &[&str] = &["Task", "Assignment", "Schedule", "ProgressReportConnection", "ProgressReport"];

/// A selection: a leaf field, or a field with its own selection.
#[derive(Clone)]
enum Selection {
    Leaf(String),
    Node(String, Vec<Selection>),
}

impl Selection {
    fn text(&self) -> String {
        match self {
            Selection::Leaf(name) => name.clone(),
            Selection::Node(call, inner) => {
                format!("{call} {{ {} }}", inner.iter().map(Selection::text).collect::<Vec<_>>().join(" "))
            }
        }
    }

    /// The selection down to each one of its leaves alone (`a { b { c } }`, `a { d }`, …).
    fn paths(&self) -> Vec<Selection> {
        match self {
            Selection::Leaf(_) => vec![self.clone()],
            Selection::Node(call, inner) => {
                inner.iter().flat_map(Selection::paths).map(|path| Selection::Node(call.clone(), vec![path])).collect()
            }
        }
    }
}

/// The selection of every field of `type_name` (scalars, and objects as [`EXPAND`] says).
async fn selections(app: &TestApp, token: &str, type_name: &str, depth: usize) -> Vec<Selection> {
    let introspect = "query($t: String!) { __type(name: $t) { fields { name
        args { name type { kind } }
        type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }";
    let described = app.graphql(introspect, json!({ "t": type_name }), Some(token)).await;
    let fields = described.data()["__type"]["fields"].as_array().expect("fields").clone();
    let mut out = Vec::new();
    for field in fields {
        let name = field["name"].as_str().unwrap().to_owned();
        let args = field["args"].as_array().unwrap();
        if args.iter().any(|a| a["type"]["kind"] == "NON_NULL") {
            continue;
        }
        // Pages of two inside a task keep the query of everything within the complexity limit.
        let call = if args.iter().any(|a| a["name"] == "first") { format!("{name}(first: 2)") } else { name.clone() };
        let (kind, named) = named_type(&field["type"]);
        let inner = match kind.as_str() {
            "SCALAR" | "ENUM" => {
                out.push(Selection::Leaf(name));
                continue;
            }
            "OBJECT" if depth < 2 && (EXPAND.contains(&named.as_str()) || depth == 0) => {
                Box::pin(selections(app, token, &named, depth + 1)).await
            }
            "OBJECT" if depth < 2 => Box::pin(selections(app, token, &named, 2)).await,
            _ => continue,
        };
        if !inner.is_empty() {
            out.push(Selection::Node(call, inner));
        }
    }
    out
}

/// The kind and name of a field's type, through NON_NULL and LIST.
fn named_type(ty: &Value) -> (String, String) {
    let mut ty = ty;
    while ty["name"].is_null() {
        ty = &ty["ofType"];
    }
    (ty["kind"].as_str().unwrap().to_owned(), ty["name"].as_str().unwrap().to_owned())
}

/// How tasks are reached: pages in plan order (every task, page after page), a page by warning,
/// and single tasks' details.
fn wrappers(ids: &[String], pages: &[Option<String>]) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = pages
        .iter()
        .map(|after| {
            let after = after.as_ref().map(|c| format!(", after: \"{c}\"")).unwrap_or_default();
            (format!("page after {after}"), format!("{{ tasks(first: 6{after}) {{ nodes {{ id SEL }} }} }}"))
        })
        .collect();
    all.push(("ordered".to_owned(), "{ tasks(first: 6, orderBy: WARNING) { edges { node { id SEL } } } }".to_owned()));
    for id in ids {
        all.push((format!("task {id}"), format!("{{ task(id: \"{id}\") {{ id SEL }} }}")));
    }
    all
}

/// The cursors that start each page of six of the viewer's tasks (`None` for the first).
async fn page_starts(app: &TestApp, token: &str) -> Vec<Option<String>> {
    let mut starts = vec![None];
    loop {
        let after = starts.last().cloned().flatten().map(|c| format!(", after: \"{c}\"")).unwrap_or_default();
        let page = app
            .graphql(
                &format!("{{ tasks(first: 6{after}) {{ pageInfo {{ hasNextPage endCursor }} }} }}"),
                json!({}),
                Some(token),
            )
            .await;
        let info = &page.data()["tasks"]["pageInfo"];
        if info["hasNextPage"] != true {
            return starts;
        }
        starts.push(info["endCursor"].as_str().map(str::to_owned));
    }
}

/// The tasks an answer holds, as (id, task) pairs.
fn tasks_of(data: &Value) -> Vec<Value> {
    if let Some(nodes) = data["tasks"]["nodes"].as_array() {
        return nodes.clone();
    }
    if let Some(edges) = data["tasks"]["edges"].as_array() {
        return edges.iter().map(|e| e["node"].clone()).collect();
    }
    vec![data["task"].clone()]
}

/// The answer to `query`, its tasks read whole (`x-duban-test-whole-rows`) or as selected.
async fn ask(app: &TestApp, token: &str, query: &str, whole: bool) -> Vec<Value> {
    let mut request = app.client.post(app.url("/graphql")).bearer_auth(token).json(&json!({ "query": query }));
    if whole {
        request = request.header("x-duban-test-whole-rows", "1");
    }
    let body: Value = request.send().await.expect("send").json().await.expect("JSON");
    assert!(body.get("errors").is_none(), "{query}: {body}");
    tasks_of(&body["data"])
}

async fn every_field_answers_as_from_whole_rows(app: &TestApp, token: &str, ids: &[String]) {
    let fields = selections(app, token, "Task", 0).await;
    assert!(fields.len() > 30, "Task has its fields: {}", fields.len());
    // Each field whole, each path to a leaf alone (a sibling must not read for it), and all.
    let mut asked: Vec<String> = fields.iter().map(Selection::text).collect();
    asked.extend(
        fields.iter().filter(|f| matches!(f, Selection::Node(..))).flat_map(Selection::paths).map(|p| p.text()),
    );
    asked.push(fields.iter().map(Selection::text).collect::<Vec<_>>().join(" "));
    let pages = page_starts(app, token).await;
    for (reach, wrapper) in wrappers(ids, &pages) {
        for selection in &asked {
            let query = wrapper.replace("SEL", selection);
            let whole = ask(app, token, &query, true).await;
            let selected = ask(app, token, &query, false).await;
            assert!(!whole.is_empty() && !whole[0].is_null(), "{reach}: tasks to compare");
            assert_eq!(selected, whole, "{reach}: {selection} as selected and from whole rows");
        }
    }
}

/// A server on the synthetic data of scale 1 (the follow-up story has run), and an admin's token.
async fn seeded_app() -> (TestApp, String) {
    let app = spawn_app_with(AppOptions { sample_plan: false, ..Default::default() }).await;
    let console = duban::domain::Caller::system(app.clock.read());
    duban::synthetic::seed(&app.db, &console, 1, 42).await.expect("seed the follow-up story");
    let admin = app.admin_token().await;
    (app, admin)
}

#[tokio::test]
async fn each_task_field_answers_as_it_does_from_whole_rows() {
    let (app, admin) = seeded_app().await;

    let listed = app
        .graphql(
            "{ tasks(first: 100) { nodes { id assignments { role department { id } } } } }",
            json!({}),
            Some(&admin),
        )
        .await;
    let tasks = listed.data()["tasks"]["nodes"].as_array().unwrap().clone();
    let ids: Vec<String> = tasks.iter().step_by(9).map(|t| t["id"].as_str().unwrap().to_owned()).collect();
    every_field_answers_as_from_whole_rows(&app, &admin, &ids).await;

    // A unit that supports one task and leads another sees roles, contacts and reports of its own.
    let unit = tasks
        .iter()
        .flat_map(|t| t["assignments"].as_array().unwrap().iter())
        .find(|a| a["role"] == "SUPPORTING")
        .map(|a| a["department"]["id"].as_str().unwrap().to_owned())
        .expect("a supporting unit");
    let token = app.login(&format!("unit{unit}"), "synthetic-password").await;
    let own = app.graphql("{ tasks(first: 3) { nodes { id } } }", json!({}), Some(&token)).await;
    let own: Vec<String> =
        own.data()["tasks"]["nodes"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_owned()).collect();
    every_field_answers_as_from_whole_rows(&app, &token, &own).await;
}

/// Statistics compute only the figures asked for (`Asked`): each part of the answer, asked
/// alone, is what it is in the answer to everything.
#[tokio::test]
async fn statistics_asked_in_parts_answer_as_asked_whole() {
    let (app, admin) = seeded_app().await;
    let row = "total overdue overdueShare completed completedOnTime onTimeRate averageDaysToComplete reports
        reportsOnTime reportsLate openUrgings byStatus { status count }";
    let whole = format!(
        "{{ statistics {{ overall {{ {row} }} byDocument {{ document {{ id }} statistics {{ {row} }} }}
           byUnit {{ department {{ id }} statistics {{ {row} }} }} }} }}"
    );
    let parts = [
        "{ statistics { overall { reports reportsOnTime reportsLate } } }",
        "{ statistics { overall { total overdue byStatus { status count } } } }",
        "{ statistics { byDocument { document { id } statistics { reportsLate reports } } } }",
        "{ statistics { byDocument { document { id } statistics { total onTimeRate } } overall { openUrgings } } }",
        "{ statistics { byUnit { department { id } statistics { reports reportsOnTime } } } }",
        "{ statistics { byUnit { department { id } statistics { total overdue } } overall { reportsLate } } }",
    ];
    let unit = app
        .graphql("{ departments(filter: { kind: UNIT }, first: 1) { nodes { id } } }", json!({}), Some(&admin))
        .await;
    let unit = unit.data()["departments"]["nodes"][0]["id"].as_str().unwrap().to_owned();
    let unit_token = app.login(&format!("unit{unit}"), "synthetic-password").await;
    for token in [&admin, &unit_token] {
        let all = app.graphql(&whole, json!({}), Some(token)).await.data()["statistics"].clone();
        assert!(all["overall"]["reports"].as_i64().unwrap() > 0, "reports are counted: {}", all["overall"]);
        for part in parts {
            let answer = app.graphql(part, json!({}), Some(token)).await.data()["statistics"].clone();
            assert_within(&answer, &all, part);
        }
    }
}

/// Every value of `part` is the value at the same place in `whole` (lists item by item).
fn assert_within(part: &Value, whole: &Value, query: &str) {
    match part {
        Value::Object(fields) => {
            for (key, value) in fields {
                assert_within(value, &whole[key.as_str()], query);
            }
        }
        Value::Array(items) => {
            let all = whole.as_array().unwrap_or_else(|| panic!("{query}: a list where the whole has {whole}"));
            assert_eq!(items.len(), all.len(), "{query}");
            for (item, other) in items.iter().zip(all) {
                assert_within(item, other, query);
            }
        }
        scalar => assert_eq!(scalar, whole, "{query}"),
    }
}
