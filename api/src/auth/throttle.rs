//! Failed-login throttling: which counters a failed attempt spends, and their limits.
//!
//! Counters live in the database (`domain::throttle`), so every replica behind a load balancer
//! counts the same attempts. This module is the pure part: the counter keys and how long a
//! count lasts.
//!
//! Three counters per attempt, each counting for one minute from its first failure:
//! - **name and address** (`pair:`): the tight one (5 failures). Guessing one account's password
//!   from one place stops here, and it locks no one else out: the real user, from another
//!   address, still signs in.
//! - **address** (`ip:`, 30 failures): one client spraying many names.
//! - **name** (`user:`, 100 failures): a much higher ceiling against a distributed guess at one
//!   account. Reaching it takes many addresses failing at once, not one annoyed colleague.
//!
//! Only failures count, and an attempt refused while a counter is spent counts for nothing: it
//! never extends a lock. A count ends a minute after the failure that opened it, whatever happens
//! in it; windows fixed on the clock's minute would let a guesser spend a limit just before the
//! minute and again just after.

use chrono::{DateTime, Utc};
use std::net::{IpAddr, Ipv6Addr};

/// How long a count lasts from its first failure, in seconds.
pub const WINDOW_SECS: i64 = 60;

/// Failures allowed per count, per counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleLimits {
    pub per_name_and_address: i32,
    pub per_address: i32,
    pub per_name: i32,
}

impl Default for ThrottleLimits {
    fn default() -> Self {
        ThrottleLimits { per_name_and_address: 5, per_address: 30, per_name: 100 }
    }
}

/// One counter a failed login spends: its key and how many failures it allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counter {
    pub key: String,
    pub limit: i32,
}

impl ThrottleLimits {
    /// The counters of an attempt for `username` from `client`.
    pub fn counters(&self, username: &str, client: IpAddr) -> [Counter; 3] {
        let name = normalize_username(username);
        let net = normalize_ip(client);
        [
            Counter { key: format!("pair:{net}|{name}"), limit: self.per_name_and_address },
            Counter { key: format!("ip:{net}"), limit: self.per_address },
            Counter { key: format!("user:{name}"), limit: self.per_name },
        ]
    }
}

/// Whether a count opened at `opened_at` (seconds since the epoch) still counts at `now`, and
/// if so how many seconds it has left.
pub fn remaining(opened_at: i64, now: DateTime<Utc>) -> Option<i64> {
    let left = opened_at + WINDOW_SECS - now.timestamp();
    (left > 0).then_some(left)
}

/// The earliest opening second of a count still counting at `now`.
pub fn oldest_open(now: DateTime<Utc>) -> i64 {
    now.timestamp() - WINDOW_SECS + 1
}

/// Counter keys compare names as login does (trimmed, case-insensitive, compatibility forms
/// folded), so `ＡＤＭＩＮ ` spends the same counter as `admin`.
fn normalize_username(username: &str) -> String {
    crate::auth::normalize_username(username)
}

/// IPv4-mapped IPv6 addresses count as their IPv4 address; other IPv6 addresses are grouped
/// by /64, the block a single client typically controls.
fn normalize_ip(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from_bits(v6.to_bits() & !u128::from(u64::MAX))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn an_attempt_spends_a_pair_an_address_and_a_name_counter() {
        let counters = ThrottleLimits::default().counters(" Alice ", "10.0.0.2".parse().unwrap());
        let keys: Vec<&str> = counters.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["pair:10.0.0.2|alice", "ip:10.0.0.2", "user:alice"]);
        assert_eq!(counters.map(|c| c.limit), [5, 30, 100]);
    }

    #[test]
    fn ipv6_clients_are_grouped_by_64_and_mapped_ipv4_by_address() {
        let limits = ThrottleLimits::default();
        let a = limits.counters("x", "2001:db8:1:2::1".parse().unwrap());
        let b = limits.counters("x", "2001:db8:1:2:ffff::9".parse().unwrap());
        assert_eq!(a, b);
        let mapped = limits.counters("x", "::ffff:10.0.0.2".parse().unwrap());
        assert_eq!(mapped, limits.counters("x", "10.0.0.2".parse().unwrap()));
    }

    #[test]
    fn full_width_names_spend_the_same_counter() {
        let limits = ThrottleLimits::default();
        let local = "127.0.0.1".parse().unwrap();
        assert_eq!(limits.counters("ＡＤＭＩＮ", local), limits.counters("admin", local));
    }

    #[test]
    fn a_count_lasts_a_minute_from_its_first_failure_not_to_the_clocks_minute() {
        let opened = Utc.with_ymd_and_hms(2026, 12, 1, 8, 30, 57).unwrap();
        let at = |secs| opened + chrono::Duration::seconds(secs);
        assert_eq!(remaining(opened.timestamp(), at(5)), Some(55), "past the clock's minute, still counting");
        assert_eq!(remaining(opened.timestamp(), at(59)), Some(1));
        assert_eq!(remaining(opened.timestamp(), at(60)), None);
        assert_eq!(oldest_open(at(59)), opened.timestamp());
        assert_eq!(oldest_open(at(60)), opened.timestamp() + 1);
    }
}
