//! The whole follow-up loop on the reference plan, through HTTP, day by day: the office imports
//! it, units sign (one late), report (one late), the lead asks for an extension and gets it, the
//! office urges a unit that answers, a leader instructs and the lead responds, the lead hands in
//! its completion report, the office returns it once, approves it, and archives the task. Every
//! step checks the task's warning, the to-do lists of each party and the statistics.
//!
//! Task 25 (`2015年6月底前出台相关规定并逐步推行`): 县民政局 leads; its other units support.

use duban::bootstrap::SAMPLE_PLAN;
use duban_tests::ws::Subscriber;
use duban_tests::{AppOptions, GqlResponse, TestApp, password_for, spawn_app_with};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const TASK: &str = "query($id: ID!) { task(id: $id) { status version dueDate originalDueDate
    warning { level reasons { code } } dueDateHistory { from to cause }
    assignments { state department { name } } } }";
const TODO: &str = "{ todo(first: 100) { total counts { kind count } items { kind refId task { seq } } } }";
const STATS: &str = "{ statistics { overall { total overdue completed completedOnTime onTimeRate averageDaysToComplete
    reportsLate reportsOnTime openUrgings byStatus { status count } } } }";

/// The parties of the loop and task 25.
struct Loop {
    app: TestApp,
    admin: String,
    leader: String,
    /// (unit name, token) of every UNIT on task 25; the lead first.
    units: Vec<(String, String)>,
    task: String,
}

impl Loop {
    fn unit(&self, name: &str) -> &str {
        &self.units.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no unit {name}")).1
    }

    async fn call(&self, token: &str, query: &str, variables: Value) -> Value {
        self.app.graphql(query, variables, Some(token)).await.data().clone()
    }

    async fn task(&self) -> Value {
        self.call(&self.admin, TASK, json!({ "id": self.task })).await["task"].clone()
    }

    /// The task's warning level and reason codes.
    async fn warning(&self) -> (String, Vec<String>) {
        let task = self.task().await;
        let reasons = task["warning"]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap().to_owned())
            .collect();
        (task["warning"]["level"].as_str().unwrap().to_owned(), reasons)
    }

    /// The kinds of `token`'s to-do items that concern task 25.
    async fn todo_on_task(&self, token: &str) -> BTreeSet<String> {
        let todo = self.call(token, TODO, json!({})).await;
        todo["todo"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["task"]["seq"] == 25)
            .map(|i| i["kind"].as_str().unwrap().to_owned())
            .collect()
    }

    async fn stats(&self) -> Value {
        self.call(&self.admin, STATS, json!({})).await["statistics"]["overall"].clone()
    }

    async fn version(&self) -> i64 {
        self.task().await["version"].as_i64().unwrap()
    }

    async fn report(&self, unit: &str, percent: i32) -> Value {
        let query = "mutation($t: ID!, $p: Int!) { submitReport(taskId: $t, text: \"按计划推进\", percent: $p) { late dueOn } }";
        self.call(self.unit(unit), query, json!({ "t": self.task, "p": percent })).await["submitReport"].clone()
    }
}

fn set(kinds: &[&str]) -> BTreeSet<String> {
    kinds.iter().map(|k| (*k).to_owned()).collect()
}

fn status_count(stats: &Value, status: &str) -> i64 {
    stats["byStatus"].as_array().unwrap().iter().find(|s| s["status"] == status).unwrap()["count"].as_i64().unwrap()
}

