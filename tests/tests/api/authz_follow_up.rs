//! The authorization matrix of the follow-up loop: every query and verb it adds × nine
//! identities. On the loop's test plan every task has 县民政局 (the lead identity) as lead and
//! 县卫生局 and 县发展和改革局 (the supporting and service identities) as supporting units; 县司法局
//! (the unrelated identity) is on none of them. Each task is arranged in the state its verb
//! starts from, so a refusal is always about who asks.

use crate::authz_matrix::{admin_only, case, fields, named, no_vars, op, plan_id};
use crate::cast::{Cast, Who, str_of};
use crate::matrix::{Case, FORBIDDEN, Fixture, NOT_FOUND, Op, REFUSED, UNAUTHENTICATED, ok, run};
use crate::reference_plan::{FAGAI, MINZHENG, SIFA, TOWNS, WEISHENG, assigned, rows};
use duban_tests::{TestApp, spawn_app};
use serde_json::{Value, json};
use std::collections::HashMap;

/// The day the loop's fixture lives on.
const TODAY: &str = "2026-12-01";

type Expect9 = crate::matrix::Expect;

/// Success with one number.
fn count(n: usize) -> Expect9 {
    ok(&[&n.to_string()])
}

#[rustfmt::skip]
pub fn loop_query_cases() -> Vec<Case> {
    let (m, w, s, f) = (assigned(MINZHENG).len(), assigned(WEISHENG).len(), assigned(SIFA).len(), assigned(FAGAI).len());
    let signed_in = |e: fn() -> Expect9| [UNAUTHENTICATED, e(), e(), e(), e(), e(), e(), REFUSED, REFUSED];
    vec![
        case(op("todo", "{ todo { total counts { kind count } } }", no_vars, |d| vec![(d["total"].is_number()).to_string()]),
             signed_in(|| ok(&["true"]))),
        case(op("statistics", "{ statistics { overall { total } } }", no_vars, |d| vec![d["overall"]["total"].to_string()]),
             [UNAUTHENTICATED, count(26), count(26), count(m), count(w), count(s), count(f), REFUSED, REFUSED]),
        case(op("warningSettings", "{ warningSettings { approachingDays } }", no_vars, |d| fields(d, &["approachingDays"])),
             signed_in(|| ok(&["7"]))),
        case(op("calendar", "{ calendar(from: \"2027-10-01\", to: \"2027-10-31\") { day } }", no_vars,
                |d| d.as_array().into_iter().flatten().map(|c| str_of(&c["day"])).collect()),
             signed_in(|| ok(&["2027-10-01"]))),
        case(op("assessmentRules", "{ assessmentRules { base periodMissed judgedOver } }", no_vars,
                |d| fields(d, &["base", "periodMissed", "judgedOver"])),
             signed_in(|| ok(&["100", "-3", "MONTH"]))),
        // The office and leaders read every unit judged; a unit (or its system) only its own row.
        case(op("assessment", "{ assessment(period: { year: 2026, month: 12 }) { units { unitName } } }", no_vars, assessed_units),
             [UNAUTHENTICATED, ok(&[&judged()]), ok(&[&judged()]), ok(&["县民政局"]), ok(&["县卫生局"]), ok(&["县司法局"]), ok(&["县发展和改革局"]), REFUSED, REFUSED]),
        // The office's list of what to urge: the office and leaders, who urge.
        case(op("urgeList", "{ urgeList { total } }", no_vars, |d| vec![d["total"].is_number().to_string()]),
             [UNAUTHENTICATED, ok(&["true"]), ok(&["true"]), FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REFUSED, REFUSED]),
        case(op("watchList", "{ watchList { changedSince } }", no_vars, |d| vec![d.as_array().map_or(0, Vec::len).to_string()]),
             watchers(&["0"])),
        case(op("assessmentVersions", "{ assessmentVersions(period: { year: 2026, month: 12 }) { version } }", no_vars,
                |d| vec![d.as_array().map_or(0, Vec::len).to_string()]),
             signed_in(|| ok(&["0"]))),
    ]
}

