//! What a unit sees and may do on the reference plan: its own tasks with its role on each,
//! reports by role, status changes by the lead unit only, and tasks reached through a group.
//! Expected rows come from the plan text (see `reference_plan`), not from the importer.

use crate::cast::{nodes, seqs, str_of, task_ids};
use crate::reference_plan::{FAGAI, MINZHENG, SIFA, TOWNS, WEISHENG, assigned, both, led, supported};
use duban_tests::{TestApp, password_for, spawn_app};
use serde_json::{Value, json};
use std::collections::BTreeMap;

const MY_TASKS: &str = "{ tasks(first: 100) { totalCount nodes { seq myRole } } }";

/// Creates a DEPARTMENT account for `unit` and logs it in.
async fn unit_user(app: &TestApp, admin: &str, username: &str, unit: &str) -> String {
    let unit = app.department_id_as(admin, unit).await;
    app.create_account(admin, username, "DEPARTMENT", Some(&unit)).await;
    app.login(username, &password_for(username)).await
}

/// `seq → myRole` of every task the token's viewer sees, checking `totalCount` agrees.
async fn my_tasks(app: &TestApp, token: &str) -> BTreeMap<i32, String> {
    let response = app.graphql(MY_TASKS, json!({}), Some(token)).await;
    let connection = &response.data()["tasks"];
    let roles: BTreeMap<i32, String> =
        nodes(connection).iter().map(|n| (n["seq"].as_i64().expect("seq") as i32, n["myRole"].to_string())).collect();
    assert_eq!(connection["totalCount"].as_u64(), Some(roles.len() as u64), "totalCount counts only visible tasks");
    roles
}

/// The `seq → myRole` the plan text gives a unit named `names`.
fn expected_roles(names: &[&str]) -> BTreeMap<i32, String> {
    let lead = led(names).into_iter().map(|s| (s, "\"LEAD\"".to_owned()));
    lead.chain(supported(names).into_iter().map(|s| (s, "\"SUPPORTING\"".to_owned()))).collect()
}

#[tokio::test]
async fn the_civil_affairs_user_sees_exactly_its_units_tasks_and_leads_those_it_leads() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let minzheng = unit_user(&app, &admin, "minzheng", "县民政局").await;

    let seen = my_tasks(&app, &minzheng).await;

    assert_eq!(seen.keys().copied().collect::<Vec<_>>(), assigned(MINZHENG));
    assert_eq!(seen, expected_roles(MINZHENG));
    assert!(seen.values().filter(|r| *r == "\"LEAD\"").count() > 10, "县民政局 leads most tasks");
}

#[tokio::test]
async fn the_health_bureau_user_leads_task_15_and_supports_task_13() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let weisheng = unit_user(&app, &admin, "weisheng", "县卫生局").await;

    let seen = my_tasks(&app, &weisheng).await;

    assert_eq!(seen.get(&15).map(String::as_str), Some("\"LEAD\""));
    assert_eq!(seen.get(&13).map(String::as_str), Some("\"SUPPORTING\""));
    assert_eq!(seen, expected_roles(WEISHENG));
}

#[tokio::test]
async fn neither_unit_sees_task_4_and_an_invisible_task_reads_like_a_missing_one() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let task_4 = task_ids(&app, &admin).await[&4].clone();
    let query = "query($id: ID!) { task(id: $id) { seq title } }";

    for (username, unit) in [("minzheng", "县民政局"), ("weisheng", "县卫生局")] {
        let token = unit_user(&app, &admin, username, unit).await;
        let listed = my_tasks(&app, &token).await;
        let invisible = app.graphql(query, json!({ "id": task_4 }), Some(&token)).await;
        let missing = app.graphql(query, json!({ "id": "999999" }), Some(&token)).await;

        assert!(!listed.contains_key(&4), "{unit} lists task 4");
        assert_eq!(invisible.body, json!({ "data": { "task": null } }), "{unit}");
        assert_eq!((invisible.status, &invisible.body), (missing.status, &missing.body), "{unit}");
    }
    let by_admin = app.graphql(query, json!({ "id": task_4 }), Some(&admin)).await;
    assert_eq!(by_admin.data()["task"]["seq"], 4);
}

