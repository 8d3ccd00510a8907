//! The division table as a file: `GET /documents/{id}/division-table.xlsx` and `.csv`, read
//! back with calamine and the csv crate; rows as the token's account may see them; and an
//! exported workbook imported again as the same plan.

use crate::reference_plan::{WEISHENG, assigned};
use crate::upload::upload;
use calamine::{Data, Reader, Xlsx};
use duban_tests::{RawResponse, TestApp, password_for, spawn_app};
use serde_json::{Value, json};

const HEADERS: [&str; 14] = [
    "序号",
    "工作任务",
    "落实措施",
    "牵头单位",
    "配合单位",
    "时间进度",
    "当前状态",
    "截止日期",
    "最新进展",
    "预警",
    "原定截止日期",
    "承办人",
    "签收情况",
    "佐证材料",
];

/// The reference plan's document id.
pub async fn document_id(app: &TestApp, admin: &str) -> String {
    let docs = app.graphql("{ documents { nodes { id } } }", json!({}), Some(admin)).await;
    docs.data()["documents"]["nodes"][0]["id"].as_str().expect("a document").to_owned()
}

/// Downloads `/documents/{id}/division-table.{ext}`, keeping the body's bytes.
pub async fn download(
    app: &TestApp,
    id: &str,
    ext: &str,
    token: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let mut request = app.client.get(app.url(&format!("/documents/{id}/division-table.{ext}")));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("download");
    let (status, headers) = (response.status().as_u16(), response.headers().clone());
    (status, headers, response.bytes().await.expect("body").to_vec())
}

/// The workbook's one sheet as text cells.
pub fn sheet_of(bytes: Vec<u8>) -> Vec<Vec<String>> {
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("a workbook");
    let name = book.sheet_names().first().cloned().expect("a sheet");
    let range = book.worksheet_range(&name).expect("the sheet");
    range
        .rows()
        .map(|row| row.iter().map(|c| if let Data::Empty = c { String::new() } else { c.to_string() }).collect())
        .collect()
}

/// The table part of a sheet: the header row and the rows below it.
pub fn table_of(sheet: &[Vec<String>]) -> (Vec<String>, Vec<Vec<String>>) {
    let at = sheet.iter().position(|row| row.first().is_some_and(|c| c == "序号")).expect("a header row");
    (sheet[at].clone(), sheet[at + 1..].to_vec())
}

pub fn csv_of(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").expect("a UTF-8 byte-order mark first");
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text);
    reader.records().map(|r| r.expect("a CSV record").iter().map(str::to_owned).collect()).collect()
}

#[tokio::test]
async fn an_admin_downloads_all_26_tasks_as_a_workbook_with_the_chinese_text_intact() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = document_id(&app, &admin).await;
    let (status, headers, bytes) = download(&app, &id, "xlsx", Some(&admin)).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment; filename=\""), "{disposition}");
    // 盘县政办发〔2014〕103号-分工表.xlsx, percent-encoded as RFC 6266 asks.
    let encoded = "filename*=UTF-8''%E7%9B%98%E5%8E%BF%E6%94%BF%E5%8A%9E%E5%8F%91%E3%80%942014%E3%80%95103%E5%8F%B7";
    assert!(disposition.contains(encoded), "{disposition}");

    let sheet = sheet_of(bytes);
    assert_eq!(sheet[0][0], "关于贯彻落实《社会救助暂行办法》重点任务分工方案");
    assert_eq!(sheet[1][0], "盘县政办发〔2014〕103号");
    let (header, rows) = table_of(&sheet);
    assert_eq!(header, HEADERS);
    assert_eq!(rows.len(), 26);
    let task = |seq: usize| &rows[seq - 1];
    assert_eq!(task(1)[0], "1");
    assert_eq!(task(11)[1], "规划、建设自然灾害救助物资储备库,保障救助物资供应");
    assert!(task(1)[2].contains("医保(新农合)"), "{}", task(1)[2]);
    assert_eq!(task(15)[3], "县卫生局");
    assert!(task(1)[4].contains("县发展和改革局") && task(1)[4].ends_with("各镇人民政府"), "{}", task(1)[4]);
    assert_eq!(task(9)[5], "2015年6月底前出台");
    assert_eq!((task(9)[6].as_str(), task(9)[7].as_str()), ("未开始", "2015-06-30"));
    assert_eq!(task(4)[7], "", "an ongoing task has no due date");
    assert_eq!(task(9)[9], "红灯", "years past its due date");
    assert_eq!(task(4)[9], "绿灯", "ongoing work just handed out");
}

