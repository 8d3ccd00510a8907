//! Evidence (佐证材料) through HTTP, on both storage backends (a local directory and a real
//! S3-compatible server) and on the run's database: files uploaded with the GraphQL multipart
//! request spec, attached by the verbs that write reports, completion reports, answers and
//! responses, downloaded by whoever may read what they back (with the token or a signed link),
//! refused by content and size with a reason, and never left half written.
//!
//! Task 25 of the reference plan: 县民政局 leads; the first two of its supporting units are
//! `a` and `b`; a unit outside the task is `outsider`.

use super::upload::upload_request;
use duban_tests::{AppOptions, FileStore, RawResponse, TestApp, spawn_app_with};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const BACKENDS: [FileStore; 2] = [FileStore::Local, FileStore::S3];

const UPLOAD: &str =
    "mutation($f: Upload!) { uploadEvidence(file: $f) { id fileName contentType byteSize sha256 attached url } }";
const REPORT: &str =
    "mutation($t: ID!, $e: [ID!]) { submitReport(taskId: $t, text: \"现场已完工\", percent: 60, evidence: $e) {
    id evidence { id fileName attached } } }";

/// A 1×1 PNG.
fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde".to_vec();
    bytes
        .extend_from_slice(b"\0\0\0\x0cIDATx\x9cc\xf8\xcf\xc0\0\0\x03\x01\x01\0\xc9\xfe\x92\xef\0\0\0\0IEND\xaeB`\x82");
    bytes
}

/// A small PDF (its header is what tells it).
fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
}

/// `n` bytes that are a JPEG by their content.
fn jpeg_of(n: usize) -> Vec<u8> {
    let mut bytes = vec![0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'J', b'F', b'I', b'F', 0];
    bytes.resize(n, 0x20);
    bytes
}

struct Office {
    app: TestApp,
    admin: String,
    leader: String,
    lead: String,
    a: String,
    b: String,
    outsider: String,
    task: String,
}

