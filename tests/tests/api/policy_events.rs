//! Recording higher-level policies releases the due dates of waiting tasks.

use duban::bootstrap::SAMPLE_PLAN;
use duban_tests::{AppOptions, TestApp, spawn_app_with};
use serde_json::{Value, json};

const RECORD: &str = "mutation($i: PolicyEventInput!) { recordPolicyEvent(input: $i) {
    event { id level title issuedOn taskIds } tasks { seq dueDate dueDateToConfirm assignedOn } } }";

async fn due_dates(app: &TestApp, token: &str) -> Vec<(i64, Value)> {
    let r = app.graphql("{ tasks(first: 100) { nodes { seq dueDate } } }", json!({}), Some(token)).await;
    r.data()["tasks"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["seq"].as_i64().unwrap(), t["dueDate"].clone()))
        .collect()
}

/// A server where the reference plan was imported the day after its issue (2014-11-14): the
/// day its units were handed the work, before any policy it waits for.
async fn spawn_app() -> TestApp {
    let app = spawn_app_with(AppOptions { sample_plan: false, ..Default::default() }).await;
    app.set_today("2014-11-14");
    let admin = app.admin_token().await;
    let import = "mutation($t: String!) { importPlan(text: $t) { document { id } } }";
    app.graphql(import, json!({ "t": SAMPLE_PLAN }), Some(&admin)).await.data();
    app
}

fn due(dates: &[(i64, Value)], seq: i64) -> Value {
    dates.iter().find(|(s, _)| *s == seq).unwrap().1.clone()
}

