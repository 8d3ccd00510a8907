//! Test harness: `spawn_app()` starts a real duban server on 127.0.0.1:0 over a fresh
//! database and hands back an HTTP client for it.
//!
//! The database is SQLite (a temporary file) unless `DUBAN_TEST_DATABASE_URL` names a
//! PostgreSQL server (`postgres://postgres@127.0.0.1:5432`): then each test creates a uniquely
//! named database there and drops it when the test ends.

mod process;
mod proxy;
pub mod s3;
pub mod ws;

pub use process::ServerProcess;
pub use proxy::TcpProxy;

use duban::config::Config;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Password of the bootstrap admin in every test app.
pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";

/// The password [`TestApp::user_token`] and [`TestApp::create_account`] give an account.
pub fn password_for(username: &str) -> String {
    format!("{username}-password-1")
}

/// The JWT secret of every test app (and of [`ServerProcess`]es on their databases).
pub fn token_secret() -> String {
    use secrecy::ExposeSecret;
    let secret = Config::for_database("sqlite::memory:").jwt_secret.expect("the test configuration has a secret");
    secret.expose_secret().to_owned()
}

/// The audit key of every test app (and of [`ServerProcess`]es and commands on their databases).
pub fn audit_key() -> String {
    use secrecy::ExposeSecret;
    let key = Config::for_database("sqlite::memory:").audit_key.expect("the test configuration has an audit key");
    key.expose_secret().to_owned()
}

/// Token keys exactly as a test app signs with (the secret of [`Config::for_database`],
/// issuer `duban`, audience `duban-api`), for crafting tokens the server should accept or
/// refuse for one reason only.
pub fn token_keys(ttl: chrono::Duration) -> duban::auth::TokenKeys {
    let secret = Config::for_database("sqlite::memory:").jwt_secret.expect("the test configuration has a secret");
    token_keys_with(secret, "duban", "duban-api", ttl)
}

/// Token keys with any secret, issuer and audience.
pub fn token_keys_with(
    secret: impl Into<secrecy::SecretString>,
    issuer: &str,
    audience: &str,
    ttl: chrono::Duration,
) -> duban::auth::TokenKeys {
    duban::auth::TokenKeys::new(&duban::auth::TokenConfig {
        secret: secret.into(),
        previous_secret: None,
        issuer: issuer.to_owned(),
        audience: audience.to_owned(),
        ttl,
    })
}

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    pub client: reqwest::Client,
    /// A direct connection to the app's database, for arranging and checking state.
    pub db: DatabaseConnection,
    statements: Arc<AtomicU64>,
    statement_log: Arc<Mutex<Vec<String>>>,
    /// The server's clock: tests pin "today" with [`TestApp::set_today`].
    pub clock: duban::domain::clock::Clock,
    /// The database URL the server uses (for a second process on the same database).
    pub url: String,
    _sqlite_dir: Option<tempfile::TempDir>,
    postgres: Option<PgDatabase>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    /// Where the server keeps evidence files.
    pub files: Files,
    /// `http://127.0.0.1:PORT` of the metrics' own address, when `metrics_bind` was set.
    pub metrics_address: Option<String>,
}

/// Where a test server keeps evidence files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FileStore {
    /// A temporary directory (the embedded default's backend).
    #[default]
    Local,
    /// A bucket of its own on the suite's S3 server ([`s3::server`]).
    S3,
}

/// A test server's evidence storage, for checking what it holds.
pub enum Files {
    Local(tempfile::TempDir),
    S3 { bucket: String },
}

impl Files {
    async fn new(store: FileStore, config: &mut Config) -> Files {
        match store {
            FileStore::Local => {
                let dir = tempfile::tempdir().expect("temporary directory");
                config.storage.storage_dir = Some(dir.path().to_owned());
                Files::Local(dir)
            }
            FileStore::S3 => {
                let server = s3::server().await;
                let bucket = server.bucket().await;
                config.storage.s3_bucket = Some(bucket.clone());
                config.storage.s3_endpoint = Some(server.endpoint.clone());
                config.storage.s3_allow_http = true;
                config.storage.s3_access_key_id = Some("duban-test".into());
                config.storage.s3_secret_access_key = Some("duban-test-secret".to_owned().into());
                Files::S3 { bucket }
            }
        }
    }