/// How many units the reference plan's assessment judges, read from the plan text: every agency
/// on it once (县发展改革委 is 县发展和改革局, 县经济和信息化委 is 县经济和信息化局), not the group
/// 各镇人民政府 nor a name for no one in particular (县政府其他有关部门, 各镇有关部门).
fn judged() -> String {
    const ALIASES: [&str; 2] = ["縣發展改革委", "縣經濟和信息化委"];
    let mut names: std::collections::BTreeSet<String> = rows().into_iter().flat_map(|(_, units)| units).collect();
    names.retain(|name| {
        !ALIASES.contains(&name.as_str()) && !TOWNS.contains(&name.as_str()) && !name.ends_with("有關部門")
    });
    format!("units judged: {}", names.len())
}

/// One row's name when a unit reads its own, else how many rows.
fn assessed_units(d: &Value) -> Vec<String> {
    let units = d["units"].as_array().cloned().unwrap_or_default();
    match units.as_slice() {
        [one] => vec![str_of(&one["unitName"])],
        many => vec![format!("units judged: {}", many.len())],
    }
}

#[tokio::test]
async fn the_loops_queries_follow_the_authorization_matrix() {
    let app = spawn_app().await;
    let cast = Cast::arrange(&app).await;
    let holiday = json!({ "d": [{ "day": "2027-10-01", "working": false, "note": "国庆节" }] });
    app.graphql("mutation($d: [CalendarDayInput!]!) { setCalendarDays(days: $d) }", holiday, Some(cast.admin()))
        .await
        .data();
    let mut fixture = Fixture { cast, ids: HashMap::new(), version: 0 };

    let count = run(&app, &mut fixture, loop_query_cases()).await;

    assert_eq!(count, 9 * 9);
}

/// What leaders and the office may do and units may not (the watch list).
fn watchers(rows: &[&str]) -> [Expect9; 9] {
    [UNAUTHENTICATED, ok(rows), ok(rows), FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REFUSED, REFUSED]
}

/// A verb of one unit's own place: the lead, supporting and service identities may, the office
/// and leaders may not, the unrelated unit does not see the task.
fn own_place(lead: &[&str], supporting: &[&str], service: &[&str]) -> [Expect9; 9] {
    [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, ok(lead), ok(supporting), NOT_FOUND, ok(service), REFUSED, REFUSED]
}

/// A verb of the lead unit only.
fn lead_only(rows: &[&str]) -> [Expect9; 9] {
    [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, ok(rows), FORBIDDEN, NOT_FOUND, FORBIDDEN, REFUSED, REFUSED]
}

/// A verb of leaders and the office.
fn office_and_leaders(admin: &[&str], leader: &[&str]) -> [Expect9; 9] {
    [UNAUTHENTICATED, ok(admin), ok(leader), FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REFUSED, REFUSED]
}

/// A verb of the urged unit (the lead identity's); no one else learns the urging exists.
fn urged_unit(rows: &[&str]) -> [Expect9; 9] {
    [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, ok(rows), NOT_FOUND, NOT_FOUND, NOT_FOUND, REFUSED, REFUSED]
}

fn versioned(key: &'static str, op: Op) -> Op {
    Op { versioned: Some(key), ..op }
}