#[tokio::test]
async fn a_provincial_policy_gives_waiting_tasks_their_due_dates() {
    let app = spawn_app().await;
    app.set_today("2015-03-25");
    let admin = app.admin_token().await;
    let docs = app.graphql("{ documents { nodes { id } } }", json!({}), Some(&admin)).await;
    let doc = docs.data()["documents"]["nodes"][0]["id"].clone();
    let input = json!({ "level": "PROVINCIAL", "title": "辽宁省社会救助实施办法", "issuedOn": "2015-03-20", "documentId": doc });
    let recorded = app.graphql(RECORD, json!({ "i": input }), Some(&admin)).await;
    let result = &recorded.data()["recordPolicyEvent"];
    let seqs: Vec<i64> = result["tasks"].as_array().unwrap().iter().map(|t| t["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, vec![2, 3, 7, 10, 12, 13, 15, 19, 22]);

    let dates = due_dates(&app, &admin).await;
    assert_eq!(due(&dates, 2), json!("2015-06-20"), "no period named: the office's default 3 months");
    let task = |seq: i64| result["tasks"].as_array().unwrap().iter().find(|t| t["seq"] == seq).unwrap().clone();
    assert_eq!(task(2)["dueDateToConfirm"], true, "for the office to confirm");
    assert_eq!(task(3)["dueDateToConfirm"], false, "a period of its own");
    assert_eq!(task(3)["assignedOn"], "2015-03-20", "the clock starts when the policy is issued");
    assert_eq!(due(&dates, 3), json!("2015-09-20"), "6 months after");
    assert_eq!(due(&dates, 10), json!("2015-09-20"));
    assert_eq!(due(&dates, 15), Value::Null, "still waiting for the national policy");
    assert_eq!(due(&dates, 17), Value::Null, "waits for the state only");

    let national =
        json!({ "level": "NATIONAL", "title": "国务院关于…的意见", "issuedOn": "2015-01-10", "documentId": doc });
    app.graphql(RECORD, json!({ "i": national }), Some(&admin)).await.data();
    let dates = due_dates(&app, &admin).await;
    assert_eq!(due(&dates, 15), json!("2015-06-20"), "the later of both dates, plus 3 months");
    assert_eq!(due(&dates, 22), json!("2015-06-20"), "no period named");
    assert_eq!(due(&dates, 17), json!("2015-07-10"));
    let events = app.graphql("{ policyEvents { level taskIds } }", json!({}), Some(&admin)).await;
    assert_eq!(events.data()["policyEvents"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn naming_a_task_that_does_not_wait_at_that_level_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let tasks = app.graphql("{ tasks(first: 1) { nodes { id } } }", json!({}), Some(&admin)).await;
    let first = tasks.data()["tasks"]["nodes"][0]["id"].clone();
    let input = json!({ "level": "PROVINCIAL", "title": "x", "issuedOn": "2015-03-20", "taskIds": [first] });
    let refused = app.graphql(RECORD, json!({ "i": input }), Some(&admin)).await;
    assert_eq!(refused.error_code(), Some("BAD_USER_INPUT"));
    let unscoped = json!({ "level": "PROVINCIAL", "title": "x", "issuedOn": "2015-03-20" });
    let refused = app.graphql(RECORD, json!({ "i": unscoped }), Some(&admin)).await;
    assert_eq!(refused.error_code(), Some("BAD_USER_INPUT"));
    let events = app.graphql("{ policyEvents { id } }", json!({}), Some(&admin)).await;
    assert_eq!(events.data()["policyEvents"], json!([]), "nothing was written");
}

/// A policy recorded after the period it starts has passed makes no task overdue on the day its
/// due date is set: the date is that day, for the office to confirm or move.
#[tokio::test]
async fn a_policy_recorded_late_sets_no_due_date_in_the_past() {
    let app = spawn_app().await;
    app.set_today("2015-03-25");
    let admin = app.admin_token().await;
    let docs = app.graphql("{ documents { nodes { id } } }", json!({}), Some(&admin)).await;
    let doc = docs.data()["documents"]["nodes"][0]["id"].clone();
    let input = json!({ "level": "PROVINCIAL", "title": "辽宁省社会救助实施办法", "issuedOn": "2014-06-01", "documentId": doc });
    let recorded = app.graphql(RECORD, json!({ "i": input }), Some(&admin)).await;
    let task =
        recorded.data()["recordPolicyEvent"]["tasks"].as_array().unwrap().iter().find(|t| t["seq"] == 3).cloned();
    let task = task.expect("task 3 waits for the provincial policy");
    assert_eq!(
        (task["dueDate"].as_str(), task["dueDateToConfirm"].as_bool()),
        (Some("2015-03-25"), Some(true)),
        "6 months after 2014-06-01 had passed: today, to confirm"
    );
    let released: Vec<i64> = recorded.data()["recordPolicyEvent"]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["dueDate"].is_string())
        .map(|t| t["seq"].as_i64().unwrap())
        .collect();
    let overdue = app
        .graphql("{ tasks(filter: { overdue: true }, first: 100) { nodes { seq } } }", json!({}), Some(&admin))
        .await;
    let overdue: Vec<i64> =
        overdue.data()["tasks"]["nodes"].as_array().unwrap().iter().map(|t| t["seq"].as_i64().unwrap()).collect();
    assert!(!released.is_empty());
    assert!(
        released.iter().all(|seq| !overdue.contains(seq)),
        "nothing is overdue on the day its due date is set: released {released:?}, overdue {overdue:?}"
    );
}

/// The default period is the office's setting: 1 to 24 months, kept when an update leaves it out.
#[tokio::test]
async fn the_default_period_after_a_policy_is_the_offices_setting() {
    let app = spawn_app().await;
    app.set_today("2015-03-25");
    let admin = app.admin_token().await;
    let update = "mutation($m: Int) { updateWarningSettings(input: { approachingDays: 7, urgentDays: 3, paceYellowPoints: 10, paceRedPoints: 30, signWorkingDays: 3, policyDefaultMonths: $m }) { policyDefaultMonths } }";
    let refused = app.graphql(update, json!({ "m": 0 }), Some(&admin)).await;
    assert_eq!(refused.error_code(), Some("BAD_USER_INPUT"));
    let set = app.graphql(update, json!({ "m": 4 }), Some(&admin)).await;
    assert_eq!(set.data()["updateWarningSettings"]["policyDefaultMonths"], 4);
    let kept = app.graphql(update, json!({}), Some(&admin)).await;
    assert_eq!(kept.data()["updateWarningSettings"]["policyDefaultMonths"], 4, "left out, kept");
    let docs = app.graphql("{ documents { nodes { id } } }", json!({}), Some(&admin)).await;
    let doc = docs.data()["documents"]["nodes"][0]["id"].clone();
    let input = json!({ "level": "PROVINCIAL", "title": "辽宁省社会救助实施办法", "issuedOn": "2015-03-20", "documentId": doc });
    let recorded = app.graphql(RECORD, json!({ "i": input }), Some(&admin)).await;
    let task =
        recorded.data()["recordPolicyEvent"]["tasks"].as_array().unwrap().iter().find(|t| t["seq"] == 2).cloned();
    assert_eq!(task.expect("task 2")["dueDate"], "2015-07-20", "four months after the policy");
}