    /// The keys of every object stored, sorted.
    pub async fn keys(&self) -> Vec<String> {
        let mut keys = match self {
            Files::Local(dir) => {
                let mut keys = Vec::new();
                let mut pending = vec![dir.path().to_owned()];
                while let Some(next) = pending.pop() {
                    for entry in std::fs::read_dir(&next).expect("read the storage directory") {
                        let path = entry.expect("an entry").path();
                        if path.is_dir() {
                            pending.push(path);
                        } else {
                            let key = path.strip_prefix(dir.path()).expect("under the directory");
                            keys.push(key.to_string_lossy().replace('\\', "/"));
                        }
                    }
                }
                keys
            }
            Files::S3 { bucket } => s3::server().await.keys(bucket).await,
        };
        keys.sort();
        keys
    }

    /// Writes an object no row names, as a process that died between storing a file and
    /// writing its row leaves it.
    pub async fn put_stray(&self, key: &str, bytes: &[u8]) {
        match self {
            Files::Local(dir) => {
                let path = dir.path().join(key);
                std::fs::create_dir_all(path.parent().expect("a parent")).expect("make the directories");
                std::fs::write(path, bytes).expect("write the object");
            }
            Files::S3 { bucket } => s3::server().await.put(bucket, key, bytes.to_vec()).await,
        }
    }
}

/// What a GraphQL call returned.
#[derive(Debug, Clone)]
pub struct GqlResponse {
    pub status: u16,
    pub body: Value,
    /// The `WWW-Authenticate` header, when the server sent one.
    pub www_authenticate: Option<String>,
}

impl GqlResponse {
    /// `data`, panicking with the errors when there are any.
    pub fn data(&self) -> &Value {
        assert!(self.body.get("errors").is_none_or(Value::is_null), "unexpected errors: {}", self.body);
        &self.body["data"]
    }

    /// The `extensions.code` of the first error, if any.
    pub fn error_code(&self) -> Option<&str> {
        self.body["errors"][0]["extensions"]["code"].as_str()
    }

    /// Every error code, in order.
    pub fn error_codes(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errors| errors.iter().filter_map(|e| e["extensions"]["code"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    }
}

/// What a raw HTTP call returned.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    pub content_type: String,
    pub headers: reqwest::header::HeaderMap,
    /// The body as text (lossy for a binary body: see `bytes`).
    pub text: String,
    pub bytes: Vec<u8>,
}

impl RawResponse {
    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
    }

    /// The body as JSON (panics when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|_| panic!("not JSON: {}", self.text))
    }

    /// The `extensions.code` of the first error.
    pub fn error_code(&self) -> Option<String> {
        self.json()["errors"][0]["extensions"]["code"].as_str().map(str::to_owned)
    }
}

/// Options for [`spawn_app_with`].
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// Import the reference plan on start (as a fresh server does).
    pub sample_plan: bool,
    /// Adjust the server configuration before start.
    pub configure: fn(&mut Config),
    /// PostgreSQL only: the server reaches the database through a [`TcpProxy`] on this port
    /// (the test's own connection, `TestApp::db`, does not).
    pub via_proxy: Option<u16>,
    /// Where evidence files are kept.
    pub files: FileStore,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions { sample_plan: true, configure: |_| {}, via_proxy: None, files: FileStore::Local }
    }
}

/// A server with the reference plan loaded and an `admin` account.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(AppOptions::default()).await
}

