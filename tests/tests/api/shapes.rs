//! The eight plan shapes the importer reads (`api/src/import/parse/fixtures/shape*`), imported
//! through `importPlan` over HTTP: for chosen tasks, the lead and supporting units, what kind
//! of department each is (a unit, a group, a catch-all), the due date and the outline.

use duban_tests::{AppOptions, password_for, spawn_app_with};
use serde_json::{Value, json};

const IMPORT: &str = "mutation($t: String!) { importPlan(text: $t) {
    tasks { seq number leader unitsNotExhaustive scheduleSource parent { seq } dueDate
            schedule { kind }
            assignments { role department { name kind } } } } }";

/// One task as expected: leads and supporting units as `name:KIND` (KIND only when not UNIT),
/// and the due date.
struct Expected {
    seq: i64,
    leads: &'static [&'static str],
    supporting: &'static [&'static str],
    due: Option<&'static str>,
}

const fn task(
    seq: i64,
    leads: &'static [&'static str],
    supporting: &'static [&'static str],
    due: Option<&'static str>,
) -> Expected {
    Expected { seq, leads, supporting, due }
}

macro_rules! fixture {
    ($name:literal) => {
        ($name, include_str!(concat!("../../../api/src/import/parse/fixtures/", $name, ".txt")))
    };
}

/// `name` or `name:GROUP` / `name:CATCH_ALL`, as [`Expected`] spells units.
fn unit(assignment: &Value) -> String {
    let (name, kind) = (&assignment["department"]["name"], &assignment["department"]["kind"]);
    let name = name.as_str().expect("a name");
    match kind.as_str() {
        Some("UNIT") => name.to_owned(),
        Some(kind) => format!("{name}:{kind}"),
        None => panic!("no kind: {assignment}"),
    }
}

fn units_with(task: &Value, role: &str) -> Vec<String> {
    let assignments = task["assignments"].as_array().expect("assignments");
    assignments.iter().filter(|a| a["role"] == role).map(unit).collect()
}

#[tokio::test]
async fn every_shape_imports_with_its_leads_supporting_units_groups_and_due_dates() {
    let cases: Vec<((&str, &str), usize, Vec<Expected>)> = vec![
        (
            fixture!("shape1-digit-titles"),
            9,
            vec![
                task(1, &["市农业农村局"], &["市生态环境局", "市住房城乡建设局"], None),
                task(3, &["市交通运输局"], &["各县区人民政府:GROUP"], None),
                task(8, &["市工业和信息化局"], &["市通信发展管理办公室"], None),
            ],
        ),
        (fixture!("shape1-digit-titles-comma"), 4, vec![task(4, &["县卫生健康局"], &["各乡镇人民政府:GROUP"], None)]),
        (
            fixture!("shape2-nested-brackets"),
            3,
            vec![
                task(
                    1,
                    &["县应急管理局"],
                    &["县卫生健康局", "各乡(镇、街道)人民政府(办事处):GROUP"],
                    Some("2023-06-30"),
                ),
                task(3, &["县卫生健康局"], &["县医疗保障局(县医疗保障基金监管中心)"], None),
            ],
        ),
        (
            fixture!("shape2-nested-brackets-city"),
            2,
            vec![task(2, &["市住房城乡建设局"], &["各县(市、区)人民政府:GROUP"], None)],
        ),
        (
            fixture!("shape3-square-blocks"),
            4,
            vec![
                task(2, &["市政务服务中心"], &["市大数据局"], None),
                task(3, &["市住房城乡建设局"], &["市自然资源局", "市发展改革委"], None),
            ],
        ),
        (
            fixture!("shape4-paren-units-schedule"),
            4,
            vec![
                task(1, &[], &["省直各部门:CATCH_ALL"], Some("2021-12-31")),
                task(2, &["省发展改革委"], &["省直有关部门:CATCH_ALL", "各地:GROUP"], Some("2021-06-30")),
                task(3, &["省人力资源社会保障厅"], &["省财政厅"], None),
            ],
        ),
        (
            fixture!("shape5-sub-measures"),
            8,
            vec![
                task(1, &["市农业农村局", "市林业局"], &["市财政局", "市自然资源局", "各县区人民政府:GROUP"], None),
                task(2, &["市农业农村局"], &["市财政局", "市自然资源局"], None),
                task(7, &["市城市管理局"], &[], Some("2022-12-31")),
            ],
        ),
        (
            fixture!("shape5-sub-measures-county"),
            8,
            vec![
                task(2, &["县农业农村局"], &["各乡镇人民政府:GROUP"], None),
                task(8, &["县行政审批局"], &["县市场监管局"], None),
            ],
        ),
        (
            fixture!("shape6-in-text-schedules"),
            9,
            vec![
                task(1, &["市市场监管局"], &["市司法局"], Some("2022-06-30")),
                task(4, &["市卫生健康委"], &["各县区人民政府:GROUP"], Some("2025-03-10")),
                task(8, &["市市场监管局"], &["市政务服务中心"], Some("2022-09-30")),
            ],
        ),
        (
            fixture!("shape7-groups"),
            6,
            vec![
                task(1, &["省商务厅"], &["各区:GROUP", "各县级市人民政府:GROUP"], None),
                task(3, &[], &["各地区:GROUP", "各部门:CATCH_ALL"], None),
                task(5, &["省发展改革委"], &["各项目牵头单位:CATCH_ALL"], None),
            ],
        ),
        (
            fixture!("shape8-roles-table"),
            3,
            vec![
                task(1, &["县住房城乡建设局"], &["县发改局(粮食局)", "县财政局"], Some("2022-12-31")),
                task(3, &["县水利局"], &["各乡镇人民政府:GROUP"], None),
            ],
        ),
        (
            fixture!("shape8-roles-labels"),
            4,
            vec![
                task(1, &["市农业农村局科技教育科"], &["市大数据局", "市统计局", "市气象局"], Some("2022-12-31")),
                task(3, &["市城市管理局"], &["市公安局"], None),
            ],
        ),
    ];
    let app = spawn_app_with(AppOptions { sample_plan: false, ..Default::default() }).await;
    let admin = app.admin_token().await;
    for ((name, text), count, expected) in cases {
        let response = app.graphql(IMPORT, json!({ "t": text }), Some(&admin)).await;
        let tasks = response.data()["importPlan"]["tasks"].as_array().expect("tasks").clone();
        assert_eq!(tasks.len(), count, "{name}");
        for want in expected {
            let got =
                tasks.iter().find(|t| t["seq"] == want.seq).unwrap_or_else(|| panic!("{name}: no task {}", want.seq));
            assert_eq!(units_with(got, "LEAD"), want.leads, "{name} task {}: leads", want.seq);
            assert_eq!(units_with(got, "SUPPORTING"), want.supporting, "{name} task {}: supporting", want.seq);
            assert_eq!(got["dueDate"], json!(want.due), "{name} task {}: due date", want.seq);
        }
    }
}

