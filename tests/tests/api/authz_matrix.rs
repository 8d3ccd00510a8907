//! The authorization matrix: every query and mutation of schema.graphql × nine identities
//! (see [`Who`]), one table row per operation, one expected outcome per identity. Reads assert
//! exactly which rows come back; refusals assert `extensions.code`; bad tokens assert HTTP 401
//! with `WWW-Authenticate: Bearer`. One app per table keeps the matrix fast.

use crate::cast::{Cast, Who, nodes, seqs, str_of, task_ids};
use crate::matrix::{Case, Expect, FORBIDDEN, Fixture, NOT_FOUND, NULL, Op, REFUSED, UNAUTHENTICATED, ok, run, tasks};
use crate::reference_plan::{FAGAI, MINZHENG, SIFA, WEISHENG, assigned, both};
use duban::bootstrap::SAMPLE_PLAN;
use duban_tests::{TestApp, spawn_app};
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap};

const DOC_NUMBER: &str = "盘县政办发〔2014〕103号";

pub fn op(
    name: &'static str,
    query: &'static str,
    vars: fn(&Fixture, Who) -> Value,
    rows: fn(&Value) -> Vec<String>,
) -> Op {
    Op { name, query, vars, rows, versioned: None }
}

pub fn case(op: Op, expect: [Expect; 9]) -> Case {
    Case { op, expect }
}

pub fn no_vars(_: &Fixture, _: Who) -> Value {
    json!({})
}

/// A name unique to the identity, for writes that create something.
pub fn named(prefix: &str, who: Who) -> String {
    format!("{prefix}-{who:?}")
}

fn seq_rows(connection: &Value) -> Vec<String> {
    seqs(connection).iter().map(i32::to_string).collect()
}

fn node_field(connection: &Value, field: &str) -> Vec<String> {
    nodes(connection).iter().map(|n| str_of(&n[field])).collect()
}

pub fn fields(value: &Value, names: &[&str]) -> Vec<String> {
    names.iter().map(|f| value[*f].as_str().map_or_else(|| value[*f].to_string(), str::to_owned)).collect()
}

/// The row of an admin-only write: the admin gets `rows`, anonymous callers UNAUTHENTICATED,
/// every other signed-in identity FORBIDDEN, bad tokens 401.
pub fn admin_only(rows: &[&str]) -> [Expect; 9] {
    [UNAUTHENTICATED, ok(rows), FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REFUSED, REFUSED]
}

