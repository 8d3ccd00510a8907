//! The hash chain of the audit trail. Each entry's hash covers the previous entry's hash and
//! the entry's own fields, each written with its length so that no two different entries read
//! alike; the first entry chains to [`GENESIS`]. Editing a row changes its hash (its stored
//! hash no longer matches); removing one breaks the next row's `prev_hash`.
//!
//! The hash is HMAC-SHA256 under the audit key ([`AuditKey`], `DUBAN_AUDIT_KEY`), which never
//! reaches the database: whoever can write the database but has not the key cannot recompute
//! the hashes after an edit. Entries written before the trail was keyed carry plain SHA-256
//! and no marker (`chain` NULL) and still verify; once an entry is keyed, an unkeyed entry
//! after it is a break. Cutting rows off the end, or rewriting the whole trail as unkeyed
//! entries, leaves a valid-looking chain: [`verify`] with a [`Head`] recorded elsewhere
//! (`duban audit head`) catches both.

use crate::error::AppResult;
use chrono::{DateTime, SecondsFormat, Utc};
use entity::audit_entry;
use hmac::Mac;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use sha2::{Digest, Sha256};

mod key;
pub use key::{AuditKey, install, installed};

/// What the first entry chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields an entry's hash covers (everything but its id and its own hash).
#[derive(Debug, Clone, Copy)]
pub struct Fields<'a> {
    pub at: DateTime<Utc>,
    pub actor_kind: &'a str,
    pub actor_id: Option<i32>,
    pub service_token_id: Option<i32>,
    pub client_address: Option<&'a str>,
    pub operation: &'a str,
    pub entity: &'a str,
    pub entity_id: i32,
    pub task_id: Option<i32>,
    pub action: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

impl<'a> Fields<'a> {
    /// The fields of a stored entry.
    pub fn of(entry: &'a audit_entry::Model) -> Fields<'a> {
        Fields {
            at: entry.at,
            actor_kind: &entry.actor_kind,
            actor_id: entry.actor_id,
            service_token_id: entry.service_token_id,
            client_address: entry.client_address.as_deref(),
            operation: &entry.operation,
            entity: &entry.entity,
            entity_id: entry.entity_id,
            task_id: entry.task_id,
            action: &entry.action,
            before: entry.before.as_deref(),
            after: entry.after.as_deref(),
        }
    }
}

/// The bytes an entry's hash covers: the previous hash and the fields, each framed.
fn message(prev: &str, fields: &Fields<'_>) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(256);
    let mut put = |part: Option<&str>| match part {
        Some(text) => {
            bytes.extend_from_slice(text.len().to_string().as_bytes());
            bytes.push(b':');
            bytes.extend_from_slice(text.as_bytes());
        }
        None => bytes.push(b'-'),
    };
    let number = |n: Option<i32>| n.map(|n| n.to_string());
    // Microseconds: what both databases keep of a timestamp.
    let at = fields.at.to_rfc3339_opts(SecondsFormat::Micros, true);
    put(Some(prev));
    put(Some(&at));
    put(Some(fields.actor_kind));
    put(number(fields.actor_id).as_deref());
    put(number(fields.service_token_id).as_deref());
    put(fields.client_address);
    put(Some(fields.operation));
    put(Some(fields.entity));
    put(Some(&fields.entity_id.to_string()));
    put(number(fields.task_id).as_deref());
    put(Some(fields.action));
    put(fields.before);
    put(fields.after);
    bytes
}

/// The plain SHA-256 hash of an entry whose predecessor's hash is `prev`: how entries were
/// hashed before the trail was keyed.
pub fn hash(prev: &str, fields: &Fields<'_>) -> String {
    hex::encode(Sha256::digest(message(prev, fields)))
}

/// The HMAC-SHA256 hash under `key` of an entry whose predecessor's hash is `prev`.
pub fn keyed_hash(key: &AuditKey, prev: &str, fields: &Fields<'_>) -> String {
    hex::encode(key.mac().chain_update(message(prev, fields)).finalize().into_bytes())
}

/// How a new entry is hashed: its `chain` marker and its hash (keyed when there is a key).
pub fn seal(key: Option<&AuditKey>, prev: &str, fields: &Fields<'_>) -> (Option<String>, String) {
    match key {
        Some(key) => (Some(key.marker().to_owned()), keyed_hash(key, prev, fields)),
        None => (None, hash(prev, fields)),
    }
}

/// An entry recorded elsewhere (`ID:HASH`, as `duban audit head` prints it): the trail must
/// still hold it, with that hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub id: i32,
    pub hash: String,
}