#[rustfmt::skip]
pub fn loop_mutation_cases() -> Vec<Case> {
    let state = |d: &Value| vec![str_of(&d["state"]), str_of(&d["department"]["name"])];
    vec![
        case(op("signTask", "mutation($t: ID!) { signTask(taskId: $t, input: { responsiblePerson: \"张三\", contact: \"0427-1234567\" }) { state department { name } } }",
                |f, _| json!({ "t": f.id("sign") }), state),
             own_place(&["SIGNED", "县民政局"], &["SIGNED", "县卫生局"], &["SIGNED", "县发展和改革局"])),
        case(op("finishPart", "mutation($t: ID!) { finishPart(taskId: $t) { state department { name } } }",
                |f, _| json!({ "t": f.id("finish") }), state),
             own_place(&["DONE", "县民政局"], &["DONE", "县卫生局"], &["DONE", "县发展和改革局"])),
        case(versioned("complete", op("submitCompletion", "mutation($t: ID!, $v: Int!) { submitCompletion(taskId: $t, text: \"已完成\", expectedVersion: $v) { decision } }",
                |f, _| json!({ "t": f.id("complete"), "v": f.version }), |d| fields(d, &["decision"]))),
             lead_only(&["PENDING"])),
        case(versioned("withdraw", op("withdrawCompletion", "mutation($t: ID!, $v: Int!) { withdrawCompletion(taskId: $t, reason: \"数据需更正\", expectedVersion: $v) { status } }",
                |f, _| json!({ "t": f.id("withdraw"), "v": f.version }), |d| fields(d, &["status"]))),
             lead_only(&["IN_PROGRESS"])),
        case(op("requestExtension", "mutation($t: ID!) { requestExtension(taskId: $t, input: { reason: \"省里文件未下\", progress: \"已起草\", proposedDueDate: \"2027-09-30\" }) { status } }",
                |f, _| json!({ "t": f.id("extend") }), |d| fields(d, &["status"])),
             lead_only(&["PENDING"])),
        case(op("respondToInstruction", "mutation($i: ID!) { respondToInstruction(instructionId: $i, text: \"已落实\") { text } }",
                |f, _| json!({ "i": f.id("instruction") }), |d| fields(d, &["text"])),
             lead_only(&["已落实"])),
        case(op("markUrgingRead", "mutation($u: ID!) { markUrgingRead(urgingId: $u) { readAt } }",
                |f, _| json!({ "u": f.id("urging to read") }), |d| vec![d["readAt"].is_string().to_string()]),
             urged_unit(&["true"])),
        case(op("answerUrging", "mutation($u: ID!) { answerUrging(urgingId: $u, text: \"正在办理\") { answer } }",
                |f, _| json!({ "u": f.id("urging to answer") }), |d| fields(d, &["answer"])),
             urged_unit(&["正在办理"])),
        case(op("urge", "mutation($t: ID!, $x: String!) { urge(input: { taskIds: [$t], text: $x }) { department { name } text } }",
                |f, who| json!({ "t": f.id("urge"), "x": named("请加快进度", who) }),
                |d| d.as_array().into_iter().flatten().map(|u| format!("{} {}", str_of(&u["department"]["name"]), str_of(&u["text"]))).collect()),
             office_and_leaders(&["县民政局 请加快进度-Admin"], &["县民政局 请加快进度-Leader"])),
        case(op("instruct", "mutation($t: ID!, $x: String!) { instruct(taskId: $t, text: $x) { text } }",
                |f, who| json!({ "t": f.id("instruct"), "x": named("抓紧落实", who) }), |d| fields(d, &["text"])),
             office_and_leaders(&["抓紧落实-Admin"], &["抓紧落实-Leader"])),
        case(versioned("review", op("reviewCompletion", "mutation($t: ID!, $v: Int!) { reviewCompletion(taskId: $t, decision: APPROVE, expectedVersion: $v) { status } }",
                |f, _| json!({ "t": f.id("review"), "v": f.version }), |d| fields(d, &["status"]))),
             admin_only(&["COMPLETED"])),
        case(versioned("archive", op("archiveTask", "mutation($t: ID!, $v: Int!) { archiveTask(taskId: $t, expectedVersion: $v) { status } }",
                |f, _| json!({ "t": f.id("archive"), "v": f.version }), |d| fields(d, &["status"]))),
             admin_only(&["ARCHIVED"])),
        case(versioned("suspend", op("suspendTask", "mutation($t: ID!, $v: Int!) { suspendTask(taskId: $t, reason: \"政策调整\", expectedVersion: $v) { status } }",
                |f, _| json!({ "t": f.id("suspend"), "v": f.version }), |d| fields(d, &["status"]))),
             admin_only(&["SUSPENDED"])),
        case(versioned("resume", op("resumeTask", "mutation($t: ID!, $v: Int!) { resumeTask(taskId: $t, expectedVersion: $v) { status } }",
                |f, _| json!({ "t": f.id("resume"), "v": f.version }), |d| fields(d, &["status"]))),
             admin_only(&["IN_PROGRESS"])),
        case(op("decideExtension", "mutation($r: ID!) { decideExtension(requestId: $r, input: { approve: true }) { status decidedDueDate } }",
                |f, _| json!({ "r": f.id("extension") }), |d| fields(d, &["status", "decidedDueDate"])),
             admin_only(&["APPROVED", "2027-08-31"])),
        case(op("setCalendarDays", "mutation { setCalendarDays(days: [{ day: \"2027-01-01\", working: false, note: \"元旦\" }]) }",
                no_vars, |d| vec![d.to_string()]),
             admin_only(&["true"])),
        case(op("updateWarningSettings", "mutation { updateWarningSettings(input: { approachingDays: 10, urgentDays: 3, paceYellowPoints: 10, paceRedPoints: 30, signWorkingDays: 3 }) { approachingDays } }",
                no_vars, |d| fields(d, &["approachingDays"])),
             admin_only(&["10"])),
        case(op("updateAssessmentRules", "mutation { updateAssessmentRules(input: { base: 90, completedOnTime: 5, completedLate: 2, periodOnTime: 1, periodLate: -1, periodMissed: -3, signedLate: -1, urged: -1, urgingAnsweredLate: -2, completionReturned: -2, judgedOver: QUARTER }) { base judgedOver } }",
                no_vars, |d| fields(d, &["base", "judgedOver"])),
             admin_only(&["90", "QUARTER"])),
        case(op("publishAssessment", "mutation { publishAssessment(period: { year: 2026, month: 11 }) { period version } }",
                no_vars, |d| fields(d, &["period", "version"])),
             admin_only(&["2026-11", "1"])),
        // The watch list (关注): leaders and the office; units follow their own work anyway.
        case(op("followTask", "mutation($t: ID!) { followTask(taskId: $t) { changedSince } }",
                |f, _| json!({ "t": f.id("rule") }), |d| vec![d["changedSince"].is_null().to_string()]),
             watchers(&["true"])),
        case(op("markFollowedTaskSeen", "mutation($t: ID!) { markFollowedTaskSeen(taskId: $t) { changedSince } }",
                |f, _| json!({ "t": f.id("rule") }), |d| vec![d["changedSince"].is_null().to_string()]),
             watchers(&["true"])),
        case(op("unfollowTask", "mutation($t: ID!) { unfollowTask(taskId: $t) }",
                |f, _| json!({ "t": f.id("rule") }), |d| vec![d.to_string()]),
             watchers(&["true"])),
        case(op("setDocumentReportRule", "mutation($d: ID!) { setDocumentReportRule(documentId: $d, rule: { cadence: MONTHLY, day: 25 }) { reportRule { cadence day } } }",
                |f, _| json!({ "d": f.id("plan") }), |d| fields(&d["reportRule"], &["cadence", "day"])),
             admin_only(&["MONTHLY", "25"])),
        case(versioned("rule", op("setTaskReportRule", "mutation($t: ID!, $v: Int!) { setTaskReportRule(taskId: $t, rule: { cadence: QUARTERLY, day: 5 }, expectedVersion: $v) { reportRule { cadence day } } }",
                |f, _| json!({ "t": f.id("rule"), "v": f.version }), |d| fields(&d["reportRule"], &["cadence", "day"]))),
             admin_only(&["QUARTERLY", "5"])),
    ]
}

