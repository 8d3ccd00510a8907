//! The rules of the follow-up loop, one at a time, through HTTP on a small plan of the office's
//! own: every task state against every verb (the transition table, run on the backend of this
//! run), out-of-date versions, ongoing tasks, extension requests, instructions that block a
//! close, what a unit may see of other units' items, the warning filter and order, and the
//! office's calendar.

use duban_tests::{AppOptions, TestApp, password_for, spawn_app_with};
use serde_json::{Value, json};

/// The plan's issue day, a Monday; every test starts on it.
pub(crate) const ISSUED: &str = "2027-03-01";
const DEADLINE: &str = "2030年12月底前完成";

/// A plan in the reference layout, issued on [`ISSUED`]: one row per `(units, schedule)`.
pub(crate) fn plan(rows: &[(&str, &str)]) -> String {
    let mut lines: Vec<String> = [
        "测县政办发〔2027〕1号",
        "测县人民政府办公室关于印发重点任务分工方案的通知",
        "各镇人民政府,县政府各有关部门:",
        "现将方案印发给你们,请认真贯彻执行。",
        "测县人民政府办公室",
        "2027年3月1日",
        "重点任务分工方案",
        "序号 |",
        "工作任务 |",
        "落实措施 |",
        "负责单位 |",
        "时间进度 |",
    ]
    .map(str::to_owned)
    .to_vec();
    for (n, (units, schedule)) in rows.iter().enumerate() {
        let seq = n + 1;
        lines.extend([
            format!("{seq} |"),
            format!("任务{seq} |"),
            format!("落实措施{seq}。 |"),
            format!("{units} |"),
            format!("{schedule} |"),
        ]);
    }
    lines.join("\n") + "\n"
}

/// The office, its plan and the unit accounts of 县民政局 (lead), 县财政局 (supporting) and
/// 县教育局 (on other tasks).
pub(crate) struct Office {
    pub(crate) app: TestApp,
    pub(crate) admin: String,
    pub(crate) leader: String,
    pub(crate) lead: String,
    pub(crate) support: String,
    pub(crate) other: String,
    /// Task ids by plan number (index 0 is task 1).
    pub(crate) tasks: Vec<String>,
}

impl Office {
    pub(crate) async fn new(rows: &[(&str, &str)]) -> Office {
        let app = spawn_app_with(AppOptions { sample_plan: false, ..Default::default() }).await;
        app.set_today(ISSUED);
        let admin = app.admin_token().await;
        let imported = app
            .graphql(
                "mutation($t: String!) { importPlan(text: $t) { tasks { id seq } } }",
                json!({ "t": plan(rows) }),
                Some(&admin),
            )
            .await;
        let mut tasks: Vec<(i64, String)> = imported.data()["importPlan"]["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["seq"].as_i64().unwrap(), t["id"].as_str().unwrap().to_owned()))
            .collect();
        tasks.sort();
        let mut tokens = Vec::new();
        for (username, unit) in [("minzheng", "县民政局"), ("caizheng", "县财政局"), ("jiaoyu", "县教育局")]
        {
            let id = app.department_id_as(&admin, unit).await;
            app.create_account(&admin, username, "DEPARTMENT", Some(&id)).await;
            tokens.push(app.login(username, &password_for(username)).await);
        }
        app.create_account(&admin, "leader", "LEADER", None).await;
        let leader = app.login("leader", &password_for("leader")).await;
        let [lead, support, other] = tokens.try_into().unwrap();
        Office { app, admin, leader, lead, support, other, tasks: tasks.into_iter().map(|(_, id)| id).collect() }
    }

    /// Has the plan report monthly, by the 25th.
    pub(crate) async fn report_monthly_by_the_25th(&self) {
        let plan = self
            .call(&self.admin, "query($id: ID!) { task(id: $id) { document { id } } }", json!({ "id": self.task(1) }))
            .await;
        let rule =
            "mutation($d: ID!) { setDocumentReportRule(documentId: $d, rule: { cadence: MONTHLY, day: 25 }) { id } }";
        self.call(&self.admin, rule, json!({ "d": plan["task"]["document"]["id"] })).await;
    }

    /// Signs for task `seq` as `token`'s unit (承办人 张三).
    pub(crate) async fn sign(&self, token: &str, seq: usize) {
        let sign = "mutation($t: ID!) { signTask(taskId: $t, input: { responsiblePerson: \"张三\", contact: \"0427-1234567\" }) { state } }";
        self.call(token, sign, json!({ "t": self.task(seq) })).await;
    }

    pub(crate) fn task(&self, seq: usize) -> &str {
        &self.tasks[seq - 1]
    }

    pub(crate) async fn call(&self, token: &str, query: &str, variables: Value) -> Value {
        self.app.graphql(query, variables, Some(token)).await.data().clone()
    }

    /// The error code of a call that must fail.
    pub(crate) async fn refusal(&self, token: &str, query: &str, variables: Value) -> String {
        let response = self.app.graphql(query, variables, Some(token)).await;
        response.error_code().unwrap_or_else(|| panic!("{query} was not refused: {:?}", response.body)).to_owned()
    }

    /// (status, version) of a task, as the office sees it.
    pub(crate) async fn state(&self, task: &str) -> (String, i64) {
        let found =
            self.call(&self.admin, "query($id: ID!) { task(id: $id) { status version } }", json!({ "id": task })).await;
        (found["task"]["status"].as_str().unwrap().to_owned(), found["task"]["version"].as_i64().unwrap())
    }

    pub(crate) async fn report(&self, token: &str, task: &str) -> Result<(), String> {
        let query = "mutation($t: ID!) { submitReport(taskId: $t, text: \"按计划推进\", percent: 50) { id } }";
        self.verb(token, query, json!({ "t": task })).await
    }

    /// Runs a verb: Ok, or the error code.
    pub(crate) async fn verb(&self, token: &str, query: &str, variables: Value) -> Result<(), String> {
        let response = self.app.graphql(query, variables, Some(token)).await;
        match response.error_code() {
            Some(code) => Err(code.to_owned()),
            None => Ok(()),
        }
    }
}

/// The verbs of the task's machine, each spelled as its caller sends it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Verb {
    Report,
    Submit,
    Approve,
    Return,
    Archive,
    Suspend,
    Resume,
}

