//! The `duban` binary's commands, run as a user would: a real process over a temporary
//! SQLite database.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn duban(dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_duban"))
        .args(args)
        .current_dir(dir)
        .env("DATABASE_URL", format!("sqlite://{}?mode=rwc", dir.join("cli.sqlite").display()))
        .env("DUBAN_LOG_FORMAT", "json")
        .env_remove("DUBAN_JWT_SECRET")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run duban");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    child.wait_with_output().expect("duban finishes")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn import_prints_a_summary_and_a_dry_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let plan = concat!(env!("CARGO_MANIFEST_DIR"), "/data/panshan-2014-103.txt");

    let preview = duban(dir.path(), &["import", plan, "--dry-run"], None);
    assert!(preview.status.success(), "{}", text(&preview.stderr));
    let out = text(&preview.stdout);
    assert!(out.contains("dry run"), "{out}");
    assert!(out.contains("Tasks: 26"), "{out}");

    let imported = duban(dir.path(), &["import", plan], None);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    assert!(text(&imported.stdout).contains("Imported: 盘县政办发〔2014〕103号"));

    let again = duban(dir.path(), &["import", plan], None);
    assert!(!again.status.success(), "a second import of the same number is refused");
    let replaced = duban(dir.path(), &["import", plan, "--replace"], None);
    assert!(replaced.status.success(), "{}", text(&replaced.stderr));
}

#[test]
fn user_create_reads_the_password_from_stdin_and_checks_it() {
    let dir = tempfile::tempdir().unwrap();
    let plan = concat!(env!("CARGO_MANIFEST_DIR"), "/data/panshan-2014-103.txt");
    assert!(duban(dir.path(), &["import", plan], None).status.success());

    let args = [
        "user",
        "create",
        "--username",
        "minzheng",
        "--role",
        "department",
        "--department",
        "縣民政局",
        "--password-stdin",
    ];
    let created = duban(dir.path(), &args, Some("a-long-enough-password\n"));
    assert!(created.status.success(), "{}", text(&created.stderr));
    assert!(text(&created.stdout).contains("created account minzheng"));

    let short = ["user", "create", "--username", "x", "--role", "leader", "--password-stdin"];
    assert!(!duban(dir.path(), &short, Some("short\n")).status.success());
    let no_unit = ["user", "create", "--username", "y", "--role", "department", "--password-stdin"];
    assert!(!duban(dir.path(), &no_unit, Some("a-long-enough-password\n")).status.success());
}

#[test]
fn export_schema_check_fails_on_a_stale_file() {
    let dir = tempfile::tempdir().unwrap();
    let stale = dir.path().join("schema.graphql");
    std::fs::write(&stale, "type Query { old: Int }").unwrap();
    let path = stale.to_str().unwrap();
    let checked = duban(dir.path(), &["export-schema", "--output", path, "--check"], None);
    assert!(!checked.status.success());
    assert!(text(&checked.stderr).contains("export-schema --output schema.graphql"));
    assert!(duban(dir.path(), &["export-schema", "--output", path], None).status.success());
    assert!(duban(dir.path(), &["export-schema", "--output", path, "--check"], None).status.success());
}
