//! Reads fetch only what the selection asks for, and answer the same as if they fetched all.
//!
//! A task's fields read only the columns they need (`graphql/fetch/reads.rs`): each field of a
//! task, asked alone and among all the others, must answer exactly what it answers when the
//! server reads the tasks' rows whole (a test hook). Fields and their sub-selections come from
//! introspection, so a new field is checked without a line here. Through a page, an ordered page and a task's detail; as the
//! office and as a unit (roles, contacts and reports differ by viewer); on data where the
//! follow-up loop has run (signed and late parts, reports, warnings), with plans of other shapes
//! and a few follow-up steps added for what the story leaves empty. A column read wrongly shows
//! only where tasks differ in it, so every field and path must answer at least two ways over the
//! office's tasks (a short list excepted), and the test hook is seen to change the statements.

use duban_tests::{AppOptions, TestApp, spawn_app_with};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

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

/// Asks every field of the viewer's tasks, each path to a leaf alone and all together, read as
/// selected and read whole, and compares. Returns, for each field and path asked alone, the
/// different answers it gave over all the tasks (a column read wrongly is seen only where the
/// data holds more than one value).
async fn every_field_answers_as_from_whole_rows(
    app: &TestApp,
    token: &str,
    ids: &[String],
) -> BTreeMap<String, BTreeSet<String>> {
    let fields = selections(app, token, "Task", 0).await;
    assert!(fields.len() > 30, "Task has its fields: {}", fields.len());
    // Each field whole, each path to a leaf alone (a sibling must not read for it), and all.
    let mut alone: Vec<String> = fields.iter().map(Selection::text).collect();
    alone.extend(
        fields.iter().filter(|f| matches!(f, Selection::Node(..))).flat_map(Selection::paths).map(|p| p.text()),
    );
    let mut asked = alone.clone();
    asked.push(fields.iter().map(Selection::text).collect::<Vec<_>>().join(" "));
    // The reports' units next to a task's units: both go to the request's unit loader.
    asked.push("lead { id } reports(first: 2) { nodes { department { id name kind aliases } } }".to_owned());
    let pages = page_starts(app, token).await;
    let mut answers: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (reach, wrapper) in wrappers(ids, &pages) {
        for selection in &asked {
            let query = wrapper.replace("SEL", selection);
            let whole = ask(app, token, &query, true).await;
            let selected = ask(app, token, &query, false).await;
            assert!(!whole.is_empty() && !whole[0].is_null(), "{reach}: tasks to compare");
            assert_eq!(selected, whole, "{reach}: {selection} as selected and from whole rows");
            if alone.contains(selection) {
                let seen = answers.entry(selection.clone()).or_default();
                seen.extend(whole.iter().map(|task| {
                    let mut task = task.clone();
                    task.as_object_mut().map(|t| t.remove("id"));
                    task.to_string()
                }));
            }
        }
    }
    answers
}

/// The fields and paths that gave one answer only over all the tasks asked.
fn uniform(answers: &BTreeMap<String, BTreeSet<String>>) -> Vec<&str> {
    answers.iter().filter(|(_, seen)| seen.len() < 2).map(|(selection, _)| selection.as_str()).collect()
}

/// A server on the synthetic data of scale 1 (the follow-up story has run), and an admin's token.
async fn seeded_app() -> (TestApp, String) {
    let app = spawn_app_with(AppOptions { sample_plan: false, ..Default::default() }).await;
    let console = duban::domain::Caller::system(app.clock.read());
    duban::synthetic::seed(&app.db, &console, 1, 42).await.expect("seed the follow-up story");
    let admin = app.admin_token().await;
    (app, admin)
}

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("../../../api/src/import/parse/fixtures/", $name, ".txt"))
    };
}

/// A plan whose task waits for the province, then has working days (`offsetDays`).
const WORKING_DAYS_PLAN: &str = "县政办发〔2026〕902号
关于投影检查的重点任务分工方案
序号 | 工作任务 | 落实措施 | 负责单位 | 时间进度 |
1 | 制定配套办法 | 按省里意见制定本县办法。 | 县民政局、县财政局 | 省意见出台后30个工作日内完成 |
";