#[rustfmt::skip]
fn query_cases() -> Vec<Case> {
    let all: Vec<i32> = (1..=26).collect();
    let (m, w, s, f) = (assigned(MINZHENG), assigned(WEISHENG), assigned(SIFA), assigned(FAGAI));
    let seen = |rows: &[i32]| tasks(rows);
    vec![
        //                                anonymous        admin             leader            lead unit (民政)     supporting (卫生)    unrelated (司法)   service (发改)           expired  revoked
        case(op("viewer", "{ viewer { username } }", no_vars, |d| fields(d, &["username"])),
                                          [NULL,            ok(&["admin"]),   ok(&["leader"]),  ok(&["minzheng"]),   ok(&["weisheng"]),   ok(&["sifa"]),     ok(&["fagai-system"]),   REFUSED, REFUSED]),
        case(op("tasks", "{ tasks(first: 100) { nodes { seq } } }", no_vars, seq_rows),
                                          [UNAUTHENTICATED, seen(&all),       seen(&all),       seen(&m),            seen(&w),            seen(&s),          seen(&f),                REFUSED, REFUSED]),
        case(op("task", "query($id: ID!) { task(id: $id) { seq } }", |f, _| json!({ "id": f.id("task 4") }), |d| vec![d["seq"].to_string()]),
                                          [UNAUTHENTICATED, ok(&["4"]),       ok(&["4"]),       NULL,                NULL,                NULL,              ok(&["4"]),              REFUSED, REFUSED]),
        case(op("documents", "{ documents { nodes { docNumber } } }", no_vars, |d| node_field(d, "docNumber")),
                                          [UNAUTHENTICATED, ok(&[DOC_NUMBER]), ok(&[DOC_NUMBER]), ok(&[DOC_NUMBER]), ok(&[DOC_NUMBER]), ok(&[DOC_NUMBER]), ok(&[DOC_NUMBER]), REFUSED, REFUSED]),
        case(op("document", "query($id: ID!) { document(id: $id) { tasks(first: 100) { nodes { seq } } } }", |f, _| json!({ "id": f.id("plan") }), |d| seq_rows(&d["tasks"])),
                                          [UNAUTHENTICATED, seen(&all),       seen(&all),       seen(&m),            seen(&w),            seen(&s),          seen(&f),                REFUSED, REFUSED]),
        case(op("departments", "{ departments(filter: { kind: GROUP }) { nodes { name } } }", no_vars, |d| node_field(d, "name")),
                                          [UNAUTHENTICATED, ok(&GROUPS),      ok(&GROUPS),      ok(&GROUPS),         ok(&GROUPS),         ok(&GROUPS),       ok(&GROUPS),             REFUSED, REFUSED]),
        // 县卫生局's tasks, as far as each viewer may see them.
        case(op("department", "query($id: ID!) { department(id: $id) { tasks(first: 100) { nodes { seq } } } }", |f, _| json!({ "id": f.department("县卫生局") }), |d| seq_rows(&d["tasks"])),
                                          [UNAUTHENTICATED, seen(&w),         seen(&w),         seen(&both(&w, &m)), seen(&w),            seen(&both(&w, &s)), seen(&both(&w, &f)), REFUSED, REFUSED]),
        case(op("policyEvents", "{ policyEvents { title } }", no_vars, |d| d.as_array().into_iter().flatten().map(|e| str_of(&e["title"])).collect()),
                                          [UNAUTHENTICATED, ok(&[EVENT]),     ok(&[EVENT]),     ok(&[EVENT]),        ok(&[EVENT]),        ok(&[EVENT]),      ok(&[EVENT]),            REFUSED, REFUSED]),
        case(op("users", "{ users { username } }", no_vars, |d| d.as_array().into_iter().flatten().map(|u| str_of(&u["username"])).collect::<BTreeSet<_>>().into_iter().collect()),
                                          [UNAUTHENTICATED, ok(&USERNAMES),   FORBIDDEN,        FORBIDDEN,           FORBIDDEN,           FORBIDDEN,         FORBIDDEN,               REFUSED, REFUSED]),
    ]
}

const GROUPS: [&str; 2] = ["各镇人民政府", "各镇有关部门"];
const EVENT: &str = "国务院关于社会救助的意见";
const USERNAMES: [&str; 8] = ["admin", "fagai-system", "lapsed", "leader", "minzheng", "revoked", "sifa", "weisheng"];

#[tokio::test]
async fn every_query_follows_the_authorization_matrix() {
    let app = spawn_app().await;
    let cast = Cast::arrange(&app).await;
    let ids = task_ids(&app, cast.admin()).await;
    let plan = plan_id(&app, cast.admin()).await;
    let event = json!({ "level": "NATIONAL", "title": EVENT, "issuedOn": "2015-01-01", "documentId": plan });
    let recorded = app
        .graphql(
            "mutation($i: PolicyEventInput!) { recordPolicyEvent(input: $i) { event { id } } }",
            json!({ "i": event }),
            Some(cast.admin()),
        )
        .await;
    recorded.data();
    let ids = HashMap::from([("task 4", ids[&4].clone()), ("plan", plan)]);
    let mut fixture = Fixture { cast, ids, version: 0 };

    let count = run(&app, &mut fixture, query_cases()).await;

    assert_eq!(count, 9 * 9);
}