const VERBS: [Verb; 7] =
    [Verb::Report, Verb::Submit, Verb::Approve, Verb::Return, Verb::Archive, Verb::Suspend, Verb::Resume];

impl Verb {
    /// The mutation, who sends it, and whether it carries `expectedVersion`.
    fn spelled(self) -> (&'static str, bool, bool) {
        const LEAD: bool = true;
        match self {
            Verb::Report => {
                ("mutation($t: ID!) { submitReport(taskId: $t, text: \"推进中\", percent: 50) { id } }", LEAD, false)
            }
            Verb::Submit => (
                "mutation($t: ID!, $v: Int!) { submitCompletion(taskId: $t, text: \"已完成\", expectedVersion: $v) { id } }",
                LEAD,
                true,
            ),
            Verb::Approve => (
                "mutation($t: ID!, $v: Int!) { reviewCompletion(taskId: $t, decision: APPROVE, expectedVersion: $v) { id } }",
                !LEAD,
                true,
            ),
            Verb::Return => (
                "mutation($t: ID!, $v: Int!) { reviewCompletion(taskId: $t, decision: RETURN, reason: \"材料不全\", expectedVersion: $v) { id } }",
                !LEAD,
                true,
            ),
            Verb::Archive => {
                ("mutation($t: ID!, $v: Int!) { archiveTask(taskId: $t, expectedVersion: $v) { id } }", !LEAD, true)
            }
            Verb::Suspend => (
                "mutation($t: ID!, $v: Int!) { suspendTask(taskId: $t, reason: \"上级政策调整\", expectedVersion: $v) { id } }",
                !LEAD,
                true,
            ),
            Verb::Resume => {
                ("mutation($t: ID!, $v: Int!) { resumeTask(taskId: $t, expectedVersion: $v) { id } }", !LEAD, true)
            }
        }
    }

    async fn run(self, office: &Office, task: &str, version: i64) -> Result<(), String> {
        let (query, by_lead, _) = self.spelled();
        let token = if by_lead { &office.lead } else { &office.admin };
        office.verb(token, query, json!({ "t": task, "v": version })).await
    }
}

/// The path from a fresh, signed task to each state.
fn path_to(state: &str) -> &'static [Verb] {
    match state {
        "NOT_STARTED" => &[],
        "IN_PROGRESS" => &[Verb::Report],
        "PENDING_REVIEW" => &[Verb::Report, Verb::Submit],
        "RETURNED" => &[Verb::Report, Verb::Submit, Verb::Return],
        "COMPLETED" => &[Verb::Report, Verb::Submit, Verb::Approve],
        "ARCHIVED" => &[Verb::Report, Verb::Submit, Verb::Approve, Verb::Archive],
        "SUSPENDED" => &[Verb::Report, Verb::Suspend],
        other => panic!("no path to {other}"),
    }
}

/// Every state of a task with a deadline against every verb: the state it leads to, or the
/// refusal. Order of the columns: report, submit, approve, return, archive, suspend, resume.
const TABLE: [(&str, [&str; 7]); 7] = {
    const NO: &str = "INVALID_STATE";
    [
        ("NOT_STARTED", ["IN_PROGRESS", NO, NO, NO, NO, "SUSPENDED", NO]),
        ("IN_PROGRESS", ["IN_PROGRESS", "PENDING_REVIEW", NO, NO, NO, "SUSPENDED", NO]),
        ("PENDING_REVIEW", [NO, NO, "COMPLETED", "RETURNED", NO, "SUSPENDED", NO]),
        ("RETURNED", ["IN_PROGRESS", "PENDING_REVIEW", NO, NO, NO, "SUSPENDED", NO]),
        ("COMPLETED", [NO, NO, NO, NO, "ARCHIVED", NO, NO]),
        ("ARCHIVED", [NO, NO, NO, NO, NO, NO, NO]),
        // Suspended from IN_PROGRESS: resuming goes back there.
        ("SUSPENDED", [NO, NO, NO, NO, NO, NO, "IN_PROGRESS"]),
    ]
};

#[tokio::test]
async fn every_task_state_meets_every_verb_as_the_table_says() {
    let rows = vec![("县民政局、县财政局", DEADLINE); TABLE.len() * VERBS.len()];
    let office = Office::new(&rows).await;
    let mut seq = 0;
    for (state, outcomes) in TABLE {
        for (verb, outcome) in VERBS.into_iter().zip(outcomes) {
            seq += 1;
            let task = office.task(seq).to_owned();
            office.app.sign_for(&office.lead, &task).await;
            for step in path_to(state) {
                let version = office.state(&task).await.1;
                step.run(&office, &task, version)
                    .await
                    .unwrap_or_else(|code| panic!("{step:?} towards {state}: {code}"));
            }
            let (before, version) = office.state(&task).await;
            assert_eq!(before, state, "task {seq} reached its state");

            if verb.spelled().2 {
                let stale = verb.run(&office, &task, version + 1).await;
                assert_eq!(stale, Err("CONFLICT".to_owned()), "{state} + {verb:?} with an out-of-date version");
                assert_eq!(office.state(&task).await, (before.clone(), version), "a conflict writes nothing");
            }
            let got = verb.run(&office, &task, version).await;
            let after = office.state(&task).await;
            if outcome == "INVALID_STATE" {
                assert_eq!(got, Err(outcome.to_owned()), "{state} + {verb:?}");
                assert_eq!(after, (before, version), "{state} + {verb:?}: a refusal writes nothing");
            } else {
                assert_eq!(got, Ok(()), "{state} + {verb:?}");
                assert_eq!(after.0, outcome, "{state} + {verb:?}");
                if verb != Verb::Report || state != "IN_PROGRESS" {
                    assert!(after.1 > version, "{state} + {verb:?}: a transition moves the version");
                }
            }
        }
    }
}