#[tokio::test]
async fn the_outline_of_a_plan_shows_on_its_tasks() {
    let app = spawn_app_with(AppOptions { sample_plan: false, ..Default::default() }).await;
    let admin = app.admin_token().await;
    let import = |(_, text): (&str, &str)| app.graphql(IMPORT, json!({ "t": text }), Some(&admin));

    let nested = import(fixture!("shape5-sub-measures")).await;
    let tasks = &nested.data()["importPlan"]["tasks"];
    assert_eq!((&tasks[1]["number"], &tasks[1]["parent"]["seq"]), (&json!("一、(一)(1)"), &json!(1)));
    assert_eq!((&tasks[5]["number"], &tasks[5]["parent"]["seq"]), (&json!("一、(二)1"), &json!(5)));
    assert_eq!(tasks[0]["parent"], Value::Null);
    assert_eq!(tasks[6]["scheduleSource"], "PARENTHETICAL");

    let people = import(fixture!("shape8-roles-table")).await;
    let tasks = &people.data()["importPlan"]["tasks"];
    assert_eq!(tasks[1]["leader"], "王芳(县委常委、副县长)");
    assert_eq!((&tasks[2]["scheduleSource"], &tasks[2]["schedule"]["kind"]), (&json!("CELL"), &json!("ONGOING")));

    let open_ended = import(fixture!("shape2-nested-brackets")).await;
    let tasks = &open_ended.data()["importPlan"]["tasks"];
    assert_eq!((&tasks[0]["unitsNotExhaustive"], &tasks[1]["unitsNotExhaustive"]), (&json!(true), &json!(false)));
    assert_eq!(tasks[0]["number"], "(一)");

    let in_text = import(fixture!("shape6-in-text-schedules")).await;
    let sources: Vec<&Value> =
        in_text.data()["importPlan"]["tasks"].as_array().unwrap().iter().map(|t| &t["scheduleSource"]).collect();
    assert_eq!(sources[..3], [&json!("TITLE"), &json!("TITLE"), &json!("TITLE")]);
    assert_eq!(sources[5], &json!("NONE"));
}

#[tokio::test]
async fn a_unit_sees_the_parent_of_its_task_only_when_it_may_see_the_parent() {
    let app = spawn_app_with(AppOptions { sample_plan: false, ..Default::default() }).await;
    let admin = app.admin_token().await;
    let (_, text) = fixture!("shape5-sub-measures");
    app.graphql(IMPORT, json!({ "t": text }), Some(&admin)).await.data();
    // 市财政局 supports task 1 and its sub-measure 2, and sub-measure 6, but not 6's parent 5.
    let unit = app.department_id_as(&admin, "市财政局").await;
    app.create_account(&admin, "caizheng", "DEPARTMENT", Some(&unit)).await;
    let token = app.login("caizheng", &password_for("caizheng")).await;
    let seen = app.graphql("{ tasks { nodes { seq parent { seq } } } }", json!({}), Some(&token)).await;
    let parents: Vec<(i64, Value)> = seen.data()["tasks"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["seq"].as_i64().unwrap(), t["parent"]["seq"].clone()))
        .collect();
    assert!(parents.contains(&(2, json!(1))), "{parents:?}");
    assert!(parents.contains(&(6, Value::Null)), "the parent is outside the unit's view: {parents:?}");
    assert!(!parents.iter().any(|(seq, _)| *seq == 5), "{parents:?}");
}
