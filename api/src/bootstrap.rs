//! First-start work: the signing secret, the bootstrap admin, and the sample plan.

use crate::config::Config;
use crate::domain::audit::chain;
use crate::domain::clock::Clock;
use crate::domain::users::{self, NewUser};
use crate::domain::{Caller, documents};
use crate::error::AppError;
use crate::{db, import};
use anyhow::{Context, bail};
use base64::Engine;
use entity::UserRole;
use rand::RngCore;
use sea_orm::DatabaseConnection;
use secrecy::{ExposeSecret, SecretString};
use std::path::PathBuf;

/// The reference plan (盘县政办发〔2014〕103号), shipped as sample data.
pub const SAMPLE_PLAN: &str = include_str!("../data/panshan-2014-103.txt");

/// The JWT secret: from the configuration, or (embedded SQLite only) kept in a file beside
/// the database, generated on first start.
pub fn jwt_secret(config: &Config) -> anyhow::Result<SecretString> {
    kept_secret(config, config.jwt_secret.as_ref(), "DUBAN_JWT_SECRET", ".jwt-secret")
}

/// The audit key, found as the JWT secret is (`<database>.audit-key` beside an SQLite file;
/// PostgreSQL requires `DUBAN_AUDIT_KEY`), and made this process's key for every entry it
/// appends or verifies.
pub fn install_audit_key(config: &Config) -> anyhow::Result<()> {
    let secret = kept_secret(config, config.audit_key.as_ref(), "DUBAN_AUDIT_KEY", ".audit-key")?;
    let key = chain::AuditKey::new(secret.expose_secret().as_bytes());
    chain::install(key).map_err(anyhow::Error::msg)
}

/// A secret from the configuration (`variable`), or (embedded SQLite only) kept in the file
/// `<database><suffix>`, generated on first start.
fn kept_secret(
    config: &Config,
    configured: Option<&SecretString>,
    variable: &str,
    suffix: &str,
) -> anyhow::Result<SecretString> {
    if let Some(secret) = configured {
        return Ok(secret.clone());
    }
    let Some(db_path) = db::sqlite_path(&config.database_url) else {
        bail!("{variable} must be set when the database is not the embedded SQLite file");
    };
    let path = secret_path(&db_path, suffix);
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim().to_owned();
        if !existing.is_empty() {
            tracing::info!(file = %path.display(), "using the {variable} kept beside the database");
            return Ok(SecretString::from(existing));
        }
    }
    let secret = random_string(48);
    write_private(&path, &secret).with_context(|| format!("cannot write {}", path.display()))?;
    tracing::warn!(file = %path.display(), "{variable} is not set: generated one and kept it beside the database");
    Ok(SecretString::from(secret))
}

fn secret_path(db_path: &std::path::Path, suffix: &str) -> PathBuf {
    let mut name = db_path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    db_path.with_file_name(name)
}

fn write_private(path: &std::path::Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(contents.as_bytes())
}

/// A random URL-safe string of `bytes` random bytes.
pub fn random_string(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// On a database with no admin, creates `admin` with `DUBAN_ADMIN_PASSWORD`, or with a random
/// password printed once on the console.
pub async fn ensure_admin(db: &DatabaseConnection, config: &Config, clock: &Clock) -> anyhow::Result<()> {
    let console = Caller::system(clock.read());
    if users::has_admin(db, &console).await.map_err(AppError::into_anyhow)? {
        return Ok(());
    }
    let (password, generated) = match &config.admin_password {
        Some(p) => (p.expose_secret().to_owned(), false),
        None => (random_string(15), true),
    };
    let new =
        NewUser { username: "admin".into(), password: password.clone(), role: UserRole::Admin, department_id: None };
    users::create(db, &console, new).await.map_err(AppError::into_anyhow).context("cannot create the admin account")?;
    if generated {
        // Deliberately on the console, not in the log stream: shown once, to the operator.
        eprintln!("\n  Created account `admin` with password: {password}\n  (set DUBAN_ADMIN_PASSWORD to choose it)\n");
    } else {
        tracing::info!("created account `admin` with the password from DUBAN_ADMIN_PASSWORD");
    }
    Ok(())
}

/// Imports the reference plan when the database holds no plan yet.
pub async fn load_sample_plan(db: &DatabaseConnection, clock: &Clock) -> anyhow::Result<()> {
    let console = Caller::system(clock.read());
    if documents::count(db, &console).await.map_err(AppError::into_anyhow)? > 0 {
        return Ok(());
    }
    let outcome = import::import_plan(db, &console, SAMPLE_PLAN, import::ImportOptions::default())
        .await
        .map_err(AppError::into_anyhow)
        .context("cannot import the sample plan")?;
    tracing::info!(tasks = outcome.tasks.len(), "imported the reference plan 盘县政办发〔2014〕103号");
    Ok(())
}
