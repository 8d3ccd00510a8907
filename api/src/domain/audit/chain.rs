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
use hmac::{Hmac, Mac};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

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

/// What keyed entries store in `chain` before the key's id.
const KEYED: &str = "hmac:";

/// The audit key: HMAC-SHA256 keyed with the `DUBAN_AUDIT_KEY` secret. It prints as its id only.
#[derive(Clone)]
pub struct AuditKey {
    mac: Hmac<Sha256>,
    marker: String,
}

impl AuditKey {
    /// The key made from a secret (any length; the configuration asks for 16 bytes at least).
    pub fn new(secret: &[u8]) -> AuditKey {
        let mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes keys of any length");
        // An id that names the key without revealing it: the MAC of a fixed text.
        let id = hex::encode(mac.clone().chain_update(b"duban audit key id").finalize().into_bytes());
        AuditKey { mac, marker: format!("{KEYED}{}", &id[..16]) }
    }

    /// What entries hashed with this key store in `chain`: `hmac:` and 16 hex digits.
    pub fn marker(&self) -> &str {
        &self.marker
    }
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("AuditKey").field(&self.marker).finish()
    }
}

/// The key of this process, shared by the server's writes and the command line's.
static KEY: OnceLock<AuditKey> = OnceLock::new();

/// Makes `key` the process's audit key, once at start-up; installing the same key again is
/// fine, another one is refused (entries would chain under two keys).
pub fn install(key: AuditKey) -> Result<(), String> {
    let installed = KEY.get_or_init(|| key.clone());
    if installed.marker == key.marker {
        Ok(())
    } else {
        Err(format!("this process already uses audit key {}, not {}", installed.marker, key.marker))
    }
}

/// The process's audit key, once installed.
pub fn installed() -> Option<&'static AuditKey> {
    KEY.get()
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
    hex::encode(key.mac.clone().chain_update(message(prev, fields)).finalize().into_bytes())
}

