//! The chain's rules on entries built in memory: edits, removals, keyed and unkeyed entries,
//! recorded heads.

use super::*;

fn key() -> AuditKey {
    AuditKey::new(b"a test audit key of some length")
}

fn entry(id: i32, prev: &str, after: &str, key: Option<&AuditKey>) -> audit_entry::Model {
    let mut model = audit_entry::Model {
        id,
        at: DateTime::from_timestamp(1_700_000_000, 123_456_000).unwrap(),
        actor_kind: crate::domain::audit::ActorKind::User.name().into(),
        actor_id: Some(3),
        service_token_id: None,
        client_address: Some("127.0.0.1".into()),
        operation: crate::domain::audit::Operation::SignTask.name().into(),
        entity: crate::domain::audit::Table::Assignment.name().into(),
        entity_id: 9,
        task_id: Some(4),
        action: crate::domain::audit::Action::Update.name().into(),
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