/// The workbook's statistics sheet (统计) as text cells.
fn figures_of(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut book = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a workbook");
    assert_eq!(book.sheet_names(), ["分工表", "统计"]);
    let range = book.worksheet_range("统计").expect("the statistics sheet");
    range
        .rows()
        .map(|row| row.iter().map(|c| if let Data::Empty = c { String::new() } else { c.to_string() }).collect())
        .collect()
}

/// Whether the workbook holds a native chart, drawn on the statistics sheet.
fn has_chart(bytes: &[u8]) -> bool {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    let names: Vec<String> = zip.file_names().filter_map(Result::ok).map(|n| n.into_owned()).collect();
    let chart = names.iter().any(|n| n.starts_with("xl/charts/chart"));
    let mut drawing = String::new();
    if let Ok(mut file) = zip.by_name("xl/worksheets/_rels/sheet2.xml.rels") {
        std::io::Read::read_to_string(&mut file, &mut drawing).unwrap();
    }
    chart && drawing.contains("drawing")
}

#[tokio::test]
async fn the_workbook_has_each_lead_units_figures_as_statistics_gives_them_with_a_chart() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = document_id(&app, &admin).await;
    let (_, _, bytes) = download(&app, &id, "xlsx", Some(&admin)).await;
    let sheet = figures_of(&bytes);
    assert_eq!(
        sheet[0],
        [
            "单位",
            "牵头任务",
            "已办结",
            "按期办结",
            "按期完成率",
            "逾期",
            "应报期数",
            "按时报送",
            "迟报",
            "未报",
            "按时报送率"
        ]
    );
    let stats = app
        .graphql(
            "query($d: ID!) { statistics(filter: { documentId: $d }) { byUnit { department { name }
               statistics { total overdue periodsDue periodsOnTime periodsLate periodsMissed } } } }",
            json!({ "d": id }),
            Some(&admin),
        )
        .await;
    let mut expected: Vec<Vec<String>> = stats.data()["statistics"]["byUnit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let n = |f: &str| u["statistics"][f].to_string();
            vec![
                u["department"]["name"].as_str().unwrap().to_owned(),
                n("total"),
                n("overdue"),
                n("periodsDue"),
                n("periodsMissed"),
            ]
        })
        .collect();
    expected.sort();
    let mut got: Vec<Vec<String>> =
        sheet[1..].iter().map(|r| vec![r[0].clone(), r[1].clone(), r[5].clone(), r[6].clone(), r[9].clone()]).collect();
    got.sort();
    assert_eq!(got, expected);
    assert!(has_chart(&bytes), "a native chart on the statistics sheet");

    // openpyxl (the suite's venv) opens it and reads the same figures, as numbers.
    let read = openpyxl(&bytes);
    assert_eq!(read["sheets"], json!(["分工表", "统计"]));
    let rows = read["rows"]["统计"].as_array().unwrap();
    assert_eq!(rows.len(), sheet.len());
    for (row, cells) in rows.iter().zip(&sheet).skip(1) {
        assert_eq!(row[0].as_str(), Some(cells[0].as_str()));
        assert_eq!(row[1].as_f64().map(|n| n.to_string()), Some(cells[1].clone()), "{row}");
    }
}

/// The workbook as openpyxl reads it (`tests/clients/read_xlsx.py`).
fn openpyxl(bytes: &[u8]) -> Value {
    let clients = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("clients");
    let python = clients.join(".venv/bin/python");
    assert!(python.exists(), "openpyxl is not installed: run tests/run (it makes tests/clients/.venv)");
    let file = tempfile::NamedTempFile::with_suffix(".xlsx").expect("a temporary file");
    std::fs::write(file.path(), bytes).expect("write the workbook");
    let output = std::process::Command::new(python)
        .arg(clients.join("read_xlsx.py"))
        .arg(file.path())
        .output()
        .expect("run read_xlsx.py");
    assert!(output.status.success(), "openpyxl could not open it: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON")
}

#[tokio::test]
async fn the_csv_has_a_byte_order_mark_the_same_header_and_rows() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = document_id(&app, &admin).await;
    let (status, headers, bytes) = download(&app, &id, "csv", Some(&admin)).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert!(headers["content-disposition"].to_str().unwrap().contains(".csv"));
    let records = csv_of(&bytes);
    assert_eq!(records[0], HEADERS);
    assert_eq!(records.len(), 27);
    assert_eq!(records[15][0], "15");
    assert_eq!(records[15][3], "县卫生局");
    assert_eq!(records[9][5], "2015年6月底前出台");
}