#[tokio::test]
async fn ongoing_work_is_never_overdue_and_closes_only_by_the_offices_decision() {
    let office = Office::new(&[("县民政局、县财政局", "持续实施"), ("县民政局、县财政局", "2027年6月底前完成")]).await;
    let (ongoing, dated) = (office.task(1), office.task(2));
    for task in [ongoing, dated] {
        office.app.sign_for(&office.lead, task).await;
        office.report(&office.lead, task).await.unwrap();
    }
    office.app.set_today("2031-01-05");
    let overdue = office
        .call(
            &office.admin,
            "{ tasks(filter: { overdue: true }, first: 10) { nodes { id overdue warning { level } } } }",
            json!({}),
        )
        .await;
    let ids: Vec<&str> =
        overdue["tasks"]["nodes"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![dated], "years later only the dated task is overdue");
    let task = office
        .call(
            &office.admin,
            "query($id: ID!) { task(id: $id) { overdue warning { reasons { code } } } }",
            json!({ "id": ongoing }),
        )
        .await;
    assert_eq!(task["task"]["overdue"], false);
    assert!(!task["task"]["warning"]["reasons"].to_string().contains("OVERDUE"), "{task}");

    let version = office.state(ongoing).await.1;
    let submit =
        "mutation($t: ID!, $v: Int!) { submitCompletion(taskId: $t, text: \"已完成\", expectedVersion: $v) { id } }";
    assert_eq!(
        office.refusal(&office.lead, submit, json!({ "t": ongoing, "v": version })).await,
        "INVALID_STATE",
        "no completion report on ongoing work"
    );
    let archive = "mutation($t: ID!, $v: Int!, $r: String) { archiveTask(taskId: $t, expectedVersion: $v, reason: $r) { status stateReason assignments { state } } }";
    assert_eq!(
        office.refusal(&office.admin, archive, json!({ "t": ongoing, "v": version })).await,
        "BAD_USER_INPUT",
        "the decision says why"
    );
    assert_eq!(
        office.refusal(&office.admin, archive, json!({ "t": ongoing, "v": version, "r": "  " })).await,
        "BAD_USER_INPUT"
    );
    let archived =
        office.call(&office.admin, archive, json!({ "t": ongoing, "v": version, "r": "已形成长效机制" })).await;
    assert_eq!(archived["archiveTask"]["status"], "ARCHIVED");
    assert_eq!(archived["archiveTask"]["stateReason"], "已形成长效机制");
    assert!(archived["archiveTask"]["assignments"].as_array().unwrap().iter().all(|a| a["state"] == "DONE"));
    let version = office.state(dated).await.1;
    assert_eq!(
        office.refusal(&office.admin, archive, json!({ "t": dated, "v": version, "r": "不再需要" })).await,
        "INVALID_STATE",
        "dated work is archived once completed"
    );
}

const ASK: &str = "mutation($t: ID!, $d: Date!) { requestExtension(taskId: $t, input: { reason: \"配套资金未到位\", progress: \"已完成方案\", proposedDueDate: $d }) { id status } }";
const DECIDE: &str = "mutation($r: ID!, $a: Boolean!, $d: Date, $c: String) { decideExtension(requestId: $r, input: { approve: $a, comment: $c, newDueDate: $d }) { status decidedDueDate comment } }";

#[tokio::test]
async fn one_open_extension_request_per_task_asked_before_the_due_date() {
    let office =
        Office::new(&[("县民政局、县财政局", "2027年6月底前完成"), ("县民政局、县财政局", "2027年6月底前完成")]).await;
    let (task, other) = (office.task(1), office.task(2));
    assert_eq!(
        office.refusal(&office.lead, ASK, json!({ "t": task, "d": "2027-06-30" })).await,
        "BAD_USER_INPUT",
        "the date asked for comes after the current one"
    );
    assert_eq!(
        office.refusal(&office.support, ASK, json!({ "t": task, "d": "2027-09-30" })).await,
        "FORBIDDEN",
        "the lead asks"
    );

    let first =
        office.call(&office.lead, ASK, json!({ "t": task, "d": "2027-09-30" })).await["requestExtension"].clone();
    assert_eq!(first["status"], "PENDING");
    assert_eq!(
        office.refusal(&office.lead, ASK, json!({ "t": task, "d": "2027-12-31" })).await,
        "CONFLICT",
        "one open request at a time"
    );

    assert_eq!(
        office.refusal(&office.admin, DECIDE, json!({ "r": first["id"], "a": false })).await,
        "BAD_USER_INPUT",
        "a rejection says why"
    );
    let rejected = office.call(&office.admin, DECIDE, json!({ "r": first["id"], "a": false, "c": "理由不充分" })).await;
    assert_eq!(
        rejected["decideExtension"],
        json!({ "status": "REJECTED", "decidedDueDate": null, "comment": "理由不充分" })
    );
    assert_eq!(
        office.refusal(&office.admin, DECIDE, json!({ "r": first["id"], "a": true })).await,
        "INVALID_STATE",
        "decided once"
    );
    let due = office
        .call(
            &office.admin,
            "query($id: ID!) { task(id: $id) { dueDate dueDateHistory { cause } } }",
            json!({ "id": task }),
        )
        .await;
    assert_eq!(due["task"], json!({ "dueDate": "2027-06-30", "dueDateHistory": [] }), "a rejection moves nothing");

    let second =
        office.call(&office.lead, ASK, json!({ "t": task, "d": "2027-09-30" })).await["requestExtension"].clone();
    let approved = office
        .call(&office.admin, DECIDE, json!({ "r": second["id"], "a": true, "d": "2027-08-31", "c": "同意延至8月底" }))
        .await;
    assert_eq!(approved["decideExtension"]["decidedDueDate"], "2027-08-31", "the office may grant another date");

    // Asked at the same moment twice: one request stands, the other is a conflict.
    let (a, b) = tokio::join!(
        office.verb(&office.lead, ASK, json!({ "t": other, "d": "2027-09-30" })),
        office.verb(&office.lead, ASK, json!({ "t": other, "d": "2027-10-31" })),
    );
    let mut outcomes = vec![a, b];
    outcomes.sort();
    assert_eq!(outcomes, vec![Ok(()), Err("CONFLICT".to_owned())]);
    let requests = office
        .call(
            &office.admin,
            "query($id: ID!) { task(id: $id) { extensionRequests { status } } }",
            json!({ "id": other }),
        )
        .await;
    assert_eq!(requests["task"]["extensionRequests"].as_array().unwrap().len(), 1);

    office.app.set_today("2027-09-01");
    assert_eq!(
        office.refusal(&office.lead, ASK, json!({ "t": task, "d": "2027-12-31" })).await,
        "INVALID_STATE",
        "asked after the due date"
    );
}

