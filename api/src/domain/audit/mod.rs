//! The audit trail (留痕): every write records, in its own transaction, one entry per changed
//! entity: when, who (account, service token, client address), what (entity, id, the operation
//! and the action) and the change (the fields before and after as JSON; secrets never, see the
//! `#[serde(skip)]` fields of the entities). Entries are appended, never updated or deleted, and
//! chained by hash ([`chain`]).
//!
//! A domain function opens its transaction with [`begin`], records each change on the caller
//! as it writes ([`created`], [`updated`], [`deleted`]) and ends with [`commit`], which appends
//! the entries after the last row write and commits: on PostgreSQL the append
//! takes a transaction-scoped advisory lock so entries chain in commit order, and holding it only
//! from there to the commit keeps writers from waiting on each other for long (and from
//! deadlocking: nothing is locked after it). On SQLite write transactions are serialised already
//! (`BEGIN IMMEDIATE`). Appending also wakes the event pump ([`crate::events`]): on PostgreSQL by
//! `pg_notify` in the same transaction (queued before the lock, delivered at commit, to every
//! process), on SQLite in process, after the commit.

pub mod chain;
pub mod log;
pub mod names;
pub mod timeline;

pub use names::{Action, ActorKind, Names, Operation, Table};

use crate::domain::Caller;
use crate::error::AppResult;
use crate::policy::Viewer;
use chrono::Timelike;
use entity::audit_entry;
use sea_orm::{
    ConnectionTrait, DbBackend, EntityTrait, QueryOrder, QuerySelect, QueryTrait, Set, Statement, TransactionSession,
    TransactionTrait,
};
use serde::Serialize;
use serde_json::{Map, Value};

/// The PostgreSQL channel that carries "the trail grew" to every process.
pub const CHANNEL: &str = "duban_audit";

/// The advisory lock key of the chain's head (`duban` in ASCII).
const CHAIN_LOCK: i64 = 0x0064_7562_616e;

/// An entity as the trail records it: its table, id, task, and a JSON snapshot.
pub trait Audited: Serialize {
    /// Its table.
    const ENTITY: Table;
    fn audit_id(&self) -> i32;
    /// The task whose timeline the change belongs to.
    fn audit_task(&self) -> Option<i32> {
        None
    }
}

/// One change, before it is appended.
#[derive(Debug, Clone)]
pub struct Change {
    pub entity: Table,
    pub entity_id: i32,
    pub task_id: Option<i32>,
    pub action: Action,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

fn snapshot(model: &impl Serialize) -> Value {
    serde_json::to_value(model).unwrap_or(Value::Null)
}

/// Fields kept on both sides of an update even when they did not change: they say whose row
/// it is (the unit of an assignment or a report), which a timeline needs to name.
const CONTEXT: &[&str] = &["department_id"];

/// Only the fields that differ, each side (and the [`CONTEXT`] fields).
fn diff(before: Value, after: Value) -> (Value, Value) {
    match (before, after) {
        (Value::Object(before), Value::Object(after)) => {
            let (mut old, mut new) = (Map::new(), Map::new());
            for (key, value) in &after {
                if before.get(key) != Some(value) {
                    old.insert(key.clone(), before.get(key).cloned().unwrap_or(Value::Null));
                    new.insert(key.clone(), value.clone());
                }
            }
            if !new.is_empty() {
                for key in CONTEXT {
                    if let (Some(was), Some(is)) = (before.get(*key), after.get(*key)) {
                        old.entry(*key).or_insert_with(|| was.clone());
                        new.entry(*key).or_insert_with(|| is.clone());
                    }
                }
            }
            (Value::Object(old), Value::Object(new))
        }
        (before, after) => (before, after),
    }
}

impl Change {
    pub fn created<M: Audited>(model: &M) -> Change {
        Change {
            entity: M::ENTITY,
            entity_id: model.audit_id(),
            task_id: model.audit_task(),
            action: Action::Create,
            before: None,
            after: Some(snapshot(model)),
        }
    }

    /// An update: the changed fields only; `None` when nothing changed.
    pub fn updated<M: Audited>(before: &M, after: &M) -> Option<Change> {
        let (old, new) = diff(snapshot(before), snapshot(after));
        if new.as_object().is_some_and(Map::is_empty) {
            return None;
        }
        Some(Change {
            entity: M::ENTITY,
            entity_id: after.audit_id(),
            task_id: after.audit_task(),
            action: Action::Update,
            before: Some(old),
            after: Some(new),
        })
    }

