//! Importing plans through `importPlan`: the reference plan as pasted, previews, duplicates.

use duban::bootstrap::SAMPLE_PLAN;
use duban_tests::{AppOptions, TestApp, spawn_app, spawn_app_with};
use serde_json::{Value, json};

const IMPORT: &str = "mutation($t: String!, $d: Boolean, $r: Boolean) { importPlan(text: $t, dryRun: $d, replace: $r) {
    dryRun document { docNumber title issuer issuedOn }
    tasks { seq title measures lead { name } assignments { role department { name kind } }
            schedule { text kind dueDate ongoing waitingFor offsetMonths } dueDate }
    warnings { line code message } createdDepartments { name kind needsReview } } }";

async fn empty_app() -> (TestApp, String) {
    let app = spawn_app_with(AppOptions { sample_plan: false, ..Default::default() }).await;
    let admin = app.admin_token().await;
    (app, admin)
}

async fn import(app: &TestApp, token: &str, text: &str, dry_run: bool) -> duban_tests::GqlResponse {
    app.graphql(IMPORT, json!({ "t": text, "d": dry_run, "r": false }), Some(token)).await
}

fn task(result: &Value, seq: i64) -> &Value {
    result["tasks"].as_array().unwrap().iter().find(|t| t["seq"] == seq).unwrap()
}