#[tokio::test]
async fn document_and_department_tasks_never_widen_the_view() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let weisheng = unit_user(&app, &admin, "weisheng", "县卫生局").await;
    let (m, w, f) = (assigned(MINZHENG), assigned(WEISHENG), assigned(FAGAI));
    let doc = app.graphql("{ documents { nodes { id } } }", json!({}), Some(&admin)).await.data()["documents"]["nodes"]
        [0]["id"]
        .clone();
    let minzheng = app.department_id_as(&admin, "县民政局").await;
    let fagai = app.department_id_as(&admin, "县发展和改革局").await;
    let query = "query($doc: ID!, $m: ID!, $f: ID!) {
        document(id: $doc) { tasks(first: 100) { totalCount nodes { seq } } }
        m: department(id: $m) { tasks(first: 100) { totalCount nodes { seq } } }
        mLead: department(id: $m) { tasks(first: 100, role: LEAD) { totalCount nodes { seq } } }
        f: department(id: $f) { tasks(first: 100) { totalCount nodes { seq } } }
        filtered: tasks(first: 100, filter: { departmentId: $f }) { totalCount nodes { seq } } }";

    let response = app.graphql(query, json!({ "doc": doc, "m": minzheng, "f": fagai }), Some(&weisheng)).await;

    let data = response.data();
    let cases = [
        ("Document.tasks", &data["document"]["tasks"], w.clone()),
        ("县民政局 tasks", &data["m"]["tasks"], both(&m, &w)),
        ("县民政局 led tasks", &data["mLead"]["tasks"], both(&led(MINZHENG), &w)),
        ("县发展和改革局 tasks", &data["f"]["tasks"], both(&f, &w)),
        ("tasks filtered by unit", &data["filtered"], both(&f, &w)),
    ];
    for (what, connection, expected) in cases {
        assert_eq!(seqs(connection), expected, "{what}");
        assert_eq!(connection["totalCount"].as_u64(), Some(expected.len() as u64), "{what} totalCount");
    }
    assert!(!seqs(&data["f"]["tasks"]).contains(&4), "task 4 stays out of sight through its lead unit");
}

const REPORTS: &str =
    "query($id: ID!) { task(id: $id) { reports(first: 20) { totalCount nodes { text department { name } } } } }";

/// `text` of the reports the token sees on a task, newest first.
async fn reports_seen(app: &TestApp, token: &str, task: &str) -> Vec<String> {
    let response = app.graphql(REPORTS, json!({ "id": task }), Some(token)).await;
    let connection = &response.data()["task"]["reports"];
    let texts: Vec<String> = nodes(connection).iter().map(|n| str_of(&n["text"])).collect();
    assert_eq!(connection["totalCount"].as_u64(), Some(texts.len() as u64), "totalCount counts only visible reports");
    texts
}

#[tokio::test]
async fn supporting_units_see_their_own_and_the_leads_reports_and_never_each_others() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let leader = {
        app.create_account(&admin, "leader", "LEADER", None).await;
        app.login("leader", &password_for("leader")).await
    };
    // Task 14: 县民政局 leads; 县卫生局 and 县财政局 support.
    let task = task_ids(&app, &admin).await[&14].clone();
    let lead = unit_user(&app, &admin, "minzheng", "县民政局").await;
    let health = unit_user(&app, &admin, "weisheng", "县卫生局").await;
    let finance = unit_user(&app, &admin, "caizheng", "县财政局").await;
    let submit = "mutation($t: ID!, $x: String!) { submitReport(taskId: $t, text: $x, percent: 30) { id } }";
    for (token, text) in [(&lead, "lead"), (&health, "health"), (&finance, "finance")] {
        app.sign_for(token, &task).await;
        app.graphql(submit, json!({ "t": task, "x": text }), Some(token)).await.data();
    }

    let everything = ["finance", "health", "lead"];
    for (who, token, expected) in [
        ("lead unit", &lead, &everything[..]),
        ("admin", &admin, &everything[..]),
        ("leader", &leader, &everything[..]),
        ("县卫生局", &health, &["health", "lead"][..]),
        ("县财政局", &finance, &["finance", "lead"][..]),
    ] {
        assert_eq!(reports_seen(&app, token, &task).await, expected, "{who}");
    }
}

const SET_STATUS: &str = "mutation($t: ID!, $v: Int!) { updateTaskStatus(taskId: $t, status: IN_PROGRESS, expectedVersion: $v) { status version } }";

async fn status_and_version(app: &TestApp, admin: &str, task: &str) -> (String, i64) {
    let response =
        app.graphql("query($id: ID!) { task(id: $id) { status version } }", json!({ "id": task }), Some(admin)).await;
    let task = &response.data()["task"];
    (str_of(&task["status"]), task["version"].as_i64().expect("version"))
}

