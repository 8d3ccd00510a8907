//! Who is asking, from where, and when: what every domain function is handed.

use super::audit::Change;
use super::clock::Instant;
use crate::policy::Viewer;
use std::net::IpAddr;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// A verified credential as it stood when it was checked: the account, its token version (a
/// session token's), and the service token it is (if it is one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub user_id: i32,
    pub token_version: i32,
    pub service_token: Option<i32>,
}

/// The caller of a domain function: its viewer (decides access), its client address (throttling,
/// the audit trail) and the request's one reading of the clock.
#[derive(Debug, Clone)]
pub struct Caller {
    pub viewer: Viewer,
    /// The client's address; `None` for the command line and start-up work.
    pub client: Option<IpAddr>,
    /// The service token the request came with, if it came with one (the audit trail names it).
    pub service_token: Option<i32>,
    /// The credential the request came with, as it was verified; every write checks, inside its
    /// own transaction, that it still stands (see `audit::begin`). `None` for the console and
    /// anonymous callers.
    pub credential: Option<Stamp>,
    pub at: Instant,
    /// The last audit trail entry the request appended (0: none); the event pump is caught up
    /// to it before the request answers.
    wrote: Arc<AtomicI32>,
    /// The changes of the write transaction under way, appended to the trail at its commit.
    changes: Arc<Mutex<Vec<Change>>>,
}

impl Caller {
    /// A request's caller.
    pub fn new(viewer: Viewer, client: Option<IpAddr>, at: Instant) -> Self {
        Caller {
            viewer,
            client,
            service_token: None,
            credential: None,
            at,
            wrote: Arc::default(),
            changes: Arc::default(),
        }
    }

    /// The operator at the server's console (`duban import`, `duban user create`, first start).
    pub fn system(at: Instant) -> Self {
        Caller::new(Viewer::System, None, at)
    }

    /// The same caller, acting with the verified credential `stamp` (a service token's, or a
    /// session token's).
    pub fn with_credential(mut self, stamp: Option<Stamp>) -> Self {
        self.service_token = stamp.and_then(|s| s.service_token);
        self.credential = stamp;
        self
    }

    /// Records a change of the write transaction under way.
    pub(crate) fn record(&self, change: Change) {
        self.changes.lock().unwrap_or_else(PoisonError::into_inner).push(change);
    }

    /// The changes recorded so far, leaving none.
    pub(crate) fn take_changes(&self) -> Vec<Change> {
        std::mem::take(&mut *self.changes.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Marks that this caller appended to the audit trail, up to entry `last`.
    pub(crate) fn trail_grew(&self, last: i32) {
        self.wrote.fetch_max(last.max(1), Ordering::Relaxed);
    }

    /// Whether this caller appended to the audit trail.
    pub fn wrote_trail(&self) -> bool {
        self.wrote.load(Ordering::Relaxed) > 0
    }

    /// The last entry this caller appended to the audit trail, if any.
    pub fn last_entry(&self) -> Option<i32> {
        Some(self.wrote.load(Ordering::Relaxed)).filter(|id| *id > 0)
    }

    /// Today, for deadlines.
    pub fn today(&self) -> chrono::NaiveDate {
        self.at.today
    }

    /// Now, for timestamps.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.at.now
    }
}
