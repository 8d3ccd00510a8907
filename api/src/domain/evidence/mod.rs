//! Evidence (佐证材料): files that back a progress report, a completion report, the answer to an
//! urging or a response to an instruction.
//!
//! A file is uploaded on its own first (`stage`: one request per file, so a slow county line
//! sends large files one by one and retries only the one that failed), then attached by the verb
//! that writes what it backs (`attach`, inside that verb's transaction: the report and its files
//! are written together or not at all). Who may read a file follows who may read what it backs
//! (`readable`). The bytes go to storage before the row is written; a file whose row could not be
//! written is deleted again, and `sweep` removes staged files never attached and objects no row
//! names (a process that died between the two steps).

pub mod content;
pub mod links;
pub mod names;
pub mod sweeper;

use crate::config::EvidenceLimits;
use crate::domain::Caller;
use crate::domain::audit::{self, Operation};
use crate::domain::follow_up::on_task;
use crate::error::{AppError, AppResult};
use crate::policy::{follow_up as may, rules};
use crate::storage::Storage;
use bytes::Bytes;
use entity::{EvidenceTarget, evidence};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use sha2::{Digest, Sha256};
use std::collections::HashSet;

/// Objects are kept under this prefix (nothing else in the store is touched by the sweep).
const PREFIX: &str = "evidence";

/// Evidence storage with its limits and link key: what the GraphQL and HTTP layers hand to
/// the functions here.
#[derive(Clone)]
pub struct Files {
    pub storage: Storage,
    pub limits: EvidenceLimits,
    pub links: links::LinkKey,
}

/// The files a verb attaches to what it writes, with the limits they must keep.
#[derive(Debug, Clone, Default)]
pub struct Backing {
    pub ids: Vec<i32>,
    pub max_files: usize,
    pub max_total_bytes: i64,
}

impl Files {
    /// The staged files `ids` to attach, under this server's limits.
    pub fn backing(&self, ids: Vec<i32>) -> Backing {
        Backing { ids, max_files: self.limits.max_files as usize, max_total_bytes: self.limits.max_total_bytes() }
    }
}

/// A refusal of a file or of a set of files, with its `extensions.reason`.
fn refused(reason: &'static str, message: impl Into<String>) -> AppError {
    AppError::Refused { reason, message: message.into() }
}

/// Stores one uploaded file as staged evidence of the caller's unit: its type is told by its
/// content (pictures, PDF, Office files; archives only when allowed), its size is within the
/// limit, its name is cleaned, its SHA-256 is kept (and so is on the audit trail).
pub async fn stage(
    db: &impl TransactionTrait,
    files: &Files,
    caller: &Caller,
    sent_name: &str,
    bytes: Bytes,
) -> AppResult<evidence::Model> {
    let principal = rules::account(&caller.viewer)?;
    let unit = may::own_unit(principal)?;
    if bytes.is_empty() {
        return Err(refused("FILE_EMPTY", "the file is empty"));
    }
    if bytes.len() > files.limits.max_file_bytes() {
        let message = format!("a file of evidence may be at most {} MB", files.limits.max_file_mb);
        return Err(refused("FILE_TOO_LARGE", message));
    }
    let Some(found) = content::accepted(&bytes, files.limits.allow_archives) else {
        let allowed = if files.limits.allow_archives {
            "pictures, PDF, Office files or archives"
        } else {
            "pictures, PDF or Office files"
        };
        return Err(refused(
            "FILE_TYPE_REFUSED",
            format!("evidence must be {allowed} (told by the content, not the name)"),
        ));
    };
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let key = new_key(caller);
    let size = bytes.len() as i64;
    files.storage.put(&key, bytes).await.map_err(AppError::Internal)?;
    let row = evidence::ActiveModel {
        storage_key: Set(key.clone()),
        file_name: Set(names::clean(sent_name, found.extension)),
        content_type: Set(found.mime.to_owned()),
        byte_size: Set(size),
        sha256: Set(sha256),
        department_id: Set(unit),
        uploaded_by: Set(principal.user_id),
        uploaded_at: Set(caller.now()),
        ..Default::default()
    };
    match write_staged(db, caller, row).await {
        Ok(staged) => Ok(staged),
        Err(error) => {
            // Nothing half written: the object goes with the row that failed.
            if let Err(cleanup) = files.storage.delete(&key).await {
                tracing::warn!(error = format!("{cleanup:#}"), "a stored file whose row failed is left for the sweep");
            }
            Err(error)
        }
    }
}

