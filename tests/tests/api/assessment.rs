//! Assessment (考核) as a story over March 2027 on a plan of the office's own, reporting
//! monthly by the 25th, with every score worked out by hand below from the default rules
//! (100 to start; +5 a task completed on time, +1 a period on time, −1 a period late, −3 a
//! period missed, −1 a sign-off late, −1 an urging received, −2 an urging answered late,
//! −2 a completion returned):
//!
//! | unit | facts in March | score |
//! | --- | --- | ---: |
//! | 县民政局 (lead of task 1) | period 03-25 on time +1, returned 03-27 −2, completed on time 03-29 +5 | 104 |
//! | 县财政局 (supporting on task 1) | period 03-25 late −1 | 99 |
//! | 县教育局 (task 2 alone, silent) | sign-off due 03-04 −1, urged 03-10 −1, reply due 03-15 −2, period 03-25 missed −3 | 93 |
//!
//! Published on 04-01, the assessment stays as it was when 县教育局 catches up on 04-02; the
//! live figure moves (its March period turns late: 93 + 3 − 1 = 95) and a second publication is
//! version 2, with version 1 still readable.

use super::follow_up_rules::Office;
use serde_json::{Value, json};

const ASSESSMENT: &str = "query($v: Int, $live: Boolean) {
  assessment(period: { year: 2027, month: 3 }, version: $v, live: $live) {
    period from to judgedOn version rules { periodMissed }
    units { unitName rank score counts { kind count points } facts { kind on dueOn points taskSeq } }
  } }";

/// (unit, rank, score) of each row.
fn table(assessment: &Value) -> Vec<(String, i64, i64)> {
    assessment["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (u["unitName"].as_str().unwrap().to_owned(), u["rank"].as_i64().unwrap(), u["score"].as_i64().unwrap())
        })
        .collect()
}

fn row(unit: &str, rank: i64, score: i64) -> (String, i64, i64) {
    (unit.to_owned(), rank, score)
}

