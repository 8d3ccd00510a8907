//! Live events: every entry appended to the audit trail, handed to this process's subscribers
//! (GraphQL subscriptions) as soon as it is committed, whichever process made the change.
//!
//! One pump per process reads the trail past the last entry it saw and broadcasts each entry.
//! It is woken on PostgreSQL by `LISTEN duban_audit` (every appending transaction notifies at its
//! commit, so a change made through another replica arrives here too; the payload is empty and
//! the pump reads the rows, so a large import never meets NOTIFY's size limit), and on SQLite by
//! the request that wrote (in process). A slow timer wakes it as well, so a lost notification or
//! a write from the command line is picked up within seconds. Subscribers filter what they get
//! through the same rules as queries (see `graphql::subscription`).

mod pump;

use entity::audit_entry;
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::{Notify, broadcast};

/// How many entries a subscriber may fall behind before it is told it lagged.
const BACKLOG: usize = 4_096;

/// The last entry seen, before the pump has read where the trail ends.
const NOT_STARTED: i32 = -1;

/// An entry of the trail, shared by every subscriber.
pub type Entry = Arc<audit_entry::Model>;

/// Something the pump tells of every entry before subscribers hear of it (the account cache
/// forgets what an entry made stale), in the pump's own task.
pub type Hook = Box<dyn Fn(&audit_entry::Model) + Send + Sync>;

/// The process's event hub; cheap to clone.
#[derive(Clone)]
pub struct Hub {
    sender: broadcast::Sender<Entry>,
    wake: Arc<Notify>,
    /// The last entry the pump handed out.
    seen: tokio::sync::watch::Receiver<i32>,
    /// GraphQL subscriptions running on this hub.
    running: Arc<AtomicUsize>,
}

/// One running subscription, counted (by its hub and by the `duban_subscriptions` gauge)
/// while it lives.
pub struct Running(Arc<AtomicUsize>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
        metrics::gauge!(crate::observe::SUBSCRIPTIONS).decrement(1.0);
    }
}

impl Hub {
    /// A hub whose pump reads `db`'s trail from its current end, telling `hooks` of each entry
    /// first; the pump runs until the process ends.
    pub fn start(db: DatabaseConnection, hooks: Vec<Hook>) -> Hub {
        let (sender, _) = broadcast::channel(BACKLOG);
        let (progress, seen) = tokio::sync::watch::channel(NOT_STARTED);
        let hub = Hub { sender, wake: Arc::new(Notify::new()), seen, running: Arc::default() };
        tokio::spawn(pump::run(db, hub.sender.clone(), hub.wake.clone(), hooks, progress));
        hub
    }

    /// A hub with no pump (the schema file, tools): nothing is ever sent.
    pub fn idle() -> Hub {
        let (sender, _) = broadcast::channel(1);
        let (_, seen) = tokio::sync::watch::channel(0);
        Hub { sender, wake: Arc::new(Notify::new()), seen, running: Arc::default() }
    }

    /// Waits (at most `limit`) until the pump knows where the trail ends, so that every entry
    /// appended from then on reaches the hooks: a credential looked up before that could miss
    /// the entry that revokes it. Says whether it does.
    pub async fn started(&self, limit: std::time::Duration) -> bool {
        let mut seen = self.seen.clone();
        tokio::time::timeout(limit, seen.wait_for(|last| *last != NOT_STARTED)).await.is_ok_and(|r| r.is_ok())
    }

    /// Wakes the pump and waits (a moment at most) until it has handed out entry `id`: a
    /// request that wrote answers once its own changes are known to the process (a revoked
    /// token refused, subscribers told).
    pub async fn caught_up(&self, id: i32) {
        self.wake.notify_one();
        let mut seen = self.seen.clone();
        let _ = tokio::time::timeout(std::time::Duration::from_millis(500), seen.wait_for(|last| *last >= id)).await;
    }

    /// Every entry from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Entry> {
        self.sender.subscribe()
    }

    /// Counts a GraphQL subscription as running until the value is dropped.
    pub fn running(&self) -> Running {
        self.running.fetch_add(1, Ordering::AcqRel);
        metrics::gauge!(crate::observe::SUBSCRIPTIONS).increment(1.0);
        Running(self.running.clone())
    }

    /// How many GraphQL subscriptions run right now.
    pub fn subscriptions(&self) -> usize {
        self.running.load(Ordering::Acquire)
    }

    /// How many subscribers listen right now.
    pub fn subscribers(&self) -> usize {
        self.sender.receiver_count()
    }

    /// Tells the pump the trail grew (after a commit in this process).
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}
