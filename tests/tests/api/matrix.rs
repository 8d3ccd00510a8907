//! Runs an authorization case table: one operation per row, one expected outcome per
//! identity column, every case checked and every failure reported together.

use crate::cast::{Cast, Who};
use duban_tests::{GqlResponse, TestApp};
use serde_json::{Value, json};
use std::collections::HashMap;

/// What one identity should get from one operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    /// No error; the operation's rows are exactly these.
    Rows(Vec<String>),
    /// No error; the root field is null (anonymous `viewer`, a task the viewer may not see).
    Null,
    /// One error with this `extensions.code`, and no data for the field.
    Code(&'static str),
    /// HTTP 401, `WWW-Authenticate: Bearer`, code UNAUTHENTICATED, no data.
    Refused,
}

pub const UNAUTHENTICATED: Expect = Expect::Code("UNAUTHENTICATED");
pub const FORBIDDEN: Expect = Expect::Code("FORBIDDEN");
pub const NOT_FOUND: Expect = Expect::Code("NOT_FOUND");
pub const REFUSED: Expect = Expect::Refused;
pub const NULL: Expect = Expect::Null;

/// Success with these rows.
pub fn ok(rows: &[&str]) -> Expect {
    Expect::Rows(rows.iter().map(|r| (*r).to_owned()).collect())
}

/// Success with these task seqs.
pub fn tasks(seqs: &[i32]) -> Expect {
    Expect::Rows(seqs.iter().map(i32::to_string).collect())
}

/// One GraphQL operation as the matrix calls it.
pub struct Op {
    /// The root field, as in schema.graphql.
    pub name: &'static str,
    pub query: &'static str,
    /// Variables for one identity (names made unique per identity where a write creates).
    pub vars: fn(&Fixture, Who) -> Value,
    /// The rows a successful call returned, from `data[name]`.
    pub rows: fn(&Value) -> Vec<String>,
    /// Key in [`Fixture::ids`] of a task whose current version `vars` reads from
    /// [`Fixture::version`].
    pub versioned: Option<&'static str>,
}

/// One row of a table: an operation and the outcome for each identity, in [`Who::ALL`] order.
pub struct Case {
    pub op: Op,
    pub expect: [Expect; 9],
}

/// The identities and the rows the operations act on.
pub struct Fixture {
    pub cast: Cast,
    pub ids: HashMap<&'static str, String>,
    /// Version of the `versioned` task just before the case runs.
    pub version: i64,
}

impl Fixture {
    /// The id arranged under `key`.
    pub fn id(&self, key: &str) -> &str {
        self.ids.get(key).unwrap_or_else(|| panic!("nothing arranged as {key}"))
    }

    /// A department id by canonical name (see [`Cast`]).
    pub fn department(&self, name: &str) -> &str {
        &self.cast.departments[name]
    }
}

/// Runs every case, refreshing credentials an operation revoked, and panics with every
/// failure at once. Returns the number of cases run.
pub async fn run(app: &TestApp, fixture: &mut Fixture, cases: Vec<Case>) -> usize {
    let mut failures = Vec::new();
    let mut count = 0;
    for case in cases {
        for (who, expect) in Who::ALL.into_iter().zip(case.expect.iter()) {
            if let Some(key) = case.op.versioned {
                fixture.version = current_version(app, fixture, key).await;
            }
            let vars = (case.op.vars)(fixture, who);
            let entries = app.audit_entries().await;
            let response = app.graphql(case.op.query, vars, fixture.cast.token(who)).await;
            let written = app.audit_entries().await - entries;
            if let Err(why) = check(&case.op, expect, &response).and_then(|()| check_trail(&case.op, expect, written)) {
                failures.push(format!("{} as {who:?}: {why}\n    response: {}", case.op.name, response.body));
            }
            restore_credentials(app, fixture, &case.op, who, &response).await;
            count += 1;
        }
    }
    assert!(failures.is_empty(), "{} of {count} cases failed:\n{}", failures.len(), failures.join("\n"));
    count
}

fn check(op: &Op, expect: &Expect, response: &GqlResponse) -> Result<(), String> {
    let field = &response.body["data"][op.name];
    let no_data = response.body["data"].is_null() || field.is_null();
    match expect {
        Expect::Refused => {
            ensure(response.status == 401, format!("HTTP {} instead of 401", response.status))?;
            let challenge = response.www_authenticate.as_deref().unwrap_or_default();
            ensure(challenge.starts_with("Bearer"), format!("WWW-Authenticate is {challenge:?}"))?;
            ensure(response.error_codes() == ["UNAUTHENTICATED"], format!("codes {:?}", response.error_codes()))?;
            ensure(response.body["data"].is_null(), "data leaked with a refused token".into())
        }
        Expect::Code(code) => {
            ensure(response.status != 401, "HTTP 401 for a request the token was fine for".into())?;
            ensure(
                response.error_codes() == [*code],
                format!("codes {:?} instead of [{code}]", response.error_codes()),
            )?;
            ensure(no_data, format!("data came back with the error: {field}"))
        }
        Expect::Null => {
            no_errors(response)?;
            ensure(field.is_null(), format!("{field} instead of null"))
        }
        Expect::Rows(rows) => {
            no_errors(response)?;
            ensure(!field.is_null(), "null instead of rows".into())?;
            let got = (op.rows)(field);
            ensure(&got == rows, format!("rows {got:?} instead of {rows:?}"))
        }
    }
}

/// Every successful write leaves at least one entry on the audit trail; a refused one, a read
/// and a dry run leave none.
fn check_trail(op: &Op, expect: &Expect, written: i64) -> Result<(), String> {
    let write = op.query.trim_start().starts_with("mutation") && !op.query.contains("dryRun: true");
    match expect {
        Expect::Rows(_) | Expect::Null if write => {
            ensure(written > 0, "a successful write left nothing on the audit trail".into())
        }
        _ => ensure(written == 0, format!("{written} audit entries for a read or a refusal")),
    }
}

fn no_errors(response: &GqlResponse) -> Result<(), String> {
    ensure(response.status == 200, format!("HTTP {}", response.status))?;
    let errors = &response.body["errors"];
    ensure(errors.is_null(), format!("errors {:?}", response.error_codes()))
}

fn ensure(condition: bool, why: String) -> Result<(), String> {
    if condition { Ok(()) } else { Err(why) }
}

/// `changePassword` and `logoutEverywhere` revoke the caller's own token: carry on with a
/// fresh one so the following cases test authorization, not revocation.
async fn restore_credentials(app: &TestApp, fixture: &mut Fixture, op: &Op, who: Who, response: &GqlResponse) {
    if !response.body["errors"].is_null() {
        return;
    }
    match (op.name, who) {
        ("changePassword", who) if who.has_session() => {
            let token = response.body["data"]["changePassword"]["token"].as_str().expect("new session");
            fixture.cast.set_token(who, token.to_owned());
        }
        ("logoutEverywhere", who) if who.has_session() => fixture.cast.sign_in(app, who).await,
        ("logoutEverywhere", Who::Service) => {
            let (secret, _) = fixture.cast.new_service_token(app, "after logoutEverywhere").await;
            fixture.cast.set_token(Who::Service, secret);
        }
        _ => {}
    }
}

async fn current_version(app: &TestApp, fixture: &Fixture, key: &str) -> i64 {
    let found = app
        .graphql(
            "query($id: ID!) { task(id: $id) { version } }",
            json!({ "id": fixture.id(key) }),
            fixture.cast.token(Who::Admin),
        )
        .await;
    found.data()["task"]["version"].as_i64().expect("version")
}