    pub fn deleted<M: Audited>(model: &M) -> Change {
        Change {
            entity: M::ENTITY,
            entity_id: model.audit_id(),
            task_id: model.audit_task(),
            action: Action::Delete,
            before: Some(snapshot(model)),
            after: None,
        }
    }

    /// A sign-in of account `user_id`.
    pub fn login(user_id: i32) -> Change {
        Change {
            entity: Table::AppUser,
            entity_id: user_id,
            task_id: None,
            action: Action::Login,
            before: None,
            after: None,
        }
    }
}

/// Walks the whole chain with the process's audit key (admins and the console); `pin`, an
/// entry recorded earlier, must still be there with its hash.
pub async fn verify(
    db: &impl ConnectionTrait,
    caller: &Caller,
    pin: Option<&chain::Head>,
) -> AppResult<chain::Verdict> {
    crate::policy::rules::admin(&caller.viewer)?;
    chain::verify(db, chain::installed(), pin).await
}

/// The last entry's id and hash (admins and the console).
pub async fn head(db: &impl ConnectionTrait, caller: &Caller) -> AppResult<Option<chain::Head>> {
    crate::policy::rules::admin(&caller.viewer)?;
    chain::head(db).await
}

/// Records that `model` was created, for the caller's current transaction.
pub fn created<M: Audited>(caller: &Caller, model: &M) {
    caller.record(Change::created(model));
}

/// Records an update (the changed fields; nothing when no field changed).
pub fn updated<M: Audited>(caller: &Caller, before: &M, after: &M) {
    if let Some(change) = Change::updated(before, after) {
        caller.record(change);
    }
}

/// Records that `model` was deleted.
pub fn deleted<M: Audited>(caller: &Caller, model: &M) {
    caller.record(Change::deleted(model));
}

/// Starts a write transaction for `caller`: whatever an earlier, failed one recorded is
/// forgotten, and the caller's credential must still stand inside it ([`credential_stands`]).
pub async fn begin<C: TransactionTrait>(db: &C, caller: &Caller) -> AppResult<C::Transaction> {
    caller.take_changes();
    let txn = crate::db::begin_write(db).await?;
    if let Some(stamp) = caller.credential {
        credential_stands(&txn, stamp).await?;
    }
    Ok(txn)
}

/// Refuses (UNAUTHENTICATED) a write whose credential was revoked since the request checked it:
/// the account deactivated, its token version moved on (logout everywhere, a new password, a
/// role or unit change), or the service token revoked. Another process may not have heard of a
/// revocation yet; the database has. On PostgreSQL the rows are read `FOR SHARE`, so a
/// revocation committing meanwhile waits for this write to end (the write came first) or this
/// read waits for it and sees it; on SQLite the write transaction holds the database already.
async fn credential_stands(txn: &impl ConnectionTrait, stamp: crate::domain::Stamp) -> AppResult<()> {
    let backend = txn.get_database_backend();
    let (param, lock) = if backend == DbBackend::Postgres { ("$1", " FOR SHARE") } else { ("?", "") };
    let account = format!("SELECT token_version, active FROM app_user WHERE id = {param}{lock}");
    let row = txn.query_one_raw(Statement::from_sql_and_values(backend, account, [stamp.user_id.into()])).await?;
    let stands = match row {
        Some(row) => {
            let (version, active): (i32, bool) = (row.try_get_by_index(0)?, row.try_get_by_index(1)?);
            active && (stamp.service_token.is_some() || version == stamp.token_version)
        }
        None => false,
    };
    let token_stands = match stamp.service_token {
        Some(id) => {
            let token = format!("SELECT id FROM service_token WHERE id = {param} AND revoked_at IS NULL{lock}");
            txn.query_one_raw(Statement::from_sql_and_values(backend, token, [id.into()])).await?.is_some()
        }
        None => true,
    };
    if stands && token_stands { Ok(()) } else { Err(crate::error::AppError::Unauthenticated) }
}

/// Does what the changes `caller` recorded imply ([`follow`]), appends them to the trail as
/// `operation`, and commits: all of it goes in together or not at all.
pub async fn commit<T: ConnectionTrait + TransactionSession>(
    txn: T,
    caller: &Caller,
    operation: Operation,
) -> AppResult<()> {
    let changes = caller.take_changes();
    follow(&txn, &changes).await?;
    append(&txn, caller, operation, changes).await?;
    txn.commit().await?;
    Ok(())
}

/// What a change implies, in its transaction, so that no verb has to remember it: the warning
/// facts of every task whose own row, units, reports or urgings changed are computed again
/// (`follow_up::facts`). What else follows a change (webhook deliveries, subscriptions, the
/// account cache) is read off the trail once it is committed.
async fn follow(db: &impl ConnectionTrait, changes: &[Change]) -> AppResult<()> {
    let tasks_where = |moves: fn(Table) -> bool| {
        let mut tasks: Vec<i32> = changes.iter().filter(|c| moves(c.entity)).filter_map(|c| c.task_id).collect();
        tasks.sort_unstable();
        tasks.dedup();
        tasks
    };
    let tasks = tasks_where(Table::shapes_warning_facts);
    if !tasks.is_empty() {
        crate::domain::follow_up::facts::refresh(db, &tasks).await?;
    }
    let parts = tasks_where(Table::shapes_part_figures);
    if !parts.is_empty() {
        crate::domain::follow_up::facts::refresh_parts(db, &parts).await?;
    }
    Ok(())
}

/// Appends entries to the chain inside the caller's transaction (after its last row write).
async fn append(
    db: &impl ConnectionTrait,
    caller: &Caller,
    operation: Operation,
    changes: Vec<Change>,
) -> AppResult<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let backend = db.get_database_backend();
    if backend == DbBackend::Postgres {
        // Queued now, delivered at commit: sent before the lock, it is one round trip fewer while
        // every other writer waits.
        db.execute_raw(Statement::from_sql_and_values(backend, "SELECT pg_notify($1, '')", [CHANNEL.into()])).await?;
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            "SELECT pg_advisory_xact_lock($1)",
            [CHAIN_LOCK.into()],
        ))
        .await?;
    }
    let head = audit_entry::Entity::find()
        .select_only()
        .column(audit_entry::Column::Hash)
        .order_by_desc(audit_entry::Column::Id)
        .limit(1)
        .into_query();
    // Read under the chain lock: planned once per connection, not on every write.
    let head = match db.query_one_raw(crate::domain::plan_cache::build(backend, &head)).await? {
        Some(row) => Some(row.try_get_by_index::<String>(0)?),
        None => None,
    };
    let mut prev = head.unwrap_or_else(|| chain::GENESIS.to_owned());
    // Installed at start-up by the server and the command line alike (`bootstrap::audit_key`).
    let key = chain::installed();
    let actor = Actor::of(caller);
    // Whole microseconds: what PostgreSQL keeps, so the stored time hashes as it was hashed.
    let now = caller.now();
    let at = now.with_nanosecond(now.nanosecond() / 1_000 * 1_000).unwrap_or(now);
    let mut rows = Vec::with_capacity(changes.len());
    for change in changes {
        let before = change.before.map(|v| v.to_string());
        let after = change.after.map(|v| v.to_string());
        let fields = chain::Fields {
            at,
            actor_kind: actor.kind.name(),
            actor_id: actor.id,
            service_token_id: actor.service_token,
            client_address: actor.client.as_deref(),
            operation: operation.name(),
            entity: change.entity.name(),
            entity_id: change.entity_id,
            task_id: change.task_id,
            action: change.action.name(),
            before: before.as_deref(),
            after: after.as_deref(),
        };
        let (marker, hash) = chain::seal(key, &prev, &fields);
        rows.push(audit_entry::ActiveModel {
            at: Set(at),
            actor_kind: Set(actor.kind.name().to_owned()),
            actor_id: Set(actor.id),
            service_token_id: Set(actor.service_token),
            client_address: Set(actor.client.clone()),
            operation: Set(operation.name().to_owned()),
            entity: Set(change.entity.name().to_owned()),
            entity_id: Set(change.entity_id),
            task_id: Set(change.task_id),
            action: Set(change.action.name().to_owned()),
            before: Set(before),
            after: Set(after),
            prev_hash: Set(std::mem::replace(&mut prev, hash.clone())),
            hash: Set(hash),
            chain: Set(marker),
            ..Default::default()
        });
    }
    let mut last = 0;
    for chunk in rows.chunks(500) {
        last = audit_entry::Entity::insert_many(chunk.to_vec()).exec(db).await?.last_insert_id.unwrap_or(last);
    }
    caller.trail_grew(last);
    Ok(())
}