/// A server configured by `options`.
pub async fn spawn_app_with(options: AppOptions) -> TestApp {
    let (url, sqlite_dir, postgres) = fresh_database().await;
    let server_url = match options.via_proxy {
        Some(port) => url.replace("127.0.0.1:5432", &format!("127.0.0.1:{port}")),
        None => url.clone(),
    };
    let mut config = Config::for_database(&server_url);
    config.admin_password = Some(ADMIN_PASSWORD.to_owned().into());
    config.load_sample_plan = options.sample_plan;
    config.test_hooks = true;
    // Webhook tests deliver to receivers on this machine; tests of the refusal clear this.
    config.webhook_allowed_networks = vec!["127.0.0.0/8".parse().expect("a CIDR")];
    let files = Files::new(options.files, &mut config).await;
    (options.configure)(&mut config);

    let statements = Arc::new(AtomicU64::new(0));
    let statement_log = Arc::new(Mutex::new(Vec::new()));
    let db = duban::db::connect(&server_url).await.expect("connect to the test database");
    let counter = statements.clone();
    let log = statement_log.clone();
    // The reads of requests; the pool's statements are writes and background work.
    let count: duban::db::StatementHook = Arc::new(move |info, via| {
        if via != duban::db::Via::Reader {
            return;
        }
        counter.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut log) = log.lock() {
            log.push(info.statement.sql.clone());
        }
    });
    let state = duban::startup::prepare(db, &config, Some(count)).await.expect("prepare the app");
    let clock = state.clock.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
    let address = format!("http://{}", listener.local_addr().expect("local address"));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let app = duban::startup::router(state, &config);
    let metrics_address = match config.metrics_bind {
        Some(bind) => {
            let listener = duban::startup::metrics_listener(bind).await.expect("bind the metrics address");
            let address = format!("http://{}", listener.local_addr().expect("local address"));
            tokio::spawn(duban::startup::serve(listener, duban::observe::metrics_router(), std::future::pending()));
            Some(address)
        }
        None => None,
    };
    tokio::spawn(duban::startup::serve(listener, app, async move {
        let _ = rx.await;
    }));
    let direct = Database::connect(&url).await.expect("second connection");
    TestApp {
        address,
        client: reqwest::Client::new(),
        db: direct,
        statements,
        statement_log,
        clock,
        url,
        _sqlite_dir: sqlite_dir,
        postgres,
        shutdown: Some(tx),
        files,
        metrics_address,
    }
}

