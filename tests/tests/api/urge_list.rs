//! The office's list of what to urge (待催办) as a story over March and April 2027, on a plan of
//! the office's own reporting monthly by the 25th, every item and day written out by hand:
//! task 1 (县民政局 leads, 县财政局 supports, due 03-31) and task 2 (县教育局 alone, due 06-30);
//! only 县民政局 signs (03-01) and reports (03-20). Sign-off is due 03-04 (three working days
//! after Monday 03-01); the office leaves 7 days between urgings of an overdue task's lead.

use super::follow_up_rules::Office;
use serde_json::{Value, json};

const LIST: &str = "{ urgeList { total counts { reason count }
    items { reason since waitingDays lastUrgedOn urgingId task { seq } department { name } } } }";

/// (reason, task, unit, since, days waited) of each item.
fn items(list: &Value) -> Vec<(String, i64, String, String, i64)> {
    list["urgeList"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["reason"].as_str().unwrap().to_owned(),
                i["task"]["seq"].as_i64().unwrap(),
                i["department"]["name"].as_str().unwrap().to_owned(),
                i["since"].as_str().unwrap().to_owned(),
                i["waitingDays"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn item(reason: &str, seq: i64, unit: &str, since: &str, days: i64) -> (String, i64, String, String, i64) {
    (reason.to_owned(), seq, unit.to_owned(), since.to_owned(), days)
}

async fn plan() -> Office {
    let office = Office::new(&[("县民政局、县财政局", "2027年3月底前完成"), ("县教育局", "2027年6月底前完成")]).await;
    office.report_monthly_by_the_25th().await;
    office.sign(&office.lead, 1).await;
    office
}

#[tokio::test]
async fn the_office_sees_who_owes_what_longest_waiting_first_and_urges_it_in_one_call() {
    let office = plan().await;
    let jiaoyu = office.app.department_id_as(&office.admin, "县教育局").await;

    // 03-04: the sign-off deadline is today; nothing is late yet.
    office.app.set_today("2027-03-04");
    assert_eq!(items(&office.call(&office.admin, LIST, json!({})).await), []);

    // 03-05: two units have not signed.
    office.app.set_today("2027-03-05");
    let list = office.call(&office.admin, LIST, json!({})).await;
    assert_eq!(
        items(&list),
        [item("SIGN_OVERDUE", 1, "县财政局", "2027-03-04", 1), item("SIGN_OVERDUE", 2, "县教育局", "2027-03-04", 1)]
    );
    // The office urges a selection: 县教育局 on task 2, to answer by 03-10.
    let urge = "mutation($i: [UrgeTarget!]!) { urge(input: { items: $i, text: \"请尽快签收\", replyBy: \"2027-03-10\" }) { department { name } } }";
    let sent =
        office.call(&office.admin, urge, json!({ "i": [{ "taskId": office.task(2), "departmentId": jiaoyu }] })).await;
    assert_eq!(sent["urge"], json!([{ "department": { "name": "县教育局" } }]));

    // 03-20: the lead reports; 03-26: the others missed March's period (due 03-25), and
    // 县教育局 did not answer the urging by 03-10.
    office.app.set_today("2027-03-20");
    office.report(&office.lead, office.task(1)).await.unwrap();
    office.app.set_today("2027-03-26");
    let list = office.call(&office.leader, LIST, json!({})).await;
    assert_eq!(
        items(&list),
        [
            item("SIGN_OVERDUE", 1, "县财政局", "2027-03-04", 22),
            item("SIGN_OVERDUE", 2, "县教育局", "2027-03-04", 22),
            item("URGING_UNANSWERED", 2, "县教育局", "2027-03-10", 16),
            item("PERIOD_MISSED", 1, "县财政局", "2027-03-25", 1),
            item("PERIOD_MISSED", 2, "县教育局", "2027-03-25", 1),
        ]
    );
    assert_eq!(list["urgeList"]["items"][2]["lastUrgedOn"], "2027-03-05");
    assert!(list["urgeList"]["items"][2]["urgingId"].is_string());
    assert_eq!(list["urgeList"]["total"], 5);
    assert_eq!(
        list["urgeList"]["counts"],
        json!([
            { "reason": "SIGN_OVERDUE", "count": 2 },
            { "reason": "PERIOD_MISSED", "count": 2 },
            { "reason": "URGING_UNANSWERED", "count": 1 },
        ])
    );

    // 04-02: task 1 is overdue (due 03-31) and its lead was never urged on it; nor did the lead
    // send the report its deadline asked for (a period due with the deadline, 03-31).
    office.app.set_today("2027-04-02");
    let list = office.call(&office.admin, LIST, json!({})).await;
    assert_eq!(
        items(&list),
        [
            item("SIGN_OVERDUE", 1, "县财政局", "2027-03-04", 29),
            item("SIGN_OVERDUE", 2, "县教育局", "2027-03-04", 29),
            item("URGING_UNANSWERED", 2, "县教育局", "2027-03-10", 23),
            item("PERIOD_MISSED", 1, "县财政局", "2027-03-25", 8),
            item("PERIOD_MISSED", 2, "县教育局", "2027-03-25", 8),
            item("PERIOD_MISSED", 1, "县民政局", "2027-03-31", 2),
            item("OVERDUE_NOT_URGED", 1, "县民政局", "2027-03-31", 2),
        ]
    );

    // The whole list in one call: each unit once per task — (1, 县民政局), (1, 县财政局),
    // (2, 县教育局).
    let all = "mutation { urge(input: { worklist: true, text: \"请按期办理\", replyBy: \"2027-04-09\" }) { taskId department { name } } }";
    let sent = office.call(&office.admin, all, json!({})).await;
    let mut pairs: Vec<(i64, String)> = sent["urge"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let seq = office.tasks.iter().position(|t| u["taskId"] == t.as_str()).unwrap() as i64 + 1;
            (seq, u["department"]["name"].as_str().unwrap().to_owned())
        })
        .collect();
    pairs.sort();
    assert_eq!(pairs, [(1, "县民政局".to_owned()), (1, "县财政局".to_owned()), (2, "县教育局".to_owned())]);
    // Urged today, the lead is off the list for 7 days; what the others owe stays.
    let overdue = "{ urgeList(reasons: [OVERDUE_NOT_URGED]) { total } }";
    assert_eq!(office.call(&office.admin, overdue, json!({})).await["urgeList"]["total"], 0);
    assert_eq!(office.call(&office.admin, LIST, json!({})).await["urgeList"]["total"], 6);

    // 04-08 is the seventh day since: still off. 04-09: due another urging.
    office.app.set_today("2027-04-08");
    assert_eq!(office.call(&office.admin, overdue, json!({})).await["urgeList"]["total"], 0);
    office.app.set_today("2027-04-09");
    let back = office.call(&office.admin, LIST, json!({})).await;
    let lead = items(&back).into_iter().find(|i| i.0 == "OVERDUE_NOT_URGED").unwrap();
    assert_eq!(lead, item("OVERDUE_NOT_URGED", 1, "县民政局", "2027-03-31", 9));

    // The office makes it 14 days: off again until 04-16.
    let settings = "mutation { updateWarningSettings(input: { approachingDays: 7, urgentDays: 3, paceYellowPoints: 10, paceRedPoints: 30, signWorkingDays: 3, urgeAgainDays: 14 }) { urgeAgainDays } }";
    assert_eq!(office.call(&office.admin, settings, json!({})).await["updateWarningSettings"]["urgeAgainDays"], 14);
    assert_eq!(office.call(&office.admin, overdue, json!({})).await["urgeList"]["total"], 0);

    // 县财政局 signs and answers March late: its items go.
    let sign = "mutation($t: ID!) { signTask(taskId: $t, input: { responsiblePerson: \"王五\", contact: \"0427-5555555\" }) { state } }";
    office.call(&office.support, sign, json!({ "t": office.task(1) })).await;
    office.report(&office.support, office.task(1)).await.unwrap();
    let left = items(&office.call(&office.admin, LIST, json!({})).await);
    assert!(left.iter().all(|i| i.2 != "县财政局"), "{left:?}");
}

#[tokio::test]
async fn only_the_office_and_leaders_read_the_list_and_whom_to_urge_is_named_one_way() {
    let office = plan().await;
    office.app.set_today("2027-03-05");
    for token in [&office.lead, &office.support, &office.other] {
        assert_eq!(office.refusal(token, LIST, json!({})).await, "FORBIDDEN");
    }
    let anonymous = office.app.graphql(LIST, json!({}), None).await;
    assert_eq!(anonymous.error_code(), Some("UNAUTHENTICATED"));
    let jiaoyu = office.app.department_id_as(&office.admin, "县教育局").await;
    let both = "mutation($i: [UrgeTarget!]!) { urge(input: { items: $i, worklist: true, text: \"催办\" }) { id } }";
    let pair = json!({ "i": [{ "taskId": office.task(2), "departmentId": jiaoyu }] });
    assert_eq!(office.refusal(&office.admin, both, pair).await, "BAD_USER_INPUT");
    let stranger = json!({ "i": [{ "taskId": office.task(1), "departmentId": jiaoyu }] });
    let items = "mutation($i: [UrgeTarget!]!) { urge(input: { items: $i, text: \"催办\" }) { id } }";
    assert_eq!(office.refusal(&office.admin, items, stranger).await, "BAD_USER_INPUT", "县教育局 is not on task 1");
    assert_eq!(office.refusal(&office.admin, "{ urgeList(first: 0) { total } }", json!({})).await, "BAD_USER_INPUT");
    // More pairs than one call sends are refused before any task is looked at.
    let many: Vec<Value> =
        (1..=2001).map(|unit| json!({ "taskId": office.task(1), "departmentId": unit.to_string() })).collect();
    assert_eq!(office.refusal(&office.admin, items, json!({ "i": many })).await, "BAD_USER_INPUT");
}
