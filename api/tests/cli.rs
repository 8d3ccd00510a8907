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

/// The README's account example, run exactly as written there (`echo '…' | duban user create …`).
#[test]
fn the_readmes_user_create_example_runs_as_written() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.contains("| duban user create"))
        .expect("README shows `echo '…' | duban user create …`");
    let line = line.trim().trim_start_matches('`').trim_end_matches(['`', '.']);
    let (echo, command) = line.split_once('|').unwrap();
    let password = echo.trim().strip_prefix("echo").unwrap().trim().trim_matches('\'');
    let args: Vec<&str> = command.split_whitespace().skip(1).collect();
    assert_eq!(args[..2], ["user", "create"]);

    let dir = tempfile::tempdir().unwrap();
    let plan = concat!(env!("CARGO_MANIFEST_DIR"), "/data/panshan-2014-103.txt");
    assert!(duban(dir.path(), &["import", plan], None).status.success());
    let created = duban(dir.path(), &args, Some(&format!("{password}\n")));

    assert!(created.status.success(), "{line}\n{}", text(&created.stderr));
    assert!(text(&created.stdout).contains("created account"), "{}", text(&created.stdout));
}

#[test]
fn roles_are_taken_in_the_graphql_spelling_and_in_lower_case() {
    let dir = tempfile::tempdir().unwrap();
    for (n, role) in ["LEADER", "leader", "ADMIN", "admin"].iter().enumerate() {
        let name = format!("user{n}");
        let args = ["user", "create", "--username", &name, "--role", role, "--password-stdin"];
        let created = duban(dir.path(), &args, Some("a-long-enough-password\n"));
        assert!(created.status.success(), "--role {role}: {}", text(&created.stderr));
    }
    let wrong =
        duban(dir.path(), &["user", "create", "--username", "z", "--role", "Boss", "--password-stdin"], Some("x\n"));
    assert!(!wrong.status.success());
}

#[test]
fn an_internal_error_on_the_command_line_prints_its_cause() {
    let dir = tempfile::tempdir().unwrap();
    // A database file in a directory that does not exist: the cause must reach the operator.
    let output = Command::new(env!("CARGO_BIN_EXE_duban"))
        .args(["migrate"])
        .current_dir(dir.path())
        .env("DATABASE_URL", "sqlite:///no/such/dir/duban.sqlite?mode=rwc")
        .env("DUBAN_LOG_FORMAT", "json")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let err = text(&output.stderr);
    assert!(err.contains("cannot connect to the database") && err.contains("unable to open"), "{err}");
}

#[test]
fn import_reads_a_word_file_and_export_writes_the_division_table() {
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("plan.docx");
    std::fs::write(&docx, duban::import::read::samples::reference_docx()).unwrap();

    let imported = duban(dir.path(), &["import", "plan.docx"], None);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    let out = text(&imported.stdout);
    assert!(out.contains("Imported: 盘县政办发〔2014〕103号") && out.contains("Tasks: 26"), "{out}");

    // By number, to a file of its own name in the working directory.
    let exported = duban(dir.path(), &["export", "盘县政办发〔2014〕103号", "--format", "xlsx"], None);
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    let written = dir.path().join("盘县政办发〔2014〕103号-分工表.xlsx");
    assert!(text(&exported.stdout).contains("26 tasks"), "{}", text(&exported.stdout));
    let bytes = std::fs::read(&written).expect("the workbook was written");
    let plan = duban::import::read::parse_file("分工表.xlsx", &bytes).expect("the workbook reads as a plan");
    assert_eq!(plan.rows.len(), 26);

    // By id, to a named file.
    let csv = dir.path().join("table.csv");
    let exported = duban(dir.path(), &["export", "1", "--format", "csv", "--output", csv.to_str().unwrap()], None);
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    let table = std::fs::read_to_string(&csv).unwrap();
    assert!(table.starts_with("\u{FEFF}序号,工作任务,落实措施,牵头单位,配合单位,时间进度"), "{table}");
    assert!(table.contains("\n26,") && table.contains("县卫生局"), "{table}");

    let unknown = duban(dir.path(), &["export", "999", "--format", "csv"], None);
    assert!(!unknown.status.success());
    assert!(text(&unknown.stderr).contains("not found"), "{}", text(&unknown.stderr));
}

#[test]
fn a_refused_file_says_why() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.docx"), duban::import::read::samples::encrypted_office_file()).unwrap();
    let refused = duban(dir.path(), &["import", "plan.docx"], None);
    assert!(!refused.status.success());
    let err = text(&refused.stderr);
    assert!(err.contains("FILE_PASSWORD_PROTECTED") && err.contains("password"), "{err}");
}
