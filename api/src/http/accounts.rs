//! The accounts behind bearer credentials, kept in process so that a warm request reads none:
//! what a session token's account is now (role, unit, the unit's groups, token version,
//! active), and which account a service token stands for. An entry is dropped the moment the
//! audit trail says its account, token, group or unit changed (see `events`): on PostgreSQL the
//! trail's notification reaches every process at the commit, so a revocation made through one
//! replica is refused by all of them; a process's own writes are caught up before it answers.

use entity::audit_entry;
use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// What a request needs of its account, with the groups its unit belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i32,
    pub role: entity::UserRole,
    pub department_id: Option<i32>,
    pub token_version: i32,
    pub group_ids: Vec<i32>,
    /// The service token the account was found through.
    pub service_token_id: Option<i32>,
}

/// The cache.
#[derive(Debug, Default)]
pub struct Accounts {
    by_user: RwLock<HashMap<i32, Account>>,
    /// Working service tokens by the hash of their secret.
    by_token: RwLock<HashMap<String, Account>>,
    lookups: AtomicU64,
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Accounts {
    /// The active account `id`, if known.
    pub fn user(&self, id: i32) -> Option<Account> {
        read(&self.by_user).get(&id).cloned()
    }

    /// The account behind a working service token, if known.
    pub fn token(&self, hash: &str) -> Option<Account> {
        read(&self.by_token).get(hash).cloned()
    }

    /// Keeps what a lookup found.
    pub fn keep_user(&self, account: Account) {
        self.lookups.fetch_add(1, Ordering::Relaxed);
        write(&self.by_user).insert(account.id, account);
    }

    /// Keeps what a service token lookup found.
    pub fn keep_token(&self, hash: String, account: Account) {
        self.lookups.fetch_add(1, Ordering::Relaxed);
        write(&self.by_token).insert(hash, account);
    }

    /// How many lookups went to the database.
    pub fn lookups(&self) -> u64 {
        self.lookups.load(Ordering::Relaxed)
    }

    /// Forgets what `entry` may have made stale.
    pub fn forget(&self, entry: &audit_entry::Model) {
        match (entry.entity.as_str(), entry.action.as_str()) {
            (_, "LOGIN") => {}
            ("app_user", _) => {
                write(&self.by_user).remove(&entry.entity_id);
                write(&self.by_token).retain(|_, a| a.id != entry.entity_id);
            }
            ("service_token", _) => {
                write(&self.by_token).retain(|_, a| a.service_token_id != Some(entry.entity_id));
            }
            // A unit's groups or a unit itself changed: rare, so everything goes.
            ("group_member" | "department", _) => {
                write(&self.by_user).clear();
                write(&self.by_token).clear();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: i32, token: Option<i32>) -> Account {
        Account {
            id,
            role: entity::UserRole::Service,
            department_id: Some(3),
            token_version: 1,
            group_ids: vec![],
            service_token_id: token,
        }
    }

    fn entry(entity: &str, id: i32, action: &str) -> audit_entry::Model {
        audit_entry::Model {
            id: 1,
            at: chrono::Utc::now(),
            actor_kind: "USER".into(),
            actor_id: None,
            service_token_id: None,
            client_address: None,
            operation: "x".into(),
            entity: entity.into(),
            entity_id: id,
            task_id: None,
            action: action.into(),
            before: None,
            after: None,
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    #[test]
    fn a_change_to_an_account_or_its_token_forgets_them_and_a_sign_in_does_not() {
        let cache = Accounts::default();
        cache.keep_user(account(7, None));
        cache.keep_token("h1".into(), account(7, Some(70)));
        cache.keep_token("h2".into(), account(8, Some(80)));
        cache.forget(&entry("app_user", 7, "LOGIN"));
        assert!(cache.user(7).is_some());
        cache.forget(&entry("service_token", 80, "UPDATE"));
        assert!(cache.token("h2").is_none() && cache.token("h1").is_some());
        cache.forget(&entry("app_user", 7, "UPDATE"));
        assert!(cache.user(7).is_none() && cache.token("h1").is_none());
        cache.keep_user(account(9, None));
        cache.forget(&entry("group_member", 2, "UPDATE"));
        assert!(cache.user(9).is_none());
        assert_eq!(cache.lookups(), 4);
    }
}