impl TestApp {
    /// Posts a GraphQL request, with a bearer token when given.
    pub async fn graphql(&self, query: &str, variables: Value, token: Option<&str>) -> GqlResponse {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.address))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("send GraphQL request");
        let status = response.status().as_u16();
        let www_authenticate =
            response.headers().get(reqwest::header::WWW_AUTHENTICATE).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let body = response.json().await.expect("GraphQL response is JSON");
        GqlResponse { status, body, www_authenticate }
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Sends a request built on this app's client and reads everything back.
    pub async fn raw(&self, request: reqwest::RequestBuilder) -> RawResponse {
        let response = request.send().await.expect("send request");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let content_type =
            headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let bytes = response.bytes().await.expect("response body").to_vec();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        RawResponse { status, content_type, headers, text, bytes }
    }

    /// Logs in and returns the token, panicking on failure.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let response = self
            .graphql(
                "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
                json!({ "u": username, "p": password }),
                None,
            )
            .await;
        response.data()["login"]["token"].as_str().expect("token").to_owned()
    }

    /// A token of the bootstrap admin.
    pub async fn admin_token(&self) -> String {
        self.login("admin", ADMIN_PASSWORD).await
    }

    /// Creates a DEPARTMENT (or other role) account for the unit named `department`
    /// through the admin API and returns its token.
    pub async fn user_token(&self, username: &str, role: &str, department: Option<&str>) -> String {
        let admin = self.admin_token().await;
        let department_id = match department {
            Some(name) => Some(self.department_id(name).await),
            None => None,
        };
        let password = password_for(username);
        let created = self
            .graphql(
                "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
                json!({ "i": { "username": username, "password": password, "role": role, "departmentId": department_id } }),
                Some(&admin),
            )
            .await;
        created.data();
        self.login(username, &password).await
    }

    /// Creates an account through the admin API with [`password_for`] its username and
    /// returns its id (a `createUser` error panics).
    pub async fn create_account(&self, admin: &str, username: &str, role: &str, department_id: Option<&str>) -> String {
        let created = self
            .graphql(
                "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
                json!({ "i": { "username": username, "password": password_for(username), "role": role, "departmentId": department_id } }),
                Some(admin),
            )
            .await;
        created.data()["createUser"]["id"].as_str().expect("user id").to_owned()
    }

    /// Signs for the caller's unit's place on a task (a unit reports only once it has signed).
    pub async fn sign_for(&self, token: &str, task_id: &str) {
        let sign = "mutation($t: ID!) { signTask(taskId: $t, input: { responsiblePerson: \"王五\", contact: \"0427-1111111\" }) { state } }";
        self.graphql(sign, json!({ "t": task_id }), Some(token)).await.data();
    }

    /// The id of the department with this exact name.
    pub async fn department_id(&self, name: &str) -> String {
        let admin = self.admin_token().await;
        self.department_id_as(&admin, name).await
    }

    /// [`TestApp::department_id`] with a token already at hand (saves a login).
    pub async fn department_id_as(&self, admin: &str, name: &str) -> String {
        let found = self
            .graphql(
                "query($s: String) { departments(filter: { search: $s }, first: 100) { nodes { id name } } }",
                json!({ "s": name }),
                Some(admin),
            )
            .await;
        found.data()["departments"]["nodes"]
            .as_array()
            .and_then(|nodes| nodes.iter().find(|n| n["name"] == name))
            .and_then(|n| n["id"].as_str())
            .unwrap_or_else(|| panic!("no department named {name}"))
            .to_owned()
    }

    /// Statements the server's reader (the reads of GraphQL requests) has run so far; writes and
    /// background work (the event pump, webhook delivery) run on the other pool.
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::SeqCst)
    }

    /// The SQL of every statement run since the `skip`-th one (for diagnosing a count).
    pub fn statements_since(&self, skip: u64) -> Vec<String> {
        self.statement_log.lock().map(|log| log.iter().skip(skip as usize).cloned().collect()).unwrap_or_default()
    }

    /// Checks that every part's figures (`assignment.periods_*`, `period_due_on`,
    /// `missed_since`, `open_urgings`), which the writes keep, equal a recount of its period and
    /// urging rows; panics naming the parts that differ.
    pub async fn assert_part_figures_agree(&self) {
        let sql = "SELECT a.id FROM assignment a WHERE \
             a.periods_on_time <> (SELECT COUNT(*) FROM report_period p WHERE p.assignment_id = a.id AND p.state = 'ON_TIME') \
             OR a.periods_late <> (SELECT COUNT(*) FROM report_period p WHERE p.assignment_id = a.id AND p.state = 'LATE') \
             OR a.periods_missed <> (SELECT COUNT(*) FROM report_period p WHERE p.assignment_id = a.id AND p.state = 'MISSED') \
             OR COALESCE(a.period_due_on, '1900-01-01') <> COALESCE((SELECT MAX(p.due_on) FROM report_period p \
                 WHERE p.assignment_id = a.id AND p.state = 'DUE'), '1900-01-01') \
             OR (a.next_report_due IS NOT NULL AND COALESCE(a.missed_since, '1900-01-01') <> COALESCE((SELECT MIN(p.due_on) \
                 FROM report_period p WHERE p.assignment_id = a.id AND p.state = 'MISSED' AND p.due_on <> a.next_report_due \
                 AND p.due_on > COALESCE((SELECT MAX(q.due_on) FROM report_period q WHERE q.assignment_id = a.id \
                 AND q.state IN ('ON_TIME', 'LATE')), '1900-01-01')), '1900-01-01')) \
             OR a.open_urgings <> (SELECT COUNT(*) FROM urging u WHERE u.task_id = a.task_id \
                 AND u.department_id = a.department_id AND u.answered_at IS NULL AND u.closed_at IS NULL) ORDER BY a.id";
        let rows = self
            .db
            .query_all_raw(sea_orm::Statement::from_string(self.db.get_database_backend(), sql))
            .await
            .expect("recount periods");
        let differ: Vec<i32> = rows.iter().map(|r| r.try_get_by_index::<i32>(0).expect("id")).collect();
        assert!(differ.is_empty(), "parts whose figures differ from their rows: {differ:?}");
        let parts: i64 = {
            let row = self
                .db
                .query_one_raw(sea_orm::Statement::from_string(
                    self.db.get_database_backend(),
                    "SELECT COUNT(*) FROM assignment WHERE period_due_on IS NOT NULL \
                     OR periods_on_time + periods_late + periods_missed + open_urgings > 0",
                ))
                .await
                .expect("count parts")
                .expect("a row");
            row.try_get_by_index(0).expect("count")
        };
        assert!(parts > 0, "no part has periods or urgings: the check compared nothing");
    }

    /// Pins the server's "today" (China Standard Time) to `date`.
    pub fn set_today(&self, date: &str) {
        let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("a YYYY-MM-DD date");
        self.clock.set_today(Some(day));
    }

    /// Waits until at least `n` subscriptions listen to the app's events (the server's own
    /// count, `/__test/subscribers`): a change made after that reaches them.
    pub async fn subscribed(&self, n: u64) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let body: Value = self
                .client
                .get(format!("{}/__test/subscribers", self.address))
                .send()
                .await
                .expect("/__test/subscribers")
                .json()
                .await
                .expect("a JSON count");
            if body["subscribers"].as_u64().is_some_and(|count| count >= n) {
                return;
            }
            assert!(std::time::Instant::now() < deadline, "{n} subscriptions never started: {body}");
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }

    /// How many entries the audit trail holds.
    pub async fn audit_entries(&self) -> i64 {
        let backend = self.db.get_database_backend();
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(backend, "SELECT COUNT(*) AS n FROM audit_entry"))
            .await
            .expect("count audit entries")
            .expect("a row");
        row.try_get::<i64>("", "n").expect("a count")
    }

    /// True when this run is against PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(pg) = self.postgres.take() {
            pg.drop_database();
        }
    }
}