async fn arrange() -> Loop {
    let app = spawn_app_with(AppOptions { sample_plan: false, ..Default::default() }).await;
    app.set_today("2014-11-14");
    let admin = app.admin_token().await;
    let imported = app
        .graphql(
            "mutation($t: String!) { importPlan(text: $t) { document { id } tasks { id seq } } }",
            json!({ "t": SAMPLE_PLAN }),
            Some(&admin),
        )
        .await;
    let result = imported.data()["importPlan"].clone();
    let task =
        result["tasks"].as_array().unwrap().iter().find(|t| t["seq"] == 25).unwrap()["id"].as_str().unwrap().to_owned();
    let document = result["document"]["id"].clone();
    let rule =
        "mutation($d: ID!) { setDocumentReportRule(documentId: $d, rule: { cadence: MONTHLY, day: 25 }) { id } }";
    app.graphql(rule, json!({ "d": document }), Some(&admin)).await.data();
    app.create_account(&admin, "leader", "LEADER", None).await;
    let leader = app.login("leader", &password_for("leader")).await;
    let parts = app
        .graphql(
            "query($id: ID!) { task(id: $id) { assignments { role department { id name kind } } } }",
            json!({ "id": task }),
            Some(&admin),
        )
        .await;
    let mut units = Vec::new();
    for (n, part) in parts.data()["task"]["assignments"].as_array().unwrap().iter().enumerate() {
        if part["department"]["kind"] != "UNIT" {
            continue;
        }
        let name = part["department"]["name"].as_str().unwrap().to_owned();
        let username = format!("unit{n}");
        app.create_account(&admin, &username, "DEPARTMENT", part["department"]["id"].as_str()).await;
        units.push((name, app.login(&username, &password_for(&username)).await));
    }
    assert_eq!(units[0].0, "县民政局", "the lead comes first");
    assert!(
        units.len() >= 4,
        "task 25 has the lead and at least three supporting units: {units:?}",
        units = units.iter().map(|u| &u.0).collect::<Vec<_>>()
    );
    Loop { app, admin, leader, units, task }
}

