//! The monthly bulletin (督查通报) of March 2027, from the assessment story's month (see
//! `assessment`), downloaded as the office would (`GET /bulletins/2027-03.docx`) and opened with
//! python-docx (the suite's venv): its page and fonts are an official document's, its overall
//! figures are the statistics', each table says what the month's record says, written out by
//! hand below, and the chart of each unit's reports on time is in it.

use super::assessment::march;
use super::follow_up_rules::Office;
use serde_json::{Value, json};

/// Downloads a bulletin: (status, content type, body).
async fn download(office: &Office, path: &str, token: Option<&str>) -> (u16, String, Vec<u8>) {
    let mut request = office.app.client.get(office.app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("download");
    let status = response.status().as_u16();
    let kind = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, kind, response.bytes().await.expect("body").to_vec())
}

/// The document as python-docx reads it (`tests/clients/read_docx.py`).
fn read(bytes: &[u8]) -> Value {
    let clients = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("clients");
    let python = clients.join(".venv/bin/python");
    assert!(python.exists(), "python-docx is not installed: run tests/run (it makes tests/clients/.venv)");
    let file = tempfile::NamedTempFile::with_suffix(".docx").expect("a temporary file");
    std::fs::write(file.path(), bytes).expect("write the bulletin");
    let output = std::process::Command::new(python)
        .arg(clients.join("read_docx.py"))
        .arg(file.path())
        .output()
        .expect("run read_docx.py");
    assert!(output.status.success(), "python-docx could not open it: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON")
}

fn rows(table: &Value) -> Vec<Vec<String>> {
    table
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row.as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect())
        .collect()
}

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

/// The paragraph that follows a heading.
fn after<'a>(doc: &'a Value, heading: &str) -> &'a str {
    let paragraphs = doc["paragraphs"].as_array().unwrap();
    let at = paragraphs.iter().position(|p| p == heading).unwrap_or_else(|| panic!("no heading {heading}"));
    paragraphs[at + 1].as_str().unwrap()
}

fn percent(value: &Value) -> String {
    value.as_f64().map_or_else(|| "—".to_owned(), |v| format!("{:.1}%", v * 100.0))
}