#[tokio::test]
async fn statistics_judge_punctuality_against_the_original_due_date_unless_told() {
    let office = Office::new(&[("县民政局、县财政局", "2027年6月底前完成")]).await;
    let task = office.task(1);
    office.app.sign_for(&office.lead, task).await;
    office.report(&office.lead, task).await.unwrap();
    let asked =
        office.call(&office.lead, ASK, json!({ "t": task, "d": "2027-09-30" })).await["requestExtension"]["id"].clone();
    office.call(&office.admin, DECIDE, json!({ "r": asked, "a": true })).await;

    office.app.set_today("2027-08-15");
    for verb in [Verb::Submit, Verb::Approve] {
        let version = office.state(task).await.1;
        verb.run(&office, task, version).await.unwrap();
    }
    let stats = "query($c: Boolean!) { statistics(filter: { againstCurrentDueDate: $c }) { overall { completed completedOnTime onTimeRate } } }";
    let original = office.call(&office.admin, stats, json!({ "c": false })).await;
    assert_eq!(
        original["statistics"]["overall"],
        json!({ "completed": 1, "completedOnTime": 0, "onTimeRate": 0.0 }),
        "late against 06-30"
    );
    let current = office.call(&office.admin, stats, json!({ "c": true })).await;
    assert_eq!(
        current["statistics"]["overall"],
        json!({ "completed": 1, "completedOnTime": 1, "onTimeRate": 1.0 }),
        "on time against 09-30"
    );
}

#[tokio::test]
async fn an_unanswered_instruction_holds_the_close_until_the_lead_responds() {
    let office = Office::new(&[("县民政局、县财政局", DEADLINE), ("县民政局、县财政局", "持续实施")]).await;
    let (dated, ongoing) = (office.task(1), office.task(2));
    let instruct = "mutation($t: ID!) { instruct(taskId: $t, text: \"请抓紧落实\") { id } }";
    let respond = "mutation($i: ID!) { respondToInstruction(instructionId: $i, text: \"已落实\") { id } }";
    office.app.sign_for(&office.lead, dated).await;
    for verb in [Verb::Report, Verb::Submit] {
        let version = office.state(dated).await.1;
        verb.run(&office, dated, version).await.unwrap();
    }
    let on_dated = office.call(&office.leader, instruct, json!({ "t": dated })).await["instruct"]["id"].clone();
    let on_ongoing = office.call(&office.admin, instruct, json!({ "t": ongoing })).await["instruct"]["id"].clone();

    let version = office.state(dated).await.1;
    assert_eq!(Verb::Approve.run(&office, dated, version).await, Err("INVALID_STATE".into()));
    let archive =
        "mutation($t: ID!, $v: Int!) { archiveTask(taskId: $t, expectedVersion: $v, reason: \"长效机制\") { status } }";
    let ongoing_version = office.state(ongoing).await.1;
    assert_eq!(
        office.refusal(&office.admin, archive, json!({ "t": ongoing, "v": ongoing_version })).await,
        "INVALID_STATE"
    );
    assert_eq!(
        office.refusal(&office.support, respond, json!({ "i": on_dated })).await,
        "FORBIDDEN",
        "the lead responds"
    );

    office.call(&office.lead, respond, json!({ "i": on_dated })).await;
    office.call(&office.lead, respond, json!({ "i": on_ongoing })).await;
    assert_eq!(Verb::Approve.run(&office, dated, version).await, Ok(()));
    assert_eq!(
        office.call(&office.admin, archive, json!({ "t": ongoing, "v": ongoing_version })).await["archiveTask"]["status"],
        "ARCHIVED"
    );
    let thread = office.call(&office.support, "query($id: ID!) { task(id: $id) { instructions { answered text responses { text department { name } } } } }", json!({ "id": dated })).await;
    assert_eq!(
        thread["task"]["instructions"],
        json!([{ "answered": true, "text": "请抓紧落实", "responses": [{ "text": "已落实", "department": { "name": "县民政局" } }] }]),
        "the thread is seen by everyone who sees the task"
    );
}

