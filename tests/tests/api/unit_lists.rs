//! Lists bounded by units (a unit's own view, any `departmentId` filter) are read off the
//! assignment index, one ordered range per unit, merged when a unit also acts through a group.
//! These tests pin what that must keep: plan order across plans, no repeats when a unit holds a
//! task twice (itself and through its group), cursors that continue across ranges, agreement
//! with `totalCount`, and renumbered tasks that move in every list.

use crate::cast::{nodes, str_of};
use crate::reference_plan::{MINZHENG, TOWNS, assigned, both, led};
use duban::bootstrap::SAMPLE_PLAN;
use duban_tests::{TestApp, password_for, spawn_app};
use serde_json::{Value, json};

/// `(document id, seq)` of a listed task: the order every task list follows.
type Place = (i64, i64);

const PAGE: &str = "query($f: TaskFilter, $n: Int, $after: String) { tasks(filter: $f, first: $n, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { seq myRole document { id } } } }";

/// The reference plan (document 1) and a copy of it numbered 104号 (document 2), so every unit
/// holds tasks in two plans.
struct Plans {
    app: TestApp,
    admin: String,
    first: i64,
    second: i64,
}

async fn two_plans() -> Plans {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let copy = SAMPLE_PLAN.replace("〕103號", "〕104號");
    let imported = app
        .graphql(
            "mutation($t: String!) { importPlan(text: $t) { document { id } } }",
            json!({ "t": copy }),
            Some(&admin),
        )
        .await;
    let second = id_of(&imported.data()["importPlan"]["document"]["id"]);
    let docs = app.graphql("{ documents { nodes { id } } }", json!({}), Some(&admin)).await;
    let first = nodes(&docs.data()["documents"]).iter().map(|d| id_of(&d["id"])).find(|&id| id != second).unwrap();
    Plans { app, admin, first, second }
}

fn id_of(value: &Value) -> i64 {
    str_of(value).parse().expect("numeric id")
}

/// Every task the filter lists for `token`, read `size` at a time, as places with roles;
/// asserts the pages neither repeat nor skip and that `totalCount` agrees.
async fn listed(app: &TestApp, token: &str, filter: Value, size: i32) -> Vec<(Place, Value)> {
    let mut rows: Vec<(Place, Value)> = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let response = app.graphql(PAGE, json!({ "f": filter, "n": size, "after": after }), Some(token)).await;
        let connection = &response.data()["tasks"];
        rows.extend(
            nodes(connection)
                .iter()
                .map(|n| ((id_of(&n["document"]["id"]), n["seq"].as_i64().unwrap()), n["myRole"].clone())),
        );
        let total = connection["totalCount"].as_u64().unwrap();
        if connection["pageInfo"]["hasNextPage"] != true {
            assert_eq!(rows.len() as u64, total, "totalCount of {filter}");
            break;
        }
        assert!(rows.len() as u64 <= total, "more rows than totalCount for {filter}");
        after = connection["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    let places: Vec<Place> = rows.iter().map(|(p, _)| *p).collect();
    assert!(places.windows(2).all(|w| w[0] < w[1]), "{filter}: not in plan order or repeated: {places:?}");
    rows
}

fn places(rows: &[(Place, Value)]) -> Vec<Place> {
    rows.iter().map(|(p, _)| *p).collect()
}

/// `seqs` of `first`, then `seqs` of `second`, as places.
fn in_both_plans(plans: &Plans, first: &[i32], second: &[i32]) -> Vec<Place> {
    let one = first.iter().map(|&s| (plans.first, s as i64));
    one.chain(second.iter().map(|&s| (plans.second, s as i64))).collect()
}

/// Adds `unit` as a supporting unit to the task `seq` of `document`, keeping the others.
async fn add_supporting(plans: &Plans, document: i64, seq: i64, unit: &str) {
    let query = "query($d: ID!) { document(id: $d) { tasks(first: 100) { nodes { id seq
        assignments { role department { id } viaGroup { id } } } } } }";
    let tasks = plans.app.graphql(query, json!({ "d": document.to_string() }), Some(&plans.admin)).await;
    let task = nodes(&tasks.data()["document"]["tasks"]).iter().find(|t| t["seq"] == seq).unwrap().clone();
    let mut units: Vec<Value> = task["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["viaGroup"].is_null())
        .map(|a| json!({ "departmentId": a["department"]["id"], "role": a["role"] }))
        .collect();
    units.push(json!({ "departmentId": unit, "role": "SUPPORTING" }));
    let set = "mutation($t: ID!, $a: [AssignmentInput!]!) { setTaskAssignments(taskId: $t, assignments: $a) { id } }";
    plans.app.graphql(set, json!({ "t": task["id"], "a": units }), Some(&plans.admin)).await.data();
}