/// Who the trail names.
struct Actor {
    kind: ActorKind,
    id: Option<i32>,
    service_token: Option<i32>,
    client: Option<String>,
}

impl Actor {
    fn of(caller: &Caller) -> Actor {
        let (kind, id) = match &caller.viewer {
            Viewer::User(p) if caller.service_token.is_some() => (ActorKind::Service, Some(p.user_id)),
            Viewer::User(p) => (ActorKind::User, Some(p.user_id)),
            Viewer::System => (ActorKind::Console, None),
            Viewer::Anonymous => (ActorKind::Anonymous, None),
        };
        Actor { kind, id, service_token: caller.service_token, client: caller.client.map(|ip| ip.to_string()) }
    }
}

macro_rules! audited {
    ($module:ident, $table:ident, task: |$m:ident| $task:expr) => {
        impl Audited for entity::$module::Model {
            const ENTITY: Table = Table::$table;
            fn audit_id(&self) -> i32 {
                self.id
            }
            fn audit_task(&self) -> Option<i32> {
                let $m = self;
                $task
            }
        }
    };
    ($module:ident, $table:ident) => {
        impl Audited for entity::$module::Model {
            const ENTITY: Table = Table::$table;
            fn audit_id(&self) -> i32 {
                self.id
            }
        }
    };
}