#[rustfmt::skip]
fn account_cases() -> Vec<Case> {
    let everyone = |rows: [Expect; 7]| {
        let [anonymous, admin, leader, lead, supporting, unrelated, service] = rows;
        [anonymous, admin, leader, lead, supporting, unrelated, service, REFUSED, REFUSED]
    };
    vec![
        //                                anonymous        admin              leader             lead unit            supporting           unrelated        service
        case(op("login", "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { user { username } } }",
                |_, _| json!({ "u": "leader", "p": Who::Leader.password() }), |d| fields(&d["user"], &["username"])),
             everyone([ok(&["leader"]),  ok(&["leader"]),   ok(&["leader"]),   ok(&["leader"]),     ok(&["leader"]),     ok(&["leader"]), ok(&["leader"])])),
        case(op("changePassword", "mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) { token user { username } } }",
                |_, who| json!({ "o": who.password(), "n": who.password() }), |d| fields(&d["user"], &["username"])),
             everyone([UNAUTHENTICATED, ok(&["admin"]),    ok(&["leader"]),   ok(&["minzheng"]),   ok(&["weisheng"]),   ok(&["sifa"]),   ok(&["fagai-system"])])),
        case(op("createUser", "mutation($i: CreateUserInput!) { createUser(input: $i) { username } }",
                |f, who| json!({ "i": { "username": named("made-by", who), "password": "made-password-1", "role": "DEPARTMENT", "departmentId": f.department("县审计局") } }),
                |d| fields(d, &["username"])),
             admin_only(&["made-by-admin"])),
        case(op("updateUser", "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { username department { name } } }",
                |f, _| json!({ "id": f.id("to-update"), "i": { "departmentId": f.department("县司法局") } }),
                |d| vec![str_of(&d["username"]), str_of(&d["department"]["name"])]),
             admin_only(&["to-update", "县司法局"])),
        case(op("deactivateUser", "mutation($id: ID!) { deactivateUser(id: $id) { username active } }",
                |f, _| json!({ "id": f.id("to-deactivate") }), |d| fields(d, &["username", "active"])),
             admin_only(&["to-deactivate", "false"])),
        case(op("resetPassword", "mutation($id: ID!, $p: String!) { resetPassword(id: $id, newPassword: $p) { username } }",
                |f, _| json!({ "id": f.id("to-reset"), "p": "a-brand-new-password" }), |d| fields(d, &["username"])),
             admin_only(&["to-reset"])),
        case(op("createServiceToken", "mutation($u: ID!, $n: String!) { createServiceToken(userId: $u, name: $n) { serviceToken { name revokedAt } } }",
                |f, who| json!({ "u": f.cast.user_ids[&Who::Service], "n": named("issued-to", who) }), |d| fields(&d["serviceToken"], &["name", "revokedAt"])),
             admin_only(&["issued-to-Admin", "null"])),
        case(op("revokeServiceToken", "mutation($id: ID!) { revokeServiceToken(id: $id) { name } }",
                |f, _| json!({ "id": f.id("spare token") }), |d| fields(d, &["name"])),
             admin_only(&["spare"])),
        // Last: it revokes the caller's credentials (the runner signs each identity in again).
        case(op("logoutEverywhere", "mutation { logoutEverywhere }", no_vars, |d| vec![d.to_string()]),
             everyone([UNAUTHENTICATED, ok(&["true"]),     ok(&["true"]),     ok(&["true"]),       ok(&["true"]),       ok(&["true"]),   ok(&["true"])])),
    ]
}

#[tokio::test]
async fn account_mutations_follow_the_authorization_matrix() {
    let app = spawn_app().await;
    let cast = Cast::arrange(&app).await;
    let audit = cast.departments["县审计局"].clone();
    let mut ids = HashMap::new();
    for name in ["to-update", "to-deactivate", "to-reset"] {
        ids.insert(name, app.create_account(cast.admin(), name, "DEPARTMENT", Some(&audit)).await);
    }
    ids.insert("spare token", cast.new_service_token(&app, "spare").await.1);
    let mut fixture = Fixture { cast, ids, version: 0 };

    let count = run(&app, &mut fixture, account_cases()).await;

    assert_eq!(count, 9 * 9);
}

