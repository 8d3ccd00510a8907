//! The judgement an office publishes, as a story over five months of `DUBAN_TODAY` on the
//! reference plan and a second plan: the office, the lead unit (县民政局), a town in 各镇人民政府 (甲镇)
//! and a leader. Every period, to-do item and figure below is worked out by hand in the comments.
//!
//! - 2014-11-14 (Fri): the reference plan is imported, reporting monthly by the 25th.
//! - 2014-11-17 (Mon): 甲镇 joins 各镇人民政府 and gets a part on each of the group's tasks.
//! - 2015-01-05 (Mon): a second plan: one task of 县民政局 and 各镇人民政府, due 2015-03-31.
//! - 2015-04-02: the story's last day.

use super::report_periods::pairs as rows;
use duban::bootstrap::SAMPLE_PLAN;
use duban_tests::{AppOptions, TestApp, password_for, spawn_app_with};
use serde_json::{Value, json};

const SECOND_PLAN: &str = "测县政办发〔2015〕2号
测县人民政府办公室关于印发救助窗口建设任务分工的通知
各镇人民政府,县政府各有关部门:
测县人民政府办公室
2015年1月5日
救助窗口建设任务分工
序号 | 工作任务 | 落实措施 | 负责单位 | 时间进度 |
1 | 建成乡镇救助受理窗口 | 各镇设立社会救助受理窗口。 | 县民政局、各镇人民政府 | 2015年3月底前完成 |
";

const REPORT: &str =
    "mutation($t: ID!, $p: Int!) { submitReport(taskId: $t, text: \"推进中\", percent: $p) { dueOn late } }";
const PERIODS: &str = "periodsDue periodsOnTime periodsLate periodsMissed";

struct Story {
    app: TestApp,
    admin: String,
    leader: String,
    lead: String,
    town: String,
    town_name: &'static str,
}

impl Story {
    async fn call(&self, token: &str, query: &str, variables: Value) -> Value {
        self.app.graphql(query, variables, Some(token)).await.data().clone()
    }

    async fn version(&self, task: &str) -> i64 {
        let seen = self.call(&self.admin, "query($id: ID!) { task(id: $id) { version } }", json!({ "id": task })).await;
        seen["task"]["version"].as_i64().unwrap()
    }

    /// (dueOn, late) of a report sent today by `token` on `task`.
    async fn report(&self, token: &str, task: &str, percent: i64) -> (Option<String>, bool) {
        let sent = self.call(token, REPORT, json!({ "t": task, "p": percent })).await;
        (sent["submitReport"]["dueOn"].as_str().map(str::to_owned), sent["submitReport"]["late"].as_bool().unwrap())
    }

    /// (dueOn, state) of the periods of `unit`'s part on `task`, as the leader reads them.
    async fn periods(&self, task: &str, unit: &str) -> Vec<(String, String)> {
        let query = "query($id: ID!) { task(id: $id) { assignments { department { name } periods { dueOn state } } } }";
        let seen = self.call(&self.leader, query, json!({ "id": task })).await;
        let part =
            seen["task"]["assignments"].as_array().unwrap().iter().find(|a| a["department"]["name"] == unit).unwrap();
        super::report_periods::periods(part)
    }

    /// The report items on `token`'s to-do list for `task`: (kind, date).
    async fn report_items(&self, token: &str, task: &str) -> Vec<(String, String)> {
        let todo = self.call(token, "{ todo(first: 100) { items { kind date task { id } } } }", json!({})).await;
        todo["todo"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["task"]["id"] == task && i["kind"].as_str().unwrap().starts_with("REPORT"))
            .map(|i| (i["kind"].as_str().unwrap().to_owned(), i["date"].as_str().unwrap().to_owned()))
            .collect()
    }
}

fn counts(row: &Value) -> (i64, i64, i64, i64) {
    let n = |f: &str| row[f].as_i64().unwrap();
    (n("periodsDue"), n("periodsOnTime"), n("periodsLate"), n("periodsMissed"))
}

