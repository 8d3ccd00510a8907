//! The accounts behind bearer credentials, kept in process so that a warm request reads none:
//! what a session token's account is now (role, unit, the unit's groups, token version,
//! active), and which account a service token stands for. An entry is dropped the moment the
//! audit trail says its account, token, group or unit changed (see `events`): on PostgreSQL the
//! trail's notification reaches every process at the commit, so a revocation made through one
//! replica is refused by all of them; a process's own writes are caught up before it answers.

use crate::domain::audit::{Names, Table};
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
    cache: RwLock<Cache>,
    lookups: AtomicU64,
}

#[derive(Debug, Default)]
struct Cache {
    by_user: HashMap<i32, Account>,
    /// Working service tokens by the hash of their secret.
    by_token: HashMap<String, Account>,
    /// Counts the changes that made entries stale: a lookup that read the database before one
    /// of them may have read what the change replaced, and is not kept (see [`Ticket`]).
    generation: u64,
}

/// Taken before a lookup reads the database; what it found is kept only if no change was
/// seen meanwhile. Without it, a lookup that read an account just before a revocation and
/// finished just after the revocation was forgotten would keep the old token version for good.
#[derive(Debug, Clone, Copy)]
pub struct Ticket(u64);

impl Accounts {
    /// The active account `id`, if known.
    pub fn user(&self, id: i32) -> Option<Account> {
        self.read().by_user.get(&id).cloned()
    }

    /// The account behind a working service token, if known.
    pub fn token(&self, hash: &str) -> Option<Account> {
        self.read().by_token.get(hash).cloned()
    }

    /// To take before looking an account up in the database.
    pub fn ticket(&self) -> Ticket {
        Ticket(self.read().generation)
    }

    /// Keeps what a lookup found, unless an account changed since `ticket` was taken.
    pub fn keep_user(&self, ticket: Ticket, account: Account) {
        self.lookups.fetch_add(1, Ordering::Relaxed);
        let mut cache = self.write();
        if cache.generation == ticket.0 {
            cache.by_user.insert(account.id, account);
        }
    }

    /// Keeps what a service token lookup found, unless an account changed since `ticket`.
    pub fn keep_token(&self, ticket: Ticket, hash: String, account: Account) {
        self.lookups.fetch_add(1, Ordering::Relaxed);
        let mut cache = self.write();
        if cache.generation == ticket.0 {
            cache.by_token.insert(hash, account);
        }
    }

    /// How many lookups went to the database.
    pub fn lookups(&self) -> u64 {
        self.lookups.load(Ordering::Relaxed)
    }

    /// Forgets what `entry` may have made stale.
    pub fn forget(&self, entry: &audit_entry::Model) {
        let names = Names::of(entry);
        if !names.touch_credentials() {
            return;
        }
        let mut cache = self.write();
        cache.generation += 1;
        match names.table {
            Some(Table::AppUser) => {
                cache.by_user.remove(&entry.entity_id);
                cache.by_token.retain(|_, a| a.id != entry.entity_id);
            }
            Some(Table::ServiceToken) => cache.by_token.retain(|_, a| a.service_token_id != Some(entry.entity_id)),
            // A unit's groups or a unit itself changed: rare, so everything goes.
            _ => {
                cache.by_user.clear();
                cache.by_token.clear();
            }
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Cache> {
        self.cache.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Cache> {
        self.cache.write().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::audit::Action;

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

    fn entry(entity: Table, id: i32, action: Action) -> audit_entry::Model {
        audit_entry::Model {
            id: 1,
            at: chrono::Utc::now(),
            actor_kind: crate::domain::audit::ActorKind::User.name().into(),
            actor_id: None,
            service_token_id: None,
            client_address: None,
            operation: crate::domain::audit::Operation::UpdateUser.name().into(),
            entity: entity.name().into(),
            entity_id: id,
            task_id: None,
            action: action.name().into(),
            before: None,
            after: None,
            prev_hash: String::new(),
            hash: String::new(),
            chain: None,
        }
    }

    #[test]
    fn a_change_to_an_account_or_its_token_forgets_them_and_a_sign_in_does_not() {
        let cache = Accounts::default();
        cache.keep_user(cache.ticket(), account(7, None));
        cache.keep_token(cache.ticket(), "h1".into(), account(7, Some(70)));
        cache.keep_token(cache.ticket(), "h2".into(), account(8, Some(80)));
        cache.forget(&entry(Table::AppUser, 7, Action::Login));
        assert!(cache.user(7).is_some());
        cache.forget(&entry(Table::ServiceToken, 80, Action::Update));
        assert!(cache.token("h2").is_none() && cache.token("h1").is_some());
        cache.forget(&entry(Table::AppUser, 7, Action::Update));
        assert!(cache.user(7).is_none() && cache.token("h1").is_none());
        cache.keep_user(cache.ticket(), account(9, None));
        cache.forget(&entry(Table::GroupMember, 2, Action::Update));
        assert!(cache.user(9).is_none());
        assert_eq!(cache.lookups(), 4);
    }

    #[test]
    fn a_lookup_that_overlapped_a_change_is_not_kept() {
        let cache = Accounts::default();
        // A request looks account 7 up; its token is revoked while the row is read.
        let before = cache.ticket();
        cache.forget(&entry(Table::AppUser, 7, Action::Update));
        cache.keep_user(before, account(7, None));
        assert!(cache.user(7).is_none(), "what was read before the revocation must not be kept");
        let before = cache.ticket();
        cache.forget(&entry(Table::ServiceToken, 70, Action::Update));
        cache.keep_token(before, "h1".into(), account(7, Some(70)));
        assert!(cache.token("h1").is_none());
        // A sign-in changes nothing that is kept; a lookup after the change is kept.
        let after = cache.ticket();
        cache.forget(&entry(Table::AppUser, 7, Action::Login));
        cache.keep_user(after, account(7, None));
        assert!(cache.user(7).is_some());
    }
}