#[tokio::test]
async fn the_reference_plan_imports_as_26_tasks_with_leads_units_and_schedules() {
    let (app, admin) = empty_app().await;
    let response = import(&app, &admin, SAMPLE_PLAN, false).await;
    let result = &response.data()["importPlan"];
    assert_eq!(result["dryRun"], false);
    assert_eq!(result["document"]["docNumber"], "盘县政办发〔2014〕103号");
    assert_eq!(result["document"]["issuer"], "盘山县人民政府办公室");
    assert_eq!(result["document"]["issuedOn"], "2014-11-13");
    assert_eq!(result["tasks"].as_array().unwrap().len(), 26);
    assert_eq!(result["createdDepartments"], json!([]), "every unit of the plan is in the seed catalog");

    let expected_leads = [
        (1, "县民政局"),
        (2, "县民政局"),
        (4, "县发展和改革局"),
        (6, "县财政局"),
        (7, "县财政局"),
        (11, "县发展和改革局"),
        (15, "县卫生局"),
        (16, "县教育局"),
        (17, "县住房城乡建设局"),
        (18, "县人力资源社会保障局"),
        (21, "县财政局"),
        (26, "县民政局"),
    ];
    for (seq, lead) in expected_leads {
        assert_eq!(task(result, seq)["lead"]["name"], lead, "lead of task {seq}");
    }
    for (seq, units) in [(1, 5), (2, 9), (8, 11), (11, 7), (21, 4), (24, 17)] {
        assert_eq!(task(result, seq)["assignments"].as_array().unwrap().len(), units, "units of task {seq}");
    }
    // Aliases merged: 县发展改革委 (task 1) and 县发展和改革局 are one unit; so are 县经济和信息化委/局.
    let names = |seq| -> Vec<String> {
        task(result, seq)["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["department"]["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(1)[1], "县发展和改革局");
    assert!(names(8).contains(&"县经济和信息化局".to_owned()));
    assert!(names(24).contains(&"县经济和信息化局".to_owned()));
    assert_eq!(task(result, 1)["assignments"][3]["department"]["kind"], "CATCH_ALL");
    assert_eq!(task(result, 1)["assignments"][4]["department"]["kind"], "GROUP");
    assert_eq!(task(result, 24)["assignments"][11]["department"]["name"], "人民银行盘山分行");
    assert!(task(result, 1)["measures"].as_str().unwrap().contains("医保(新农合)"));
    assert_eq!(task(result, 11)["title"], "规划、建设自然灾害救助物资储备库,保障救助物资供应");
}

#[tokio::test]
async fn no_converter_artifact_or_traditional_character_is_left_anywhere() {
    let (app, admin) = empty_app().await;
    let response = import(&app, &admin, SAMPLE_PLAN, false).await;
    let text = response.data()["importPlan"].to_string();
    for artifact in ["(fā)", "(zhèn)", "(jīng)", "(xù)", "發", "縣", "鎮", "經", "實", "關", "於", "盤"] {
        assert!(!text.contains(artifact), "found {artifact}");
    }
    let toned = regex_like_pinyin(&text);
    assert!(toned.is_none(), "pinyin artifact left: {toned:?}");
}

/// Finds `(` + lowercase letters with a tone mark + `)`.
fn regex_like_pinyin(text: &str) -> Option<String> {
    let tones = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ";
    text.split('(')
        .skip(1)
        .map(|rest| rest.split(')').next().unwrap_or(""))
        .find(|inner| {
            !inner.is_empty()
                && inner.len() < 12
                && inner.chars().all(|c| c.is_ascii_lowercase() || tones.contains(c))
                && inner.chars().any(|c| tones.contains(c))
        })
        .map(str::to_owned)
}

#[tokio::test]
async fn reference_schedules_are_classified_with_their_dates() {
    let (app, admin) = empty_app().await;
    let response = import(&app, &admin, SAMPLE_PLAN, false).await;
    let result = &response.data()["importPlan"];
    let cases: [(i64, &str, Value, bool, Value, Value); 8] = [
        (1, "DEADLINE", json!("2014-12-31"), true, Value::Null, Value::Null),
        (3, "AFTER_POLICY", Value::Null, false, json!("PROVINCIAL"), json!(6)),
        (4, "ONGOING", Value::Null, true, Value::Null, Value::Null),
        (9, "DEADLINE", json!("2015-06-30"), false, Value::Null, Value::Null),
        (11, "RECURRING", Value::Null, true, Value::Null, Value::Null),
        (15, "AFTER_POLICY", Value::Null, false, json!("NATIONAL,PROVINCIAL"), json!(3)),
        (17, "AFTER_POLICY", Value::Null, false, json!("NATIONAL"), json!(6)),
        (25, "DEADLINE", json!("2015-06-30"), true, Value::Null, Value::Null),
    ];
    for (seq, kind, due, ongoing, waiting, offset) in cases {
        let schedule = &task(result, seq)["schedule"];
        assert_eq!(schedule["kind"], kind, "task {seq}");
        assert_eq!(schedule["dueDate"], due, "task {seq}");
        assert_eq!(task(result, seq)["dueDate"], due, "task {seq}");
        assert_eq!(schedule["ongoing"], ongoing, "task {seq}");
        assert_eq!(schedule["waitingFor"], waiting, "task {seq}");
        assert_eq!(schedule["offsetMonths"], offset, "task {seq}");
    }
    let kinds: Vec<&str> =
        result["tasks"].as_array().unwrap().iter().map(|t| t["schedule"]["kind"].as_str().unwrap()).collect();
    assert!(!kinds.contains(&"UNPARSED"), "all 26 schedules understood");
}

#[tokio::test]
async fn a_dry_run_returns_the_preview_and_writes_nothing() {
    let (app, admin) = empty_app().await;
    let preview = import(&app, &admin, SAMPLE_PLAN, true).await;
    let result = &preview.data()["importPlan"];
    assert_eq!(result["dryRun"], true);
    assert_eq!(result["tasks"].as_array().unwrap().len(), 26);
    assert_eq!(task(result, 15)["lead"]["name"], "县卫生局");
    let counts = app
        .graphql(
            "{ documents { totalCount } tasks { totalCount } departments { totalCount } }",
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(counts.data()["documents"]["totalCount"], 0);
    assert_eq!(counts.data()["tasks"]["totalCount"], 0);
    assert_eq!(counts.data()["departments"]["totalCount"], 0);
}

#[tokio::test]
async fn the_same_document_number_is_refused_unless_replacing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let again = import(&app, &admin, SAMPLE_PLAN, false).await;
    assert_eq!(again.error_code(), Some("CONFLICT"));
    let replaced = app.graphql(IMPORT, json!({ "t": SAMPLE_PLAN, "r": true }), Some(&admin)).await;
    assert_eq!(replaced.data()["importPlan"]["tasks"].as_array().unwrap().len(), 26);
    let counts = app.graphql("{ documents { totalCount } tasks { totalCount } }", json!({}), Some(&admin)).await;
    assert_eq!(counts.data()["documents"]["totalCount"], 1);
    assert_eq!(counts.data()["tasks"]["totalCount"], 26);
}

#[tokio::test]
async fn oversized_or_taskless_text_is_bad_input_and_writes_nothing() {
    let (app, admin) = empty_app().await;
    let huge = "序号 | 工作任务 |\n".repeat(150_000);
    assert!(huge.len() > 2 * 1024 * 1024);
    for text in [huge.as_str(), "关于做好冬季防火工作的通知\n请各单位认真落实。", ""] {
        let response = import(&app, &admin, text, false).await;
        assert_eq!(response.error_code(), Some("BAD_USER_INPUT"));
    }
    let counts = app.graphql("{ documents { totalCount } }", json!({}), Some(&admin)).await;
    assert_eq!(counts.data()["documents"]["totalCount"], 0);
}

#[tokio::test]
async fn unknown_units_become_flagged_departments_and_are_never_dropped() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let plan = "盘县政办发〔2015〕7号\n2015年3月2日\n关于冬季安全生产的分工方案\n\
        1.开展隐患排查（牵头单位：县安监局；配合单位：县民政局、县消防大队）\n\
        2.完善应急预案（牵头单位：县民政局；配合单位：各有关单位）\n";
    let response = import(&app, &admin, plan, false).await;
    let result = &response.data()["importPlan"];
    let created: Vec<(&str, &str, bool)> = result["createdDepartments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["name"].as_str().unwrap(), d["kind"].as_str().unwrap(), d["needsReview"].as_bool().unwrap()))
        .collect();
    assert!(created.contains(&("县安监局", "UNIT", true)), "{created:?}");
    assert!(created.contains(&("县消防大队", "UNIT", true)), "{created:?}");
    assert!(created.contains(&("各有关单位", "CATCH_ALL", true)), "{created:?}");
    assert_eq!(task(result, 1)["lead"]["name"], "县安监局");
    let flagged =
        app.graphql("{ departments(filter: { needsReview: true }) { totalCount } }", json!({}), Some(&admin)).await;
    assert_eq!(flagged.data()["departments"]["totalCount"], 3);
}

#[tokio::test]
async fn only_admins_may_import() {
    let app = spawn_app().await;
    let leader = app.user_token("leader1", "LEADER", None).await;
    let refused = import(&app, &leader, SAMPLE_PLAN, true).await;
    assert_eq!(refused.error_code(), Some("FORBIDDEN"));
    let anonymous = app.graphql(IMPORT, json!({ "t": SAMPLE_PLAN }), None).await;
    assert_eq!(anonymous.error_code(), Some("UNAUTHENTICATED"));
}

/// Issue 24: the preview marks per task what was inferred (a year, a lead by position, a
/// catch-all, a schedule read from the text), and the schedule carries its milestones.
#[tokio::test]
async fn an_import_preview_marks_what_was_inferred_and_keeps_milestones() {
    let (app, admin) = empty_app().await;
    let text = "某县2022年重点工作任务分工方案\n某府办发〔2022〕9号\n某县人民政府办公室\n2022年3月1日\n\
                某县2022年重点工作任务分工方案\n\
                1.修订行政许可事项清单,9月底前形成新版清单。(县政务服务局、县司法局、各有关单位)\n\
                2.深化审批制度改革,2022年9月底前出台实施方案,2023年底前全面推开。(牵头单位:县发展改革局;配合单位:县财政局)\n\
                3.推行生活垃圾分类,2023年起全面实施。(牵头单位:县城市管理局)";
    let query = "mutation($t: String!) { importPlan(text: $t, dryRun: true) {
        document { title }
        tasks { seq schedule { kind dueDate milestones startsOn yearInferred } }
        checks { taskId seq code message } } }";
    let response = app.graphql(query, json!({ "t": text }), Some(&admin)).await;
    let result = &response.data()["importPlan"];
    assert_eq!(result["document"]["title"], "某县2022年重点工作任务分工方案");
    let schedule = |seq: i64| task(result, seq)["schedule"].clone();
    assert_eq!(schedule(1)["dueDate"], "2022-09-30");
    assert_eq!(schedule(1)["yearInferred"], true);
    assert_eq!(schedule(2)["dueDate"], "2023-12-31");
    assert_eq!(schedule(2)["milestones"], json!(["2022-09-30"]));
    assert_eq!(schedule(2)["yearInferred"], false);
    assert_eq!(schedule(3)["kind"], "ONGOING");
    assert_eq!(schedule(3)["startsOn"], "2023-01-01");
    let checks: Vec<(i64, &str)> = result["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["seq"].as_i64().unwrap(), c["code"].as_str().unwrap()))
        .collect();
    for expected in [(1, "YEAR_INFERRED"), (1, "SCHEDULE_FROM_TEXT"), (1, "LEAD_BY_POSITION"), (1, "CATCH_ALL")] {
        assert!(checks.contains(&expected), "{expected:?} in {checks:?}");
    }
    assert!(!checks.iter().any(|(seq, code)| *seq == 2 && (*code == "LEAD_BY_POSITION" || *code == "YEAR_INFERRED")));
    assert!(result["checks"].as_array().unwrap().iter().all(|c| c["taskId"].is_string()));
}