impl Office {
    async fn new(files: FileStore, configure: fn(&mut duban::config::Config)) -> Office {
        let app = spawn_app_with(AppOptions { files, configure, ..AppOptions::default() }).await;
        let admin = app.admin_token().await;
        let tasks = app
            .graphql(
                "{ tasks(first: 100) { nodes { id seq assignments { role department { id name kind } } } } }",
                json!({}),
                Some(&admin),
            )
            .await;
        let nodes = tasks.data()["tasks"]["nodes"].as_array().expect("tasks").clone();
        let task = nodes.iter().find(|t| t["seq"] == 25).expect("task 25").clone();
        let units: Vec<(String, String, String)> = task["assignments"]
            .as_array()
            .expect("assignments")
            .iter()
            .filter(|a| a["department"]["kind"] == "UNIT")
            .map(|a| {
                let d = &a["department"];
                (
                    a["role"].as_str().unwrap().to_owned(),
                    d["id"].as_str().unwrap().to_owned(),
                    d["name"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let lead = units.iter().find(|(role, _, _)| role == "LEAD").expect("a lead").1.clone();
        let supporting: Vec<String> =
            units.iter().filter(|(role, _, _)| role == "SUPPORTING").map(|u| u.1.clone()).collect();
        let on_task: Vec<String> = units.iter().map(|u| u.1.clone()).collect();
        let all = app.graphql("{ departments(first: 100) { nodes { id kind } } }", json!({}), Some(&admin)).await;
        let outsider = all.data()["departments"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["kind"] == "UNIT" && !on_task.iter().any(|id| d["id"] == id.as_str()))
            .and_then(|d| d["id"].as_str())
            .expect("a unit outside task 25")
            .to_owned();
        let mut tokens = Vec::new();
        for (name, unit) in [("lead", &lead), ("a", &supporting[0]), ("b", &supporting[1]), ("outsider", &outsider)] {
            app.create_account(&admin, name, "DEPARTMENT", Some(unit)).await;
            tokens.push(app.login(name, &duban_tests::password_for(name)).await);
        }
        app.create_account(&admin, "leader", "LEADER", None).await;
        let leader = app.login("leader", &duban_tests::password_for("leader")).await;
        let task = task["id"].as_str().unwrap().to_owned();
        let [lead, a, b, outsider] = <[String; 4]>::try_from(tokens).expect("four tokens");
        for token in [&lead, &a, &b] {
            app.sign_for(token, &task).await;
        }
        Office { app, admin, leader, lead, a, b, outsider, task }
    }

    async fn upload(&self, token: &str, name: &str, bytes: Vec<u8>) -> RawResponse {
        self.app.raw(upload_request(&self.app, Some(token), UPLOAD, json!({}), name, bytes)).await
    }

    /// Uploads a file that must be accepted; its `Evidence`.
    async fn staged(&self, token: &str, name: &str, bytes: Vec<u8>) -> Value {
        let response = self.upload(token, name, bytes).await;
        let body = response.json();
        assert!(body["errors"].is_null(), "{}", response.text);
        body["data"]["uploadEvidence"].clone()
    }

    async fn report(&self, token: &str, evidence: &[&Value]) -> Value {
        let ids: Vec<&Value> = evidence.iter().map(|e| &e["id"]).collect();
        let reported = self.app.graphql(REPORT, json!({ "t": self.task, "e": ids }), Some(token)).await;
        reported.data()["submitReport"].clone()
    }

    /// `GET /files/{id}` with a token (or none).
    async fn download(&self, token: Option<&str>, evidence: &Value) -> RawResponse {
        let id = evidence["id"].as_str().unwrap();
        let request = self.app.client.get(self.app.url(&format!("/files/{id}")));
        let request = match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        };
        self.app.raw(request).await
    }

    async fn evidence_rows(&self) -> i64 {
        use sea_orm::{ConnectionTrait, Statement};
        let backend = self.app.db.get_database_backend();
        let row = self
            .app
            .db
            .query_one_raw(Statement::from_string(backend, "SELECT COUNT(*) AS n FROM evidence"))
            .await
            .expect("count")
            .expect("a row");
        row.try_get::<i64>("", "n").expect("n")
    }
}

fn reason(response: &RawResponse) -> (Option<String>, Option<String>) {
    let error = &response.json()["errors"][0];
    (error["extensions"]["code"].as_str().map(str::to_owned), error["extensions"]["reason"].as_str().map(str::to_owned))
}

#[tokio::test]
async fn a_photo_backs_a_report_and_is_read_as_the_report_is() {
    for files in BACKENDS {
        let office = Office::new(files, |_| {}).await;
        let photo = png();
        let staged = office.staged(&office.lead, "C:\\fakepath\\现场照片.png", photo.clone()).await;
        assert_eq!(staged["fileName"], "现场照片.png", "{files:?}: the path is not kept");
        assert_eq!(staged["contentType"], "image/png");
        assert_eq!(staged["byteSize"], photo.len());
        assert_eq!(staged["sha256"], hex::encode(Sha256::digest(&photo)));
        assert_eq!(staged["attached"], false);
        let report = office.report(&office.lead, &[&staged]).await;
        assert_eq!(report["evidence"][0]["id"], staged["id"]);
        assert_eq!(report["evidence"][0]["attached"], true);

        // A supporting unit's report with a PDF: another supporting unit may not read it.
        let minutes = office.staged(&office.a, "会议纪要.pdf", pdf()).await;
        office.report(&office.a, &[&minutes]).await;

        let cases = [
            ("lead", Some(&office.lead), 200, 200),
            ("supporting a", Some(&office.a), 200, 200),
            ("supporting b", Some(&office.b), 200, 403),
            ("leader", Some(&office.leader), 200, 200),
            ("admin", Some(&office.admin), 200, 200),
            ("outsider", Some(&office.outsider), 404, 404),
            ("anonymous", None, 401, 401),
        ];
        for (who, token, photo_status, minutes_status) in cases {
            let got = office.download(token.map(String::as_str), &staged).await;
            assert_eq!(got.status, photo_status, "{files:?} {who} reads the lead's photo: {}", got.text);
            let got = office.download(token.map(String::as_str), &minutes).await;
            assert_eq!(got.status, minutes_status, "{files:?} {who} reads a's minutes: {}", got.text);
        }
        let got = office.download(Some(&office.b), &staged).await;
        assert_eq!(got.bytes, photo, "{files:?}: the bytes come back as uploaded");
        assert_eq!(got.header("content-type").as_deref(), Some("image/png"));
        let disposition = got.header("content-disposition").unwrap_or_default();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert!(disposition.contains("filename*=UTF-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.png"), "{disposition}");
        assert_eq!(got.header("x-content-type-options").as_deref(), Some("nosniff"));
        use base64::Engine;
        let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&photo));
        assert_eq!(got.header("repr-digest"), Some(format!("sha-256=:{digest}:")));

        // The signed link a report's reader is given works without a token, once, as given.
        let seen = office
            .app
            .graphql(
                "query($id: ID!) { task(id: $id) { reports(first: 10) { nodes { department { name } evidence { id url } } } } }",
                json!({ "id": office.task }),
                Some(&office.b),
            )
            .await;
        let nodes = seen.data()["task"]["reports"]["nodes"].as_array().unwrap().clone();
        let shown: Vec<&Value> = nodes.iter().flat_map(|n| n["evidence"].as_array().unwrap()).collect();
        assert_eq!(shown.len(), 1, "b sees the lead's photo, not a's minutes: {nodes:?}");
        let url = shown[0]["url"].as_str().unwrap();
        let linked = office.app.raw(office.app.client.get(office.app.url(url))).await;
        assert_eq!((linked.status, linked.bytes.clone()), (200, photo.clone()), "{files:?} {url}");
        let forged = url.replace(
            &format!("/files/{}?", staged["id"].as_str().unwrap()),
            &format!("/files/{}?", minutes["id"].as_str().unwrap()),
        );
        let refused = office.app.raw(office.app.client.get(office.app.url(&forged))).await;
        assert_eq!(refused.status, 403, "a link names one file only");

        // The office finds the tasks with and without evidence.
        let listed = |with: bool| {
            let app = &office.app;
            let admin = office.admin.clone();
            async move {
                let query = "query($w: Boolean) { tasks(first: 100, filter: { hasEvidence: $w }) { totalCount nodes { seq } } }";
                app.graphql(query, json!({ "w": with }), Some(&admin)).await.data()["tasks"].clone()
            }
        };
        assert_eq!(listed(true).await["nodes"], json!([{ "seq": 25 }]), "{files:?}");
        assert_eq!(listed(false).await["totalCount"], 25, "{files:?}");

        // The audit trail holds the hash; the timeline and the division table count the files.
        let log = office
            .app
            .graphql(
                "{ auditLog(filter: { entity: \"evidence\" }, first: 20) { nodes { operation action after } } }",
                json!({}),
                Some(&office.admin),
            )
            .await;
        let entries = log.data()["auditLog"]["nodes"].as_array().unwrap().clone();
        let hash = staged["sha256"].as_str().unwrap();
        assert!(
            entries.iter().any(|e| e["operation"] == "uploadEvidence" && e["after"].to_string().contains(hash)),
            "{entries:?}"
        );
        let timeline = office
            .app
            .graphql(
                "query($id: ID!) { task(id: $id) { timeline { code text evidenceCount department { name } } } }",
                json!({ "id": office.task }),
                Some(&office.admin),
            )
            .await;
        let reported: Vec<Value> = timeline.data()["task"]["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["code"] == "REPORTED")
            .cloned()
            .collect();
        assert_eq!(reported.len(), 2);
        assert!(
            reported
                .iter()
                .all(|l| l["evidenceCount"] == 1 && l["text"].as_str().unwrap().ends_with("(附佐证材料1件)")),
            "{reported:?}"
        );
        let document = office.app.graphql("{ documents { nodes { id } } }", json!({}), Some(&office.admin)).await;
        let id = document.data()["documents"]["nodes"][0]["id"].as_str().unwrap().to_owned();
        let csv = office
            .app
            .raw(
                office
                    .app
                    .client
                    .get(office.app.url(&format!("/documents/{id}/division-table.csv")))
                    .bearer_auth(&office.admin),
            )
            .await;
        let rows = super::export::csv_of(&csv.bytes);
        let column = rows[0].iter().position(|h| h == "佐证材料").expect("the column");
        let row = rows.iter().find(|r| r[0] == "25" || r[0].ends_with("25")).expect("task 25's row");
        assert_eq!(row[column], "1件", "{files:?}: the lead's latest report has one file");
    }
}

#[tokio::test]
async fn refused_files_say_why_and_leave_nothing_behind() {
    for files in BACKENDS {
        let office = Office::new(files, |c| {
            c.evidence.max_file_mb = 1;
            c.evidence.max_files = 2;
            c.evidence.max_total_mb = 1;
        })
        .await;
        let refusals = [
            ("照片.jpg", jpeg_of(1024 * 1024 + 1), "FILE_TOO_LARGE"),
            ("发票.pdf", b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".to_vec(), "FILE_TYPE_REFUSED"),
            (
                "材料.zip",
                b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01\0\0\0a".to_vec(),
                "FILE_TYPE_REFUSED",
            ),
            ("纪要.docx", "会议纪要".as_bytes().to_vec(), "FILE_TYPE_REFUSED"),
            ("空.png", Vec::new(), "FILE_EMPTY"),
        ];
        for (name, bytes, expected) in refusals {
            let refused = office.upload(&office.lead, name, bytes).await;
            assert_eq!(reason(&refused), (Some("BAD_USER_INPUT".into()), Some(expected.into())), "{files:?} {name}");
        }
        for (who, token, code) in [("admin", &office.admin, "FORBIDDEN"), ("leader", &office.leader, "FORBIDDEN")] {
            let refused = office.upload(token, "照片.png", png()).await;
            assert_eq!(reason(&refused).0.as_deref(), Some(code), "{files:?} {who}");
        }
        let anonymous = office.app.raw(upload_request(&office.app, None, UPLOAD, json!({}), "照片.png", png())).await;
        assert_eq!(anonymous.status, 415, "uploads need an Authorization header");
        assert_eq!(office.app.files.keys().await, Vec::<String>::new(), "{files:?}: nothing stored");
        assert_eq!(office.evidence_rows().await, 0);

        // A set over the limits, or holding another unit's file, writes no report and leaves
        // the staged files staged.
        let one = office.staged(&office.lead, "1.jpg", jpeg_of(600 * 1024)).await;
        let two = office.staged(&office.lead, "2.jpg", jpeg_of(600 * 1024)).await;
        let three = office.staged(&office.lead, "3.png", png()).await;
        let others = office.staged(&office.a, "a.png", png()).await;
        let sets: [(&[&Value], &str); 3] = [
            (&[&one, &three, &two], "TOO_MANY_FILES"),
            (&[&one, &two], "FILES_TOO_LARGE"),
            (&[&three, &others], "EVIDENCE_UNAVAILABLE"),
        ];
        for (set, expected) in sets {
            let ids: Vec<&Value> = set.iter().map(|e| &e["id"]).collect();
            let refused = office.app.graphql(REPORT, json!({ "t": office.task, "e": ids }), Some(&office.lead)).await;
            assert_eq!(refused.error_code(), Some("BAD_USER_INPUT"), "{files:?} {expected}");
            assert_eq!(refused.body["errors"][0]["extensions"]["reason"], expected, "{files:?}");
        }
        let reports = office
            .app
            .graphql(
                "query($id: ID!) { task(id: $id) { reports(first: 10) { totalCount } } }",
                json!({ "id": office.task }),
                Some(&office.admin),
            )
            .await;
        assert_eq!(reports.data()["task"]["reports"]["totalCount"], 0, "{files:?}: no report half written");
        let report = office.report(&office.lead, &[&one, &three]).await;
        assert_eq!(report["evidence"].as_array().unwrap().len(), 2, "the staged files are still there to use");
        let again =
            office.app.graphql(REPORT, json!({ "t": office.task, "e": [&one["id"]] }), Some(&office.lead)).await;
        assert_eq!(again.body["errors"][0]["extensions"]["reason"], "EVIDENCE_UNAVAILABLE", "a file backs one report");
        assert_eq!(office.app.files.keys().await.len(), 4);

        // Discarding: its own staged file only.
        let discard = "mutation($id: ID!) { discardEvidence(id: $id) { id } }";
        let theirs = office.app.graphql(discard, json!({ "id": others["id"] }), Some(&office.lead)).await;
        assert_eq!(theirs.error_code(), Some("NOT_FOUND"));
        let attached = office.app.graphql(discard, json!({ "id": one["id"] }), Some(&office.lead)).await;
        assert_eq!(attached.error_code(), Some("INVALID_STATE"));
        office.app.graphql(discard, json!({ "id": two["id"] }), Some(&office.lead)).await.data();
        assert_eq!(office.app.files.keys().await.len(), 3, "{files:?}: the discarded file's object is gone");
        assert_eq!(office.download(Some(&office.lead), &two).await.status, 404);
    }
}

#[tokio::test]
async fn the_sweep_removes_stale_staged_files_and_objects_no_row_names() {
    for files in BACKENDS {
        let office = Office::new(files, |_| {}).await;
        office.app.set_today("2026-03-02");
        let kept = office.staged(&office.lead, "kept.png", png()).await;
        office.report(&office.lead, &[&kept]).await;
        office.staged(&office.a, "forgotten.png", png()).await;
        office.app.files.put_stray("evidence/2026/03/left-by-a-crash", b"half").await;
        let sweep =
            || async { office.app.raw(office.app.client.post(office.app.url("/__test/sweep-evidence"))).await.json() };
        // The same day: the staged file is kept, the stray object goes.
        assert_eq!(sweep().await, json!({ "staged": 0, "orphans": 1 }), "{files:?}");
        assert_eq!(office.app.files.keys().await.len(), 2);
        // Two days later the forgotten staged file goes too; the attached one stays.
        office.app.set_today("2026-03-04");
        assert_eq!(sweep().await, json!({ "staged": 1, "orphans": 0 }), "{files:?}");
        assert_eq!(office.app.files.keys().await.len(), 1);
        assert_eq!(office.evidence_rows().await, 1);
        assert_eq!(office.download(Some(&office.b), &kept).await.status, 200);
    }
}

#[tokio::test]
async fn completion_reports_answers_and_responses_carry_evidence() {
    for files in BACKENDS {
        let office = Office::new(files, |c| c.evidence.allow_archives = true).await;
        let app = &office.app;
        // An archive, allowed by this office, backs the answer to an urging.
        let a_unit = app.graphql("{ viewer { department { id } } }", json!({}), Some(&office.a)).await.data()["viewer"]
            ["department"]["id"]
            .clone();
        let urged = app
            .graphql(
                "mutation($t: ID!, $d: [ID!]!) { urge(input: { taskIds: [$t], departmentIds: $d, text: \"请报送佐证材料\" }) { id department { id } } }",
                json!({ "t": office.task, "d": [&a_unit] }),
                Some(&office.admin),
            )
            .await;
        let urging = urged.data()["urge"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["department"]["id"] == a_unit)
            .expect("a is urged")["id"]
            .clone();
        let zip = b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01\0\0\0a".to_vec();
        let archive = office.staged(&office.a, "台账.zip", zip).await;
        assert_eq!(archive["contentType"], "application/zip");
        let answer = "mutation($u: ID!, $e: [ID!]) { answerUrging(urgingId: $u, text: \"已补充\", evidence: $e) { answerEvidence { id } } }";
        let answered = app.graphql(answer, json!({ "u": urging, "e": [&archive["id"]] }), Some(&office.a)).await;
        assert_eq!(answered.data()["answerUrging"]["answerEvidence"][0]["id"], archive["id"]);
        // An urging is between the office and the urged unit: the lead does not read its files.
        assert_eq!(office.download(Some(&office.a), &archive).await.status, 200);
        assert_eq!(office.download(Some(&office.lead), &archive).await.status, 403);
        assert_eq!(office.download(Some(&office.leader), &archive).await.status, 200);

        let instructed = app
            .graphql(
                "mutation($t: ID!) { instruct(taskId: $t, text: \"请附照片\") { id } }",
                json!({ "t": office.task }),
                Some(&office.leader),
            )
            .await;
        let instruction = instructed.data()["instruct"]["id"].clone();
        let photo = office.staged(&office.lead, "落实.png", png()).await;
        let respond = "mutation($i: ID!, $e: [ID!]) { respondToInstruction(instructionId: $i, text: \"已落实\", evidence: $e) { evidence { id } } }";
        let responded =
            app.graphql(respond, json!({ "i": instruction, "e": [&photo["id"]] }), Some(&office.lead)).await;
        assert_eq!(responded.data()["respondToInstruction"]["evidence"][0]["id"], photo["id"]);
        assert_eq!(
            office.download(Some(&office.b), &photo).await.status,
            200,
            "whoever sees the task reads the response"
        );

        office.report(&office.lead, &[]).await;
        let version = app
            .graphql("query($id: ID!) { task(id: $id) { version } }", json!({ "id": office.task }), Some(&office.admin))
            .await;
        let version = version.data()["task"]["version"].clone();
        let signed = office.staged(&office.lead, "验收单.pdf", pdf()).await;
        let complete = "mutation($t: ID!, $v: Int!, $e: [ID!]) { submitCompletion(taskId: $t, text: \"已办结\", expectedVersion: $v, evidence: $e) { id evidence { fileName } } }";
        let completed = app
            .graphql(complete, json!({ "t": office.task, "v": version, "e": [&signed["id"]] }), Some(&office.lead))
            .await;
        assert_eq!(completed.data()["submitCompletion"]["evidence"][0]["fileName"], "验收单.pdf");
        assert_eq!(office.download(Some(&office.b), &signed).await.status, 200);
        assert_eq!(office.download(Some(&office.outsider), &signed).await.status, 404);
        let seen = app
            .graphql(
                "query($id: ID!) { task(id: $id) { completionReports { evidence { id } } timeline { code evidenceCount } } }",
                json!({ "id": office.task }),
                Some(&office.admin),
            )
            .await;
        assert_eq!(seen.data()["task"]["completionReports"][0]["evidence"][0]["id"], signed["id"]);
        let counted: Vec<(String, i64)> = seen.data()["task"]["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["evidenceCount"].as_i64() != Some(0))
            .map(|l| (l["code"].as_str().unwrap().to_owned(), l["evidenceCount"].as_i64().unwrap()))
            .collect();
        // The lead's report without files counts none.
        let expected = [("URGING_ANSWERED", 1), ("INSTRUCTION_RESPONDED", 1), ("COMPLETION_SUBMITTED", 1)];
        assert_eq!(counted, expected.map(|(c, n)| (c.to_owned(), n)).to_vec(), "{files:?}");
    }
}

/// The root fields this module's role table covers (the authorization matrix counts them).
pub const ROOT_FIELDS: [&str; 2] = ["uploadEvidence", "discardEvidence"];

/// Uploading, discarding and downloading × the nine identities of the authorization matrix, on
/// task 14 (县民政局 leads; 县卫生局 and 县发展和改革局, the service's unit, support; 县司法局 is not
/// on it). Uploads are multipart, so this table runs them itself rather than through the
/// matrix runner.
#[tokio::test]
async fn who_may_upload_discard_and_download_evidence() {
    use crate::cast::{Cast, Who, task_ids};
    let app = spawn_app_with(AppOptions::default()).await;
    let cast = Cast::arrange(&app).await;
    let task = task_ids(&app, cast.admin()).await[&14].clone();
    let lead = cast.token(Who::Lead).unwrap().to_owned();
    app.sign_for(&lead, &task).await;
    let upload = |token: Option<&str>| app.raw(upload_request(&app, token, UPLOAD, json!({}), "照片.png", png()));
    let staged = |response: RawResponse| response.json()["data"]["uploadEvidence"].clone();
    let backing = staged(upload(Some(&lead)).await);
    app.graphql(REPORT, json!({ "t": task, "e": [&backing["id"]] }), Some(&lead)).await.data();

    // (who, upload: HTTP status and code, discard of the lead's staged file: code, download of
    // the lead's report's photo: HTTP status)
    let table = [
        (Who::Anonymous, (415, None), Some("UNAUTHENTICATED"), 401),
        (Who::Admin, (200, Some("FORBIDDEN")), Some("FORBIDDEN"), 200),
        (Who::Leader, (200, Some("FORBIDDEN")), Some("FORBIDDEN"), 200),
        (Who::Lead, (200, None), None, 200),
        (Who::Supporting, (200, None), Some("NOT_FOUND"), 200),
        (Who::Unrelated, (200, None), Some("NOT_FOUND"), 404),
        (Who::Service, (200, None), Some("NOT_FOUND"), 200),
        (Who::Expired, (401, Some("UNAUTHENTICATED")), Some("UNAUTHENTICATED"), 401),
        (Who::Revoked, (401, Some("UNAUTHENTICATED")), Some("UNAUTHENTICATED"), 401),
    ];
    assert_eq!(table.map(|row| row.0), Who::ALL);
    for (who, (upload_status, upload_code), discard_code, download_status) in table {
        let token = cast.token(who);
        let uploaded = upload(token).await;
        assert_eq!(uploaded.status, upload_status, "{who:?} uploads: {}", uploaded.text);
        if uploaded.status == 200 {
            assert_eq!(reason(&uploaded).0.as_deref(), upload_code, "{who:?} uploads");
            if upload_code.is_none() {
                assert_eq!(staged(uploaded)["attached"], false, "{who:?}");
            }
        } else if let Some(code) = upload_code {
            assert_eq!(uploaded.error_code().as_deref(), Some(code), "{who:?} uploads");
        }

        let lead_file = staged(upload(Some(&lead)).await);
        let discard = "mutation($id: ID!) { discardEvidence(id: $id) { id } }";
        let discarded = app.graphql(discard, json!({ "id": lead_file["id"] }), token).await;
        assert_eq!(discarded.error_code(), discard_code, "{who:?} discards the lead's staged file");

        let id = backing["id"].as_str().unwrap();
        let request = app.client.get(app.url(&format!("/files/{id}")));
        let request = match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        };
        let downloaded = app.raw(request).await;
        assert_eq!(downloaded.status, download_status, "{who:?} downloads the lead's photo: {}", downloaded.text);
    }
}