/// Stores a progress report of `unit` on task `seq` (arranged in the database, so the test
/// does not depend on how units report).
async fn arrange_report(app: &TestApp, admin: &str, seq: i64, unit: &str, text: &str, percent: i32) {
    use sea_orm::{ActiveModelTrait, Set};
    let viewer = app.graphql("{ viewer { id } }", json!({}), Some(admin)).await;
    let author: i32 = viewer.data()["viewer"]["id"].as_str().unwrap().parse().unwrap();
    let department: i32 = app.department_id_as(admin, unit).await.parse().unwrap();
    let task: i32 = task_id(app, admin, seq).await.parse().unwrap();
    let report = entity::progress_report::ActiveModel {
        task_id: Set(task),
        department_id: Set(department),
        author_id: Set(author),
        text: Set(text.to_owned()),
        percent: Set(percent),
        created_at: Set(chrono::Utc::now()),
        reported_on: Set(None),
        due_on: Set(None),
        late: Set(false),
        ..Default::default()
    };
    report.insert(&app.db).await.expect("report stored");
}

async fn task_id(app: &TestApp, admin: &str, seq: i64) -> String {
    let tasks = app.graphql("{ tasks(first: 100) { nodes { id seq } } }", json!({}), Some(admin)).await;
    let nodes = tasks.data()["tasks"]["nodes"].as_array().unwrap().clone();
    nodes.iter().find(|n| n["seq"] == seq).and_then(|n| n["id"].as_str()).expect("the task").to_owned()
}

/// Task `seq`'s row of a downloaded workbook.
fn row_of(rows: &[Vec<String>], seq: &str) -> Vec<String> {
    rows.iter().find(|r| r[0] == seq).unwrap_or_else(|| panic!("no row {seq}")).clone()
}

#[tokio::test]
async fn a_unit_downloads_only_its_own_tasks_with_the_latest_report_it_may_read() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = document_id(&app, &admin).await;
    let unit = app.department_id_as(&admin, "县卫生局").await;
    app.create_account(&admin, "weisheng", "DEPARTMENT", Some(&unit)).await;
    let weisheng = app.login("weisheng", &password_for("weisheng")).await;
    // Task 14: 县民政局 leads, 县卫生局 and 县发展和改革局 support. A supporting unit reads its
    // own reports and the lead's, not the other supporting unit's.
    arrange_report(&app, &admin, 14, "县民政局", "已制定结算办法", 50).await;
    arrange_report(&app, &admin, 14, "县发展和改革局", "已安排结算资金", 60).await;

    let (status, _, bytes) = download(&app, &id, "xlsx", Some(&weisheng)).await;
    assert_eq!(status, 200);
    let (_, rows) = table_of(&sheet_of(bytes));
    let seqs: Vec<i32> = rows.iter().map(|r| r[0].parse().expect("a number")).collect();
    assert_eq!(seqs, assigned(WEISHENG), "only the unit's own tasks");
    assert_eq!(row_of(&rows, "14")[8], "已制定结算办法（50%）");
    assert_eq!(row_of(&rows, "15")[8], "", "no report on task 15 yet");

    let (_, _, bytes) = download(&app, &id, "xlsx", Some(&admin)).await;
    let (_, rows) = table_of(&sheet_of(bytes));
    assert_eq!(
        row_of(&rows, "14")[8],
        "已制定结算办法（50%）",
        "the lead's report, not a supporting unit's newer one, says where the task stands"
    );

    let (_, _, csv) = download(&app, &id, "csv", Some(&weisheng)).await;
    let records = csv_of(&csv);
    assert_eq!(records.len(), assigned(WEISHENG).len() + 1);
    assert!(records.iter().any(|r| r[0] == "14" && r[8] == "已制定结算办法（50%）"));
}

