//! The nine identities the authorization tests act as, arranged on one app over the
//! reference plan. On task 14 (`完善...医疗费用结算机制`) 县民政局 is the lead unit, 县卫生局
//! and 县发展和改革局 are supporting units, and 县司法局 is not assigned.

use duban_tests::{ADMIN_PASSWORD, TestApp, password_for, token_keys};
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use std::collections::HashMap;

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Who {
    /// No `Authorization` header.
    Anonymous,
    Admin,
    Leader,
    /// A 县民政局 account (the lead unit of task 14 and of most tasks).
    Lead,
    /// A 县卫生局 account (supporting on task 14, lead of task 15).
    Supporting,
    /// A 县司法局 account (only on task 26).
    Unrelated,
    /// A service token of a SERVICE account for 县发展和改革局 (supporting on task 14).
    Service,
    /// A correctly signed token of an active 县民政局 account whose `exp` has passed.
    Expired,
    /// A token of a 县民政局 account issued before it called `logoutEverywhere`.
    Revoked,
}

impl Who {
    /// Every identity, in the column order of the matrix tables.
    pub const ALL: [Who; 9] = [
        Who::Anonymous,
        Who::Admin,
        Who::Leader,
        Who::Lead,
        Who::Supporting,
        Who::Unrelated,
        Who::Service,
        Who::Expired,
        Who::Revoked,
    ];

    /// The account behind the identity.
    pub fn username(self) -> &'static str {
        match self {
            Who::Anonymous => "",
            Who::Admin => "admin",
            Who::Leader => "leader",
            Who::Lead => "minzheng",
            Who::Supporting => "weisheng",
            Who::Unrelated => "sifa",
            Who::Service => "fagai-system",
            Who::Expired => "lapsed",
            Who::Revoked => "revoked",
        }
    }

    /// Its password.
    pub fn password(self) -> String {
        match self {
            Who::Admin => ADMIN_PASSWORD.to_owned(),
            other => password_for(other.username()),
        }
    }

    /// True for identities that sign in with a password and carry a JWT.
    pub fn has_session(self) -> bool {
        matches!(self, Who::Admin | Who::Leader | Who::Lead | Who::Supporting | Who::Unrelated)
    }
}

/// The identities' tokens and accounts on one app.
pub struct Cast {
    tokens: HashMap<Who, String>,
    /// Account ids by identity (not for `Anonymous`).
    pub user_ids: HashMap<Who, String>,
    /// Department ids by canonical name, for the units above and 县审计局.
    pub departments: HashMap<&'static str, String>,
}

/// (identity, role, unit) of the accounts [`arrange`] creates.
const ACCOUNTS: [(Who, &str, Option<&str>); 7] = [
    (Who::Leader, "LEADER", None),
    (Who::Lead, "DEPARTMENT", Some("县民政局")),
    (Who::Supporting, "DEPARTMENT", Some("县卫生局")),
    (Who::Unrelated, "DEPARTMENT", Some("县司法局")),
    (Who::Service, "SERVICE", Some("县发展和改革局")),
    (Who::Expired, "DEPARTMENT", Some("县民政局")),
    (Who::Revoked, "DEPARTMENT", Some("县民政局")),
];

const UNITS: [&str; 5] = ["县民政局", "县卫生局", "县司法局", "县发展和改革局", "县审计局"];

impl Cast {
    /// Creates the accounts and gets every identity its credential.
    pub async fn arrange(app: &TestApp) -> Cast {
        let admin = app.admin_token().await;
        let mut departments = HashMap::new();
        for name in UNITS {
            departments.insert(name, app.department_id_as(&admin, name).await);
        }
        let mut user_ids = HashMap::new();
        for (who, role, unit) in ACCOUNTS {
            let unit = unit.map(|name| departments[name].as_str());
            user_ids.insert(who, app.create_account(&admin, who.username(), role, unit).await);
        }
        let mut cast = Cast { tokens: HashMap::from([(Who::Admin, admin)]), user_ids, departments };
        for who in [Who::Leader, Who::Lead, Who::Supporting, Who::Unrelated] {
            cast.sign_in(app, who).await;
        }
        let service = cast.new_service_token(app, "matrix").await.0;
        cast.tokens.insert(Who::Service, service);
        let expired = cast.expired_token(app).await;
        cast.tokens.insert(Who::Expired, expired);
        let revoked = cast.revoked_token(app).await;
        cast.tokens.insert(Who::Revoked, revoked);
        cast
    }