#[tokio::test]
async fn the_loops_verbs_follow_the_authorization_matrix() {
    let app = spawn_app().await;
    app.set_today(TODAY);
    let cast = Cast::arrange(&app).await;
    let ids = arrange(&app, &cast).await;
    let mut fixture = Fixture { cast, ids, version: 0 };

    let count = run(&app, &mut fixture, loop_mutation_cases()).await;

    assert_eq!(count, 24 * 9);
}

const TASKS: [&str; 15] = [
    "sign", "finish", "complete", "extend", "respond", "urged", "urge", "instruct", "review", "archive", "suspend",
    "resume", "decide", "rule", "withdraw",
];

/// The loop's test plan: one task per verb, each in the state its verb starts from.
async fn arrange(app: &TestApp, cast: &Cast) -> HashMap<&'static str, String> {
    let admin = cast.admin();
    let created = app
        .graphql("mutation { createDocument(input: { title: \"督办测试方案\" }) { id } }", json!({}), Some(admin))
        .await;
    let document = str_of(&created.data()["createDocument"]["id"]);
    let mut ids = HashMap::from([("plan", plan_id(app, admin).await)]);
    for (n, key) in TASKS.iter().enumerate() {
        ids.insert(*key, loop_task(app, cast, &document, n as i32 + 1).await);
    }
    for key in [
        "finish", "complete", "respond", "urged", "extend", "review", "archive", "suspend", "resume", "decide",
        "withdraw",
    ] {
        for who in [Who::Lead, Who::Supporting, Who::Service] {
            sign(app, cast, who, &ids[key]).await;
        }
    }
    for key in ["finish", "complete", "review", "archive", "suspend", "resume", "withdraw"] {
        for who in [Who::Lead, Who::Supporting, Who::Service] {
            report(app, cast, who, &ids[key]).await;
        }
    }
    for key in ["review", "archive", "withdraw"] {
        call(app, cast, Who::Lead, "mutation($t: ID!, $v: Int!) { submitCompletion(taskId: $t, text: \"已完成\", expectedVersion: $v) { id } }", json!({ "t": ids[key], "v": version(app, cast, &ids[key]).await })).await;
    }
    call(app, cast, Who::Admin, "mutation($t: ID!, $v: Int!) { reviewCompletion(taskId: $t, decision: APPROVE, expectedVersion: $v) { status } }", json!({ "t": ids["archive"], "v": version(app, cast, &ids["archive"]).await })).await;
    call(
        app,
        cast,
        Who::Admin,
        "mutation($t: ID!, $v: Int!) { suspendTask(taskId: $t, reason: \"暂停\", expectedVersion: $v) { status } }",
        json!({ "t": ids["resume"], "v": version(app, cast, &ids["resume"]).await }),
    )
    .await;
    let asked = call(app, cast, Who::Lead, "mutation($t: ID!) { requestExtension(taskId: $t, input: { reason: \"需要更多时间\", progress: \"过半\", proposedDueDate: \"2027-08-31\" }) { id } }", json!({ "t": ids["decide"] })).await;
    ids.insert("extension", str_of(&asked["requestExtension"]["id"]));
    let instruction = call(
        app,
        cast,
        Who::Leader,
        "mutation($t: ID!) { instruct(taskId: $t, text: \"请尽快办理\") { id } }",
        json!({ "t": ids["respond"] }),
    )
    .await;
    ids.insert("instruction", str_of(&instruction["instruct"]["id"]));
    for key in ["urging to read", "urging to answer"] {
        let sent = call(
            app,
            cast,
            Who::Admin,
            "mutation($t: ID!) { urge(input: { taskIds: [$t], text: \"请报送进展\" }) { id } }",
            json!({ "t": ids["urged"] }),
        )
        .await;
        ids.insert(key, str_of(&sent["urge"][0]["id"]));
    }
    ids
}