/// A new town in 各镇人民政府 with an account; returns its id and the account's token.
async fn town_in_the_group(plans: &Plans) -> (String, String) {
    let (app, admin) = (&plans.app, plans.admin.as_str());
    let made = app
        .graphql(
            "mutation { createDepartment(input: { name: \"高升镇人民政府\", kind: UNIT }) { id } }",
            json!({}),
            Some(admin),
        )
        .await;
    let town = str_of(&made.data()["createDepartment"]["id"]);
    let group = app.department_id_as(admin, "各镇人民政府").await;
    let set = "mutation($g: ID!, $m: [ID!]!) { setGroupMembers(groupId: $g, memberIds: $m) { name } }";
    app.graphql(set, json!({ "g": group, "m": [town] }), Some(admin)).await.data();
    app.create_account(admin, "gaosheng", "DEPARTMENT", Some(&town)).await;
    (town, app.login("gaosheng", &password_for("gaosheng")).await)
}

#[tokio::test]
async fn a_town_lists_its_own_and_its_groups_tasks_once_each_in_plan_order() {
    let plans = two_plans().await;
    let (town, token) = town_in_the_group(&plans).await;
    let towns = assigned(TOWNS);
    // The town alone on a task of the first plan; itself and its group on task 4 of the second.
    let alone = (1..=26).find(|s| !towns.contains(s)).unwrap();
    add_supporting(&plans, plans.first, alone as i64, &town).await;
    add_supporting(&plans, plans.second, 4, &town).await;
    assert!(towns.contains(&4));
    let mut first_plan: Vec<i32> = towns.iter().copied().chain([alone]).collect();
    first_plan.sort();
    let expected = in_both_plans(&plans, &first_plan, &towns);

    for size in [1, 3, 7, 100] {
        let own = listed(&plans.app, &token, json!({}), size).await;
        assert_eq!(places(&own), expected, "own view, pages of {size}");
        let filtered = listed(&plans.app, &token, json!({ "departmentId": town }), size).await;
        assert_eq!(places(&filtered), expected, "filtered by its own unit, pages of {size}");
    }
    let own = listed(&plans.app, &token, json!({}), 100).await;
    assert!(own.iter().all(|(_, role)| role == "SUPPORTING"), "{own:?}");
    let by_admin = listed(&plans.app, &plans.admin, json!({ "departmentId": town }), 4).await;
    assert_eq!(places(&by_admin), expected, "an admin's filter reaches the town's groups too");
}

