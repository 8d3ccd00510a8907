//! Reporting periods on record (报送周期), as a story over three and a half months of
//! `DUBAN_TODAY` on a plan of the office's own with a monthly rule (by the 25th): a late report
//! answers the missed period and a second one that day answers nothing; months of silence are
//! recorded missed, not skipped; the to-do list names what may still be sent and what was
//! missed; statistics count periods due, on time, late and missed, so a silent unit no longer
//! looks better than a late one. Every number below is worked out by hand in the comments.

use super::follow_up_rules::{ISSUED, Office, plan};
use serde_json::{Value, json};

const PART: &str = "query($id: ID!) { task(id: $id) { assignments { department { name } nextReportDue lastReportLate
    periods { dueOn opensOn state answeredOn } } } }";
const TODO: &str = "{ todo(first: 50) { items { kind date task { seq } } } }";
const PERIODS: &str = "periodsDue periodsOnTime periodsLate periodsMissed";

/// Task 1: 县民政局 leads, 县财政局 supports, due 2027-06-30. Task 2: 县教育局 alone, due 2027-04-30,
/// and it never signs or reports.
async fn office() -> Office {
    office_with(&[("县民政局、县财政局", "2027年6月底前完成"), ("县教育局", "2027年4月底前完成")]).await
}

/// The plan of `rows`, reporting monthly by the 25th, task 1 signed for by 县民政局 and 县财政局
/// where they are on it.
async fn office_with(rows: &[(&str, &str)]) -> Office {
    let office = Office::new(rows).await;
    office.report_monthly_by_the_25th().await;
    // Not every plan of these tests has both on task 1: a refusal is left as it is.
    let sign = "mutation($t: ID!) { signTask(taskId: $t, input: { responsiblePerson: \"张三\", contact: \"0427-1234567\" }) { state } }";
    for token in [&office.lead, &office.support] {
        office.app.graphql(sign, json!({ "t": office.task(1) }), Some(token)).await;
    }
    office
}

/// Sends a report on task 1; gives (dueOn, late) of the report.
async fn report(office: &Office, token: &str, percent: i64) -> (Option<String>, bool) {
    let query =
        "mutation($t: ID!, $p: Int!) { submitReport(taskId: $t, text: \"推进中\", percent: $p) { dueOn late } }";
    let sent = office.call(token, query, json!({ "t": office.task(1), "p": percent })).await;
    (sent["submitReport"]["dueOn"].as_str().map(str::to_owned), sent["submitReport"]["late"].as_bool().unwrap())
}

/// The part of `unit` on task `seq` as the office sees it.
async fn part(office: &Office, seq: usize, unit: &str) -> Value {
    let task = office.call(&office.admin, PART, json!({ "id": office.task(seq) })).await;
    task["task"]["assignments"].as_array().unwrap().iter().find(|a| a["department"]["name"] == unit).unwrap().clone()
}

