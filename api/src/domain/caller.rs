//! Who is asking, from where, and when: what every domain function is handed.

use super::audit::Change;
use super::clock::Instant;
use crate::policy::Viewer;
use std::net::IpAddr;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// The caller of a domain function: its viewer (decides access), its client address (throttling,
/// the audit trail) and the request's one reading of the clock.
#[derive(Debug, Clone)]
pub struct Caller {
    pub viewer: Viewer,
    /// The client's address; `None` for the command line and start-up work.
    pub client: Option<IpAddr>,
    /// The service token the request came with, if it came with one (the audit trail names it).
    pub service_token: Option<i32>,
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
        Caller { viewer, client, service_token: None, at, wrote: Arc::default(), changes: Arc::default() }
    }

    /// The operator at the server's console (`duban import`, `duban user create`, first start).
    pub fn system(at: Instant) -> Self {
        Caller::new(Viewer::System, None, at)
    }

    /// The same caller, acting through service token `id`.
    pub fn with_service_token(mut self, id: Option<i32>) -> Self {
        self.service_token = id;
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
