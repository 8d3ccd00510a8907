//! Leaders' and the office's watch list (关注): a leader follows task 1, the office task 2 of a
//! plan of the office's own; a change by someone else on a followed task is on the follower's
//! to-do list (`FOLLOWED_CHANGED`, dated by the latest change) and reaches `myTodoChanged`,
//! until the follower marks it seen; the follower's own changes are not news to it.

use super::follow_up_rules::Office;
use duban_tests::ws::Subscriber;
use serde_json::{Value, json};
use std::time::Duration;

const FOLLOWED: &str = "{ todo { items { kind date task { seq } } } }";
const WATCH: &str = "{ watchList { task { seq } changedSince } }";
const FOLLOW: &str = "mutation($t: ID!) { followTask(taskId: $t) { task { seq } changedSince } }";
const SEEN: &str = "mutation($t: ID!) { markFollowedTaskSeen(taskId: $t) { changedSince } }";

/// (date, task) of the FOLLOWED_CHANGED items of a to-do list.
async fn followed(office: &Office, token: &str) -> Vec<(String, i64)> {
    office.call(token, FOLLOWED, json!({})).await["todo"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "FOLLOWED_CHANGED")
        .map(|i| (i["date"].as_str().unwrap().to_owned(), i["task"]["seq"].as_i64().unwrap()))
        .collect()
}

fn day(date: &str, seq: i64) -> (String, i64) {
    (date.to_owned(), seq)
}

#[tokio::test]
async fn changes_on_followed_tasks_reach_the_followers_to_do_list_until_seen() {
    let office = Office::new(&[("县民政局、县财政局", "2027年6月底前完成"), ("县教育局", "2027年6月底前完成")]).await;
    let followed_now = office.call(&office.leader, FOLLOW, json!({ "t": office.task(1) })).await;
    assert_eq!(followed_now["followTask"], json!({ "task": { "seq": 1 }, "changedSince": null }));
    office.call(&office.admin, FOLLOW, json!({ "t": office.task(2) })).await;
    office.call(&office.leader, FOLLOW, json!({ "t": office.task(1) })).await;
    assert_eq!(followed(&office, &office.leader).await, [], "following is not news");

    // 03-03: the lead signs task 1; 03-05: it reports. One item, dated by the latest change.
    office.app.set_today("2027-03-03");
    let sign = "mutation($t: ID!) { signTask(taskId: $t, input: { responsiblePerson: \"张三\", contact: \"0427-1234567\" }) { state } }";
    office.call(&office.lead, sign, json!({ "t": office.task(1) })).await;
    office.app.set_today("2027-03-05");
    office.report(&office.lead, office.task(1)).await.unwrap();
    assert_eq!(followed(&office, &office.leader).await, [day("2027-03-05", 1)]);
    assert_eq!(followed(&office, &office.admin).await, [], "the office follows task 2 only");
    let watch = office.call(&office.leader, WATCH, json!({})).await;
    assert_eq!(watch["watchList"][0]["task"]["seq"], 1);
    assert!(watch["watchList"][0]["changedSince"].as_str().unwrap().starts_with("2027-03-0"), "{watch}");

    // Marked seen: off the list; the leader's own instruction is not news to it.
    assert_eq!(
        office.call(&office.leader, SEEN, json!({ "t": office.task(1) })).await["markFollowedTaskSeen"]["changedSince"],
        Value::Null
    );
    assert_eq!(followed(&office, &office.leader).await, []);
    let instruct = "mutation($t: ID!) { instruct(taskId: $t, text: \"抓紧推进\") { id } }";
    office.call(&office.leader, instruct, json!({ "t": office.task(1) })).await;
    assert_eq!(followed(&office, &office.leader).await, []);

    // The office hears at once when 县教育局 signs task 2, which it follows.
    let mut socket = Subscriber::connect(&office.app.address, &office.admin).await;
    socket.subscribe("todo", "subscription { myTodoChanged { counts { kind count } } }", json!({})).await;
    let first = socket.event("todo", Duration::from_secs(5)).await.expect("the counts at once");
    assert!(!first.to_string().contains("FOLLOWED_CHANGED"), "{first}");
    office.app.set_today("2027-03-08");
    office.call(&office.other, sign, json!({ "t": office.task(2) })).await;
    let heard = socket.event("todo", Duration::from_secs(5)).await.expect("the follower hears of the change");
    assert!(
        heard["myTodoChanged"]["counts"]
            .as_array()
            .unwrap()
            .contains(&json!({ "kind": "FOLLOWED_CHANGED", "count": 1 })),
        "{heard}"
    );
    assert_eq!(followed(&office, &office.admin).await, [day("2027-03-08", 2)]);

    // Unfollowed: gone, and unfollowing again says it was not followed.
    let unfollow = "mutation($t: ID!) { unfollowTask(taskId: $t) }";
    assert_eq!(office.call(&office.admin, unfollow, json!({ "t": office.task(2) })).await["unfollowTask"], true);
    assert_eq!(followed(&office, &office.admin).await, []);
    assert_eq!(office.call(&office.admin, unfollow, json!({ "t": office.task(2) })).await["unfollowTask"], false);
    assert_eq!(office.refusal(&office.admin, SEEN, json!({ "t": office.task(2) })).await, "NOT_FOUND");
}

#[tokio::test]
async fn units_keep_no_watch_list() {
    let office = Office::new(&[("县民政局", "2027年6月底前完成")]).await;
    for token in [&office.lead, &office.support] {
        assert_eq!(office.refusal(token, FOLLOW, json!({ "t": office.task(1) })).await, "FORBIDDEN");
        assert_eq!(office.refusal(token, WATCH, json!({})).await, "FORBIDDEN");
    }
    assert_eq!(office.refusal(&office.leader, FOLLOW, json!({ "t": "999999" })).await, "NOT_FOUND");
    let anonymous = office.app.graphql(WATCH, json!({}), None).await;
    assert_eq!(anonymous.error_code(), Some("UNAUTHENTICATED"));
}