/// A PostgreSQL database made for one test.
struct PgDatabase {
    server_url: String,
    name: String,
}

impl PgDatabase {
    /// Drops the database on a thread of its own (Drop cannot await), forcing out the
    /// server's pooled connections.
    fn drop_database(self) {
        let handle = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            runtime.block_on(async {
                if let Ok(admin) = Database::connect(format!("{}/postgres", self.server_url)).await {
                    let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
                    let _ = admin.execute_unprepared(&sql).await;
                    let _ = admin.close().await;
                }
            });
        });
        let _ = handle.join();
    }
}

async fn fresh_database() -> (String, Option<tempfile::TempDir>, Option<PgDatabase>) {
    match std::env::var("DUBAN_TEST_DATABASE_URL").ok().filter(|u| u.starts_with("postgres")) {
        Some(server) => {
            let server = server.trim_end_matches('/').to_owned();
            let name = format!("duban_test_{}_{:08x}", std::process::id(), rand::random::<u32>());
            let admin = Database::connect(format!("{server}/postgres")).await.expect("connect to PostgreSQL");
            admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create test database");
            let _ = admin.close().await;
            (format!("{server}/{name}"), None, Some(PgDatabase { server_url: server, name }))
        }
        None => {
            let dir = tempfile::tempdir().expect("temporary directory");
            let url = format!("sqlite://{}?mode=rwc", dir.path().join("duban.sqlite").display());
            (url, Some(dir), None)
        }
    }
}

/// An empty database (no migrations run) for tests of the migrator itself; dropped with it.
pub struct ScratchDatabase {
    pub url: String,
    _sqlite_dir: Option<tempfile::TempDir>,
    postgres: Option<PgDatabase>,
}

/// A fresh, empty database on the backend this run uses.
pub async fn scratch_database() -> ScratchDatabase {
    let (url, sqlite_dir, postgres) = fresh_database().await;
    ScratchDatabase { url, _sqlite_dir: sqlite_dir, postgres }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        if let Some(pg) = self.postgres.take() {
            pg.drop_database();
        }
    }
}
