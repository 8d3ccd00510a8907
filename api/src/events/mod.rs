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
use tokio::sync::{Notify, broadcast};

/// How many entries a subscriber may fall behind before it is told it lagged.
const BACKLOG: usize = 4_096;

/// An entry of the trail, shared by every subscriber.
pub type Entry = Arc<audit_entry::Model>;

/// The process's event hub; cheap to clone.
#[derive(Clone)]
pub struct Hub {
    sender: broadcast::Sender<Entry>,
    wake: Arc<Notify>,
}

impl Hub {
    /// A hub whose pump reads `db`'s trail from its current end; the pump runs until the
    /// process ends.
    pub fn start(db: DatabaseConnection) -> Hub {
        let (sender, _) = broadcast::channel(BACKLOG);
        let hub = Hub { sender, wake: Arc::new(Notify::new()) };
        tokio::spawn(pump::run(db, hub.sender.clone(), hub.wake.clone()));
        hub
    }

    /// A hub with no pump (the schema file, tools): nothing is ever sent.
    pub fn idle() -> Hub {
        let (sender, _) = broadcast::channel(1);
        Hub { sender, wake: Arc::new(Notify::new()) }
    }

    /// Every entry from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Entry> {
        self.sender.subscribe()
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
