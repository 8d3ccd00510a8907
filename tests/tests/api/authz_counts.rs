//! Counts and timeline lines come from the rows the viewer may read (issue 18, finding 8): a
//! supporting unit reads its own reports and the lead's, so it counts those and no others, and
//! a unit counts only the urgings sent to it. Every expected figure is written out by hand.

use duban_tests::{TestApp, password_for, spawn_app};
use serde_json::{Value, json};

/// A task led by one unit and supported by two, each unit with a signed-in account that has
/// signed for its place.
pub struct Scene {
    pub admin: String,
    pub task: String,
    pub lead: Unit,
    pub supporting: Unit,
    pub other: Unit,
}

pub struct Unit {
    pub id: String,
    pub name: String,
    pub token: String,
}

pub async fn cast(app: &TestApp) -> Scene {
    let admin = app.admin_token().await;
    let listed = app
        .graphql(
            "{ tasks(first: 100) { nodes { id assignments { role department { id name kind } } } } }",
            json!({}),
            Some(&admin),
        )
        .await;
    let units_of = |task: &Value, role: &str| -> Vec<Value> {
        task["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["role"] == role && a["department"]["kind"] == "UNIT")
            .map(|a| a["department"].clone())
            .collect()
    };
    let task = listed.data()["tasks"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| units_of(t, "LEAD").len() == 1 && units_of(t, "SUPPORTING").len() >= 2)
        .expect("a task with one lead unit and two supporting units")
        .clone();
    let (lead, supporting) = (units_of(&task, "LEAD"), units_of(&task, "SUPPORTING"));
    let task_id = task["id"].as_str().unwrap().to_owned();
    let mut accounts = Vec::new();
    for (n, department) in [&lead[0], &supporting[0], &supporting[1]].into_iter().enumerate() {
        let username = format!("unit{n}");
        let id = department["id"].as_str().unwrap().to_owned();
        app.create_account(&admin, &username, "DEPARTMENT", Some(&id)).await;
        let token = app.login(&username, &password_for(&username)).await;
        app.sign_for(&token, &task_id).await;
        accounts.push(Unit { id, name: department["name"].as_str().unwrap().to_owned(), token });
    }
    let [lead, supporting, other]: [Unit; 3] = accounts.try_into().ok().unwrap();
    Scene { admin, task: task_id, lead, supporting, other }
}

impl Scene {
    /// Every unit reports once (lead 10%, supporting 20%, other supporting 40%), and the office
    /// urges the lead, the other supporting unit and, with `urge_supporting`, the supporting unit.
    pub async fn report_and_urge(&self, app: &TestApp, urge_supporting: bool) {
        let report =
            "mutation($t: ID!, $p: Int!) { submitReport(taskId: $t, text: \"按计划推进\", percent: $p) { id } }";
        for (unit, percent) in [(&self.lead, 10), (&self.supporting, 20), (&self.other, 40)] {
            app.graphql(report, json!({ "t": self.task, "p": percent }), Some(&unit.token)).await.data();
        }
        let mut urged = vec![self.lead.id.clone(), self.other.id.clone()];
        if urge_supporting {
            urged.push(self.supporting.id.clone());
        }
        let urge = "mutation($t: ID!, $d: [ID!]!) { urge(input: { taskIds: [$t], departmentIds: $d, text: \"请加快\" }) { id } }";
        app.graphql(urge, json!({ "t": self.task, "d": urged }), Some(&self.admin)).await.data();
    }
}

async fn scene(app: &TestApp, urge_supporting: bool) -> Scene {
    let scene = cast(app).await;
    scene.report_and_urge(app, urge_supporting).await;
    scene
}

/// `(overall.reports, overall.openUrgings)` as the token's viewer sees them.
async fn overall(app: &TestApp, token: &str) -> (i64, i64) {
    let answer = app.graphql("{ statistics { overall { reports openUrgings } } }", json!({}), Some(token)).await;
    let row = &answer.data()["statistics"]["overall"];
    (row["reports"].as_i64().unwrap(), row["openUrgings"].as_i64().unwrap())
}

/// `openUrgings` of `unit`'s row of `byUnit` grouped by `role`, as the token's viewer sees it.
async fn unit_row(app: &TestApp, token: &str, role: &str, unit: &Unit) -> i64 {
    let query = "query($r: AssignmentRole) { statistics(filter: { unitRole: $r }) { byUnit { department { id } statistics { openUrgings } } } }";
    let answer = app.graphql(query, json!({ "r": role }), Some(token)).await;
    let rows = answer.data()["statistics"]["byUnit"].as_array().unwrap().clone();
    let row = rows.iter().find(|r| r["department"]["id"] == unit.id.as_str()).unwrap_or_else(|| panic!("{rows:?}"));
    row["statistics"]["openUrgings"].as_i64().unwrap()
}

/// `(Task.reports count, the REPORTED lines of Task.timeline)` as the token's viewer sees them.
async fn on_task(app: &TestApp, token: &str, task: &str) -> (usize, Vec<String>) {
    let query = "query($t: ID!) { task(id: $t) { reports(first: 50) { nodes { id } } timeline { code text } } }";
    let answer = app.graphql(query, json!({ "t": task }), Some(token)).await;
    let task = &answer.data()["task"];
    let lines = task["timeline"].as_array().unwrap();
    let reported = lines.iter().filter(|l| l["code"] == "REPORTED").map(|l| l["text"].as_str().unwrap().to_owned());
    (task["reports"]["nodes"].as_array().unwrap().len(), reported.collect())
}

#[tokio::test]
async fn a_supporting_unit_counts_and_reads_only_the_reports_and_urgings_it_may_read() {
    let app = spawn_app().await;
    let s = scene(&app, false).await;

    let (reports, lines) = on_task(&app, &s.supporting.token, &s.task).await;
    assert_eq!(reports, 2, "its own report and the lead's");
    assert_eq!(lines, [format!("{} 报送进展(10%)", s.lead.name), format!("{} 报送进展(20%)", s.supporting.name)]);
    assert_eq!(overall(&app, &s.supporting.token).await, (2, 0), "two reports, no urging sent to it");
    assert_eq!(unit_row(&app, &s.supporting.token, "SUPPORTING", &s.supporting).await, 0);
}

#[tokio::test]
async fn every_unit_counts_the_urgings_sent_to_it_and_the_lead_reads_every_report() {
    let app = spawn_app().await;
    let s = scene(&app, true).await;

    let (reports, lines) = on_task(&app, &s.lead.token, &s.task).await;
    assert_eq!(reports, 3);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(overall(&app, &s.lead.token).await, (3, 1), "three reports, one urging sent to the lead");
    assert_eq!(unit_row(&app, &s.lead.token, "LEAD", &s.lead).await, 1);
    assert_eq!(overall(&app, &s.supporting.token).await, (2, 1));
    assert_eq!(unit_row(&app, &s.supporting.token, "SUPPORTING", &s.supporting).await, 1);
    assert_eq!(overall(&app, &s.other.token).await, (2, 1));

    // The office sees all three urgings, each in the row of the unit it was sent to.
    assert_eq!(overall(&app, &s.admin).await, (3, 3));
    assert_eq!(unit_row(&app, &s.admin, "LEAD", &s.lead).await, 1);
    assert_eq!(unit_row(&app, &s.admin, "SUPPORTING", &s.supporting).await, 1);
    assert_eq!(unit_row(&app, &s.admin, "SUPPORTING", &s.other).await, 1);
    // Each part's own count, kept by the writes, agrees with the urgings recounted.
    app.assert_part_figures_agree().await;
}