#[tokio::test]
async fn the_office_downloads_the_months_bulletin_and_its_tables_say_what_the_record_says() {
    let office = march().await;
    // 04-01: the office publishes March's assessment; a leader instructs on task 2.
    office
        .call(&office.admin, "mutation { publishAssessment(period: { year: 2027, month: 3 }) { version } }", json!({}))
        .await;
    office
        .call(
            &office.leader,
            "mutation($t: ID!) { instruct(taskId: $t, text: \"请尽快启动\") { id } }",
            json!({ "t": office.task(2) }),
        )
        .await;

    let (status, kind, bytes) = download(&office, "/bulletins/2027-03.docx", Some(&office.admin)).await;
    assert_eq!(status, 200);
    assert_eq!(kind, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    let doc = read(&bytes);

    // A4, the margins of an official document, a 仿宋 body and 黑体 headings.
    assert_eq!(doc["page"], json!([11906, 16838]));
    assert_eq!(doc["margins"], json!([2098, 1984, 1587, 1474]));
    for font in ["仿宋", "黑体"] {
        assert!(doc["fonts"].as_array().unwrap().contains(&json!(font)), "{}", doc["fonts"]);
    }
    assert_eq!(doc["paragraphs"][1], "〔2027〕第3期");
    assert_eq!(doc["pictures"], 1, "the chart of each unit's reports on time");
    assert_eq!(doc["page_numbers"], true, "pages numbered at the foot");

    // The overall figures are the statistics'.
    let stats = office
        .call(
            &office.admin,
            "{ statistics { overall { total overdue overdueShare onTimeRate periodsDue periodsOnTime } } }",
            json!({}),
        )
        .await;
    let o = &stats["statistics"]["overall"];
    let finished = 1;
    let reports = o["periodsOnTime"].as_f64().unwrap() / o["periodsDue"].as_f64().unwrap();
    assert_eq!(
        after(&doc, "一、总体情况"),
        format!(
            "共有任务{}项，已办结{finished}项，按期完成率{}；逾期未完成{}项，逾期占比{}；应报进展{}期，按时报送{}期，按时报送率{}。",
            o["total"],
            percent(&o["onTimeRate"]),
            o["overdue"],
            percent(&o["overdueShare"]),
            o["periodsDue"],
            o["periodsOnTime"],
            percent(&json!(reports)),
        )
    );
    // Worked out by hand: 2 tasks, task 1 done on time; periods judged: 县民政局's 03-25 (on
    // time), 县财政局's (late), 县教育局's (missed).
    assert_eq!(
        (o["total"].as_i64(), o["periodsDue"].as_i64(), o["periodsOnTime"].as_i64()),
        (Some(2), Some(3), Some(1))
    );

    let tables: Vec<Vec<Vec<String>>> = doc["tables"].as_array().unwrap().iter().map(rows).collect();
    // Completed in March; units that owe; the published ranking; the open instruction; each
    // unit's reports on time. Nothing is red on 04-01.
    assert_eq!(after(&doc, "三、逾期和红色预警任务"), "无逾期或红色预警任务。");
    assert_eq!(tables.len(), 5, "{tables:?}");
    assert_eq!(
        tables[0],
        [
            strings(&["序号", "工作任务", "牵头单位", "办结日期", "情况"]),
            strings(&["1", "任务1", "县民政局", "2027年3月29日", "按期完成"])
        ]
    );
    assert_eq!(tables[1], [strings(&["单位", "未报送期数", "逾期签收件数"]), strings(&["县教育局", "1", "1"])]);
    assert_eq!(
        tables[2],
        [
            strings(&["名次", "单位", "得分"]),
            strings(&["1", "县民政局", "104"]),
            strings(&["2", "县财政局", "99"]),
            strings(&["3", "县教育局", "93"]),
        ]
    );
    assert_eq!(tables[3][1], strings(&["2", "任务2", "县教育局", "2027年4月1日", "请尽快启动"]));
    assert_eq!(
        tables[4],
        [
            strings(&["单位", "应报期数", "按时报送", "及时率"]),
            strings(&["县民政局", "1", "1", "100.0%"]),
            strings(&["县教育局", "1", "0", "0.0%"]),
            strings(&["县财政局", "1", "0", "0.0%"]),
        ]
    );

    // The command line writes the same bulletin.
    let url = office.app.url.clone();
    let written = tokio::task::spawn_blocking(move || {
        let out = tempfile::NamedTempFile::with_suffix(".docx").expect("a temporary file");
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_duban-process"))
            .args(["bulletin", "--month", "2027-03", "--output"])
            .arg(out.path())
            .env("DATABASE_URL", url)
            .env("DUBAN_AUDIT_KEY", duban_tests::audit_key())
            .env("DUBAN_TODAY", "2027-04-01")
            .status()
            .expect("run duban bulletin");
        assert!(status.success());
        std::fs::read(out.path()).expect("the written bulletin")
    })
    .await
    .unwrap();
    assert_eq!(read(&written)["tables"], doc["tables"]);
    assert_eq!(read(&written)["paragraphs"], doc["paragraphs"]);

    // Made again on 07-05, task 2 (due 06-30, never reported on) is overdue and red, under its
    // lead; March's facts are March's still.
    office.app.set_today("2027-07-05");
    let (_, _, later) = download(&office, "/bulletins/2027-03.docx", Some(&office.leader)).await;
    let later = read(&later);
    let tables: Vec<Vec<Vec<String>>> = later["tables"].as_array().unwrap().iter().map(rows).collect();
    assert_eq!(
        tables[1],
        [
            strings(&["牵头单位", "序号", "工作任务", "完成时限", "情况"]),
            strings(&["县教育局", "2", "任务2", "2027年6月30日", "已逾期"])
        ]
    );
    assert_eq!(tables[0][1], strings(&["1", "任务1", "县民政局", "2027年3月29日", "按期完成"]));
}

#[tokio::test]
async fn only_the_office_and_leaders_download_bulletins() {
    let office = Office::new(&[("县民政局", "2027年6月底前完成")]).await;
    for token in [&office.lead, &office.support] {
        assert_eq!(download(&office, "/bulletins/2027-03.docx", Some(token)).await.0, 403);
    }
    assert_eq!(download(&office, "/bulletins/2027-03.docx", None).await.0, 401);
    assert_eq!(download(&office, "/bulletins/2027-3.docx", Some(&office.admin)).await.0, 404);
    assert_eq!(download(&office, "/bulletins/2027-03.docx?document=999999", Some(&office.admin)).await.0, 404);
    assert_eq!(download(&office, "/bulletins/2027-04.docx", Some(&office.admin)).await.0, 400, "April has not begun");
    assert_eq!(download(&office, "/bulletins/2027-03.docx", Some(&office.leader)).await.0, 200);
}
