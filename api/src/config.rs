//! Flat, typed configuration from environment variables (and the matching flags).

use clap::{Args, ValueEnum};
use secrecy::SecretString;
use std::net::SocketAddr;

/// The embedded default: an SQLite file in the working directory, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://duban.sqlite?mode=rwc";

/// Everything the server needs to start. Each field documents its variable and default.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Database: `sqlite://FILE?mode=rwc` (embedded default) or `postgres://…`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
    pub database_url: String,

    /// Listen address.
    #[arg(long, env = "DUBAN_BIND", default_value = "127.0.0.1:8000")]
    pub bind: SocketAddr,

    /// JWT signing secret. Without it, SQLite keeps a generated one beside the database file.
    #[arg(long, env = "DUBAN_JWT_SECRET", value_parser = parse_secret, hide_env_values = true)]
    pub jwt_secret: Option<SecretString>,

    /// Key of the audit trail's hash chain (HMAC-SHA256), at least 16 characters; it must not
    /// live in the database. Without it, SQLite keeps a generated one beside the database file.
    #[arg(long, env = "DUBAN_AUDIT_KEY", value_parser = parse_audit_key, hide_env_values = true)]
    pub audit_key: Option<SecretString>,

    /// The secret before the last rotation: accepted for verification only.
    #[arg(long, env = "DUBAN_JWT_PREVIOUS_SECRET", value_parser = parse_secret, hide_env_values = true)]
    pub jwt_previous_secret: Option<SecretString>,

    /// Lifetime of a login token, in minutes.
    #[arg(long, env = "DUBAN_TOKEN_TTL_MINUTES", default_value_t = 480)]
    pub token_ttl_minutes: i64,

    /// Password of the bootstrap `admin` account on a database with no admin yet.
    #[arg(long, env = "DUBAN_ADMIN_PASSWORD", value_parser = parse_secret, hide_env_values = true)]
    pub admin_password: Option<SecretString>,

    /// Who may run introspection queries (GraphiQL's schema explorer needs it).
    #[arg(long, env = "DUBAN_INTROSPECTION", value_enum, default_value_t = Introspection::Authenticated)]
    pub introspection: Introspection,

    /// Import the bundled reference plan when the database holds no plan.
    #[arg(long, env = "DUBAN_LOAD_SAMPLE_PLAN", default_value_t = true, action = clap::ArgAction::Set)]
    pub load_sample_plan: bool,

    /// Log format: `pretty` for people, `json` for log collectors.
    #[arg(long, env = "DUBAN_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty)]
    pub log_format: LogFormat,

    /// Longest a request may take, in seconds, before it is answered with `TIMEOUT`.
    #[arg(long, env = "DUBAN_REQUEST_TIMEOUT_SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub request_timeout_secs: u64,

    /// Browser origins allowed to call the API cross-site (CORS), comma-separated, such as
    /// `https://duban.example.gov.cn`. Empty: none (same-origin pages and non-browser clients only).
    #[arg(long, env = "DUBAN_CORS_ORIGINS", value_delimiter = ',', num_args = 0..)]
    pub cors_origins: Vec<String>,

    /// Pins "today" to a date (`YYYY-MM-DD`) for demonstrations and tests; unset, the server
    /// follows the system clock (China Standard Time).
    #[arg(long, env = "DUBAN_TODAY")]
    pub today: Option<chrono::NaiveDate>,

    /// First wait, in milliseconds, before a failed webhook delivery is tried again; each
    /// further attempt waits twice as long (at most an hour), for at most 24 hours.
    #[arg(long, env = "DUBAN_WEBHOOK_RETRY_BASE_MS", default_value_t = 5_000, value_parser = clap::value_parser!(u64).range(1..=3_600_000))]
    pub webhook_retry_base_ms: u64,

    /// Whether this process sends webhook deliveries (every replica may; turn it off to leave
    /// it to some of them).
    #[arg(long, env = "DUBAN_DISPATCH_WEBHOOKS", default_value_t = true, action = clap::ArgAction::Set)]
    pub dispatch_webhooks: bool,

    /// Seconds a WebSocket may stay open without signing in (`connection_init`); then it is
    /// closed with 4408.
    #[arg(long, env = "DUBAN_WS_INIT_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub ws_init_timeout_secs: u64,

    /// Operations (subscriptions, and queries or mutations under way) one WebSocket may run at
    /// once; more are refused with `BAD_USER_INPUT`.
    #[arg(long, env = "DUBAN_WS_MAX_OPERATIONS", default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub ws_max_operations: u64,

    /// WebSockets one account may hold open at once on one process; one more is closed at
    /// `connection_init` with 4429.
    #[arg(long, env = "DUBAN_WS_MAX_SOCKETS_PER_ACCOUNT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub ws_max_sockets_per_account: u64,

    /// Networks webhooks may be delivered to although they are internal (loopback, private,
    /// link-local and other reserved ranges are refused by default), as comma-separated CIDRs
    /// such as `10.20.0.0/16,192.168.8.0/24`: unit systems on an intranet live there.
    #[arg(long, env = "DUBAN_WEBHOOK_ALLOWED_NETWORKS", value_delimiter = ',', num_args = 0..)]
    pub webhook_allowed_networks: Vec<ipnet::IpNet>,

    /// An address of their own for the metrics (`GET /metrics` to anyone who reaches it), such
    /// as `0.0.0.0:9100` on a private network for Prometheus; unset, the metrics are on the
    /// API's address for loopback clients only.
    #[arg(long, env = "DUBAN_METRICS_BIND")]
    pub metrics_bind: Option<SocketAddr>,

    /// Where evidence files are kept.
    #[command(flatten)]
    pub storage: StorageConfig,

    /// What evidence files are accepted.
    #[command(flatten)]
    pub evidence: EvidenceLimits,

    /// Test-only hooks (a route that panics); never set from the environment.
    #[arg(skip)]
    pub test_hooks: bool,
}