async fn write_staged(
    db: &impl TransactionTrait,
    caller: &Caller,
    row: evidence::ActiveModel,
) -> AppResult<evidence::Model> {
    let txn = audit::begin(db, caller).await?;
    let staged = row.insert(&txn).await?;
    audit::created(caller, &staged);
    audit::commit(txn, caller, Operation::UploadEvidence).await?;
    Ok(staged)
}

/// `evidence/2026/12/<32 random hex digits>`: never guessable, never a client's name.
fn new_key(caller: &Caller) -> String {
    let mut random = [0u8; 16];
    rand::rng().fill_bytes(&mut random);
    format!("{PREFIX}/{}/{}", caller.now().format("%Y/%m"), hex::encode(random))
}

/// What files are attached to.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    pub kind: EvidenceTarget,
    pub id: i32,
    pub task_id: i32,
    /// The unit that wrote it: only its own staged files may back it.
    pub unit: i32,
}

/// Attaches the staged files of `backing` to `target`, inside the transaction that writes the
/// target. Each must be a file the target's unit staged and has not attached yet; together
/// within the count and size limits.
pub async fn attach(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    backing: &Backing,
    target: Target,
) -> AppResult<Vec<evidence::Model>> {
    let mut seen = HashSet::new();
    let ids: Vec<i32> = backing.ids.iter().copied().filter(|id| seen.insert(*id)).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    if ids.len() > backing.max_files {
        return Err(refused("TOO_MANY_FILES", format!("at most {} files may back one report", backing.max_files)));
    }
    let rows = evidence::Entity::find().filter(evidence::Column::Id.is_in(ids.clone())).all(txn).await?;
    for id in &ids {
        let usable = rows.iter().find(|r| r.id == *id).filter(|r| r.department_id == target.unit && r.target.is_none());
        if usable.is_none() {
            let message = format!("file {id} is not one your unit uploaded and has not attached yet (uploadEvidence)");
            return Err(refused("EVIDENCE_UNAVAILABLE", message));
        }
    }
    let total: i64 = rows.iter().map(|r| r.byte_size).sum();
    if total > backing.max_total_bytes {
        let message =
            format!("the files behind one report may be at most {} MB together", backing.max_total_bytes / 1024 / 1024);
        return Err(refused("FILES_TOO_LARGE", message));
    }
    let mut attached = Vec::with_capacity(rows.len());
    for row in rows {
        let mut model: evidence::ActiveModel = row.clone().into();
        model.task_id = Set(Some(target.task_id));
        model.target = Set(Some(target.kind));
        model.target_id = Set(Some(target.id));
        let after = model.update(txn).await?;
        audit::updated(caller, &row, &after);
        attached.push(after);
    }
    attached.sort_by_key(|r| r.id);
    Ok(attached)
}

/// A file the caller may read: staged files to their unit; attached ones to whoever may read
/// what they back. NOT_FOUND when the caller may not even see the task, FORBIDDEN when it sees
/// the task but not this file.
pub async fn readable(db: &impl ConnectionTrait, caller: &Caller, id: i32) -> AppResult<evidence::Model> {
    let principal = caller.viewer.principal();
    if principal.is_none() && !caller.viewer.sees_everything() {
        return Err(AppError::Unauthenticated);
    }
    let row = evidence::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound("file"))?;
    let (Some(task_id), Some(kind)) = (row.task_id, row.target) else {
        let own = principal.is_some_and(|p| p.department_id == Some(row.department_id));
        return if own { Ok(row) } else { Err(AppError::NotFound("file")) };
    };
    let on = on_task::load(db, caller, task_id).await?;
    if may::may_read_evidence(&caller.viewer, on.role, &on.leads(), kind, row.department_id) {
        Ok(row)
    } else {
        Err(AppError::Forbidden("the file backs a report this unit may not read"))
    }
}

/// A readable file and its bytes (NOT_FOUND when its object is gone).
pub async fn download(
    db: &impl ConnectionTrait,
    files: &Files,
    caller: &Caller,
    id: i32,
) -> AppResult<(evidence::Model, Bytes)> {
    let row = readable(db, caller, id).await?;
    let bytes = files.storage.get(&row.storage_key).await.map_err(AppError::Internal)?;
    let bytes = bytes.ok_or(AppError::NotFound("file"))?;
    Ok((row, bytes))
}