#[rustfmt::skip]
fn admin_write_cases() -> Vec<Case> {
    vec![
        case(op("createDepartment", "mutation($i: DepartmentInput!) { createDepartment(input: $i) { name } }",
                |_, who| json!({ "i": { "name": named("新设单位", who) } }), |d| fields(d, &["name"])),
             admin_only(&["新设单位-Admin"])),
        case(op("updateDepartment", "mutation($id: ID!, $i: DepartmentInput!) { updateDepartment(id: $id, input: $i) { name } }",
                |f, _| json!({ "id": f.id("待改名单位"), "i": { "name": "已改名单位" } }), |d| fields(d, &["name"])),
             admin_only(&["已改名单位"])),
        case(op("addDepartmentAlias", "mutation($id: ID!, $a: String!) { addDepartmentAlias(id: $id, alias: $a) { aliases } }",
                |f, who| json!({ "id": f.id("有别名单位"), "a": named("别名", who) }), |d| d["aliases"].as_array().into_iter().flatten().map(str_of).collect()),
             admin_only(&["别名-Admin"])),
        case(op("mergeDepartments", "mutation($f: ID!, $t: ID!) { mergeDepartments(fromId: $f, intoId: $t) { name aliases } }",
                |f, _| json!({ "f": f.id("并入甲"), "t": f.id("并入乙") }), |d| vec![str_of(&d["name"]), d["aliases"].to_string()]),
             admin_only(&["并入乙", r#"["并入甲"]"#])),
        case(op("setGroupMembers", "mutation($g: ID!, $m: [ID!]!) { setGroupMembers(groupId: $g, memberIds: $m) { name } }",
                |f, _| json!({ "g": f.id("测试组"), "m": [f.department("县审计局")] }), |d| fields(d, &["name"])),
             admin_only(&["测试组"])),
        case(op("createDocument", "mutation($i: DocumentInput!) { createDocument(input: $i) { title } }",
                |_, who| json!({ "i": { "title": named("新文件", who) } }), |d| fields(d, &["title"])),
             admin_only(&["新文件-Admin"])),
        case(op("updateDocument", "mutation($id: ID!, $i: DocumentInput!) { updateDocument(id: $id, input: $i) { title issuer } }",
                |f, _| json!({ "id": f.id("草稿文件"), "i": { "issuer": "县政府办公室" } }), |d| fields(d, &["title", "issuer"])),
             admin_only(&["草稿文件", "县政府办公室"])),
        case(op("deleteDocument", "mutation($id: ID!) { deleteDocument(id: $id) }",
                |f, _| json!({ "id": f.id("待删文件") }), |d| vec![d.to_string()]),
             admin_only(&["true"])),
        case(op("createTask", "mutation($i: CreateTaskInput!) { createTask(input: $i) { seq title } }",
                |f, _| json!({ "i": { "documentId": f.id("草稿文件"), "seq": 1, "title": "新任务", "schedule": { "text": "持续实施", "kind": "ONGOING" } } }),
                |d| fields(d, &["seq", "title"])),
             admin_only(&["1", "新任务"])),
        case(Op { versioned: Some("草稿任务"), ..op("updateTask", "mutation($id: ID!, $v: Int!, $i: UpdateTaskInput!) { updateTask(id: $id, expectedVersion: $v, input: $i) { title } }",
                |f, _| json!({ "id": f.id("草稿任务"), "v": f.version, "i": { "title": "改后的任务" } }), |d| fields(d, &["title"])) },
             admin_only(&["改后的任务"])),
        case(op("deleteTask", "mutation($id: ID!) { deleteTask(id: $id) }",
                |f, _| json!({ "id": f.id("待删任务") }), |d| vec![d.to_string()]),
             admin_only(&["true"])),
        case(op("setTaskAssignments", "mutation($t: ID!, $a: [AssignmentInput!]!) { setTaskAssignments(taskId: $t, assignments: $a) { assignments { role department { name } } } }",
                |f, _| json!({ "t": f.id("草稿任务"), "a": [{ "departmentId": f.department("县审计局"), "role": "LEAD" }] }),
                |d| d["assignments"].as_array().into_iter().flatten().map(|a| format!("{} {}", str_of(&a["role"]), str_of(&a["department"]["name"]))).collect()),
             admin_only(&["LEAD 县审计局"])),
        case(op("importPlan", "mutation($t: String!) { importPlan(text: $t, dryRun: true) { dryRun tasks { seq } } }",
                |_, _| json!({ "t": SAMPLE_PLAN.replace("103號", "903號") }), |d| vec![d["dryRun"].to_string(), d["tasks"].as_array().map_or(0, Vec::len).to_string()]),
             admin_only(&["true", "26"])),
        case(op("recordPolicyEvent", "mutation($i: PolicyEventInput!) { recordPolicyEvent(input: $i) { event { title } } }",
                |f, who| json!({ "i": { "level": "NATIONAL", "title": named("国家政策", who), "issuedOn": "2015-01-01", "documentId": f.id("plan") } }),
                |d| fields(&d["event"], &["title"])),
             admin_only(&["国家政策-Admin"])),
    ]
}

#[tokio::test]
async fn admin_writes_follow_the_authorization_matrix() {
    let app = spawn_app().await;
    let cast = Cast::arrange(&app).await;
    let ids = arrange_admin_targets(&app, cast.admin()).await;
    let mut fixture = Fixture { cast, ids, version: 0 };

    let count = run(&app, &mut fixture, admin_write_cases()).await;

    assert_eq!(count, 14 * 9);
}

/// Throwaway rows for the admin writes to change, so the reference plan stays as it is.
async fn arrange_admin_targets(app: &TestApp, admin: &str) -> HashMap<&'static str, String> {
    let mut ids = HashMap::from([("plan", plan_id(app, admin).await)]);
    for (name, kind) in
        [("待改名单位", "UNIT"), ("有别名单位", "UNIT"), ("并入甲", "UNIT"), ("并入乙", "UNIT"), ("测试组", "GROUP")]
    {
        let made = app
            .graphql(
                "mutation($i: DepartmentInput!) { createDepartment(input: $i) { id } }",
                json!({ "i": { "name": name, "kind": kind } }),
                Some(admin),
            )
            .await;
        ids.insert(name, str_of(&made.data()["createDepartment"]["id"]));
    }
    for title in ["草稿文件", "待删文件"] {
        let made = app
            .graphql(
                "mutation($i: DocumentInput!) { createDocument(input: $i) { id } }",
                json!({ "i": { "title": title } }),
                Some(admin),
            )
            .await;
        ids.insert(title, str_of(&made.data()["createDocument"]["id"]));
    }
    for (key, seq) in [("草稿任务", 2), ("待删任务", 3)] {
        let input = json!({ "documentId": ids["草稿文件"], "seq": seq, "title": key, "schedule": { "text": "持续实施", "kind": "ONGOING" } });
        let made = app
            .graphql(
                "mutation($i: CreateTaskInput!) { createTask(input: $i) { id } }",
                json!({ "i": input }),
                Some(admin),
            )
            .await;
        ids.insert(key, str_of(&made.data()["createTask"]["id"]));
    }
    ids
}

#[rustfmt::skip]
fn follow_up_cases() -> Vec<Case> {
    vec![
        //                                anonymous        admin      leader     lead unit              supporting             unrelated  service                        expired  revoked
        case(op("submitReport", "mutation($t: ID!, $x: String!) { submitReport(taskId: $t, text: $x, percent: 10) { text department { name } } }",
                |f, who| json!({ "t": f.id("task 14"), "x": named("进展", who) }), |d| vec![str_of(&d["text"]), str_of(&d["department"]["name"])]),
             [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, ok(&["进展-Lead", "县民政局"]), ok(&["进展-Supporting", "县卫生局"]), NOT_FOUND, ok(&["进展-Service", "县发展和改革局"]), REFUSED, REFUSED]),
        case(Op { versioned: Some("task 14"), ..op("updateTaskStatus", "mutation($t: ID!, $v: Int!) { updateTaskStatus(taskId: $t, status: IN_PROGRESS, expectedVersion: $v) { status } }",
                |f, _| json!({ "t": f.id("task 14"), "v": f.version }), |d| fields(d, &["status"])) },
             [UNAUTHENTICATED, ok(&["IN_PROGRESS"]), FORBIDDEN, ok(&["IN_PROGRESS"]), FORBIDDEN, NOT_FOUND, FORBIDDEN, REFUSED, REFUSED]),
    ]
}

#[tokio::test]
async fn follow_up_mutations_follow_the_authorization_matrix() {
    let app = spawn_app().await;
    let cast = Cast::arrange(&app).await;
    let task = task_ids(&app, cast.admin()).await[&14].clone();
    // The units on task 14 sign for it first: only a signed unit reports.
    for who in [Who::Lead, Who::Supporting, Who::Service] {
        crate::authz_follow_up::sign(&app, &cast, who, &task).await;
    }
    let mut fixture = Fixture { cast, ids: HashMap::from([("task 14", task)]), version: 0 };

    let count = run(&app, &mut fixture, follow_up_cases()).await;

    assert_eq!(count, 2 * 9);
}

#[test]
fn the_matrix_covers_every_query_and_mutation_of_the_schema() {
    let schema =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql")).expect("schema.graphql");
    let mut in_schema: Vec<String> = root_fields(&schema, "Query");
    in_schema.extend(root_fields(&schema, "Mutation"));
    in_schema.sort();
    let tables = [
        query_cases(),
        account_cases(),
        admin_write_cases(),
        follow_up_cases(),
        crate::authz_follow_up::loop_query_cases(),
        crate::authz_follow_up::loop_mutation_cases(),
        crate::authz_trail::trail_query_cases(),
        crate::authz_trail::trail_mutation_cases(),
    ];
    let mut in_matrix: Vec<String> = tables.iter().flatten().map(|c| c.op.name.to_owned()).collect();
    // Multipart uploads have a role table of their own (`evidence::who_may_upload_…`).
    in_matrix.extend(crate::evidence::ROOT_FIELDS.map(str::to_owned));
    in_matrix.sort();

    assert_eq!(in_matrix, in_schema, "the matrix must name every root field once");
    assert_eq!(in_matrix.len(), 75);
}

/// Field names of `type NAME { ... }` in an SDL text (descriptions skipped).
fn root_fields(sdl: &str, type_name: &str) -> Vec<String> {
    let start = sdl.find(&format!("type {type_name} {{")).unwrap_or_else(|| panic!("no type {type_name}"));
    let body = &sdl[start..];
    let body = &body[..body.find("\n}").expect("end of type")];
    let mut in_description = false;
    let mut names = Vec::new();
    for raw in body.lines().skip(1) {
        // Arguments (described ones sit on lines of their own) and a field's closing `):`.
        if raw.starts_with("\t\t") || raw.starts_with("\t)") {
            continue;
        }
        let line = raw.trim();
        if line.starts_with("\"\"\"") {
            in_description = !(in_description || line.len() > 3 && line.ends_with("\"\"\""));
            continue;
        }
        if in_description || line.is_empty() {
            continue;
        }
        let end = line.find(['(', ':']).unwrap_or(line.len());
        names.push(line[..end].trim().to_owned());
    }
    names
}

/// A SERVICE account for 县发展和改革局 and a service token for it: (admin token, secret, token id).
async fn service_token(app: &TestApp) -> (String, String, String) {
    let admin = app.admin_token().await;
    let unit = app.department_id_as(&admin, "县发展和改革局").await;
    let user = app.create_account(&admin, "fagai-system", "SERVICE", Some(&unit)).await;
    let issued = app
        .graphql(
            "mutation($u: ID!) { createServiceToken(userId: $u, name: \"ledger\") { token serviceToken { id } } }",
            json!({ "u": user }),
            Some(&admin),
        )
        .await;
    let payload = &issued.data()["createServiceToken"];
    (admin, str_of(&payload["token"]), str_of(&payload["serviceToken"]["id"]))
}

#[tokio::test]
async fn a_revoked_service_token_stops_working_at_once() {
    let app = spawn_app().await;
    let (admin, secret, id) = service_token(&app).await;
    assert!(secret.starts_with("dbn_svc_"));
    let before = app.graphql("{ viewer { username role } }", json!({}), Some(&secret)).await;
    assert_eq!(before.data()["viewer"], json!({ "username": "fagai-system", "role": "SERVICE" }));

    let revoked = app
        .graphql("mutation($id: ID!) { revokeServiceToken(id: $id) { revokedAt } }", json!({ "id": id }), Some(&admin))
        .await;
    let after = app.graphql("{ viewer { username } }", json!({}), Some(&secret)).await;

    assert!(revoked.data()["revokeServiceToken"]["revokedAt"].is_string());
    assert_eq!((after.status, after.error_code()), (401, Some("UNAUTHENTICATED")));
    assert_eq!(after.www_authenticate.as_deref(), Some("Bearer"));
}

#[tokio::test]
async fn logout_everywhere_with_a_service_token_revokes_that_token() {
    let app = spawn_app().await;
    let (_, service, _) = service_token(&app).await;

    let out = app.graphql("mutation { logoutEverywhere }", json!({}), Some(&service)).await;
    let after = app.graphql("{ viewer { username } }", json!({}), Some(&service)).await;

    assert_eq!(out.data()["logoutEverywhere"], true);
    assert_eq!((after.status, after.error_code()), (401, Some("UNAUTHENTICATED")), "the doc says: this one included");
}

pub async fn plan_id(app: &TestApp, admin: &str) -> String {
    let listed = app.graphql("{ documents { nodes { id docNumber } } }", json!({}), Some(admin)).await;
    let plan =
        nodes(&listed.data()["documents"]).iter().find(|d| d["docNumber"] == DOC_NUMBER).expect("the reference plan");
    str_of(&plan["id"])
}