    /// The bearer credential of `who` (none for `Anonymous`).
    pub fn token(&self, who: Who) -> Option<&str> {
        self.tokens.get(&who).map(String::as_str)
    }

    /// The admin's current token.
    pub fn admin(&self) -> &str {
        &self.tokens[&Who::Admin]
    }

    /// Replaces `who`'s credential (after it changed its password, for instance).
    pub fn set_token(&mut self, who: Who, token: String) {
        self.tokens.insert(who, token);
    }

    /// Logs `who` in again and keeps the new token.
    pub async fn sign_in(&mut self, app: &TestApp, who: Who) {
        let token = app.login(who.username(), &who.password()).await;
        self.tokens.insert(who, token);
    }

    /// Issues a service token for the SERVICE account: (secret, token id).
    pub async fn new_service_token(&self, app: &TestApp, name: &str) -> (String, String) {
        let issued = app
            .graphql(
                "mutation($u: ID!, $n: String!) { createServiceToken(userId: $u, name: $n) { token serviceToken { id } } }",
                json!({ "u": self.user_ids[&Who::Service], "n": name }),
                Some(self.admin()),
            )
            .await;
        let payload = &issued.data()["createServiceToken"];
        (str_of(&payload["token"]), str_of(&payload["serviceToken"]["id"]))
    }

    /// A token signed with the app's own secret for the `lapsed` account at its current token
    /// version, issued nine hours ago with the default eight-hour lifetime.
    async fn expired_token(&self, app: &TestApp) -> String {
        let (id, unit, version) = account_claims(app, &self.user_ids[&Who::Expired]).await;
        let issued = chrono::Utc::now() - chrono::Duration::hours(9);
        let keys = token_keys(chrono::Duration::hours(8));
        keys.issue(&id.to_string(), "DEPARTMENT", unit, version, issued).expect("sign").0
    }

    /// Logs the `revoked` account in, calls `logoutEverywhere`, and returns the old token.
    async fn revoked_token(&self, app: &TestApp) -> String {
        let token = app.login(Who::Revoked.username(), &Who::Revoked.password()).await;
        let out = app.graphql("mutation { logoutEverywhere }", json!({}), Some(&token)).await;
        assert_eq!(out.data()["logoutEverywhere"], true);
        token
    }
}

/// (id, unit, token version) of an account, read from the database.
pub async fn account_claims(app: &TestApp, user_id: &str) -> (i32, Option<i64>, i32) {
    let id: i32 = user_id.parse().expect("numeric user id");
    let account = entity::user::Entity::find_by_id(id).one(&app.db).await.expect("query").expect("account exists");
    (account.id, account.department_id.map(i64::from), account.token_version)
}

/// The ids of the reference plan's tasks by seq.
pub async fn task_ids(app: &TestApp, admin: &str) -> HashMap<i64, String> {
    let listed = app.graphql("{ tasks(first: 100) { nodes { id seq } } }", json!({}), Some(admin)).await;
    nodes(&listed.data()["tasks"]).iter().map(|n| (n["seq"].as_i64().expect("seq"), str_of(&n["id"]))).collect()
}

/// The `nodes` of a connection.
pub fn nodes(connection: &Value) -> &[Value] {
    connection["nodes"].as_array().map(Vec::as_slice).unwrap_or_default()
}

/// The seqs of a task connection, in order.
pub fn seqs(connection: &Value) -> Vec<i32> {
    nodes(connection).iter().filter_map(|n| n["seq"].as_i64()).map(|s| s as i32).collect()
}

/// A JSON string as an owned `String` (panics on anything else).
pub fn str_of(value: &Value) -> String {
    value.as_str().unwrap_or_else(|| panic!("expected a string, found {value}")).to_owned()
}