#[tokio::test]
async fn a_unit_never_sees_another_units_urgings_and_supporting_units_reach_their_lead() {
    let office = Office::new(&[("县民政局、县财政局", DEADLINE), ("县教育局、县财政局", DEADLINE)]).await;
    let task = office.task(1);
    let sign = "mutation($t: ID!, $p: String!, $c: String!) { signTask(taskId: $t, input: { responsiblePerson: $p, contact: $c }) { state } }";
    office.call(&office.lead, sign, json!({ "t": task, "p": "张三", "c": "13800000001" })).await;
    office.call(&office.support, sign, json!({ "t": task, "p": "李四", "c": "13800000002" })).await;
    let urge = "mutation($t: ID!, $d: [ID!]!, $x: String!) { urge(input: { taskIds: [$t], departmentIds: $d, text: $x }) { id department { name } } }";
    let (lead_id, support_id) = (
        office.app.department_id_as(&office.admin, "县民政局").await,
        office.app.department_id_as(&office.admin, "县财政局").await,
    );
    let to_lead = office.call(&office.admin, urge, json!({ "t": task, "d": [lead_id], "x": "请民政局加快" })).await["urge"][0]["id"].clone();
    office.call(&office.leader, urge, json!({ "t": task, "d": [support_id], "x": "请财政局加快" })).await;

    let view = "query($id: ID!) { task(id: $id) { urgings { text } assignments { department { name } responsiblePerson contact } } }";
    let seen = |v: &Value| -> (Vec<String>, Vec<(String, Value)>) {
        let urgings =
            v["task"]["urgings"].as_array().unwrap().iter().map(|u| u["text"].as_str().unwrap().to_owned()).collect();
        let contacts = v["task"]["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["department"]["name"].as_str().unwrap().to_owned(), a["contact"].clone()))
            .collect();
        (urgings, contacts)
    };
    let (urgings, contacts) = seen(&office.call(&office.support, view, json!({ "id": task })).await);
    assert_eq!(urgings, vec!["请财政局加快"], "the supporting unit sees its own urging only");
    assert_eq!(
        contacts,
        vec![("县民政局".to_owned(), json!("13800000001")), ("县财政局".to_owned(), json!("13800000002"))],
        "a supporting unit reaches the lead it sends its input to"
    );
    let (urgings, contacts) = seen(&office.call(&office.lead, view, json!({ "id": task })).await);
    assert_eq!(urgings, vec!["请民政局加快"], "the lead unit too");
    assert_eq!(
        contacts,
        vec![("县民政局".to_owned(), json!("13800000001")), ("县财政局".to_owned(), json!("13800000002"))],
        "the lead gathers its units' input"
    );
    let (urgings, _) = seen(&office.call(&office.leader, view, json!({ "id": task })).await);
    assert_eq!(urgings.len(), 2, "leaders see every urging");

    let todo = "{ todo(first: 50) { items { kind refId } } }";
    let support_todo = office.call(&office.support, todo, json!({})).await.to_string();
    assert!(
        !support_todo.contains(to_lead.as_str().unwrap()),
        "the lead's urging is not on the supporting unit's list"
    );
    let answer = "mutation($u: ID!) { answerUrging(urgingId: $u, text: \"收到\") { id } }";
    assert_eq!(
        office.refusal(&office.support, answer, json!({ "u": to_lead })).await,
        "NOT_FOUND",
        "another unit's urging does not exist for it"
    );
    assert_eq!(office.refusal(&office.other, answer, json!({ "u": to_lead })).await, "NOT_FOUND");
    let read = "mutation($u: ID!) { markUrgingRead(urgingId: $u) { readAt } }";
    assert_eq!(office.refusal(&office.support, read, json!({ "u": to_lead })).await, "NOT_FOUND");
    let hidden = office.call(&office.other, "query($id: ID!) { task(id: $id) { id } }", json!({ "id": task })).await;
    assert_eq!(hidden["task"], Value::Null, "a unit not on the task does not see it at all");
}

#[tokio::test]
async fn urging_every_overdue_task_reaches_its_lead_unit_in_one_transaction() {
    let office = Office::new(&[
        ("县民政局、县财政局", "2027年3月底前完成"),
        ("县教育局、县财政局", "2027年3月底前完成"),
        ("县民政局、县财政局", DEADLINE),
        ("县民政局、县财政局", "持续实施"),
    ])
    .await;
    office.app.set_today("2027-04-06");
    let urge = "mutation { urge(input: { overdue: true, text: \"请说明逾期原因\", replyBy: \"2027-04-09\" }) { taskId department { name } } }";
    let sent = office.call(&office.admin, urge, json!({})).await["urge"].clone();
    let mut pairs: Vec<(String, String)> = sent
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["taskId"].as_str().unwrap().to_owned(), u["department"]["name"].as_str().unwrap().to_owned()))
        .collect();
    pairs.sort();
    let mut expected: Vec<(String, String)> = [(1, "县民政局"), (2, "县教育局")]
        .iter()
        .map(|(seq, unit)| (office.task(*seq).to_owned(), (*unit).to_owned()))
        .collect();
    expected.sort();
    assert_eq!(pairs, expected, "the lead unit of every overdue open task, nothing else");
    let stats = office.call(&office.admin, "{ statistics { overall { openUrgings } } }", json!({})).await;
    assert_eq!(stats["statistics"]["overall"]["openUrgings"], 2);

    // A batch with one task that is not open work writes nothing at all.
    let version = office.state(office.task(3)).await.1;
    office
        .verb(
            &office.admin,
            "mutation($t: ID!, $v: Int!) { suspendTask(taskId: $t, reason: \"暂停\", expectedVersion: $v) { id } }",
            json!({ "t": office.task(3), "v": version }),
        )
        .await
        .unwrap();
    let batch = "mutation($t: [ID!]!) { urge(input: { taskIds: $t, text: \"请加快\" }) { id } }";
    let code = office.refusal(&office.leader, batch, json!({ "t": [office.task(1), office.task(3)] })).await;
    assert_eq!(code, "INVALID_STATE");
    let stats = office.call(&office.admin, "{ statistics { overall { openUrgings } } }", json!({})).await;
    assert_eq!(stats["statistics"]["overall"]["openUrgings"], 2, "the refused batch left no urging behind");
}

const LEVELS: [&str; 5] = ["RED", "YELLOW", "BLUE", "GREEN", "NONE"];

/// The ids and warning levels of a list ordered by warning, walked page by page.
async fn walk(office: &Office, token: &str, page: usize) -> Vec<(String, String, Value)> {
    let query = "query($after: String, $first: Int) { tasks(orderBy: WARNING, first: $first, after: $after) {
        nodes { id dueDate warning { level } } pageInfo { hasNextPage endCursor } } }";
    let (mut after, mut seen) = (Value::Null, Vec::new());
    loop {
        let found = office.call(token, query, json!({ "after": after, "first": page })).await;
        let list = &found["tasks"];
        for node in list["nodes"].as_array().unwrap() {
            seen.push((
                node["id"].as_str().unwrap().to_owned(),
                node["warning"]["level"].as_str().unwrap().to_owned(),
                node["dueDate"].clone(),
            ));
        }
        if list["pageInfo"]["hasNextPage"] != true {
            return seen;
        }
        after = list["pageInfo"]["endCursor"].clone();
    }
}