/// Where evidence files (佐证材料) are kept: S3-compatible object storage when a bucket is
/// named, else a local directory.
#[derive(Debug, Clone, Args)]
pub struct StorageConfig {
    /// Directory for evidence files when no S3 bucket is named. Default: `<database
    /// file>.files` beside the SQLite file (`duban-files` in the working directory otherwise).
    #[arg(long, env = "DUBAN_STORAGE_DIR")]
    pub storage_dir: Option<std::path::PathBuf>,

    /// S3 bucket for evidence files; set, it replaces the local directory. The standard
    /// `AWS_*` variables are read too.
    #[arg(long, env = "DUBAN_S3_BUCKET")]
    pub s3_bucket: Option<String>,

    /// Endpoint of an S3-compatible service (a government cloud's, or a self-hosted one),
    /// such as `https://oss.example.gov.cn`; buckets are addressed in the path.
    #[arg(long, env = "DUBAN_S3_ENDPOINT")]
    pub s3_endpoint: Option<String>,

    /// The S3 region.
    #[arg(long, env = "DUBAN_S3_REGION", default_value = "us-east-1")]
    pub s3_region: String,

    /// Access key id for S3 (else `AWS_ACCESS_KEY_ID`).
    #[arg(long, env = "DUBAN_S3_ACCESS_KEY_ID", hide_env_values = true)]
    pub s3_access_key_id: Option<String>,

    /// Secret access key for S3 (else `AWS_SECRET_ACCESS_KEY`).
    #[arg(long, env = "DUBAN_S3_SECRET_ACCESS_KEY", value_parser = parse_secret, hide_env_values = true)]
    pub s3_secret_access_key: Option<SecretString>,

    /// Allow a plain-HTTP endpoint (an S3 server on the same host or intranet).
    #[arg(long, env = "DUBAN_S3_ALLOW_HTTP", default_value_t = false, action = clap::ArgAction::Set)]
    pub s3_allow_http: bool,
}