#[tokio::test]
async fn the_whole_loop_on_the_reference_plan() {
    let l = arrange().await;
    let (lead, health) = ("县民政局", "县卫生局");
    let late_signer = l.units.last().unwrap().0.clone();
    let late_reporter = l.units[2].0.clone();
    let others: Vec<String> = l.units.iter().map(|u| u.0.clone()).collect();

    // 11-14, handed out: every unit is to sign by 11-19 (three working days); nothing is wrong yet.
    assert_eq!(l.warning().await, ("GREEN".into(), vec![]));
    assert_eq!(l.todo_on_task(l.unit(lead)).await, set(&["SIGN"]));
    assert_eq!(l.todo_on_task(&l.admin).await, set(&[]));
    let stats = l.stats().await;
    assert_eq!((stats["total"].as_i64(), status_count(&stats, "NOT_STARTED")), (Some(26), 26));

    // 11-17: every unit but one signs.
    l.app.set_today("2014-11-17");
    for name in others.iter().filter(|n| **n != late_signer) {
        l.app.sign_for(l.unit(name), &l.task).await;
    }
    assert_eq!(
        l.todo_on_task(l.unit(lead)).await,
        set(&[]),
        "signed; the first report is due 11-25, not within 7 days yet"
    );

    // 11-20: the last unit missed its sign-off deadline: the task is yellow until it signs.
    l.app.set_today("2014-11-20");
    assert_eq!(l.warning().await, ("YELLOW".into(), vec!["NOT_SIGNED".into()]));
    assert_eq!(l.todo_on_task(l.unit(&late_signer)).await, set(&["SIGN"]));
    l.app.sign_for(l.unit(&late_signer), &l.task).await;
    assert_eq!(l.warning().await, ("GREEN".into(), vec![]));
    assert_eq!(l.todo_on_task(l.unit(lead)).await, set(&["REPORT_DUE"]), "the monthly report by 11-25 is due soon");

    // 11-24: every unit but one reports on time.
    l.app.set_today("2014-11-24");
    for name in others.iter().filter(|n| **n != late_reporter) {
        let report = l.report(name, 10).await;
        assert_eq!((report["late"].as_bool(), report["dueOn"].as_str()), (Some(false), Some("2014-11-25")), "{name}");
    }
    assert_eq!(status_count(&l.stats().await, "IN_PROGRESS"), 1, "the first report started the work");

    // 11-26: one report is missing; 11-27 it comes, late.
    l.app.set_today("2014-11-26");
    assert_eq!(l.warning().await, ("YELLOW".into(), vec!["REPORT_MISSING".into()]));
    assert_eq!(l.todo_on_task(l.unit(&late_reporter)).await, set(&["REPORT_LATE"]));
    l.app.set_today("2014-11-27");
    let late = l.report(&late_reporter, 10).await;
    assert_eq!((late["late"].as_bool(), late["dueOn"].as_str()), (Some(true), Some("2014-11-25")));
    assert_eq!(l.warning().await, ("YELLOW".into(), vec!["REPORT_LATE".into()]));
    let stats = l.stats().await;
    assert_eq!(
        (stats["reportsLate"].as_i64(), stats["reportsOnTime"].as_i64()),
        (Some(1), Some(others.len() as i64 - 1))
    );

    // 12-10: the lead asks for three more months; the office approves.
    l.app.set_today("2014-12-10");
    let ask = "mutation($t: ID!) { requestExtension(taskId: $t, input: { reason: \"省级配套文件尚未出台\", progress: \"已形成初稿\", proposedDueDate: \"2015-09-30\" }) { id status } }";
    let asked = l.call(l.unit(lead), ask, json!({ "t": l.task })).await["requestExtension"].clone();
    assert_eq!(l.todo_on_task(&l.admin).await, set(&["DECIDE_EXTENSION"]));
    let decide = "mutation($r: ID!) { decideExtension(requestId: $r, input: { approve: true, comment: \"同意\" }) { status decidedDueDate } }";
    let decided = l.call(&l.admin, decide, json!({ "r": asked["id"] })).await["decideExtension"].clone();
    assert_eq!(decided, json!({ "status": "APPROVED", "decidedDueDate": "2015-09-30" }));
    let task = l.task().await;
    assert_eq!((task["dueDate"].as_str(), task["originalDueDate"].as_str()), (Some("2015-09-30"), Some("2015-06-30")));
    assert_eq!(task["dueDateHistory"], json!([{ "from": "2015-06-30", "to": "2015-09-30", "cause": "EXTENSION" }]));
    assert_eq!(l.todo_on_task(&l.admin).await, set(&[]));

    // 12-15: the office urges 县卫生局, which answers.
    l.app.set_today("2014-12-15");
    let urge = "mutation($t: ID!, $d: ID!) { urge(input: { taskIds: [$t], departmentIds: [$d], text: \"请加快推进\", replyBy: \"2014-12-18\" }) { id } }";
    let health_id = l.app.department_id_as(&l.admin, health).await;
    let sent = l.call(&l.admin, urge, json!({ "t": l.task, "d": health_id })).await["urge"][0].clone();
    assert!(l.warning().await.1.contains(&"URGING_UNANSWERED".to_owned()));
    assert_eq!(l.todo_on_task(l.unit(health)).await, set(&["URGING"]));
    assert_eq!(l.todo_on_task(l.unit(lead)).await, set(&[]), "the urging is between the office and 县卫生局");
    assert_eq!(l.stats().await["openUrgings"].as_i64(), Some(1));
    l.app.assert_part_figures_agree().await;
    let answer = "mutation($u: ID!) { answerUrging(urgingId: $u, text: \"已召开专题会议推进\") { answeredAt } }";
    l.call(l.unit(health), answer, json!({ "u": sent["id"] })).await;
    assert_eq!(l.stats().await["openUrgings"].as_i64(), Some(0));
    l.app.assert_part_figures_agree().await;
    assert!(!l.warning().await.1.contains(&"URGING_UNANSWERED".to_owned()));
    assert_eq!(l.todo_on_task(l.unit(health)).await, set(&[]));

    // 12-16: a leader instructs; the lead responds.
    l.app.set_today("2014-12-16");
    let instruct = "mutation($t: ID!) { instruct(taskId: $t, text: \"要确保按期完成\") { id } }";
    let instruction = l.call(&l.leader, instruct, json!({ "t": l.task })).await["instruct"]["id"].clone();
    assert_eq!(l.todo_on_task(l.unit(lead)).await, set(&["INSTRUCTION"]));
    assert_eq!(l.todo_on_task(&l.leader).await, set(&["UNANSWERED_INSTRUCTION"]));
    let respond = "mutation($i: ID!) { respondToInstruction(instructionId: $i, text: \"已按批示部署\") { id } }";
    l.call(l.unit(lead), respond, json!({ "i": instruction })).await;
    assert_eq!(l.todo_on_task(l.unit(lead)).await, set(&[]));
    assert_eq!(l.todo_on_task(&l.leader).await, set(&[]));

    // 12-20: the December reports, all on time; the late mark goes.
    l.app.set_today("2014-12-20");
    for name in &others {
        let report = l.report(name, if name == lead { 100 } else { 60 }).await;
        assert_eq!(report["late"], false, "{name}");
    }
    assert_eq!(l.warning().await, ("GREEN".into(), vec![]));

    // 12-22: the lead hands in its completion report; the office sees it to review.
    l.app.set_today("2014-12-22");
    let submit = "mutation($t: ID!, $v: Int!) { submitCompletion(taskId: $t, text: \"相关规定已出台\", expectedVersion: $v) { decision } }";
    let handed = l.call(l.unit(lead), submit, json!({ "t": l.task, "v": l.version().await })).await;
    assert_eq!(handed["submitCompletion"]["decision"], "PENDING");
    assert_eq!(l.task().await["status"], "PENDING_REVIEW");
    assert_eq!(l.warning().await.0, "NONE", "in the office's hands");
    assert_eq!(l.todo_on_task(&l.admin).await, set(&["REVIEW_COMPLETION"]));
    assert_eq!(status_count(&l.stats().await, "PENDING_REVIEW"), 1);

    // 12-23: returned once, with the reason.
    l.app.set_today("2014-12-23");
    let review = "mutation($t: ID!, $v: Int!, $d: ReviewDecision!, $r: String) { reviewCompletion(taskId: $t, decision: $d, reason: $r, expectedVersion: $v) { status stateReason } }";
    let returned = l
        .call(&l.admin, review, json!({ "t": l.task, "v": l.version().await, "d": "RETURN", "r": "缺少配套细则" }))
        .await;
    assert_eq!(returned["reviewCompletion"], json!({ "status": "RETURNED", "stateReason": "缺少配套细则" }));
    // December's period was answered on 12-20: back at work, the lead owes January's (01-25),
    // not a second December report.
    assert_eq!(l.todo_on_task(l.unit(lead)).await, set(&["RETURNED"]), "back to work");
    let parts = l
        .call(
            &l.admin,
            "query($id: ID!) { task(id: $id) { assignments { role nextReportDue } } }",
            json!({ "id": l.task }),
        )
        .await;
    let lead_part =
        parts["task"]["assignments"].as_array().unwrap().iter().find(|a| a["role"] == "LEAD").unwrap().clone();
    assert_eq!(lead_part["nextReportDue"], "2015-01-25");
    assert_eq!(l.todo_on_task(&l.admin).await, set(&[]));

    // 12-24: the lead reports and hands in again; the office approves.
    l.app.set_today("2014-12-24");
    l.report(lead, 100).await;
    l.call(l.unit(lead), submit, json!({ "t": l.task, "v": l.version().await })).await;
    let approved = l.call(&l.admin, review, json!({ "t": l.task, "v": l.version().await, "d": "APPROVE" })).await;
    assert_eq!(approved["reviewCompletion"]["status"], "COMPLETED");
    // "…出台相关规定并逐步推行": the work goes on after the deadline's part is approved, so the
    // units' parts stay open (they report by the cadence) until the office files the task.
    let parts_done = |task: &Value| -> Vec<bool> {
        task["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| others.contains(&a["department"]["name"].as_str().unwrap().to_owned()))
            .map(|a| a["state"] == "DONE")
            .collect()
    };
    assert!(parts_done(&l.task().await).iter().all(|done| !done), "the work continues");
    assert_eq!(l.warning().await, ("NONE".into(), vec![]));
    let stats = l.stats().await;
    assert_eq!(
        (stats["completed"].as_i64(), stats["completedOnTime"].as_i64(), stats["onTimeRate"].as_f64()),
        (Some(1), Some(1), Some(1.0))
    );
    assert_eq!(stats["averageDaysToComplete"].as_f64(), Some(40.0), "handed out (imported) 11-14, completed 12-24");

    // 12-26: archived (销号).
    l.app.set_today("2014-12-26");
    let archive = "mutation($t: ID!, $v: Int!) { archiveTask(taskId: $t, expectedVersion: $v) { status archivedAt } }";
    let archived = l.call(&l.admin, archive, json!({ "t": l.task, "v": l.version().await })).await;
    assert_eq!(archived["archiveTask"]["status"], "ARCHIVED");
    assert!(parts_done(&l.task().await).iter().all(|done| *done), "filed: nothing is followed any more");
    let stats = l.stats().await;
    assert_eq!((status_count(&stats, "ARCHIVED"), stats["completed"].as_i64()), (1, Some(1)));

    // 2015-01-05: tasks 1 and 5 (due 2014-12-31) are overdue: red for the leader, in the statistics.
    l.app.set_today("2015-01-05");
    let stats = l.stats().await;
    assert_eq!(stats["overdue"].as_i64(), Some(2));
    let leader_todo = l.call(&l.leader, TODO, json!({})).await;
    let red: BTreeSet<i64> = leader_todo["todo"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "RED_TASK")
        .map(|i| i["task"]["seq"].as_i64().unwrap())
        .collect();
    assert!(red.contains(&1) && red.contains(&5) && !red.contains(&25), "{red:?}");
}

async fn withdraw(l: &Loop, token: String, reason: String, version: i64) -> GqlResponse {
    let query = "mutation($t: ID!, $v: Int!, $r: String!) { withdrawCompletion(taskId: $t, reason: $r, expectedVersion: $v) { status version } }";
    l.app.graphql(query, json!({ "t": l.task, "v": version, "r": reason }), Some(&token)).await
}

/// 撤回: the lead takes its completion report back before the office reviews it, says why, and
/// the task is in progress again; nobody else may, and a reviewed report stays as it was decided.
#[tokio::test]
async fn the_lead_takes_back_its_completion_report_before_the_review() {
    let l = arrange().await;
    let (lead, supporting) = (l.units[0].0.clone(), l.units[1].0.clone());
    l.app.set_today("2014-11-17");
    l.app.sign_for(l.unit(&lead), &l.task).await;
    l.app.set_today("2014-11-20");
    l.report(&lead, 100).await;
    let submit = "mutation($t: ID!, $v: Int!) { submitCompletion(taskId: $t, text: \"相关规定已出台\", expectedVersion: $v) { decision } }";
    let stale = l.version().await - 1;
    let refused = l.app.graphql(submit, json!({ "t": l.task, "v": stale }), Some(l.unit(&supporting))).await;
    assert_eq!(refused.error_code(), Some("FORBIDDEN"), "access is decided before the version: {}", refused.body);
    l.call(l.unit(&lead), submit, json!({ "t": l.task, "v": l.version().await })).await;
    assert_eq!(l.todo_on_task(&l.admin).await, set(&["REVIEW_COMPLETION"]));

    l.app.set_today("2014-11-21");
    let version = l.version().await;
    let attempt = |token: &str, reason: &str, v: i64| withdraw(&l, token.to_owned(), reason.to_owned(), v);
    for (who, token) in
        [("a supporting unit", l.unit(&supporting)), ("the office", l.admin.as_str()), ("a leader", l.leader.as_str())]
    {
        assert_eq!(attempt(token, "数据需更正", version).await.error_code(), Some("FORBIDDEN"), "{who}");
        let stale = attempt(token, "数据需更正", version - 1).await;
        assert_eq!(stale.error_code(), Some("FORBIDDEN"), "{who}: access before the version");
    }
    assert_eq!(
        attempt(l.unit(&lead), "  ", version).await.error_code(),
        Some("BAD_USER_INPUT"),
        "a reason is required"
    );
    assert_eq!(attempt(l.unit(&lead), "数据需更正", version - 1).await.error_code(), Some("CONFLICT"));
    assert_eq!(l.task().await["status"], "PENDING_REVIEW", "refused attempts change nothing");

    let mut office = Subscriber::connect(&l.app.address, &l.admin).await;
    let changes = "subscription($t: ID!) { taskChanged(taskId: $t) { entry { code } task { status } } }";
    office.subscribe("t", changes, json!({ "t": l.task })).await;
    l.app.subscribed(1).await;
    let taken = attempt(l.unit(&lead), "数据需更正", version).await;
    assert_eq!(taken.data()["withdrawCompletion"], json!({ "status": "IN_PROGRESS", "version": version + 1 }));
    let task = l.task().await;
    let lead_part = task["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["department"]["name"] == lead.as_str())
        .unwrap()
        .clone();
    assert_eq!(lead_part["state"], "IN_PROGRESS", "the lead's part is open again");
    assert_eq!(l.todo_on_task(&l.admin).await, set(&[]), "nothing left for the office to review");
    let heard = office.event("t", std::time::Duration::from_secs(5)).await.expect("the office hears of it");
    assert_eq!(
        heard["taskChanged"],
        json!({ "entry": { "code": "COMPLETION_WITHDRAWN" }, "task": { "status": "IN_PROGRESS" } })
    );
    let reports = "query($id: ID!) { task(id: $id) { completionReports { decision reason decidedAt }
        timeline { code text department { name } } } }";
    let seen = l.call(&l.admin, reports, json!({ "id": l.task })).await["task"].clone();
    assert_eq!(seen["completionReports"][0]["decision"], "WITHDRAWN");
    assert_eq!(seen["completionReports"][0]["reason"], "数据需更正");
    assert!(seen["completionReports"][0]["decidedAt"].is_string());
    let line = seen["timeline"].as_array().unwrap().iter().find(|e| e["code"] == "COMPLETION_WITHDRAWN").cloned();
    assert_eq!(
        line,
        Some(
            json!({ "code": "COMPLETION_WITHDRAWN", "text": format!("{lead} 撤回办结报告:数据需更正"), "department": { "name": lead } })
        )
    );
    let version = version + 1;
    assert_eq!(attempt(l.unit(&lead), "再次撤回", version).await.error_code(), Some("INVALID_STATE"), "nothing waits");

    // Handed in again and approved: a reviewed report cannot be taken back.
    l.call(l.unit(&lead), submit, json!({ "t": l.task, "v": version })).await;
    let review = "mutation($t: ID!, $v: Int!) { reviewCompletion(taskId: $t, decision: APPROVE, expectedVersion: $v) { status } }";
    let approved = l.call(&l.admin, review, json!({ "t": l.task, "v": l.version().await })).await;
    assert_eq!(approved["reviewCompletion"]["status"], "COMPLETED");
    let version = l.version().await;
    assert_eq!(attempt(l.unit(&lead), "数据需更正", version).await.error_code(), Some("INVALID_STATE"));
    let decisions: Vec<Value> = l.call(&l.admin, reports, json!({ "id": l.task })).await["task"]["completionReports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["decision"].clone())
        .collect();
    assert_eq!(decisions, vec![json!("APPROVED"), json!("WITHDRAWN")], "newest first");
}