audited!(task, Task, task: |m| Some(m.id));
audited!(assignment, Assignment, task: |m| Some(m.task_id));
audited!(progress_report, ProgressReport, task: |m| Some(m.task_id));
audited!(extension_request, ExtensionRequest, task: |m| Some(m.task_id));
audited!(due_date_change, DueDateChange, task: |m| Some(m.task_id));
audited!(urging, Urging, task: |m| Some(m.task_id));
audited!(instruction, Instruction, task: |m| Some(m.task_id));
audited!(completion_report, CompletionReport, task: |m| Some(m.task_id));
audited!(document, Document);
audited!(department, Department);
audited!(department_alias, DepartmentAlias);
audited!(user, AppUser);
audited!(service_token, ServiceToken);
audited!(policy_event, PolicyEvent);
audited!(webhook, Webhook);
audited!(evidence, Evidence, task: |m| m.task_id);

/// A response to an instruction belongs to its instruction's task, which the row does not
/// carry: the caller names it.
pub fn instruction_response(model: &entity::instruction_response::Model, task_id: i32) -> Change {
    Change {
        entity: Table::InstructionResponse,
        entity_id: model.id,
        task_id: Some(task_id),
        action: Action::Create,
        before: None,
        after: Some(snapshot(model)),
    }
}

/// A change of a row without an id of its own (group membership, a calendar day, the
/// settings): named by `entity_id` (the group, the day as YYYYMMDD, 1).
pub fn keyed(entity: Table, entity_id: i32, action: Action, before: Option<Value>, after: Option<Value>) -> Change {
    Change { entity, entity_id, task_id: None, action, before, after }
}

/// A snapshot of anything serialisable, for [`keyed`] changes.
pub fn json(value: &impl Serialize) -> Value {
    snapshot(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_keeps_whose_row_it_is() {
        let (before, after) = diff(
            serde_json::json!({ "id": 1, "department_id": 7, "state": "ASSIGNED" }),
            serde_json::json!({ "id": 1, "department_id": 7, "state": "SIGNED" }),
        );
        assert_eq!(before, serde_json::json!({ "state": "ASSIGNED", "department_id": 7 }));
        assert_eq!(after, serde_json::json!({ "state": "SIGNED", "department_id": 7 }));
        let (_, unchanged) = diff(serde_json::json!({ "department_id": 7 }), serde_json::json!({ "department_id": 7 }));
        assert_eq!(unchanged, serde_json::json!({}), "no change, no entry");
    }

    #[test]
    fn an_update_records_the_changed_fields_only() {
        let (before, after) = diff(
            serde_json::json!({ "id": 1, "status": "IN_PROGRESS", "version": 3, "title": "t" }),
            serde_json::json!({ "id": 1, "status": "PENDING_REVIEW", "version": 4, "title": "t" }),
        );
        assert_eq!(before, serde_json::json!({ "status": "IN_PROGRESS", "version": 3 }));
        assert_eq!(after, serde_json::json!({ "status": "PENDING_REVIEW", "version": 4 }));
    }

    #[test]
    fn secrets_never_reach_a_snapshot() {
        let user = entity::user::Model {
            id: 1,
            username: "u".into(),
            password_hash: "$argon2id$secret".into(),
            role: entity::UserRole::Admin,
            department_id: None,
            active: true,
            token_version: 1,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        };
        let text = Change::created(&user).after.unwrap().to_string();
        assert!(!text.contains("argon2") && !text.contains("password"), "{text}");
        assert!(text.contains("\"role\":\"ADMIN\""), "{text}");
    }
}