#[tokio::test]
async fn supporting_unit_cannot_change_a_task_status() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let task = task_ids(&app, &admin).await[&13].clone();
    let health = unit_user(&app, &admin, "weisheng", "县卫生局").await;
    let (status, version) = status_and_version(&app, &admin, &task).await;

    let refused = app.graphql(SET_STATUS, json!({ "t": task, "v": version }), Some(&health)).await;

    assert_eq!(refused.error_code(), Some("FORBIDDEN"));
    assert_eq!(status_and_version(&app, &admin, &task).await, (status, version), "nothing changed");
}

#[tokio::test]
async fn lead_unit_can_change_a_task_status_and_a_stale_version_conflicts() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let task = task_ids(&app, &admin).await[&15].clone();
    let health = unit_user(&app, &admin, "weisheng", "县卫生局").await;
    let (_, version) = status_and_version(&app, &admin, &task).await;

    let changed = app.graphql(SET_STATUS, json!({ "t": task, "v": version }), Some(&health)).await;
    let stale = app.graphql(SET_STATUS, json!({ "t": task, "v": version }), Some(&health)).await;

    assert_eq!(changed.data()["updateTaskStatus"], json!({ "status": "IN_PROGRESS", "version": version + 1 }));
    assert_eq!(stale.error_code(), Some("CONFLICT"));
    assert_eq!(status_and_version(&app, &admin, &task).await, ("IN_PROGRESS".to_owned(), version + 1));
}

#[tokio::test]
async fn a_town_added_to_the_town_group_sees_the_groups_tasks_as_supporting() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let made = app
        .graphql(
            "mutation { createDepartment(input: { name: \"高升镇人民政府\", kind: UNIT }) { id } }",
            json!({}),
            Some(&admin),
        )
        .await;
    let town = made.data()["createDepartment"]["id"].clone();
    let town_user = unit_user(&app, &admin, "gaosheng", "高升镇人民政府").await;
    assert!(my_tasks(&app, &town_user).await.is_empty(), "no tasks before joining the group");
    let group = app.department_id_as(&admin, "各镇人民政府").await;

    let set = "mutation($g: ID!, $m: [ID!]!) { setGroupMembers(groupId: $g, memberIds: $m) { name } }";
    app.graphql(set, json!({ "g": group, "m": [town] }), Some(&admin)).await.data();

    let seen = my_tasks(&app, &town_user).await;
    let expected: BTreeMap<i32, String> =
        assigned(TOWNS).into_iter().map(|s| (s, "\"SUPPORTING\"".to_owned())).collect();
    assert_eq!(seen, expected);
    assert!(seen.contains_key(&4), "task 4 lists 各镇人民政府");
}

#[tokio::test]
async fn a_policy_event_names_only_the_tasks_the_viewer_may_see() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let ids = task_ids(&app, &admin).await;
    let seq_of = |id: &Value| ids.iter().find(|(_, v)| Some(v.as_str()) == id.as_str()).map(|(s, _)| *s as i32);
    let doc = app.graphql("{ documents { nodes { id } } }", json!({}), Some(&admin)).await.data()["documents"]["nodes"]
        [0]["id"]
        .clone();
    let event = json!({ "level": "NATIONAL", "title": "国务院意见", "issuedOn": "2015-01-01", "documentId": doc });
    app.graphql(
        "mutation($i: PolicyEventInput!) { recordPolicyEvent(input: $i) { event { id } } }",
        json!({ "i": event }),
        Some(&admin),
    )
    .await
    .data();
    let health = unit_user(&app, &admin, "weisheng", "县卫生局").await;
    let justice = unit_user(&app, &admin, "sifa", "县司法局").await;
    let listed = |token: String| {
        let app = &app;
        async move {
            let response = app.graphql("{ policyEvents { taskIds } }", json!({}), Some(&token)).await;
            let mut seqs: Vec<i32> = response.data()["policyEvents"][0]["taskIds"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(seq_of)
                .collect();
            seqs.sort_unstable();
            seqs
        }
    };

    let for_admin = listed(admin.clone()).await;
    let for_health = listed(health).await;
    let for_justice = listed(justice).await;

    assert!(!for_admin.is_empty(), "the event ended some task's wait");
    assert_eq!(for_health, both(&for_admin, &assigned(WEISHENG)));
    assert_eq!(for_justice, both(&for_admin, &assigned(SIFA)));
}