/// (dueOn, state) of each period of a part.
pub(crate) fn periods(part: &Value) -> Vec<(String, String)> {
    part["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["dueOn"].as_str().unwrap().to_owned(), p["state"].as_str().unwrap().to_owned()))
        .collect()
}

pub(crate) fn pairs(rows: &[(&str, &str)]) -> Vec<(String, String)> {
    rows.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect()
}

/// The report items of a to-do list: (kind, date).
async fn report_items(office: &Office, token: &str) -> Vec<(String, String)> {
    let todo = office.call(token, TODO, json!({})).await;
    todo["todo"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"].as_str().unwrap().starts_with("REPORT"))
        .map(|i| (i["kind"].as_str().unwrap().to_owned(), i["date"].as_str().unwrap_or("").to_owned()))
        .collect()
}

/// (due, on time, late, missed) of a statistics row.
fn counts(row: &Value) -> (i64, i64, i64, i64) {
    let n = |f: &str| row[f].as_i64().unwrap();
    (n("periodsDue"), n("periodsOnTime"), n("periodsLate"), n("periodsMissed"))
}

#[tokio::test]
async fn periods_are_answered_once_missed_on_record_and_counted() {
    let office = office().await;
    assert_eq!(ISSUED, "2027-03-01");
    // Handed out on 03-01: the first period of every part is due 03-25.
    let lead = part(&office, 1, "县民政局").await;
    assert_eq!(periods(&lead), pairs(&[("2027-03-25", "DUE")]));
    assert_eq!(lead["periods"][0]["opensOn"], "2027-03-01");

    // 03-20: the lead reports on time.
    office.app.set_today("2027-03-20");
    assert_eq!(report(&office, &office.lead, 20).await, (Some("2027-03-25".into()), false));

    // 03-26: the supporting unit's March period was missed yesterday; its report today answers
    // it late, and a second report the same day answers no second period.
    office.app.set_today("2027-03-26");
    assert_eq!(report_items(&office, &office.support).await, pairs(&[("REPORT_LATE", "2027-03-25")]));
    assert_eq!(report(&office, &office.support, 20).await, (Some("2027-03-25".into()), true));
    assert_eq!(report(&office, &office.support, 25).await, (None, false), "not April's report");
    let support = part(&office, 1, "县财政局").await;
    assert_eq!(
        (support["nextReportDue"].as_str(), support["lastReportLate"].as_bool()),
        (Some("2027-04-25"), Some(true))
    );
    assert_eq!(support["periods"][1]["opensOn"], "2027-03-27", "April's period opens after the late report");
    assert!(report_items(&office, &office.support).await.is_empty());

    // 04-20 and 05-20: the supporting unit reports on time; the lead is silent.
    for (day, percent) in [("2027-04-20", 40), ("2027-05-20", 60)] {
        office.app.set_today(day);
        assert!(!report(&office, &office.support, percent).await.1);
    }

    // 05-26: the lead missed April (no longer answerable) and May (answerable until 06-24).
    office.app.set_today("2027-05-26");
    assert_eq!(
        report_items(&office, &office.lead).await,
        pairs(&[("REPORT_MISSED", "2027-04-25"), ("REPORT_LATE", "2027-05-25")])
    );
    let lead = part(&office, 1, "县民政局").await;
    assert_eq!((lead["nextReportDue"].as_str(), lead["lastReportLate"].as_bool()), (Some("2027-05-25"), Some(true)));

    // 06-10: the lead's report answers May, late; April stays missed; the list is clear.
    office.app.set_today("2027-06-10");
    assert_eq!(report(&office, &office.lead, 50).await, (Some("2027-05-25".into()), true));
    assert!(report_items(&office, &office.lead).await.is_empty());
    assert!(!report(&office, &office.support, 80).await.1, "the supporting unit answers June early");

    // 06-11, worked out by hand:
    //   县民政局 (task 1): 03-25 on time, 04-25 missed, 05-25 late, 06-25 due → 3 judged: 1/1/1.
    //   县财政局 (task 1): 03-25 late, 04-25, 05-25 and 06-25 on time, 06-30 due → 4: 3/1/0.
    //   县教育局 (task 2, due 04-30, silent): 03-25, 04-25, 04-30 (the deadline), 05-25 missed,
    //   06-25 due → 4: 0/0/4.
    //   Overall: 11 judged, 4 on time, 2 late, 5 missed.
    office.app.set_today("2027-06-11");
    let lead = part(&office, 1, "县民政局").await;
    assert_eq!(
        periods(&lead),
        pairs(&[("2027-03-25", "ON_TIME"), ("2027-04-25", "MISSED"), ("2027-05-25", "LATE"), ("2027-06-25", "DUE")])
    );
    let support = part(&office, 1, "县财政局").await;
    assert_eq!(
        periods(&support),
        pairs(&[
            ("2027-03-25", "LATE"),
            ("2027-04-25", "ON_TIME"),
            ("2027-05-25", "ON_TIME"),
            ("2027-06-25", "ON_TIME"),
            ("2027-06-30", "DUE")
        ])
    );
    let silent = part(&office, 2, "县教育局").await;
    assert_eq!(
        periods(&silent),
        pairs(&[
            ("2027-03-25", "MISSED"),
            ("2027-04-25", "MISSED"),
            ("2027-04-30", "MISSED"),
            ("2027-05-25", "MISSED"),
            ("2027-06-25", "DUE")
        ])
    );
    let query = format!(
        "{{ statistics {{ overall {{ {PERIODS} }} byUnit {{ department {{ name }} statistics {{ {PERIODS} }} }} }} }}"
    );
    let stats = office.call(&office.admin, &query, json!({})).await;
    assert_eq!(counts(&stats["statistics"]["overall"]), (11, 4, 2, 5));
    let by_unit: Vec<(String, (i64, i64, i64, i64))> = stats["statistics"]["byUnit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| (row["department"]["name"].as_str().unwrap().to_owned(), counts(&row["statistics"])))
        .collect();
    assert!(by_unit.contains(&("县民政局".into(), (3, 1, 1, 1))), "{by_unit:?}");
    assert!(by_unit.contains(&("县教育局".into(), (4, 0, 0, 4))), "silence counts: {by_unit:?}");
    // A unit counts its own periods only.
    let own = office.call(&office.support, &query, json!({})).await;
    assert_eq!(counts(&own["statistics"]["overall"]), (4, 3, 1, 0));
    // A supporting unit sees the lead's periods, not another supporting unit's; a unit on
    // another task sees none of them.
    let seen = office.call(&office.support, PART, json!({ "id": office.task(1) })).await;
    assert!(seen["task"]["assignments"].as_array().unwrap().iter().all(|a| a["periods"].is_array()));
}

/// Finishing one's part and a completed task leave nothing due; the periods already judged stay.
#[tokio::test]
async fn closing_a_part_drops_the_period_not_yet_due() {
    let office = office().await;
    office.app.set_today("2027-03-20");
    report(&office, &office.support, 100).await;
    office
        .call(&office.support, "mutation($t: ID!) { finishPart(taskId: $t) { state } }", json!({ "t": office.task(1) }))
        .await;
    office.app.set_today("2027-05-01");
    let support = part(&office, 1, "县财政局").await;
    assert_eq!(periods(&support), pairs(&[("2027-03-25", "ON_TIME")]));
    assert_eq!(support["nextReportDue"], Value::Null);
    let mine = format!("{{ statistics {{ overall {{ {PERIODS} }} }} }}");
    let own = office.call(&office.support, &mine, json!({})).await;
    assert_eq!(counts(&own["statistics"]["overall"]), (1, 1, 0, 0));
}

/// Who sees a part's periods: the office, leaders, the lead unit (all of them), and each
/// supporting unit its own and the lead's — never another supporting unit's.
#[tokio::test]
async fn a_parts_periods_are_seen_as_its_contact_is() {
    let office = Office::new(&[("县民政局、县财政局、县教育局", "2027年6月底前完成")]).await;
    let view = "query($id: ID!) { task(id: $id) { assignments { department { name } periods { dueOn } } } }";
    let table: [(&str, &String, &[&str]); 5] = [
        ("office", &office.admin, &["县民政局", "县财政局", "县教育局"]),
        ("leader", &office.leader, &["县民政局", "县财政局", "县教育局"]),
        ("lead", &office.lead, &["县民政局", "县财政局", "县教育局"]),
        ("supporting 县财政局", &office.support, &["县民政局", "县财政局"]),
        ("supporting 县教育局", &office.other, &["县民政局", "县教育局"]),
    ];
    for (who, token, expected) in table {
        let seen = office.call(token, view, json!({ "id": office.task(1) })).await;
        let visible: Vec<&str> = seen["task"]["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["periods"].is_array())
            .map(|a| a["department"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(visible, expected, "{who}");
    }
}

/// A plan imported weeks after its issue date starts its clocks on the day of import: the task's
/// pace, the units' sign-off deadline and their first period all count from then, so nothing is
/// behind on the day it arrives.
#[tokio::test]
async fn a_plan_handed_out_later_starts_every_clock_that_day() {
    let office = Office::new(&[("县民政局", "2027年6月底前完成")]).await;
    // 2027-05-10, a Monday: a second plan (issued on 03-01 like the first) reaches duban.
    office.app.set_today("2027-05-10");
    let second = plan(&[("县民政局、县财政局", "2027年6月底前完成")]).replace("〔2027〕1号", "〔2027〕2号");
    let import = "mutation($t: String!) { importPlan(text: $t) { tasks { id } } }";
    let imported = office.call(&office.admin, import, json!({ "t": second })).await;
    let id = imported["importPlan"]["tasks"][0]["id"].clone();
    let query = "query($id: ID!) { task(id: $id) { assignedOn warning { level reasons { code } }
        assignments { assignedOn signDue periods { opensOn dueOn } } } }";
    let task = office.call(&office.admin, query, json!({ "id": id })).await;
    let task = &task["task"];
    assert_eq!(task["assignedOn"], "2027-05-10", "not the plan's issue date");
    assert_eq!(task["warning"], json!({ "level": "GREEN", "reasons": [] }), "not behind pace on its first day");
    for part in task["assignments"].as_array().unwrap() {
        assert_eq!(part["assignedOn"], "2027-05-10");
        assert_eq!(part["signDue"], "2027-05-13", "three working days");
        assert_eq!(part["periods"], json!([{ "opensOn": "2027-05-10", "dueOn": "2027-06-30" }]), "by the deadline");
    }
}

/// "…底前落实并持续实施": the office approves the deadline's part, the task is completed, and its
/// lead goes on reporting by the cadence (periods, missed ones, the to-do list) until the office
/// files it.
#[tokio::test]
async fn work_that_continues_after_its_deadline_is_followed_until_it_is_filed() {
    let office = office_with(&[("县民政局", "2027年3月底前落实并持续实施")]).await;
    let schedule = office
        .call(
            &office.admin,
            "query($id: ID!) { task(id: $id) { dueDate schedule { ongoing } } }",
            json!({ "id": office.task(1) }),
        )
        .await;
    assert_eq!(schedule["task"], json!({ "dueDate": "2027-03-31", "schedule": { "ongoing": true } }));
    office.app.set_today("2027-03-20");
    assert_eq!(report(&office, &office.lead, 100).await, (Some("2027-03-25".into()), false));
    office.app.set_today("2027-03-22");
    let version = office.state(office.task(1)).await.1;
    let submit = "mutation($t: ID!, $v: Int!) { submitCompletion(taskId: $t, text: \"已出台并落实\", expectedVersion: $v) { id } }";
    office.call(&office.lead, submit, json!({ "t": office.task(1), "v": version })).await;
    office.app.set_today("2027-03-23");
    let version = office.state(office.task(1)).await.1;
    let review = "mutation($t: ID!, $v: Int!) { reviewCompletion(taskId: $t, decision: APPROVE, expectedVersion: $v) { status } }";
    office.call(&office.admin, review, json!({ "t": office.task(1), "v": version })).await;
    assert_eq!(office.state(office.task(1)).await.0, "COMPLETED");
    let lead = part(&office, 1, "县民政局").await;
    assert_eq!(lead["nextReportDue"], "2027-04-25", "the cadence's next period, not the met deadline");

    // 04-20: the continuing work is reported on time; the task stays completed.
    office.app.set_today("2027-04-20");
    assert_eq!(report(&office, &office.lead, 100).await, (Some("2027-04-25".into()), false));
    assert_eq!(office.state(office.task(1)).await.0, "COMPLETED");
    // 05-26: May was missed, and the lead's list says so.
    office.app.set_today("2027-05-26");
    assert_eq!(report_items(&office, &office.lead).await, pairs(&[("REPORT_LATE", "2027-05-25")]));
    let stats = office.call(&office.lead, &format!("{{ statistics {{ overall {{ {PERIODS} }} }} }}"), json!({})).await;
    assert_eq!(counts(&stats["statistics"]["overall"]), (3, 2, 0, 1), "03-25 and 04-25 on time, 05-25 missed");

    // 05-27: the office files it (销号); nothing is followed any more.
    office.app.set_today("2027-05-27");
    let version = office.state(office.task(1)).await.1;
    let archive = "mutation($t: ID!, $v: Int!) { archiveTask(taskId: $t, expectedVersion: $v) { status } }";
    office.call(&office.admin, archive, json!({ "t": office.task(1), "v": version })).await;
    let lead = part(&office, 1, "县民政局").await;
    assert_eq!((lead["nextReportDue"].clone(), lead["periods"].as_array().unwrap().len()), (Value::Null, 3));
    assert!(report_items(&office, &office.lead).await.is_empty());
}

/// A town made a member of 各镇人民政府 acts on the group's tasks through a part of its own: it is
/// on the task from the day it joins (sign-off, periods, to-do, urging, statistics); a town that
/// leaves has its part closed that day, its record kept; one that joins later starts that day.
#[tokio::test]
async fn towns_act_through_a_group_from_the_day_they_join() {
    let office = office_with(&[("县民政局、各镇人民政府", "2027年6月底前完成")]).await;
    let app = &office.app;
    let create = "mutation($n: String!) { createDepartment(input: { name: $n, kind: UNIT }) { id } }";
    let mut towns = Vec::new();
    for (name, username) in [("甲镇人民政府", "jiazhen"), ("乙镇人民政府", "yizhen"), ("丙镇人民政府", "bingzhen")]
    {
        let id = office.call(&office.admin, create, json!({ "n": name })).await["createDepartment"]["id"].clone();
        app.create_account(&office.admin, username, "DEPARTMENT", Some(id.as_str().unwrap())).await;
        towns.push((id, app.login(username, &duban_tests::password_for(username)).await));
    }
    let group = app.department_id_as(&office.admin, "各镇人民政府").await;
    let members = "mutation($g: ID!, $m: [ID!]!) { setGroupMembers(groupId: $g, memberIds: $m) { id } }";
    // 03-03, a Wednesday: 甲镇 and 乙镇 join.
    app.set_today("2027-03-03");
    office.call(&office.admin, members, json!({ "g": group, "m": [towns[0].0, towns[1].0] })).await;
    let parts = "query($id: ID!) { task(id: $id) { assignments { department { name } role state viaGroup { name }
        assignedOn signDue nextReportDue periods { dueOn state }
        memberRollUp { members notSigned signed inProgress done reportsMissing } } } }";
    let town = |seen: &Value, name: &str| -> Value {
        seen["task"]["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["department"]["name"] == name)
            .unwrap()
            .clone()
    };
    let seen = office.call(&office.admin, parts, json!({ "id": office.task(1) })).await;
    let jia = town(&seen, "甲镇人民政府");
    assert_eq!(
        (jia["role"].clone(), jia["viaGroup"]["name"].clone(), jia["assignedOn"].clone(), jia["signDue"].clone()),
        (json!("SUPPORTING"), json!("各镇人民政府"), json!("2027-03-03"), json!("2027-03-08")),
        "three working days from the day it joined"
    );
    assert_eq!(jia["periods"], json!([{ "dueOn": "2027-03-25", "state": "DUE" }]));
    let todo = office.call(&towns[0].1, TODO, json!({})).await;
    assert_eq!(todo["todo"]["items"][0]["kind"], "SIGN", "the town has something to do");

    // 03-04: the town signs for its part and reports on time.
    app.set_today("2027-03-04");
    let sign = "mutation($t: ID!) { signTask(taskId: $t, input: { responsiblePerson: \"王镇长\", contact: \"0427-5550001\" }) { state } }";
    assert_eq!(office.call(&towns[0].1, sign, json!({ "t": office.task(1) })).await["signTask"]["state"], "SIGNED");
    assert_eq!(report(&office, &towns[0].1, 30).await, (Some("2027-03-25".into()), false));
    let urge =
        "mutation($t: ID!, $d: ID!) { urge(input: { taskIds: [$t], departmentIds: [$d], text: \"请加快\" }) { id } }";
    office.call(&office.leader, urge, json!({ "t": office.task(1), "d": towns[0].0 })).await;
    let todo = office.call(&towns[0].1, TODO, json!({})).await;
    assert_eq!(todo["todo"]["items"][0]["kind"], "URGING", "urged as a unit of its own");

    // 03-15: 乙镇 leaves the group; its part closes, its record stays.
    app.set_today("2027-03-15");
    office.call(&office.admin, members, json!({ "g": group, "m": [towns[0].0] })).await;
    // 04-01: 丙镇 joins; its clocks start that day.
    app.set_today("2027-04-01");
    office.call(&office.admin, members, json!({ "g": group, "m": [towns[0].0, towns[2].0] })).await;
    let seen = office.call(&office.admin, parts, json!({ "id": office.task(1) })).await;
    let yi = town(&seen, "乙镇人民政府");
    assert_eq!(
        (yi["state"].clone(), yi["nextReportDue"].clone(), yi["periods"].clone()),
        (json!("DONE"), Value::Null, json!([]))
    );
    let bing = town(&seen, "丙镇人民政府");
    assert_eq!((bing["assignedOn"].clone(), bing["nextReportDue"].clone()), (json!("2027-04-01"), json!("2027-04-25")));
    assert_eq!(
        town(&seen, "各镇人民政府")["memberRollUp"],
        json!({ "members": 3, "notSigned": 1, "signed": 0, "inProgress": 1, "done": 1, "reportsMissing": 0 }),
        "the group's part rolls up 丙 (new), 甲 (reporting) and 乙 (left)"
    );
    assert_eq!(town(&seen, "县民政局")["memberRollUp"], Value::Null);
    let jia = town(&seen, "甲镇人民政府");
    assert_eq!(
        jia["periods"],
        json!([{ "dueOn": "2027-03-25", "state": "ON_TIME" }, { "dueOn": "2027-04-25", "state": "DUE" }])
    );

    // Statistics count the town as a unit of its own (as a supporting unit here).
    let query = format!(
        "{{ statistics(filter: {{ unitRole: SUPPORTING }}) {{ byUnit {{ department {{ name }} statistics {{ {PERIODS} }} }} }} }}"
    );
    let stats = office.call(&office.admin, &query, json!({})).await;
    let row = stats["statistics"]["byUnit"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["department"]["name"] == "甲镇人民政府")
        .cloned();
    assert_eq!(row.map(|r| counts(&r["statistics"])), Some((1, 1, 0, 0)));
}
