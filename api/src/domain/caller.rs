//! Who is asking, from where, and when: what every domain function is handed.

use super::clock::Instant;
use crate::policy::Viewer;
use std::net::IpAddr;

/// The caller of a domain function: its viewer (decides access), its client address (throttling,
/// the audit trail) and the request's one reading of the clock.
#[derive(Debug, Clone)]
pub struct Caller {
    pub viewer: Viewer,
    /// The client's address; `None` for the command line and start-up work.
    pub client: Option<IpAddr>,
    pub at: Instant,
}

impl Caller {
    /// A request's caller.
    pub fn new(viewer: Viewer, client: Option<IpAddr>, at: Instant) -> Self {
        Caller { viewer, client, at }
    }

    /// The operator at the server's console (`duban import`, `duban user create`, first start).
    pub fn system(at: Instant) -> Self {
        Caller { viewer: Viewer::System, client: None, at }
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