impl std::str::FromStr for Head {
    type Err = String;

    fn from_str(value: &str) -> Result<Head, String> {
        let (id, hash) = value.trim().split_once(':').ok_or("expected ID:HASH, as `duban audit head` prints")?;
        let id = id.trim_start_matches('#').parse().map_err(|_| format!("{id:?} is not an entry id"))?;
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("the hash must be 64 hex digits".into());
        }
        Ok(Head { id, hash: hash.to_ascii_lowercase() })
    }
}

impl std::fmt::Display for Head {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.id, self.hash)
    }
}

/// What a walk over the chain found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every entry chains to the one before it; `keyed` of them under the audit key.
    Intact { entries: u64, keyed: u64, head: Option<(i32, String)> },
    /// The first entry that does not: its id and why.
    Broken { entry_id: i32, reason: String },
}

/// Checks one entry against the hash before it, with the verifier's `key`; `keyed_before`
/// says whether an entry before it was keyed.
pub fn check(prev: &str, entry: &audit_entry::Model, key: Option<&AuditKey>, keyed_before: bool) -> Result<(), String> {
    if entry.prev_hash != prev {
        return Err("its previous hash is not the hash of the entry before it (an entry was removed or edited)".into());
    }
    let expected = match (entry.chain.as_deref(), key) {
        (None, _) if keyed_before => {
            return Err(
                "it is not keyed, yet an entry before it is (it was written or rewritten without the audit key)".into(),
            );
        }
        (None, _) => hash(prev, &Fields::of(entry)),
        (Some(_), None) => return Err("it is keyed, and no audit key is set to check it (DUBAN_AUDIT_KEY)".into()),
        (Some(marker), Some(key)) if marker != key.marker() => {
            return Err(format!(
                "it was keyed with audit key {marker:?}, not {:?} (another key, or edited)",
                key.marker()
            ));
        }
        (Some(_), Some(key)) => keyed_hash(key, prev, &Fields::of(entry)),
    };
    if expected != entry.hash {
        return Err("its content does not match its hash (the entry was edited)".into());
    }
    Ok(())
}

/// Walks the whole chain in id order, a page at a time, with the verifier's `key`; when given,
/// `pin` (an entry recorded earlier) must still be there with its hash.
pub async fn verify(db: &impl ConnectionTrait, key: Option<&AuditKey>, pin: Option<&Head>) -> AppResult<Verdict> {
    const PAGE: u64 = 2_000;
    let mut prev = GENESIS.to_owned();
    let (mut last_id, mut entries, mut keyed) = (0, 0_u64, 0_u64);
    let mut pinned = None;
    loop {
        let page = audit_entry::Entity::find()
            .filter(audit_entry::Column::Id.gt(last_id))
            .order_by_asc(audit_entry::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let done = (page.len() as u64) < PAGE;
        for entry in page {
            if let Err(reason) = check(&prev, &entry, key, keyed > 0) {
                return Ok(Verdict::Broken { entry_id: entry.id, reason });
            }
            if pin.is_some_and(|pin| pin.id == entry.id) {
                pinned = Some(entry.hash.clone());
            }
            entries += 1;
            keyed += u64::from(entry.chain.is_some());
            last_id = entry.id;
            prev = entry.hash;
        }
        if done {
            if let Some(pin) = pin
                && let Err(reason) = check_pin(pin, pinned.as_deref())
            {
                return Ok(Verdict::Broken { entry_id: pin.id, reason });
            }
            let head = (entries > 0).then_some((last_id, prev));
            return Ok(Verdict::Intact { entries, keyed, head });
        }
    }
}

/// Whether the recorded entry is still there (`found`: its hash now) with the recorded hash.
fn check_pin(pin: &Head, found: Option<&str>) -> Result<(), String> {
    match found {
        None => Err("the trail no longer holds this recorded entry (entries were cut off the end)".into()),
        Some(hash) if hash != pin.hash => {
            Err(format!("its hash is {hash}, not the recorded {} (the trail was rewritten)", pin.hash))
        }
        Some(_) => Ok(()),
    }
}

/// The last entry's id and hash (none on an empty trail), for an operator to keep elsewhere.
pub async fn head(db: &impl ConnectionTrait) -> AppResult<Option<Head>> {
    let last = audit_entry::Entity::find().order_by_desc(audit_entry::Column::Id).one(db).await?;
    Ok(last.map(|entry| Head { id: entry.id, hash: entry.hash }))
}

#[cfg(test)]
mod tests;