#[tokio::test]
async fn a_download_without_a_good_token_is_401_and_an_unknown_document_404() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = document_id(&app, &admin).await;
    for ext in ["xlsx", "csv"] {
        let url = app.url(&format!("/documents/{id}/division-table.{ext}"));
        let anonymous: RawResponse = app.raw(app.client.get(&url)).await;
        assert_eq!((anonymous.status, anonymous.error_code().as_deref()), (401, Some("UNAUTHENTICATED")));
        assert_eq!(anonymous.headers["www-authenticate"], "Bearer");
        let forged = app.raw(app.client.get(&url).bearer_auth("not.a.token")).await;
        assert_eq!((forged.status, forged.error_code().as_deref()), (401, Some("UNAUTHENTICATED")));
        for missing in ["999999", "abc"] {
            let url = app.url(&format!("/documents/{missing}/division-table.{ext}"));
            let unknown = app.raw(app.client.get(&url).bearer_auth(&admin)).await;
            assert_eq!((unknown.status, unknown.error_code().as_deref()), (404, Some("NOT_FOUND")), "{missing}");
        }
    }
}

/// The plan's columns of every task, as the API shows them.
async fn plan_columns(app: &TestApp, admin: &str) -> Vec<Value> {
    let query = "{ tasks(first: 100) { nodes { seq number title measures
        assignments { role department { name } } schedule { text kind dueDate ongoing } } } }";
    let tasks = app.graphql(query, json!({}), Some(admin)).await;
    tasks.data()["tasks"]["nodes"].as_array().expect("tasks").clone()
}

#[tokio::test]
async fn an_exported_workbook_imports_again_as_the_same_plan() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let before = plan_columns(&app, &admin).await;
    let id = document_id(&app, &admin).await;
    let (_, _, bytes) = download(&app, &id, "xlsx", Some(&admin)).await;

    let response = upload(&app, &admin, "分工表.xlsx", bytes, json!({ "r": true })).await;
    let result = &response.json()["data"]["importPlan"];
    assert_eq!(result["document"]["docNumber"], "盘县政办发〔2014〕103号", "{}", response.text);
    assert_eq!(result["document"]["issuer"], "盘山县人民政府办公室");
    assert_eq!(result["document"]["issuedOn"], "2014-11-13");
    assert_eq!(result["document"]["title"], "关于贯彻落实《社会救助暂行办法》重点任务分工方案");
    assert_ne!(result["document"]["id"], json!(id), "the old document was replaced");

    let after = plan_columns(&app, &admin).await;
    assert_eq!(after.len(), 26);
    assert_eq!(after, before, "the same tasks, units with their roles, and schedules");
}

/// The follow-up columns: the original due date beside the current one after an extension, the
/// lead's 承办人 (as the reader may see it) and how many units signed.
#[tokio::test]
async fn the_table_shows_the_original_due_date_the_leads_person_and_sign_off() {
    let app = spawn_app().await;
    app.set_today("2014-11-20");
    let admin = app.admin_token().await;
    let id = document_id(&app, &admin).await;
    let lead = app.department_id_as(&admin, "县民政局").await;
    app.create_account(&admin, "minzheng", "DEPARTMENT", Some(&lead)).await;
    let minzheng = app.login("minzheng", &password_for("minzheng")).await;
    let task = task_id(&app, &admin, 25).await;
    app.sign_for(&minzheng, &task).await;
    let ask = "mutation($t: ID!) { requestExtension(taskId: $t, input: { reason: \"省级配套文件尚未出台\", progress: \"已形成初稿\", proposedDueDate: \"2015-09-30\" }) { id } }";
    let asked = app.graphql(ask, json!({ "t": task }), Some(&minzheng)).await;
    let decide = "mutation($r: ID!) { decideExtension(requestId: $r, input: { approve: true }) { status } }";
    app.graphql(decide, json!({ "r": asked.data()["requestExtension"]["id"] }), Some(&admin)).await.data();

    let (_, _, bytes) = download(&app, &id, "xlsx", Some(&admin)).await;
    let (_, rows) = table_of(&sheet_of(bytes));
    let row = row_of(&rows, "25");
    assert_eq!((row[7].as_str(), row[10].as_str()), ("2015-09-30", "2015-06-30"), "extended, and the original");
    assert_eq!(row[11], "王五 0427-1111111", "the lead's 承办人 as it signed");
    let parts = app
        .graphql(
            "query($id: ID!) { task(id: $id) { assignments { department { kind } } } }",
            json!({ "id": task }),
            Some(&admin),
        )
        .await;
    let units = parts.data()["task"]["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["department"]["kind"] == "UNIT")
        .count();
    assert_eq!(row[12], format!("1/{units} 已签收"), "units sign; groups and catch-alls do not");
}
