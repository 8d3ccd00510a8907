//! The audit trail's chain is keyed (HMAC-SHA256 under `DUBAN_AUDIT_KEY`, which the database
//! never holds): an edit followed by every later hash recomputed without the key is caught, so
//! are entries cut off the end once their head was recorded (`duban audit head`, then
//! `verify --head`), and a trail written before the key still verifies.

use duban::domain::audit::chain::{self, Fields};
use duban_tests::{audit_key, scratch_database, spawn_app};
use entity::audit_entry;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::io::Write;
use std::process::{Command, Stdio};

const BINARY: &str = env!("CARGO_BIN_EXE_duban-process");

/// Runs `duban ARGS` on `url` with the test apps' audit key: its exit code and what it said.
async fn duban(url: &str, args: &[&str], stdin: Option<&str>) -> (Option<i32>, String) {
    let (url, stdin) = (url.to_owned(), stdin.map(str::to_owned));
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        let mut child = Command::new(BINARY)
            .args(&args)
            .env("DATABASE_URL", url)
            .env("DUBAN_AUDIT_KEY", audit_key())
            .env("DUBAN_LOG_FORMAT", "pretty")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run duban");
        let input = stdin.unwrap_or_default();
        child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
        let output = child.wait_with_output().expect("duban finishes");
        let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        (output.status.code(), text)
    })
    .await
    .expect("the command ran")
}

/// Every entry from id `from` on, in order.
async fn entries_from(db: &sea_orm::DatabaseConnection, from: i32) -> Vec<audit_entry::Model> {
    let found = audit_entry::Entity::find().filter(audit_entry::Column::Id.gte(from));
    found.order_by_asc(audit_entry::Column::Id).all(db).await.expect("read the trail")
}

/// What someone with write access but without the key can do: edit entry `id` and rechain it
/// and every later entry with plain SHA-256, marked `chain` (kept as it was, or cleared).
async fn edit_and_rechain(db: &sea_orm::DatabaseConnection, id: i32, marker: fn(Option<String>) -> Option<String>) {
    let mut prev = entries_from(db, id - 1).await[0].hash.clone();
    for (n, mut entry) in entries_from(db, id).await.into_iter().enumerate() {
        if n == 0 {
            entry.after = Some("{\"state\":\"DONE\"}".into());
        }
        entry.chain = marker(entry.chain);
        entry.prev_hash = prev;
        entry.hash = chain::hash(&entry.prev_hash, &Fields::of(&entry));
        prev = entry.hash.clone();
        let row = audit_entry::ActiveModel {
            id: sea_orm::ActiveValue::Unchanged(entry.id),
            after: Set(entry.after),
            chain: Set(entry.chain),
            prev_hash: Set(entry.prev_hash),
            hash: Set(entry.hash),
            ..Default::default()
        };
        row.update(db).await.expect("rewrite an entry");
    }
}

#[tokio::test]
async fn an_edit_with_every_later_hash_recomputed_without_the_key_fails_verify() {
    let app = spawn_app().await;
    let (code, text) = duban(&app.url, &["audit", "verify"], None).await;
    assert_eq!(code, Some(0), "{text}");
    let middle = i32::try_from(app.audit_entries().await / 2).expect("an id");

    edit_and_rechain(&app.db, middle, |kept| kept).await;
    let (code, text) = duban(&app.url, &["audit", "verify"], None).await;
    assert_eq!(code, Some(1), "the marker kept, the plain hashes do not match: {text}");
    assert!(text.contains(&format!("#{middle}:")), "the edited entry is named: {text}");

    edit_and_rechain(&app.db, middle, |_| None).await;
    let (code, text) = duban(&app.url, &["audit", "verify"], None).await;
    assert_eq!(code, Some(1), "passed off as entries from before the key: {text}");
    assert!(text.contains(&format!("#{middle}:")), "{text}");
}

#[tokio::test]
async fn entries_cut_off_the_end_are_caught_with_the_head_recorded_before() {
    let app = spawn_app().await;
    let (code, head) = duban(&app.url, &["audit", "head"], None).await;
    assert_eq!(code, Some(0), "{head}");
    let head = head.trim().to_owned();
    let (id, hash) = head.split_once(':').expect("ID:HASH");
    assert_eq!(hash.len(), 64, "{head}");
    let (code, text) = duban(&app.url, &["audit", "verify", "--head", &head], None).await;
    assert_eq!(code, Some(0), "{text}");

    let id: i32 = id.parse().expect("an id");
    audit_entry::Entity::delete_many().filter(audit_entry::Column::Id.gte(id - 1)).exec(&app.db).await.unwrap();
    let (code, text) = duban(&app.url, &["audit", "verify"], None).await;
    assert_eq!(code, Some(0), "a shorter chain is intact by itself: {text}");
    let (code, text) = duban(&app.url, &["audit", "verify", "--head", &head], None).await;
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains(&format!("#{id}:")), "the recorded entry is named: {text}");
    let (code, _) = duban(&app.url, &["audit", "verify", "--head", "not-a-head"], None).await;
    assert_ne!(code, Some(0), "a malformed head is refused");
}

/// An entry as written before the trail was keyed: plain SHA-256, no marker.
fn unkeyed(prev: &str, n: i64) -> audit_entry::ActiveModel {
    let mut entry = audit_entry::Model {
        id: 0,
        at: chrono::DateTime::from_timestamp(1_764_000_000 + n, 0).expect("a time"),
        actor_kind: "CONSOLE".into(),
        actor_id: None,
        service_token_id: None,
        client_address: None,
        operation: "cli:user create".into(),
        entity: "app_user".into(),
        entity_id: i32::try_from(n).expect("an id"),
        task_id: None,
        action: "CREATE".into(),
        before: None,
        after: Some(format!("{{\"username\":\"old{n}\"}}")),
        prev_hash: prev.into(),
        hash: String::new(),
        chain: None,
    };
    entry.hash = chain::hash(prev, &Fields::of(&entry));
    let mut row: audit_entry::ActiveModel = entry.into();
    row.id = NotSet;
    row
}

#[tokio::test]
async fn a_trail_written_before_the_key_still_verifies_and_keyed_entries_follow_it() {
    let scratch = scratch_database().await;
    let db = sea_orm::Database::connect(&scratch.url).await.expect("connect");
    Migrator::up(&db, None).await.expect("migrate");
    let mut prev = chain::GENESIS.to_owned();
    for n in 1..=3 {
        let row = unkeyed(&prev, n).insert(&db).await.expect("an old entry");
        prev = row.hash;
    }
    let (code, text) = duban(&scratch.url, &["audit", "verify"], None).await;
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("3 entries (0 keyed)"), "{text}");

    let create = ["user", "create", "--username", "leader1", "--role", "LEADER", "--password-stdin"];
    let (code, text) = duban(&scratch.url, &create, Some("a-password-for-leader1\n")).await;
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = duban(&scratch.url, &["audit", "verify"], None).await;
    assert_eq!(code, Some(0), "old entries, then keyed ones: {text}");
    assert!(!text.contains("(0 keyed)"), "{text}");

    // Once keyed, an unkeyed entry after it is a break, even one chained correctly.
    let last = entries_from(&db, 1).await.pop().expect("entries");
    let appended = unkeyed(&last.hash, 9).insert(&db).await.expect("an appended entry");
    let (code, text) = duban(&scratch.url, &["audit", "verify"], None).await;
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains(&format!("#{}:", appended.id)), "{text}");
    db.close().await.expect("close");
}