/// A task of the test plan with 县民政局 leading, 县卫生局 and 县发展和改革局 supporting.
async fn loop_task(app: &TestApp, cast: &Cast, document: &str, seq: i32) -> String {
    let input = json!({ "documentId": document, "seq": seq, "title": format!("督办任务{seq}"),
                        "schedule": { "text": "2027年6月底前完成", "kind": "DEADLINE", "dueDate": "2027-06-30" } });
    let made = call(
        app,
        cast,
        Who::Admin,
        "mutation($i: CreateTaskInput!) { createTask(input: $i) { id } }",
        json!({ "i": input }),
    )
    .await;
    let id = str_of(&made["createTask"]["id"]);
    let units = json!([
        { "departmentId": cast.departments["县民政局"], "role": "LEAD" },
        { "departmentId": cast.departments["县卫生局"], "role": "SUPPORTING" },
        { "departmentId": cast.departments["县发展和改革局"], "role": "SUPPORTING" },
    ]);
    call(
        app,
        cast,
        Who::Admin,
        "mutation($t: ID!, $a: [AssignmentInput!]!) { setTaskAssignments(taskId: $t, assignments: $a) { id } }",
        json!({ "t": id, "a": units }),
    )
    .await;
    id
}

/// `who` signs for its unit's place on `task`.
pub async fn sign(app: &TestApp, cast: &Cast, who: Who, task: &str) {
    let query = "mutation($t: ID!) { signTask(taskId: $t, input: { responsiblePerson: \"李四\", contact: \"0427-7654321\" }) { state } }";
    call(app, cast, who, query, json!({ "t": task })).await;
}

async fn report(app: &TestApp, cast: &Cast, who: Who, task: &str) {
    let query = "mutation($t: ID!) { submitReport(taskId: $t, text: \"按计划推进\", percent: 50) { id } }";
    call(app, cast, who, query, json!({ "t": task })).await;
}

async fn version(app: &TestApp, cast: &Cast, task: &str) -> i64 {
    let found =
        call(app, cast, Who::Admin, "query($id: ID!) { task(id: $id) { version } }", json!({ "id": task })).await;
    found["task"]["version"].as_i64().expect("version")
}

/// A call that must succeed; returns its data.
async fn call(app: &TestApp, cast: &Cast, who: Who, query: &str, variables: Value) -> Value {
    app.graphql(query, variables, cast.token(who)).await.data().clone()
}