/// Limits on evidence files.
#[derive(Debug, Clone, Args)]
pub struct EvidenceLimits {
    /// Largest evidence file, in MB.
    #[arg(long = "evidence-max-file-mb", env = "DUBAN_EVIDENCE_MAX_FILE_MB", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=512))]
    pub max_file_mb: u64,

    /// Most files behind one report (or completion report, answer, response).
    #[arg(long = "evidence-max-files", env = "DUBAN_EVIDENCE_MAX_FILES", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=100))]
    pub max_files: u64,

    /// Largest total of the files behind one report, in MB.
    #[arg(long = "evidence-max-total-mb", env = "DUBAN_EVIDENCE_MAX_TOTAL_MB", default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_total_mb: u64,

    /// Accept archives (zip, rar, 7z, tar, gzip) as evidence; refused by default, as their
    /// content cannot be checked.
    #[arg(long = "evidence-allow-archives", env = "DUBAN_EVIDENCE_ALLOW_ARCHIVES", default_value_t = false, action = clap::ArgAction::Set)]
    pub allow_archives: bool,

    /// Hours a file uploaded but never attached to a report is kept before it is swept.
    #[arg(long = "evidence-staged-hours", env = "DUBAN_EVIDENCE_STAGED_HOURS", default_value_t = 24, value_parser = clap::value_parser!(u64).range(1..=720))]
    pub staged_hours: u64,
}

impl Default for StorageConfig {
    fn default() -> Self {
        StorageConfig {
            storage_dir: None,
            s3_bucket: None,
            s3_endpoint: None,
            s3_region: "us-east-1".into(),
            s3_access_key_id: None,
            s3_secret_access_key: None,
            s3_allow_http: false,
        }
    }
}

impl Default for EvidenceLimits {
    fn default() -> Self {
        EvidenceLimits { max_file_mb: 20, max_files: 10, max_total_mb: 50, allow_archives: false, staged_hours: 24 }
    }
}

impl EvidenceLimits {
    pub fn max_file_bytes(&self) -> usize {
        (self.max_file_mb as usize) * 1024 * 1024
    }

    pub fn max_total_bytes(&self) -> i64 {
        (self.max_total_mb as i64) * 1024 * 1024
    }
}

/// Introspection setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Introspection {
    /// Any signed-in user may introspect; anonymous requests may not.
    Authenticated,
    /// Nobody may introspect.
    Off,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Pretty,
    Json,
}

fn parse_secret(value: &str) -> Result<SecretString, String> {
    if value.is_empty() {
        return Err("must not be empty".into());
    }
    Ok(SecretString::from(value.to_owned()))
}

/// A key short enough to guess offline is refused (admins can read the hashes).
fn parse_audit_key(value: &str) -> Result<SecretString, String> {
    if value.len() < 16 {
        return Err("must be at least 16 characters".into());
    }
    Ok(SecretString::from(value.to_owned()))
}

impl Config {
    /// A configuration for tests and tools: the given database, an ephemeral port, a fixed secret.
    pub fn for_database(database_url: &str) -> Self {
        Config {
            database_url: database_url.to_owned(),
            bind: "127.0.0.1:0".parse().expect("valid address"),
            jwt_secret: Some(SecretString::from("test-secret-not-for-production".to_owned())),
            audit_key: Some(SecretString::from("test-audit-key-not-for-production".to_owned())),
            jwt_previous_secret: None,
            token_ttl_minutes: 480,
            admin_password: None,
            introspection: Introspection::Authenticated,
            load_sample_plan: false,
            log_format: LogFormat::Pretty,
            request_timeout_secs: 30,
            cors_origins: Vec::new(),
            today: None,
            webhook_retry_base_ms: 5_000,
            dispatch_webhooks: true,
            ws_init_timeout_secs: 10,
            ws_max_operations: 50,
            ws_max_sockets_per_account: 10,
            webhook_allowed_networks: Vec::new(),
            metrics_bind: None,
            storage: StorageConfig::default(),
            evidence: EvidenceLimits::default(),
            test_hooks: false,
        }
    }

    /// True when the database is the embedded SQLite one.
    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}