#[tokio::test]
async fn the_warning_filter_counts_and_order_agree_with_each_tasks_own_warning() {
    let office = Office::new(&[
        ("县民政局、县财政局", "2027年3月底前完成"),
        ("县民政局、县财政局", "2027年4月10日前完成"),
        ("县民政局、县财政局", "2027年5月底前完成"),
        ("县民政局、县财政局", DEADLINE),
        ("县民政局、县财政局", "持续实施"),
        ("县教育局、县财政局", "2027年3月底前完成"),
        ("县教育局、县财政局", DEADLINE),
        ("县民政局", "2027年4月15日前完成"),
    ])
    .await;
    // Some units sign and report; the rest miss their sign-off; the clock moves on.
    for (seq, percent) in [(2, 95), (3, 50), (4, 50), (5, 50)] {
        office.app.sign_for(&office.lead, office.task(seq)).await;
        office.app.sign_for(&office.support, office.task(seq)).await;
        let report = "mutation($t: ID!, $p: Int!) { submitReport(taskId: $t, text: \"推进中\", percent: $p) { id } }";
        office.call(&office.lead, report, json!({ "t": office.task(seq), "p": percent })).await;
    }
    office.app.set_today("2027-04-06");
    let urge = "mutation($t: ID!) { urge(input: { taskIds: [$t], text: \"请加快\" }) { id } }";
    office.call(&office.admin, urge, json!({ "t": office.task(4) })).await;

    for token in [&office.admin, &office.support, &office.lead] {
        let mut walked = Vec::new();
        for page in [3, 100] {
            walked.push(walk(&office, token, page).await);
        }
        assert_eq!(walked[0], walked[1], "pages of three walk the same list as one page");
        let list = &walked[0];
        let rank = |level: &str| LEVELS.iter().position(|l| *l == level).unwrap();
        for pair in list.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            assert!(rank(&a.1) <= rank(&b.1), "most urgent first: {list:?}");
            if a.1 == b.1 && !b.2.is_null() {
                assert!(!a.2.is_null() && a.2.as_str() <= b.2.as_str(), "then soonest due: {list:?}");
            }
        }
        let mut levels_seen = 0;
        for level in LEVELS {
            let filtered = office
                .call(token, "query($l: WarningLevel!) { tasks(filter: { warning: $l }, first: 100) { totalCount nodes { id } } }", json!({ "l": level }))
                .await;
            let mut ids: Vec<String> = filtered["tasks"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["id"].as_str().unwrap().to_owned())
                .collect();
            let mut expected: Vec<String> = list.iter().filter(|t| t.1 == level).map(|t| t.0.clone()).collect();
            ids.sort();
            expected.sort();
            assert_eq!(ids, expected, "the {level} filter picks the tasks whose own warning is {level}");
            assert_eq!(filtered["tasks"]["totalCount"].as_u64(), Some(expected.len() as u64));
            levels_seen += usize::from(!expected.is_empty());
        }
        if token == &office.admin {
            assert!(levels_seen >= 4, "the plan shows several levels at once: {list:?}");
        }
    }
}