#[tokio::test]
async fn unit_lists_with_filters_agree_with_their_counts_for_every_viewer() {
    let plans = two_plans().await;
    let (app, admin) = (&plans.app, plans.admin.as_str());
    let minzheng = app.department_id_as(admin, "县民政局").await;
    let weisheng = app.department_id_as(admin, "县卫生局").await;
    let group = app.department_id_as(admin, "各镇人民政府").await;
    let unit = app.user_token("minzheng", "DEPARTMENT", Some("县民政局")).await;
    let leader = app.user_token("leader", "LEADER", None).await;
    let m = assigned(MINZHENG);
    let filters = [
        (json!({ "departmentId": minzheng }), in_both_plans(&plans, &m, &m)),
        (json!({ "departmentId": minzheng, "role": "LEAD" }), in_both_plans(&plans, &led(MINZHENG), &led(MINZHENG))),
        (json!({ "departmentId": minzheng, "documentId": plans.second.to_string() }), in_both_plans(&plans, &[], &m)),
        (json!({ "departmentId": group }), in_both_plans(&plans, &assigned(TOWNS), &assigned(TOWNS))),
        (json!({ "departmentId": minzheng, "scheduleKind": "ONGOING" }), Vec::new()),
        (json!({ "departmentId": minzheng, "overdue": true }), Vec::new()),
        (json!({ "departmentId": minzheng, "search": "医疗救助" }), Vec::new()),
        (json!({ "departmentId": weisheng }), Vec::new()),
    ];
    for (filter, expected) in filters {
        let everything = listed(app, admin, filter.clone(), 100).await;
        for (who, token) in [("admin", admin), ("leader", leader.as_str()), ("县民政局", unit.as_str())] {
            let paged = listed(app, token, filter.clone(), 3).await;
            // A unit sees the admin's rows it is assigned to; everyone else sees them all.
            let visible: Vec<Place> = if who == "县民政局" {
                let mine = in_both_plans(&plans, &m, &m);
                places(&everything).into_iter().filter(|p| mine.contains(p)).collect()
            } else {
                places(&everything)
            };
            assert_eq!(places(&paged), visible, "{who}, {filter}");
        }
        if !expected.is_empty() {
            assert_eq!(places(&everything), expected, "{filter}");
        }
    }
    // The role alone means the viewer's own role.
    let own_leads = listed(app, &unit, json!({ "role": "LEAD" }), 4).await;
    assert_eq!(places(&own_leads), in_both_plans(&plans, &led(MINZHENG), &led(MINZHENG)));
    // 县民政局 and 县卫生局 share tasks: the unit sees exactly those through the other's filter.
    let through_weisheng = listed(app, &unit, json!({ "departmentId": weisheng }), 2).await;
    let shared = both(&m, &assigned(crate::reference_plan::WEISHENG));
    assert_eq!(places(&through_weisheng), in_both_plans(&plans, &shared, &shared));
}

#[tokio::test]
async fn a_renumbered_task_moves_in_every_list_and_a_deleted_one_leaves_them() {
    let plans = two_plans().await;
    let (app, admin) = (&plans.app, plans.admin.as_str());
    let unit = app.user_token("minzheng", "DEPARTMENT", Some("县民政局")).await;
    let doc_tasks = "query($d: ID!) { document(id: $d) { tasks(first: 100) { nodes { id seq version } } } }";
    let tasks = app.graphql(doc_tasks, json!({ "d": plans.first.to_string() }), Some(admin)).await;
    let by_seq = |seq: i64| nodes(&tasks.data()["document"]["tasks"]).iter().find(|t| t["seq"] == seq).unwrap().clone();
    let (one, two) = (by_seq(1), by_seq(2));

    let renumber =
        "mutation($id: ID!, $v: Int!) { updateTask(id: $id, expectedVersion: $v, input: { seq: 99 }) { seq } }";
    let moved = app.graphql(renumber, json!({ "id": one["id"], "v": one["version"] }), Some(admin)).await;
    assert_eq!(moved.data()["updateTask"]["seq"], 99);
    let deleted =
        app.graphql("mutation($id: ID!) { deleteTask(id: $id) }", json!({ "id": two["id"] }), Some(admin)).await;
    assert_eq!(deleted.data()["deleteTask"], true);

    let m = assigned(MINZHENG);
    let mut first_plan: Vec<i32> = m.iter().copied().filter(|&s| s != 1 && s != 2).chain([99]).collect();
    first_plan.sort();
    let expected = in_both_plans(&plans, &first_plan, &m);
    let minzheng = app.department_id_as(admin, "县民政局").await;
    for (who, token, filter) in [
        ("own view", unit.as_str(), json!({})),
        ("own filter", unit.as_str(), json!({ "departmentId": minzheng })),
        ("admin filter", admin, json!({ "departmentId": minzheng })),
    ] {
        for size in [2, 100] {
            assert_eq!(places(&listed(app, token, filter.clone(), size).await), expected, "{who}, pages of {size}");
        }
    }
}