/// Plans of other shapes beside the story, for what it leaves empty or the same everywhere:
/// numbers and sub-measures (a parent), leaders, schedules read from titles and
/// parentheticals, working days after a policy, units not listed in full, new units to review,
/// groups that lead, milestones and a start; then a unit with an alias, a plan and a task with yearly reporting rules,
/// a suspended task (its reason), and on one of the story's tasks an urging answered and an
/// extension granted (the story of scale 1 has neither).
async fn import_other_shapes(app: &TestApp, admin: &str) {
    let import = "mutation($t: String!) { importPlan(text: $t) { document { id } tasks { id version lead { id } } } }";
    let mut imported = Vec::new();
    let mut documents = Vec::new();
    for text in [
        fixture!("shape5-sub-measures"),
        fixture!("shape8-roles-table"),
        fixture!("shape2-nested-brackets"),
        fixture!("shape6-in-text-schedules"),
        fixture!("shape7-groups"),
        fixture!("shape10-deadlines-in-text"),
        WORKING_DAYS_PLAN,
    ] {
        let answer = app.graphql(import, json!({ "t": text }), Some(admin)).await;
        imported.extend(answer.data()["importPlan"]["tasks"].as_array().expect("tasks").iter().cloned());
        documents.push(answer.data()["importPlan"]["document"]["id"].clone());
    }
    let call = |query: &'static str, variables: Value| async move {
        app.graphql(query, variables, Some(admin)).await.data().clone()
    };
    call(
        "mutation($id: ID!) { addDepartmentAlias(id: $id, alias: \"投影检查别名\") { id } }",
        json!({ "id": imported[0]["lead"]["id"] }),
    )
    .await;
    call(
        "mutation($id: ID!, $v: Int!) { setTaskReportRule(taskId: $id, expectedVersion: $v,
           rule: { cadence: YEARLY, month: 6, day: 30 }) { id } }",
        json!({ "id": imported[1]["id"], "v": imported[1]["version"] }),
    )
    .await;
    call(
        "mutation($id: ID!, $v: Int!) { suspendTask(taskId: $id, expectedVersion: $v, reason: \"政策调整\") { id } }",
        json!({ "id": imported[2]["id"], "v": imported[2]["version"] }),
    )
    .await;
    call(
        "mutation($id: ID!) { setDocumentReportRule(documentId: $id, rule: { cadence: YEARLY, month: 3, day: 31 }) { id } }",
        json!({ "id": documents[0] }),
    )
    .await;

    // One of the story's open tasks with a due date: urged and answered, extended.
    let open = call("{ tasks(first: 30) { nodes { id dueDate status lead { id } } } }", json!({})).await;
    let task = open["tasks"]["nodes"]
        .as_array()
        .expect("tasks")
        .iter()
        .find(|t| {
            !t["dueDate"].is_null()
                && !t["lead"].is_null()
                && ["NOT_STARTED", "IN_PROGRESS"].contains(&t["status"].as_str().unwrap())
        })
        .expect("an open task with a due date")
        .clone();
    // The story's due dates are past: the office's day is set to the day before this one.
    let due: chrono::NaiveDate = task["dueDate"].as_str().unwrap().parse().expect("a date");
    app.set_today(&(due - chrono::Duration::days(1)).to_string());
    let later = (due + chrono::Duration::days(90)).to_string();
    let unit = app.login(&format!("unit{}", task["lead"]["id"].as_str().unwrap()), "synthetic-password").await;
    let as_unit = |query: &'static str, variables: Value| {
        let unit = unit.clone();
        async move { app.graphql(query, variables, Some(&unit)).await.data().clone() }
    };
    let urged = call(
        "mutation($t: ID!, $r: Date!) { urge(input: { taskIds: [$t], text: \"请加快推进\", replyBy: $r }) { id } }",
        json!({ "t": task["id"], "r": due.to_string() }),
    )
    .await;
    as_unit(
        "mutation($u: ID!) { answerUrging(urgingId: $u, text: \"本周内报送\") { id } }",
        json!({ "u": urged["urge"][0]["id"] }),
    )
    .await;
    let asked = as_unit(
        "mutation($t: ID!, $d: Date!) { requestExtension(taskId: $t, input: { reason: \"配套文件未出台\",
           progress: \"已起草\", proposedDueDate: $d }) { id } }",
        json!({ "t": task["id"], "d": later }),
    )
    .await;
    call(
        "mutation($r: ID!) { decideExtension(requestId: $r, input: { approve: true, comment: \"同意\" }) { id } }",
        json!({ "r": asked["requestExtension"]["id"] }),
    )
    .await;
}

