//! The file routes in the authorization matrix: uploading a plan (`importPlan(file:)` as a
//! multipart request) and downloading the division table (`.xlsx`, `.csv`), for all nine
//! identities. A download holds exactly the tasks the identity sees through GraphQL.

use crate::cast::{Cast, Who};
use crate::export::{csv_of, document_id, download, sheet_of, table_of};
use crate::reference_plan::{FAGAI, MINZHENG, SIFA, WEISHENG, assigned};
use crate::upload::{IMPORT_FILE, upload_request};
use duban::import::read::samples;
use duban_tests::spawn_app;
use serde_json::json;

/// What an identity gets from a file route.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// 200 with the tasks of these plan numbers.
    Rows(Vec<i32>),
    /// This HTTP status and `extensions.code`.
    Refused(u16, &'static str),
}

fn every_task() -> Vec<i32> {
    (1..=26).collect()
}

#[tokio::test]
async fn file_routes_follow_the_authorization_matrix() {
    let app = spawn_app().await;
    let cast = Cast::arrange(&app).await;
    let unauthenticated = Outcome::Refused(401, "UNAUTHENTICATED");
    let forbidden = Outcome::Refused(200, "FORBIDDEN");
    let downloads: [Outcome; 9] = [
        unauthenticated.clone(),
        Outcome::Rows(every_task()),
        Outcome::Rows(every_task()),
        Outcome::Rows(assigned(MINZHENG)),
        Outcome::Rows(assigned(WEISHENG)),
        Outcome::Rows(assigned(SIFA)),
        Outcome::Rows(assigned(FAGAI)),
        unauthenticated.clone(),
        unauthenticated.clone(),
    ];
    // A multipart request without a token is refused before it is read (a browser may send
    // one cross-site without asking first).
    let uploads: [Outcome; 9] = [
        Outcome::Refused(415, "BAD_REQUEST"),
        Outcome::Rows(every_task()),
        forbidden.clone(),
        forbidden.clone(),
        forbidden.clone(),
        forbidden.clone(),
        forbidden,
        unauthenticated.clone(),
        unauthenticated,
    ];

    let id = document_id(&app, cast.admin()).await;
    let mut failures = Vec::new();
    for (who, (want_download, want_upload)) in Who::ALL.into_iter().zip(downloads.iter().zip(&uploads)) {
        let token = cast.token(who);
        for ext in ["xlsx", "csv"] {
            let (status, headers, bytes) = download(&app, &id, ext, token).await;
            let got = if status == 200 {
                let rows = match ext {
                    "xlsx" => table_of(&sheet_of(bytes)).1,
                    _ => csv_of(&bytes).split_off(1),
                };
                Outcome::Rows(rows.iter().map(|r| r[0].parse().expect("a plan number")).collect())
            } else {
                let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
                let code = body["errors"][0]["extensions"]["code"].as_str().unwrap_or("?").to_owned();
                if status == 401 {
                    assert_eq!(headers.get("www-authenticate").and_then(|v| v.to_str().ok()), Some("Bearer"));
                }
                Outcome::Refused(status, if code == "UNAUTHENTICATED" { "UNAUTHENTICATED" } else { "?" })
            };
            if &got != want_download {
                failures.push(format!("{who:?} GET division-table.{ext}: got {got:?}, want {want_download:?}"));
            }
        }
        if let Outcome::Rows(rows) = want_download {
            // The same tasks the identity's GraphQL view lists.
            let listed = app
                .graphql(
                    "query($d: ID!) { tasks(filter: { documentId: $d }, first: 100) { nodes { seq } } }",
                    json!({ "d": id }),
                    token,
                )
                .await;
            let seqs: Vec<i32> = listed.data()["tasks"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["seq"].as_i64().unwrap() as i32)
                .collect();
            if &seqs != rows {
                failures.push(format!("{who:?}: the download is not its GraphQL view ({seqs:?})"));
            }
        }

        let request = upload_request(
            &app,
            token,
            IMPORT_FILE,
            json!({ "d": true, "r": true }),
            "plan.docx",
            samples::reference_docx(),
        );
        let response = app.raw(request).await;
        let got = match response.error_code() {
            None if response.status == 200 => {
                let tasks = response.json()["data"]["importPlan"]["tasks"].as_array().map_or(0, Vec::len);
                Outcome::Rows((1..=tasks as i32).collect())
            }
            code => {
                let code = match code.as_deref() {
                    Some("UNAUTHENTICATED") => "UNAUTHENTICATED",
                    Some("FORBIDDEN") => "FORBIDDEN",
                    Some("BAD_REQUEST") => "BAD_REQUEST",
                    _ => "?",
                };
                Outcome::Refused(response.status, code)
            }
        };
        if &got != want_upload {
            failures.push(format!("{who:?} importPlan(file:): got {got:?}, want {want_upload:?}: {}", response.text));
        }
    }
    assert!(failures.is_empty(), "{} of 27 cases failed:\n{}", failures.len(), failures.join("\n"));
    let documents = app.graphql("{ documents { totalCount } }", json!({}), Some(cast.admin())).await;
    assert_eq!(documents.data()["documents"]["totalCount"], 1, "dry runs wrote nothing");
}