/// How a new entry is hashed: its `chain` marker and its hash (keyed when there is a key).
pub fn seal(key: Option<&AuditKey>, prev: &str, fields: &Fields<'_>) -> (Option<String>, String) {
    match key {
        Some(key) => (Some(key.marker.clone()), keyed_hash(key, prev, fields)),
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
        (Some(marker), Some(key)) if marker != key.marker => {
            return Err(format!(
                "it was keyed with audit key {marker:?}, not {:?} (another key, or edited)",
                key.marker
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
mod tests {
    use super::*;

    fn key() -> AuditKey {
        AuditKey::new(b"a test audit key of some length")
    }

    fn entry(id: i32, prev: &str, after: &str, key: Option<&AuditKey>) -> audit_entry::Model {
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
            chain: None,
        };
        (model.chain, model.hash) = seal(key, prev, &Fields::of(&model));
        model
    }

    /// Checks entries in order as [`verify`] walks them; the first break's id.
    fn walk(entries: &[audit_entry::Model], key: Option<&AuditKey>) -> Result<(), i32> {
        let (mut prev, mut keyed) = (GENESIS.to_owned(), false);
        for entry in entries {
            check(&prev, entry, key, keyed).map_err(|_| entry.id)?;
            keyed |= entry.chain.is_some();
            prev = entry.hash.clone();
        }
        Ok(())
    }

    #[test]
    fn an_edited_or_removed_entry_breaks_the_chain_where_it_was() {
        let first = entry(1, GENESIS, "{\"state\":\"SIGNED\"}", None);
        let second = entry(2, &first.hash, "{\"state\":\"IN_PROGRESS\"}", None);
        assert_eq!(check(GENESIS, &first, None, false), Ok(()));
        assert_eq!(check(&first.hash, &second, None, false), Ok(()));

        let mut edited = first.clone();
        edited.after = Some("{\"state\":\"DONE\"}".into());
        assert!(check(GENESIS, &edited, None, false).is_err(), "an edit shows in the entry itself");
        assert!(check(GENESIS, &second, None, false).is_err(), "a removal shows in the next entry");
    }

    #[test]
    fn fields_are_framed_so_that_moving_text_between_them_changes_the_hash() {
        let a = entry(1, GENESIS, "ab", None);
        let mut b = a.clone();
        b.before = Some(format!("{}a", a.before.clone().unwrap()));
        b.after = Some("b".into());
        assert_ne!(hash(GENESIS, &Fields::of(&a)), hash(GENESIS, &Fields::of(&b)));
    }

    #[test]
    fn unkeyed_entries_from_before_the_key_verify_and_keyed_ones_follow_them() {
        let key = key();
        let old = entry(1, GENESIS, "a", None);
        let new = entry(2, &old.hash, "b", Some(&key));
        assert_eq!(new.chain.as_deref(), Some(key.marker()));
        assert_ne!(new.hash, hash(&old.hash, &Fields::of(&new)), "keyed: not the plain hash");
        assert_eq!(walk(&[old.clone(), new.clone()], Some(&key)), Ok(()));
        assert_eq!(walk(std::slice::from_ref(&old), None), Ok(()), "an old trail needs no key");
        assert_eq!(walk(&[old, new], None), Err(2), "a keyed entry cannot be checked without the key");
    }

    #[test]
    fn an_edit_with_every_later_hash_recomputed_without_the_key_is_caught() {
        let key = key();
        let first = entry(1, GENESIS, "a", Some(&key));
        let second = entry(2, &first.hash, "b", Some(&key));
        let third = entry(3, &second.hash, "c", Some(&key));
        assert_eq!(walk(&[first.clone(), second.clone(), third.clone()], Some(&key)), Ok(()));

        // The attacker edits the second entry and rechains it and the third with plain SHA-256,
        // keeping or dropping the marker: either way the chain breaks at the edit.
        for marker in [second.chain.clone(), None] {
            let mut edited = second.clone();
            edited.after = Some("forged".into());
            edited.chain = marker.clone();
            edited.hash = hash(&first.hash, &Fields::of(&edited));
            let mut rechained = third.clone();
            rechained.prev_hash = edited.hash.clone();
            rechained.chain = marker;
            rechained.hash = hash(&edited.hash, &Fields::of(&rechained));
            assert_eq!(walk(&[first.clone(), edited, rechained], Some(&key)), Err(2));
        }
        // Rechained under a key of the attacker's own: another marker, or the wrong MAC.
        let theirs = AuditKey::new(b"the attacker's own key, not ours");
        let forged = entry(2, &first.hash, "forged", Some(&theirs));
        assert_eq!(walk(&[first.clone(), forged.clone()], Some(&key)), Err(2));
        let mut disguised = forged;
        disguised.chain = Some(key.marker().to_owned());
        assert_eq!(walk(&[first, disguised], Some(&key)), Err(2));
    }

    #[test]
    fn a_recorded_head_catches_entries_cut_off_or_a_trail_rewritten() {
        let head: Head = "2:ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789".parse().unwrap();
        assert_eq!(head.to_string(), "2:abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
        assert_eq!(check_pin(&head, Some(&head.hash)), Ok(()));
        assert!(check_pin(&head, None).is_err(), "cut off");
        assert!(check_pin(&head, Some(GENESIS)).is_err(), "rewritten");
        for bad in ["2", "x:ab", "2:abc", "2:zz"] {
            assert!(bad.parse::<Head>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_process_keeps_one_audit_key_and_it_prints_as_its_id() {
        let key = key();
        assert_eq!(key.marker(), AuditKey::new(b"a test audit key of some length").marker());
        assert_ne!(key.marker(), AuditKey::new(b"another key").marker());
        assert!(!format!("{key:?}").contains("test audit key"));
        assert!(key.marker().starts_with("hmac:") && key.marker().len() == 21);
    }
}