#[tokio::test]
async fn each_task_field_answers_as_it_does_from_whole_rows() {
    let (app, admin) = seeded_app().await;
    import_other_shapes(&app, &admin).await;

    // The hook works: read whole, a page of ids selects the task's measures and its units.
    let ids_only = "{ tasks(first: 6) { nodes { id } } }";
    let before = app.statements();
    ask(&app, &admin, ids_only, true).await;
    let whole_sql = app.statements_since(before).join("\n");
    let before = app.statements();
    ask(&app, &admin, ids_only, false).await;
    let selected_sql = app.statements_since(before).join("\n");
    assert!(whole_sql.contains("measures"), "read whole: {whole_sql}");
    assert!(!selected_sql.contains("measures"), "read as selected: {selected_sql}");

    let listed = app
        .graphql(
            "{ tasks(first: 100) { nodes { id assignments { role department { id } } } } }",
            json!({}),
            Some(&admin),
        )
        .await;
    let tasks = listed.data()["tasks"]["nodes"].as_array().unwrap().clone();
    let ids: Vec<String> = tasks.iter().step_by(9).map(|t| t["id"].as_str().unwrap().to_owned()).collect();
    let answers = every_field_answers_as_from_whole_rows(&app, &admin, &ids).await;
    // Every field and path answered differently for different tasks, but for these: the
    // office has no role of its own, and the story leaves these the same on every task.
    // Plans are read whole (not by selection); their creation times may fall within one second.
    let uniform: Vec<&str> = uniform(&answers).into_iter().filter(|s| *s != "document { createdAt }").collect();
    assert_eq!(uniform, ADMIN_UNIFORM, "the data shows each column read");

    // A unit that supports one task and leads another sees roles, contacts and reports of its own.
    let role_of = |unit: &str, role: &str| {
        tasks.iter().any(|t| {
            t["assignments"].as_array().unwrap().iter().any(|a| a["department"]["id"] == unit && a["role"] == role)
        })
    };
    let unit = tasks
        .iter()
        .flat_map(|t| t["assignments"].as_array().unwrap().iter())
        .map(|a| a["department"]["id"].as_str().unwrap())
        .find(|unit| role_of(unit, "SUPPORTING") && role_of(unit, "LEAD"))
        .expect("a unit that leads a task and supports another")
        .to_owned();
    let token = app.login(&format!("unit{unit}"), "synthetic-password").await;
    let own = app.graphql("{ tasks(first: 3) { nodes { id } } }", json!({}), Some(&token)).await;
    let own: Vec<String> =
        own.data()["tasks"]["nodes"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_owned()).collect();
    let answers = every_field_answers_as_from_whole_rows(&app, &token, &own).await;
    let roles = &answers["myRole"];
    assert!(roles.iter().any(|r| r.contains("LEAD")) && roles.iter().any(|r| r.contains("SUPPORTING")), "{roles:?}");
}

/// What the office's view answers the same for every task: the task's id is taken out of each
/// answer; the office has no role on any task; the synthetic story sets no due date from the
/// office's default period after a policy; a forward page of reports never has one before.
const ADMIN_UNIFORM: &[&str] =
    &["dueDateToConfirm", "id", "myRole", "reports(first: 2) { pageInfo { hasPreviousPage } }"];

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
    // Each figure alone in each place, and some together.
    let fields: Vec<&str> = row.split_whitespace().filter(|f| !["{", "}", "status", "count"].contains(f)).collect();
    let mut parts: Vec<String> = fields
        .iter()
        .map(|f| if *f == "byStatus" { "byStatus { status count }".to_owned() } else { (*f).to_owned() })
        .flat_map(|f| {
            [
                format!("{{ statistics {{ overall {{ {f} }} }} }}"),
                format!("{{ statistics {{ byDocument {{ document {{ id }} statistics {{ {f} }} }} }} }}"),
                format!("{{ statistics {{ byUnit {{ department {{ id }} statistics {{ {f} }} }} }} }}"),
            ]
        })
        .collect();
    parts.extend(
        [
            "{ statistics { overall { reports reportsOnTime reportsLate } } }",
            "{ statistics { overall { total overdue byStatus { status count } } } }",
            "{ statistics { byDocument { document { id } statistics { reportsLate reports } } } }",
            "{ statistics { byDocument { document { id } statistics { total onTimeRate } } overall { openUrgings } } }",
            "{ statistics { byUnit { department { id } statistics { reports reportsOnTime } } } }",
            "{ statistics { byUnit { department { id } statistics { total overdue } } overall { reportsLate } } }",
        ]
        .map(str::to_owned),
    );
    assert_eq!(fields.len(), 12, "{fields:?}");
    // A unit that leads a task, and an urging still open (the story of scale 1 has none).
    let first = app.graphql("{ tasks(first: 1) { nodes { id lead { id } } } }", json!({}), Some(&admin)).await;
    let first = first.data()["tasks"]["nodes"][0].clone();
    let urge = "mutation($t: ID!) { urge(input: { taskIds: [$t], text: \"请加快推进\" }) { id } }";
    app.graphql(urge, json!({ "t": first["id"] }), Some(&admin)).await.data();
    let unit_token = app.login(&format!("unit{}", first["lead"]["id"].as_str().unwrap()), "synthetic-password").await;
    for token in [&admin, &unit_token] {
        let all = app.graphql(&whole, json!({}), Some(token)).await.data()["statistics"].clone();
        // The figures compared are there to compare.
        for figure in ["total", "reports", "reportsOnTime", "reportsLate", "openUrgings", "completed"] {
            assert!(all["overall"][figure].as_i64().unwrap() > 0, "{figure}: {}", all["overall"]);
        }
        for place in ["byDocument", "byUnit"] {
            let rows = all[place].as_array().unwrap();
            assert!(rows.iter().any(|r| r["statistics"]["reports"].as_i64().unwrap() > 0), "{place}: {rows:?}");
        }
        for part in &parts {
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
