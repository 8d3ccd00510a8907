//! The hash chain of the audit trail. Each entry's hash is SHA-256 over the previous entry's
//! hash and the entry's own fields, each written with its length so that no two different
//! entries read alike; the first entry chains to [`GENESIS`]. Editing a row changes its hash
//! (its stored hash no longer matches); removing one breaks the next row's `prev_hash`. Cutting
//! rows off the end leaves a shorter, valid chain: compare the head's hash with one kept
//! elsewhere (`duban audit verify` prints it) to catch that too.

use crate::error::AppResult;
use chrono::{DateTime, SecondsFormat, Utc};
use entity::audit_entry;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use sha2::{Digest, Sha256};

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

/// The hash of an entry whose predecessor's hash is `prev`.
pub fn hash(prev: &str, fields: &Fields<'_>) -> String {
    let mut hasher = Sha256::new();
    let mut put = |part: Option<&str>| match part {
        Some(text) => {
            hasher.update(text.len().to_string().as_bytes());
            hasher.update(b":");
            hasher.update(text.as_bytes());
        }
        None => hasher.update(b"-"),
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
    hex::encode(hasher.finalize())
}

/// What a walk over the chain found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every entry chains to the one before it.
    Intact { entries: u64, head: Option<(i32, String)> },
    /// The first entry that does not: its id and why.
    Broken { entry_id: i32, reason: String },
}

/// Checks one entry against the hash before it.
pub fn check(prev: &str, entry: &audit_entry::Model) -> Result<(), String> {
    if entry.prev_hash != prev {
        return Err("its previous hash is not the hash of the entry before it (an entry was removed or edited)".into());
    }
    if hash(prev, &Fields::of(entry)) != entry.hash {
        return Err("its content does not match its hash (the entry was edited)".into());
    }
    Ok(())
}

/// Walks the whole chain in id order, a page at a time.
pub async fn verify(db: &impl ConnectionTrait) -> AppResult<Verdict> {
    const PAGE: u64 = 2_000;
    let mut prev = GENESIS.to_owned();
    let (mut last_id, mut entries) = (0, 0_u64);
    loop {
        let page = audit_entry::Entity::find()
            .filter(audit_entry::Column::Id.gt(last_id))
            .order_by_asc(audit_entry::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let done = (page.len() as u64) < PAGE;
        for entry in page {
            if let Err(reason) = check(&prev, &entry) {
                return Ok(Verdict::Broken { entry_id: entry.id, reason });
            }
            entries += 1;
            last_id = entry.id;
            prev = entry.hash;
        }
        if done {
            let head = (entries > 0).then_some((last_id, prev));
            return Ok(Verdict::Intact { entries, head });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i32, prev: &str, after: &str) -> audit_entry::Model {
        let mut model = audit_entry::Model {
            id,
            at: DateTime::from_timestamp(1_700_000_000, 123_456_000).unwrap(),
            actor_kind: "USER".into(),
            actor_id: Some(3),
            service_token_id: None,
            client_address: Some("127.0.0.1".into()),
            operation: "signTask".into(),
            entity: "assignment".into(),
            entity_id: 9,
            task_id: Some(4),
            action: "UPDATE".into(),
            before: Some("{\"state\":\"ASSIGNED\"}".into()),
            after: Some(after.into()),
            prev_hash: prev.into(),
            hash: String::new(),
        };
        model.hash = hash(prev, &Fields::of(&model));
        model
    }

    #[test]
    fn an_edited_or_removed_entry_breaks_the_chain_where_it_was() {
        let first = entry(1, GENESIS, "{\"state\":\"SIGNED\"}");
        let second = entry(2, &first.hash, "{\"state\":\"IN_PROGRESS\"}");
        assert_eq!(check(GENESIS, &first), Ok(()));
        assert_eq!(check(&first.hash, &second), Ok(()));

        let mut edited = first.clone();
        edited.after = Some("{\"state\":\"DONE\"}".into());
        assert!(check(GENESIS, &edited).is_err(), "an edit shows in the entry itself");
        assert!(check(GENESIS, &second).is_err(), "a removal shows in the next entry");
    }

    #[test]
    fn fields_are_framed_so_that_moving_text_between_them_changes_the_hash() {
        let a = entry(1, GENESIS, "ab");
        let mut b = a.clone();
        b.before = Some(format!("{}a", a.before.clone().unwrap()));
        b.after = Some("b".into());
        assert_ne!(hash(GENESIS, &Fields::of(&a)), hash(GENESIS, &Fields::of(&b)));
    }
}