/// Imports a plan as the office; gives its document id and its task ids by number.
pub(crate) async fn import(app: &TestApp, admin: &str, text: &str) -> (Value, Vec<(i64, String)>) {
    let query = "mutation($t: String!) { importPlan(text: $t) { document { id } tasks { id seq } } }";
    let imported = app.graphql(query, json!({ "t": text }), Some(admin)).await.data().clone();
    let tasks = imported["importPlan"]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["seq"].as_i64().unwrap(), t["id"].as_str().unwrap().to_owned()))
        .collect();
    let document = imported["importPlan"]["document"]["id"].clone();
    let rule =
        "mutation($d: ID!) { setDocumentReportRule(documentId: $d, rule: { cadence: MONTHLY, day: 25 }) { id } }";
    app.graphql(rule, json!({ "d": document }), Some(admin)).await.data();
    (document, tasks)
}

#[tokio::test]
async fn five_months_of_periods_towns_and_figures_on_the_reference_plan() {
    let app = spawn_app_with(AppOptions { sample_plan: false, ..Default::default() }).await;
    app.set_today("2014-11-14");
    let admin = app.admin_token().await;
    let (_, reference) = import(&app, &admin, SAMPLE_PLAN).await;
    let lead_unit = app.department_id_as(&admin, "县民政局").await;
    app.create_account(&admin, "minzheng", "DEPARTMENT", Some(&lead_unit)).await;
    app.create_account(&admin, "leader", "LEADER", None).await;
    let town_id = app
        .graphql(
            "mutation { createDepartment(input: { name: \"甲镇人民政府\", kind: UNIT }) { id } }",
            json!({}),
            Some(&admin),
        )
        .await
        .data()["createDepartment"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.create_account(&admin, "jiazhen", "DEPARTMENT", Some(&town_id)).await;
    let story = Story {
        leader: app.login("leader", &password_for("leader")).await,
        lead: app.login("minzheng", &password_for("minzheng")).await,
        town: app.login("jiazhen", &password_for("jiazhen")).await,
        town_name: "甲镇人民政府",
        admin,
        app,
    };
    let task25 = reference.iter().find(|(seq, _)| *seq == 25).unwrap().1.clone();

    // 11-17: 甲镇 joins the group and has a part, to sign by 11-20, on each of its tasks: 23 of
    // the 26 name 各镇人民政府 (counted in the plan's 负责单位 column; task 22 names 各镇有关部门).
    story.app.set_today("2014-11-17");
    let group = story.app.department_id_as(&story.admin, "各镇人民政府").await;
    let members = "mutation($g: ID!, $m: [ID!]!) { setGroupMembers(groupId: $g, memberIds: $m) { id } }";
    story.call(&story.admin, members, json!({ "g": group, "m": [town_id] })).await;
    let todo =
        story.call(&story.town, "{ todo(first: 100) { counts { kind count } items { kind date } } }", json!({})).await;
    assert_eq!(todo["todo"]["counts"], json!([{ "kind": "SIGN", "count": 23 }]));
    assert!(todo["todo"]["items"].as_array().unwrap().iter().all(|i| i["date"] == "2014-11-20"));

    // 11-18: the town signs for task 25; 11-20: it reports, on time for 11-25.
    story.app.set_today("2014-11-18");
    let sign = "mutation($t: ID!) { signTask(taskId: $t, input: { responsiblePerson: \"王镇长\", contact: \"0427-5550001\" }) { state } }";
    story.call(&story.town, sign, json!({ "t": task25 })).await;
    story.app.set_today("2014-11-20");
    assert_eq!(story.report(&story.town, &task25, 10).await, (Some("2014-11-25".into()), false));

    // 12-26: December's report comes a day late (answering 12-25); a second one that day answers
    // nothing.
    story.app.set_today("2014-12-26");
    assert_eq!(story.report_items(&story.town, &task25).await, rows(&[("REPORT_LATE", "2014-12-25")]));
    assert_eq!(story.report(&story.town, &task25, 20).await, (Some("2014-12-25".into()), true));
    assert_eq!(story.report(&story.town, &task25, 20).await, (None, false));

    // 2015-01-05: the second plan; the town (a member already) and the lead get their parts today.
    story.app.set_today("2015-01-05");
    let (second_doc, second) = import(&story.app, &story.admin, SECOND_PLAN).await;
    let window = second[0].1.clone();
    for token in [&story.lead, &story.town] {
        story.call(token, sign, json!({ "t": window })).await;
    }
    assert_eq!(story.periods(&window, story.town_name).await, rows(&[("2015-01-25", "DUE")]));

    // January: both report on the window task on time; the town is silent on task 25.
    story.app.set_today("2015-01-20");
    assert!(!story.report(&story.lead, &window, 30).await.1);
    assert!(!story.report(&story.town, &window, 30).await.1);

    // 02-20: the town's report on task 25 answers January, late (before 02-25): its February
    // period then opens on 02-21. The lead reports on the window task; the town does not.
    story.app.set_today("2015-02-20");
    assert_eq!(story.report(&story.town, &task25, 30).await, (Some("2015-01-25".into()), true));
    assert!(!story.report(&story.lead, &window, 60).await.1);

    // 02-26: the town missed February on both tasks; each may still be answered.
    story.app.set_today("2015-02-26");
    assert_eq!(story.report_items(&story.town, &window).await, rows(&[("REPORT_LATE", "2015-02-25")]));
    // 03-10: the town answers February on the window task, late.
    story.app.set_today("2015-03-10");
    assert_eq!(story.report(&story.town, &window, 60).await, (Some("2015-02-25".into()), true));
    // 03-20: the lead's March report; 03-26: the town's, a day late; 03-28: the lead hands in.
    story.app.set_today("2015-03-20");
    assert!(!story.report(&story.lead, &window, 90).await.1);
    story.app.set_today("2015-03-26");
    assert_eq!(story.report(&story.town, &window, 90).await, (Some("2015-03-25".into()), true));
    story.app.set_today("2015-03-28");
    let submit = "mutation($t: ID!, $v: Int!) { submitCompletion(taskId: $t, text: \"窗口已建成\", expectedVersion: $v) { id } }";
    story.call(&story.lead, submit, json!({ "t": window, "v": story.version(&window).await })).await;
    // 04-01: the office approves; the task is completed (handed in 03-28, on time), and every
    // part closes — the town's 03-31 period, due yesterday and unanswered, is recorded missed.
    story.app.set_today("2015-04-01");
    let review = "mutation($t: ID!, $v: Int!) { reviewCompletion(taskId: $t, decision: APPROVE, expectedVersion: $v) { status } }";
    story.call(&story.admin, review, json!({ "t": window, "v": story.version(&window).await })).await;

    // 04-02, by hand.
    story.app.set_today("2015-04-02");
    // Task 25 (due 2015-06-30), the town: 11-25 on time, 12-25 late (12-26), 01-25 late (02-20),
    // 02-25 missed (the window opened 02-21, nothing came), 03-25 missed, 04-25 open.
    assert_eq!(
        story.periods(&task25, story.town_name).await,
        rows(&[
            ("2014-11-25", "ON_TIME"),
            ("2014-12-25", "LATE"),
            ("2015-01-25", "LATE"),
            ("2015-02-25", "MISSED"),
            ("2015-03-25", "MISSED"),
            ("2015-04-25", "DUE")
        ])
    );
    // Its warning: March may still be sent (REPORT_MISSING) and the last period closed, February,
    // was missed (REPORT_LATE); and the task is far behind pace: handed out 11-14, due 06-30, 139
    // of 228 days gone (61%) with no progress from its lead (0%), more than 30 points behind.
    let query =
        "query($id: ID!) { task(id: $id) { assignments { department { name } warning { level reasons { code } } } } }";
    let seen = story.call(&story.leader, query, json!({ "id": task25 })).await;
    let part = seen["task"]["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["department"]["name"] == story.town_name)
        .unwrap()
        .clone();
    assert_eq!(
        part["warning"],
        json!({
            "level": "RED",
            "reasons": [{ "code": "FAR_BEHIND_PACE" }, { "code": "REPORT_MISSING" }, { "code": "REPORT_LATE" }]
        })
    );
    // The window task: the lead answered 01-25, 02-25 and 03-25 on time, and its 03-31 period
    // was dropped when it handed in on 03-28 (its part finished). The town: 01-25 on time, 02-25
    // and 03-25 late, 03-31 missed.
    assert_eq!(
        story.periods(&window, "县民政局").await,
        rows(&[("2015-01-25", "ON_TIME"), ("2015-02-25", "ON_TIME"), ("2015-03-25", "ON_TIME")])
    );
    assert_eq!(
        story.periods(&window, story.town_name).await,
        rows(&[("2015-01-25", "ON_TIME"), ("2015-02-25", "LATE"), ("2015-03-25", "LATE"), ("2015-03-31", "MISSED")])
    );
    // The second plan's figures: one task, completed on time; periods 3 + 4 = 7 judged, 4 on
    // time, 2 late, 1 missed. The leader reads what the office reads; the town, its own 4.
    let query = format!(
        "query($d: ID!) {{ statistics(filter: {{ documentId: $d }}) {{ overall {{ total completed completedOnTime onTimeRate {PERIODS} }} }} }}"
    );
    for token in [&story.admin, &story.leader] {
        let stats = story.call(token, &query, json!({ "d": second_doc })).await;
        let overall = &stats["statistics"]["overall"];
        assert_eq!(
            (
                overall["total"].as_i64(),
                overall["completed"].as_i64(),
                overall["completedOnTime"].as_i64(),
                overall["onTimeRate"].as_f64()
            ),
            (Some(1), Some(1), Some(1), Some(1.0))
        );
        assert_eq!(counts(overall), (7, 4, 2, 1));
    }
    let own = story.call(&story.town, &query, json!({ "d": second_doc })).await;
    assert_eq!(counts(&own["statistics"]["overall"]), (4, 1, 2, 1));
    // The town's list: on task 25, March is the period it may still answer (until 04-25) and
    // February the one it missed for good; nothing waits on the completed window task.
    assert_eq!(
        story.report_items(&story.town, &task25).await,
        rows(&[("REPORT_MISSED", "2015-02-25"), ("REPORT_LATE", "2015-03-25")])
    );
    assert!(story.report_items(&story.town, &window).await.is_empty());
    // The counts each part keeps for the figures agree with its periods, recounted.
    story.app.assert_part_figures_agree().await;
    // However the figures are asked for — periods alone, with the plans' rows, or with the plans'
    // report figures only (the overall row then sums the plans') — the overall periods are the
    // same, and the plans' rows add up to them.
    let alone = story.call(&story.admin, &format!("{{ statistics {{ overall {{ {PERIODS} }} }} }}"), json!({})).await;
    let overall = counts(&alone["statistics"]["overall"]);
    let with_plans = story
        .call(
            &story.admin,
            &format!(
                "{{ statistics {{ overall {{ {PERIODS} }} byDocument {{ statistics {{ reports {PERIODS} }} }} }} }}"
            ),
            json!({}),
        )
        .await;
    assert_eq!(counts(&with_plans["statistics"]["overall"]), overall);
    let plans: Vec<(i64, i64, i64, i64)> = with_plans["statistics"]["byDocument"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| counts(&row["statistics"]))
        .collect();
    assert_eq!(plans.len(), 2);
    let summed = plans.iter().fold((0, 0, 0, 0), |s, p| (s.0 + p.0, s.1 + p.1, s.2 + p.2, s.3 + p.3));
    assert_eq!(summed, overall);
    let reports_only = story
        .call(
            &story.admin,
            &format!("{{ statistics {{ overall {{ {PERIODS} }} byDocument {{ statistics {{ reports }} }} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(counts(&reports_only["statistics"]["overall"]), overall);
}

/// 逾期占比 divides by the tasks that can be overdue: open tasks with a due date. On 2027-04-05,
/// of three tasks — due 03-31 (overdue), ongoing without a date, due 06-30 — one is overdue out of
/// two that can be: 0.5, not 1/3.
#[tokio::test]
async fn the_overdue_share_counts_only_tasks_that_can_be_overdue() {
    let office = super::follow_up_rules::Office::new(&[
        ("县民政局", "2027年3月底前完成"),
        ("县民政局", "持续实施"),
        ("县财政局", "2027年6月底前完成"),
    ])
    .await;
    office.app.set_today("2027-04-05");
    let stats =
        office.call(&office.admin, "{ statistics { overall { total overdue overdueShare } } }", json!({})).await;
    assert_eq!(stats["statistics"]["overall"], json!({ "total": 3, "overdue": 1, "overdueShare": 0.5 }));
}