/// The bytes of a file a signed link names (the link was given to someone who could read it).
pub async fn by_link(db: &impl ConnectionTrait, files: &Files, id: i32) -> AppResult<(evidence::Model, Bytes)> {
    let row = evidence::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound("file"))?;
    let bytes = files.storage.get(&row.storage_key).await.map_err(AppError::Internal)?;
    Ok((row, bytes.ok_or(AppError::NotFound("file"))?))
}

/// Deletes a file the caller's unit staged and has not attached.
pub async fn discard(
    db: &impl TransactionTrait,
    files: &Files,
    caller: &Caller,
    id: i32,
) -> AppResult<evidence::Model> {
    let principal = rules::account(&caller.viewer)?;
    let unit = may::own_unit(principal)?;
    let txn = audit::begin(db, caller).await?;
    let row = evidence::Entity::find_by_id(id).one(&txn).await?.filter(|r| r.department_id == unit);
    let row = row.ok_or(AppError::NotFound("file"))?;
    if row.target.is_some() {
        return Err(AppError::InvalidState("the file backs a report already; it stays with it".into()));
    }
    evidence::Entity::delete_by_id(id).exec(&txn).await?;
    audit::deleted(caller, &row);
    audit::commit(txn, caller, Operation::DiscardEvidence).await?;
    delete_object(files, &row.storage_key).await;
    Ok(row)
}

async fn delete_object(files: &Files, key: &str) {
    if let Err(error) = files.storage.delete(key).await {
        tracing::warn!(error = format!("{error:#}"), "a file could not be deleted from storage; the sweep will retry");
    }
}

/// The files attached to each of `targets`, oldest first (the targets were read under the
/// caller's view already).
pub async fn of_targets(
    db: &impl ConnectionTrait,
    targets: &[(EvidenceTarget, i32)],
) -> AppResult<Vec<evidence::Model>> {
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = targets.iter().map(|(_, id)| *id).collect();
    let rows = evidence::Entity::find()
        .filter(evidence::Column::TargetId.is_in(ids))
        .order_by_asc(evidence::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter(|r| r.target.is_some_and(|k| targets.contains(&(k, r.target_id.unwrap_or_default()))))
        .collect())
}

/// What one sweep removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Swept {
    /// Staged files never attached, older than the limit.
    pub staged: usize,
    /// Objects no row names, written before the grace period.
    pub orphans: usize,
}

/// Removes staged files older than `DUBAN_EVIDENCE_STAGED_HOURS` (by the caller's clock) and
/// objects no row names written more than `grace` ago (by the store's clock: an upload under
/// way has its object before its row).
pub async fn sweep(
    db: &sea_orm::DatabaseConnection,
    files: &Files,
    caller: &Caller,
    grace: chrono::Duration,
) -> AppResult<Swept> {
    let cutoff = caller.now() - chrono::Duration::hours(files.limits.staged_hours as i64);
    let txn = audit::begin(db, caller).await?;
    let stale = evidence::Entity::find()
        .filter(evidence::Column::Target.is_null())
        .filter(evidence::Column::UploadedAt.lt(cutoff))
        .all(&txn)
        .await?;
    if !stale.is_empty() {
        let ids: Vec<i32> = stale.iter().map(|r| r.id).collect();
        evidence::Entity::delete_many().filter(evidence::Column::Id.is_in(ids)).exec(&txn).await?;
        for row in &stale {
            audit::deleted(caller, row);
        }
        audit::commit(txn, caller, Operation::SweepEvidence).await?;
    }
    for row in &stale {
        delete_object(files, &row.storage_key).await;
    }
    let keys = files.storage.keys_before(PREFIX, chrono::Utc::now() - grace).await.map_err(AppError::Internal)?;
    let mut orphans = 0;
    for chunk in keys.chunks(500) {
        let known: HashSet<String> = evidence::Entity::find()
            .filter(evidence::Column::StorageKey.is_in(chunk.to_vec()))
            .all(db)
            .await?
            .into_iter()
            .map(|r| r.storage_key)
            .collect();
        for key in chunk.iter().filter(|k| !known.contains(*k)) {
            delete_object(files, key).await;
            orphans += 1;
        }
    }
    Ok(Swept { staged: stale.len(), orphans })
}