/// (kind, day, points, task) of each fact of a row.
fn facts(unit: &Value) -> Vec<(String, String, i64, i64)> {
    unit["facts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_owned(),
                f["on"].as_str().unwrap().to_owned(),
                f["points"].as_i64().unwrap(),
                f["taskSeq"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn fact(kind: &str, day: &str, points: i64, seq: i64) -> (String, String, i64, i64) {
    (kind.to_owned(), day.to_owned(), points, seq)
}

async fn assessment(office: &Office, token: &str, version: Option<i64>, live: bool) -> Value {
    office.call(token, ASSESSMENT, json!({ "v": version, "live": live })).await["assessment"].clone()
}

/// Task 1: 县民政局 leads, 县财政局 supports, due 2027-04-30. Task 2: 县教育局 alone, due 2027-06-30.
pub(crate) async fn march() -> Office {
    let office = Office::new(&[("县民政局、县财政局", "2027年4月底前完成"), ("县教育局", "2027年6月底前完成")]).await;
    office.report_monthly_by_the_25th().await;

    // 03-01 (a Monday): three working days to sign, so sign-off is due 03-04.
    let parts = office
        .call(
            &office.admin,
            "query($id: ID!) { task(id: $id) { assignments { signDue } } }",
            json!({ "id": office.task(2) }),
        )
        .await;
    assert_eq!(parts["task"]["assignments"][0]["signDue"], "2027-03-04");
    for token in [&office.lead, &office.support] {
        office.sign(token, 1).await;
    }

    // 03-10: the office urges 县教育局 on task 2, to answer by 03-15; it never does.
    office.app.set_today("2027-03-10");
    let unit = office.app.department_id_as(&office.admin, "县教育局").await;
    let urge = "mutation($t: ID!, $d: ID!) { urge(input: { taskIds: [$t], departmentIds: [$d], text: \"请尽快签收\", replyBy: \"2027-03-15\" }) { id } }";
    office.call(&office.admin, urge, json!({ "t": office.task(2), "d": unit })).await;

    // 03-20: the lead reports on time; 03-26: the supporting unit reports a day late (补报).
    office.app.set_today("2027-03-20");
    office.report(&office.lead, office.task(1)).await.unwrap();
    office.app.set_today("2027-03-26");
    office.report(&office.support, office.task(1)).await.unwrap();

    // 03-27: the lead hands in its completion report and the office returns it the same day;
    // 03-29: handed in again and approved, a month before the due date.
    let submit = "mutation($t: ID!, $v: Int!) { submitCompletion(taskId: $t, text: \"已完成\", expectedVersion: $v) { decision } }";
    let review = "mutation($t: ID!, $v: Int!, $d: ReviewDecision!) { reviewCompletion(taskId: $t, decision: $d, reason: \"缺少佐证\", expectedVersion: $v) { status } }";
    for (day, decision) in [("2027-03-27", "RETURN"), ("2027-03-29", "APPROVE")] {
        office.app.set_today(day);
        let version = office.state(office.task(1)).await.1;
        office.call(&office.lead, submit, json!({ "t": office.task(1), "v": version })).await;
        let version = office.state(office.task(1)).await.1;
        office.call(&office.admin, review, json!({ "t": office.task(1), "v": version, "d": decision })).await;
    }
    assert_eq!(office.state(office.task(1)).await.0, "COMPLETED");
    office.app.set_today("2027-04-01");
    office
}

#[tokio::test]
async fn a_month_is_scored_ranked_published_and_stays_as_published() {
    let office = march().await;

    // 04-01: nothing published yet, so the office reads the March assessment as it stands.
    let live = assessment(&office, &office.admin, None, false).await;
    assert_eq!(
        (live["period"].as_str(), live["from"].as_str(), live["to"].as_str()),
        (Some("2027-03"), Some("2027-03-01"), Some("2027-03-31"))
    );
    assert_eq!(live["version"], Value::Null);
    assert_eq!(table(&live), [row("县民政局", 1, 104), row("县财政局", 2, 99), row("县教育局", 3, 93)]);
    assert_eq!(
        facts(&live["units"][0]),
        [
            fact("PERIOD_ON_TIME", "2027-03-25", 1, 1),
            fact("COMPLETION_RETURNED", "2027-03-27", -2, 1),
            fact("COMPLETED_ON_TIME", "2027-03-29", 5, 1),
        ]
    );
    assert_eq!(live["units"][0]["facts"][2]["dueOn"], "2027-04-30");
    assert_eq!(facts(&live["units"][1]), [fact("PERIOD_LATE", "2027-03-25", -1, 1)]);
    let silent = [
        fact("SIGNED_LATE", "2027-03-04", -1, 2),
        fact("URGED", "2027-03-10", -1, 2),
        fact("URGING_ANSWERED_LATE", "2027-03-15", -2, 2),
        fact("PERIOD_MISSED", "2027-03-25", -3, 2),
    ];
    assert_eq!(facts(&live["units"][2]), silent);
    assert_eq!(
        live["units"][2]["counts"],
        json!([
            { "kind": "PERIOD_MISSED", "count": 1, "points": -3 },
            { "kind": "SIGNED_LATE", "count": 1, "points": -1 },
            { "kind": "URGED", "count": 1, "points": -1 },
            { "kind": "URGING_ANSWERED_LATE", "count": 1, "points": -2 },
        ])
    );

    // A unit reads its own row with its rank and why it lost points; a leader reads them all.
    let own = assessment(&office, &office.other, None, false).await;
    assert_eq!(table(&own), [row("县教育局", 3, 93)]);
    assert_eq!(facts(&own["units"][0]), silent);
    assert_eq!(table(&assessment(&office, &office.support, None, false).await), [row("县财政局", 2, 99)]);
    assert_eq!(table(&assessment(&office, &office.leader, None, false).await).len(), 3);

    // The office publishes March: version 1.
    let publish =
        "mutation { publishAssessment(period: { year: 2027, month: 3 }) { version judgedOn units { score } } }";
    let first = office.call(&office.admin, publish, json!({})).await;
    assert_eq!(first["publishAssessment"]["version"], 1);
    assert_eq!(first["publishAssessment"]["judgedOn"], "2027-04-01");

    // 04-02: 县教育局 signs and answers March's period late (补报), and the office makes missed
    // periods cost more. The published assessment does not move; the live one does, by the
    // rules in force: 100 − 1 − 1 − 2 − 1 (the period, now late) = 95.
    office.app.set_today("2027-04-02");
    let sign = "mutation($t: ID!) { signTask(taskId: $t, input: { responsiblePerson: \"李四\", contact: \"0427-7654321\" }) { state } }";
    office.call(&office.other, sign, json!({ "t": office.task(2) })).await;
    office.report(&office.other, office.task(2)).await.unwrap();
    let rules = "mutation { updateAssessmentRules(input: { base: 100, completedOnTime: 5, completedLate: 2, periodOnTime: 1, periodLate: -1, periodMissed: -5, signedLate: -1, urged: -1, urgingAnsweredLate: -2, completionReturned: -2, judgedOver: MONTH }) { periodMissed } }";
    assert_eq!(office.call(&office.admin, rules, json!({})).await["updateAssessmentRules"]["periodMissed"], -5);

    let published = assessment(&office, &office.admin, None, false).await;
    assert_eq!(published["version"], 1);
    assert_eq!(published["rules"]["periodMissed"], -3, "scored by the rules of its day");
    assert_eq!(table(&published), [row("县民政局", 1, 104), row("县财政局", 2, 99), row("县教育局", 3, 93)]);
    assert_eq!(table(&assessment(&office, &office.other, None, false).await), [row("县教育局", 3, 93)]);
    let now = assessment(&office, &office.admin, None, true).await;
    assert_eq!(now["version"], Value::Null);
    assert_eq!(table(&now), [row("县民政局", 1, 104), row("县财政局", 2, 99), row("县教育局", 3, 95)]);
    assert_eq!(facts(&now["units"][2])[3], fact("PERIOD_LATE", "2027-03-25", -1, 2));

    // A correction is version 2; version 1 is still there as it was.
    let second = office.call(&office.admin, publish, json!({})).await;
    assert_eq!(second["publishAssessment"]["version"], 2);
    assert_eq!(table(&assessment(&office, &office.admin, None, false).await)[2], row("县教育局", 3, 95));
    assert_eq!(table(&assessment(&office, &office.admin, Some(1), false).await)[2], row("县教育局", 3, 93));
    let versions = "{ assessmentVersions(period: { year: 2027, month: 3 }) { version } }";
    assert_eq!(
        office.call(&office.other, versions, json!({})).await["assessmentVersions"],
        json!([{ "version": 2 }, { "version": 1 }])
    );

    // The trail names who published what.
    let trail = "{ auditLog(filter: { entity: \"published_assessment\" }) { nodes { operation action } } }";
    let entries = office.call(&office.admin, trail, json!({})).await;
    assert_eq!(
        entries["auditLog"]["nodes"],
        json!([{ "operation": "publishAssessment", "action": "CREATE" }, { "operation": "publishAssessment", "action": "CREATE" }])
    );
}

#[tokio::test]
async fn periods_and_rules_a_client_cannot_mean_are_refused() {
    let office = Office::new(&[("县民政局", "2027年6月底前完成")]).await;
    let refusals = [
        ("{ assessment(period: { year: 2027, month: 13 }) { period } }", "BAD_USER_INPUT"),
        ("{ assessment(period: { year: 2027, month: 3, quarter: 1 }) { period } }", "BAD_USER_INPUT"),
        ("{ assessment(period: { year: 2027, month: 3 }, version: 1, live: true) { period } }", "BAD_USER_INPUT"),
        ("{ assessment(period: { year: 2027, month: 3 }, version: 1) { period } }", "NOT_FOUND"),
        ("{ assessment(documentId: \"999999\") { period } }", "NOT_FOUND"),
        ("mutation { publishAssessment(period: { year: 2027, month: 4 }) { version } }", "BAD_USER_INPUT"),
        (
            "mutation { updateAssessmentRules(input: { base: 100, completedOnTime: 5, completedLate: 2, periodOnTime: 1, periodLate: 2, periodMissed: -3, signedLate: -1, urged: -1, urgingAnsweredLate: -2, completionReturned: -2, judgedOver: MONTH }) { base } }",
            "BAD_USER_INPUT",
        ),
    ];
    for (query, code) in refusals {
        assert_eq!(office.refusal(&office.admin, query, json!({})).await, code, "{query}");
    }
    // Omitted, the period is the rules' (a month) holding today: March 2027.
    let current = office.call(&office.lead, "{ assessment { period periodKind } }", json!({})).await;
    assert_eq!(current["assessment"], json!({ "period": "2027-03", "periodKind": "MONTH" }));
    let quarter = office
        .call(&office.leader, "{ assessment(period: { year: 2027, quarter: 1 }) { period from to } }", json!({}))
        .await;
    assert_eq!(quarter["assessment"], json!({ "period": "2027-Q1", "from": "2027-01-01", "to": "2027-03-31" }));
}

/// November and December 2014 of the reference plan (imported Friday 2014-11-14, reporting
/// monthly by the 25th), for 县司法局: on task 26 alone (持续实施, supporting), silent until
/// January. Sign-off is due Wednesday 11-19 (three working days); periods fall due 11-25 and
/// 12-25. By hand, with the default rules:
/// - November: sign-off late (11-19) −1, period 11-25 missed −3: 100 − 4 = 96;
/// - December: period 12-25 missed −3: 97; after it signs and answers December late on
///   2015-01-10 (补报, before January's period falls due on 01-25): −1, so 99 — but the
///   December assessment published on 01-05 stays 97.
#[tokio::test]
async fn a_unit_of_the_reference_plan_is_scored_month_by_month_from_its_record() {
    use duban_tests::{AppOptions, password_for, spawn_app_with};
    let app = spawn_app_with(AppOptions { sample_plan: false, ..Default::default() }).await;
    app.set_today("2014-11-14");
    let admin = app.admin_token().await;
    let (_, tasks) = super::judgement_story::import(&app, &admin, duban::bootstrap::SAMPLE_PLAN).await;
    let unit = app.department_id_as(&admin, "县司法局").await;
    app.create_account(&admin, "sifa", "DEPARTMENT", Some(&unit)).await;
    let sifa = app.login("sifa", &password_for("sifa")).await;
    let month = |m: u32| {
        format!(
            "{{ assessment(period: {{ year: {}, month: {m} }}) {{ version units {{ unitName rank score facts {{ kind on points taskSeq }} }} }} }}",
            if m == 1 { 2015 } else { 2014 }
        )
    };
    let own = |data: &Value| -> (i64, Vec<(String, String, i64, i64)>) {
        let units = data["assessment"]["units"].as_array().unwrap();
        assert_eq!(units.len(), 1, "a unit reads its own row: {units:?}");
        (units[0]["score"].as_i64().unwrap(), facts(&units[0]))
    };

    app.set_today("2015-01-05");
    let november = app.graphql(&month(11), json!({}), Some(&sifa)).await;
    assert_eq!(
        own(november.data()),
        (96, vec![fact("SIGNED_LATE", "2014-11-19", -1, 26), fact("PERIOD_MISSED", "2014-11-25", -3, 26)])
    );
    let december = app.graphql(&month(12), json!({}), Some(&sifa)).await;
    assert_eq!(own(december.data()), (97, vec![fact("PERIOD_MISSED", "2014-12-25", -3, 26)]));

    // The office's view ranks it among every unit of the plan, by the same score.
    let all = app.graphql(&month(12), json!({}), Some(&admin)).await;
    let units = all.data()["assessment"]["units"].as_array().unwrap().clone();
    let row = units.iter().find(|u| u["unitName"] == "县司法局").unwrap();
    let higher = units.iter().filter(|u| u["score"].as_i64() > Some(97)).count() as i64;
    assert_eq!((row["score"].as_i64(), row["rank"].as_i64()), (Some(97), Some(higher + 1)));
    let publish = "mutation { publishAssessment(period: { year: 2014, month: 12 }) { version } }";
    assert_eq!(app.graphql(publish, json!({}), Some(&admin)).await.data()["publishAssessment"]["version"], 1);

    // 01-10: it signs and answers December late.
    app.set_today("2015-01-10");
    let task26 = tasks.iter().find(|(seq, _)| *seq == 26).unwrap().1.clone();
    app.sign_for(&sifa, &task26).await;
    let report = "mutation($t: ID!) { submitReport(taskId: $t, text: \"已开展法律援助\", percent: 10) { dueOn late } }";
    let sent = app.graphql(report, json!({ "t": task26 }), Some(&sifa)).await;
    assert_eq!(sent.data()["submitReport"], json!({ "dueOn": "2014-12-25", "late": true }));
    assert_eq!(own(app.graphql(&month(12), json!({}), Some(&sifa)).await.data()).0, 97, "as published");
    let live = "{ assessment(period: { year: 2014, month: 12 }, live: true) { units { score facts { kind on points taskSeq } } } }";
    let now = app.graphql(live, json!({}), Some(&sifa)).await;
    assert_eq!(own(now.data()), (99, vec![fact("PERIOD_LATE", "2014-12-25", -1, 26)]));
}