#[tokio::test]
async fn the_offices_calendar_moves_sign_off_and_working_day_deadlines() {
    let app = spawn_app_with(AppOptions { sample_plan: false, ..Default::default() }).await;
    app.set_today(ISSUED);
    let admin = app.admin_token().await;
    // 03-02 and 03-03 are holidays; Saturday 03-06 is a make-up working day (调休).
    let days = "mutation { setCalendarDays(days: [
        { day: \"2027-03-02\", working: false, note: \"节假日\" },
        { day: \"2027-03-03\", working: false, note: \"节假日\" },
        { day: \"2027-03-06\", working: true, note: \"调休上班\" } ]) }";
    assert_eq!(app.graphql(days, json!({}), Some(&admin)).await.data()["setCalendarDays"], true);
    let calendar = app
        .graphql("{ calendar(from: \"2027-03-01\", to: \"2027-03-31\") { day working } }", json!({}), Some(&admin))
        .await;
    assert_eq!(
        calendar.data()["calendar"],
        json!([{ "day": "2027-03-02", "working": false }, { "day": "2027-03-03", "working": false }, { "day": "2027-03-06", "working": true }])
    );

    let text = plan(&[("县民政局", "本方案印发后5个工作日内完成")]);
    let imported = app
        .graphql(
            "mutation($t: String!) { importPlan(text: $t) { tasks { dueDate assignments { signDue } } } }",
            json!({ "t": text }),
            Some(&admin),
        )
        .await;
    let task = &imported.data()["importPlan"]["tasks"][0];
    // Working days after Monday 03-01: Thu 04, Fri 05, Sat 06 (make-up), Mon 08, Tue 09.
    assert_eq!(task["assignments"][0]["signDue"], "2027-03-06", "three working days on the office's calendar");
    assert_eq!(task["dueDate"], "2027-03-09", "the plan's working days on the same calendar");

    let unmark = "mutation { setCalendarDays(days: [{ day: \"2027-03-02\" }]) }";
    app.graphql(unmark, json!({}), Some(&admin)).await.data();
    let calendar =
        app.graphql("{ calendar(from: \"2027-03-01\", to: \"2027-03-02\") { day } }", json!({}), Some(&admin)).await;
    assert_eq!(calendar.data()["calendar"], json!([]), "a day without its mark is an ordinary day again");
    let refused =
        app.graphql("{ calendar(from: \"2027-03-01\", to: \"2040-03-01\") { day } }", json!({}), Some(&admin)).await;
    assert_eq!(refused.error_code(), Some("BAD_USER_INPUT"), "at most ten years at a time");
}

/// A refusal names things as the client knows them: the unit by its name, the task by the id
/// the client sent (its plan number beside it), never a raw unit id.
#[tokio::test]
async fn urging_a_unit_off_the_task_names_the_unit_and_the_task() {
    let office = Office::new(&[("县民政局、县财政局", DEADLINE), ("县教育局、县财政局", DEADLINE)]).await;
    let task = office.task(1);
    let education = office.app.department_id_as(&office.admin, "县教育局").await;
    let urge =
        "mutation($t: ID!, $d: [ID!]!) { urge(input: { taskIds: [$t], departmentIds: $d, text: \"请加快\" }) { id } }";
    let refused = office.app.graphql(urge, json!({ "t": task, "d": [education] }), Some(&office.admin)).await;
    assert_eq!(refused.error_code(), Some("BAD_USER_INPUT"));
    let message = refused.body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("县教育局") && message.contains(task), "{message}");
    assert!(!message.contains(&format!("unit {education}")), "no raw unit id: {message}");
}

/// Approving a task closes what still waited on it: the supporting unit's unanswered urging
/// leaves its to-do list and the open count, the undecided extension request leaves the
/// office's; both say so in the timeline, and a closed urging takes no answer.
#[tokio::test]
async fn closing_a_task_closes_its_open_urgings_and_extension_requests() {
    let office = Office::new(&[("县民政局、县财政局", DEADLINE)]).await;
    let task = office.task(1);
    office.app.sign_for(&office.lead, task).await;
    office.app.sign_for(&office.support, task).await;
    office.report(&office.lead, task).await.unwrap();
    let support_id = office.app.department_id_as(&office.admin, "县财政局").await;
    let urge = "mutation($t: ID!, $d: [ID!]!) { urge(input: { taskIds: [$t], departmentIds: $d, text: \"请报送配合材料\" }) { id } }";
    let urging =
        office.call(&office.admin, urge, json!({ "t": task, "d": [support_id] })).await["urge"][0]["id"].clone();
    let ask = "mutation($t: ID!) { requestExtension(taskId: $t, input: { reason: \"需要更多时间\", progress: \"过半\", proposedDueDate: \"2031-06-30\" }) { id } }";
    office.call(&office.lead, ask, json!({ "t": task })).await;
    let kinds = |todo: &Value| -> Vec<String> {
        todo["todo"]["counts"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap().to_owned()).collect()
    };
    let todo = "{ todo { counts { kind count } } }";
    assert!(kinds(&office.call(&office.support, todo, json!({})).await).contains(&"URGING".to_owned()));
    assert!(kinds(&office.call(&office.admin, todo, json!({})).await).contains(&"DECIDE_EXTENSION".to_owned()));

    let submit =
        "mutation($t: ID!, $v: Int!) { submitCompletion(taskId: $t, text: \"已完成\", expectedVersion: $v) { id } }";
    office.verb(&office.lead, submit, json!({ "t": task, "v": office.state(task).await.1 })).await.unwrap();
    let approve = "mutation($t: ID!, $v: Int!) { reviewCompletion(taskId: $t, decision: APPROVE, expectedVersion: $v) { status } }";
    office.verb(&office.admin, approve, json!({ "t": task, "v": office.state(task).await.1 })).await.unwrap();

    assert!(!kinds(&office.call(&office.support, todo, json!({})).await).contains(&"URGING".to_owned()));
    assert!(!kinds(&office.call(&office.admin, todo, json!({})).await).contains(&"DECIDE_EXTENSION".to_owned()));
    let stats = office.call(&office.admin, "{ statistics { overall { openUrgings } } }", json!({})).await;
    assert_eq!(stats["statistics"]["overall"]["openUrgings"], 0);
    let view = "query($id: ID!) { task(id: $id) { urgings { answeredAt closedAt } extensionRequests { status }
        timeline { code text } } }";
    let seen = office.call(&office.admin, view, json!({ "id": task })).await["task"].clone();
    assert_eq!(seen["urgings"][0]["answeredAt"], Value::Null, "closed, not answered");
    assert!(seen["urgings"][0]["closedAt"].is_string());
    assert_eq!(seen["extensionRequests"][0]["status"], "CLOSED");
    let lines: Vec<(String, String)> = seen["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["code"].as_str().unwrap().to_owned(), l["text"].as_str().unwrap().to_owned()))
        .filter(|(code, _)| code.ends_with("_CLOSED"))
        .collect();
    assert_eq!(
        lines,
        vec![
            ("URGING_CLOSED".to_owned(), "任务已办结,对 县财政局 的催办随之关闭".to_owned()),
            ("EXTENSION_CLOSED".to_owned(), "任务已办结,延期申请不再审批".to_owned()),
        ]
    );
    let answer = "mutation($u: ID!) { answerUrging(urgingId: $u, text: \"已报送\") { id } }";
    assert_eq!(office.refusal(&office.support, answer, json!({ "u": urging })).await, "INVALID_STATE");
}

/// On time is the unit's doing: a completion report handed in on 03-29 for a task due 03-31 is
/// on time though the office approves it on 04-05; one handed in on 04-02 is late though it is
/// approved the next day.
#[tokio::test]
async fn punctuality_counts_the_day_the_approved_report_was_handed_in() {
    let office =
        Office::new(&[("县民政局、县财政局", "2027年3月底前完成"), ("县民政局、县财政局", "2027年3月底前完成")]).await;
    let (early, late) = (office.task(1).to_owned(), office.task(2).to_owned());
    for task in [&early, &late] {
        office.app.sign_for(&office.lead, task).await;
        office.report(&office.lead, task).await.unwrap();
    }
    let submit =
        "mutation($t: ID!, $v: Int!) { submitCompletion(taskId: $t, text: \"已完成\", expectedVersion: $v) { id } }";
    let approve = "mutation($t: ID!, $v: Int!) { reviewCompletion(taskId: $t, decision: APPROVE, expectedVersion: $v) { status } }";
    office.app.set_today("2027-03-29");
    office.verb(&office.lead, submit, json!({ "t": early, "v": office.state(&early).await.1 })).await.unwrap();
    office.app.set_today("2027-04-02");
    office.verb(&office.lead, submit, json!({ "t": late, "v": office.state(&late).await.1 })).await.unwrap();
    office.app.set_today("2027-04-03");
    office.verb(&office.admin, approve, json!({ "t": late, "v": office.state(&late).await.1 })).await.unwrap();
    office.app.set_today("2027-04-05");
    office.verb(&office.admin, approve, json!({ "t": early, "v": office.state(&early).await.1 })).await.unwrap();

    let stats = office
        .call(&office.admin, "{ statistics { overall { completed completedOnTime onTimeRate } } }", json!({}))
        .await;
    assert_eq!(
        stats["statistics"]["overall"],
        json!({ "completed": 2, "completedOnTime": 1, "onTimeRate": 0.5 }),
        "task 1 handed in 03-29 (on time, approved 04-05); task 2 handed in 04-02 (late)"
    );
}

/// A published figure does not fall without a word: a report below the unit's last percent is
/// refused without `percentLoweredReason`, and the reason shows on the report and its line.
#[tokio::test]
async fn a_lower_percent_than_the_last_report_asks_for_a_reason() {
    let office = Office::new(&[("县民政局、县财政局", DEADLINE)]).await;
    let task = office.task(1);
    office.app.sign_for(&office.lead, task).await;
    office.app.sign_for(&office.support, task).await;
    let report = "mutation($t: ID!, $p: Int!, $r: String) { submitReport(taskId: $t, text: \"按计划推进\", percent: $p, percentLoweredReason: $r) { percent percentLoweredReason } }";
    let sent = office.call(&office.lead, report, json!({ "t": task, "p": 60 })).await;
    assert_eq!(sent["submitReport"], json!({ "percent": 60, "percentLoweredReason": null }));
    assert_eq!(office.refusal(&office.lead, report, json!({ "t": task, "p": 20 })).await, "BAD_USER_INPUT");
    assert_eq!(office.refusal(&office.lead, report, json!({ "t": task, "p": 20, "r": " " })).await, "BAD_USER_INPUT");
    let same = office.call(&office.lead, report, json!({ "t": task, "p": 60, "r": "无变化" })).await;
    assert_eq!(same["submitReport"]["percentLoweredReason"], Value::Null, "kept only when the figure fell");
    let lowered = office.call(&office.lead, report, json!({ "t": task, "p": 20, "r": "方案调整,部分工作重做" })).await;
    assert_eq!(lowered["submitReport"], json!({ "percent": 20, "percentLoweredReason": "方案调整,部分工作重做" }));
    let supporting = office.call(&office.support, report, json!({ "t": task, "p": 10 })).await;
    assert_eq!(supporting["submitReport"]["percent"], 10, "each unit is compared with its own last report");
    let timeline = office
        .call(&office.admin, "query($id: ID!) { task(id: $id) { timeline { code text } } }", json!({ "id": task }))
        .await;
    let reported: Vec<&str> = timeline["task"]["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["code"] == "REPORTED")
        .map(|l| l["text"].as_str().unwrap())
        .collect();
    assert!(reported.contains(&"县民政局 报送进展(20%,较上次下调:方案调整,部分工作重做)"), "{reported:?}");
}

/// The official holidays and make-up days ship with duban: 清明 2015 (Monday 04-06) is off, so a
/// task handed out on Thursday 04-02 is to be signed for by Wednesday 04-08, not Tuesday 04-07;
/// the office may still change any day.
#[tokio::test]
async fn the_official_holidays_ship_with_the_calendar() {
    let app = spawn_app_with(AppOptions { sample_plan: false, ..Default::default() }).await;
    let admin = app.admin_token().await;
    let calendar = "{ calendar(from: \"2015-04-01\", to: \"2015-04-30\") { day working note } }";
    let days = app.graphql(calendar, json!({}), Some(&admin)).await;
    assert_eq!(days.data()["calendar"], json!([{ "day": "2015-04-06", "working": false, "note": "清明节" }]));
    let national_day = "{ calendar(from: \"2015-10-01\", to: \"2015-10-11\") { day working } }";
    let days = app.graphql(national_day, json!({}), Some(&admin)).await;
    let marked: Vec<(&str, bool)> = days.data()["calendar"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["day"].as_str().unwrap(), d["working"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        marked,
        vec![
            ("2015-10-01", false),
            ("2015-10-02", false),
            ("2015-10-05", false),
            ("2015-10-06", false),
            ("2015-10-07", false),
            ("2015-10-10", true)
        ],
        "国庆 2015: five weekdays off, Saturday 10-10 worked"
    );

    app.set_today("2015-04-02");
    let plan = plan(&[("县民政局、县财政局", DEADLINE)]);
    let imported = app
        .graphql(
            "mutation($t: String!) { importPlan(text: $t) { tasks { assignments { signDue } } } }",
            json!({ "t": plan }),
            Some(&admin),
        )
        .await;
    assert_eq!(imported.data()["importPlan"]["tasks"][0]["assignments"][0]["signDue"], "2015-04-08");
}

/// A catch-all (`县政府其他有关部门`) cannot sign or report: its part is not followed up and
/// carries no warning nobody could clear, while a unit's unsigned part does.
#[tokio::test]
async fn a_catch_all_part_is_not_followed_up_and_carries_no_warning() {
    let office = Office::new(&[("县民政局、县政府其他有关部门", DEADLINE)]).await;
    office.app.set_today("2027-03-10");
    let view = "query($id: ID!) { task(id: $id) { assignments { followedUp department { name kind } warning { level reasons { code } } } } }";
    let seen = office.call(&office.admin, view, json!({ "id": office.task(1) })).await;
    let parts: Vec<(String, bool, String, Vec<String>)> = seen["task"]["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let reasons =
                a["warning"]["reasons"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_owned());
            (
                a["department"]["kind"].as_str().unwrap().to_owned(),
                a["followedUp"].as_bool().unwrap(),
                a["warning"]["level"].as_str().unwrap().to_owned(),
                reasons.collect(),
            )
        })
        .collect();
    assert_eq!(parts.len(), 2, "{parts:?}");
    assert_eq!((parts[0].0.as_str(), parts[0].1), ("UNIT", true));
    assert!(parts[0].3.contains(&"NOT_SIGNED".to_owned()), "the unit's unsigned part warns: {parts:?}");
    assert_eq!((parts[1].0.as_str(), parts[1].1, parts[1].2.as_str()), ("CATCH_ALL", false, "NONE"));
    assert!(parts[1].3.is_empty(), "{parts:?}");
}
