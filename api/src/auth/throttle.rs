//! Failed-login throttling per username and per client address, built on `governor`.
//!
//! Only failures are counted. A keyed GCRA limiter per dimension holds the failure budget
//! (e.g. 5 per minute per username, 30 per minute per address); [`LoginThrottle::record_failure`]
//! spends one cell from each. Governor has no "peek", and calling `check_key` in
//! [`LoginThrottle::check`] would spend budget on every attempt, successful or not. So when a
//! failure spends the *last* cell (the limiter's snapshot reports no remaining burst
//! capacity) or is itself refused, the key is written into a small lockout map with the time
//! its next cell frees up; `check` only reads that map. Successful logins therefore never
//! touch any budget.
//!
//! When the last cell is spent, governor does not reveal the exact refill time, so the
//! lockout lasts one replenish interval (60 s / budget), an upper bound on it: at worst a
//! key stays locked a little longer than governor alone would, never shorter.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use governor::clock::{Clock as _, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

/// Failures between two automatic [`LoginThrottle::retain_recent`] sweeps.
const SWEEP_EVERY: u64 = 64;

type Limiter<K> = RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock, StateInformationMiddleware>;

/// A throttled dimension: a normalized username or a client network.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Subject {
    User(String),
    Ip(IpAddr),
}

/// Failed-login budgets per username and per client address.
///
/// Share one instance (e.g. in an `Arc`) across all requests.
#[derive(Debug)]
pub struct LoginThrottle {
    users: Limiter<String>,
    ips: Limiter<IpAddr>,
    /// Keys whose budget is spent, with the instant they may try again.
    lockouts: Mutex<HashMap<Subject, Instant>>,
    failures: AtomicU64,
}

impl LoginThrottle {
    /// Allows `per_user` failures per minute per username and `per_ip` per client address,
    /// each as a burst that refills evenly over the minute.
    pub fn new(per_user: NonZeroU32, per_ip: NonZeroU32) -> Self {
        Self::with_quotas(Quota::per_minute(per_user), Quota::per_minute(per_ip))
    }

    fn with_quotas(user: Quota, ip: Quota) -> Self {
        Self {
            users: RateLimiter::keyed(user).with_middleware(),
            ips: RateLimiter::keyed(ip).with_middleware(),
            lockouts: Mutex::new(HashMap::new()),
            failures: AtomicU64::new(0),
        }
    }

    /// Called before checking the password. Returns `Err(retry_after)` while this username
    /// or this address has no failures left; consumes nothing.
    pub fn check(&self, username: &str, ip: IpAddr) -> Result<(), Duration> {
        let now = Instant::now();
        let keys = [Subject::User(normalize_username(username)), Subject::Ip(normalize_ip(ip))];
        let lockouts = self.lockouts();
        let wait = keys
            .iter()
            .filter_map(|key| lockouts.get(key))
            .map(|until| until.saturating_duration_since(now))
            .filter(|wait| !wait.is_zero())
            .max();
        wait.map_or(Ok(()), Err)
    }

    /// Called after a failed attempt: spends one failure from the username's budget and one
    /// from the address's budget, locking whichever runs out.
    pub fn record_failure(&self, username: &str, ip: IpAddr) {
        let now = Instant::now();
        let user = normalize_username(username);
        let ip = normalize_ip(ip);
        let user_wait = spend(&self.users, &user);
        let ip_wait = spend(&self.ips, &ip);
        if user_wait.is_some() || ip_wait.is_some() {
            let mut lockouts = self.lockouts();
            let locked = [(Subject::User(user), user_wait), (Subject::Ip(ip), ip_wait)];
            for (key, wait) in locked {
                if let Some(wait) = wait {
                    let until = now + wait;
                    let entry = lockouts.entry(key).or_insert(until);
                    *entry = (*entry).max(until);
                }
            }
        }
        if self.failures.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.retain_recent();
        }
    }

    /// Forgets keys whose budget has fully refilled and lockouts that have ended, keeping
    /// memory bounded. Runs automatically every few failures; may also be called on a timer.
    pub fn retain_recent(&self) {
        self.users.retain_recent();
        self.ips.retain_recent();
        self.users.shrink_to_fit();
        self.ips.shrink_to_fit();
        let now = Instant::now();
        let mut lockouts = self.lockouts();
        lockouts.retain(|_, until| *until > now);
        lockouts.shrink_to_fit();
    }

    fn lockouts(&self) -> MutexGuard<'_, HashMap<Subject, Instant>> {
        // The map holds plain instants, so it is consistent even if a holder panicked.
        self.lockouts.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Spends one cell for `key`; returns how long the key must now be locked, if it ran out.
fn spend<K: Clone + Eq + Hash>(limiter: &Limiter<K>, key: &K) -> Option<Duration> {
    match limiter.check_key(key) {
        Ok(snapshot) if snapshot.remaining_burst_capacity() == 0 => Some(snapshot.quota().replenish_interval()),
        Ok(_) => None,
        Err(not_until) => Some(not_until.wait_time_from(limiter.clock().now())),
    }
}

/// Usernames are matched trimmed and case-insensitively, like at login.
fn normalize_username(username: &str) -> String {
    username.trim().to_lowercase()
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
    use std::net::Ipv4Addr;

    const LOCAL: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
    const OTHER: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));

    fn throttle(per_user: u32, per_ip: u32) -> LoginThrottle {
        LoginThrottle::new(NonZeroU32::new(per_user).unwrap(), NonZeroU32::new(per_ip).unwrap())
    }

    #[test]
    fn five_failures_lock_the_username() {
        let t = throttle(5, 30);
        for _ in 0..4 {
            t.record_failure("alice", LOCAL);
        }
        assert!(t.check("alice", LOCAL).is_ok());
        t.record_failure("alice", LOCAL);
        let wait = t.check("alice", LOCAL).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(12), "{wait:?}");
        // The username is locked from every address.
        assert!(t.check("alice", OTHER).is_err());
    }

    #[test]
    fn usernames_are_trimmed_and_case_insensitive() {
        let t = throttle(5, 30);
        for name in ["Alice", " alice", "ALICE ", "alice", "aLiCe"] {
            t.record_failure(name, LOCAL);
        }
        assert!(t.check("  ALICE\t", OTHER).is_err());
    }

    #[test]
    fn other_user_is_unaffected() {
        let t = throttle(5, 30);
        for _ in 0..10 {
            t.record_failure("alice", LOCAL);
        }
        assert!(t.check("bob", LOCAL).is_ok());
    }

    #[test]
    fn exhausted_address_is_locked_for_every_user_and_other_addresses_are_not() {
        let t = throttle(5, 3);
        for name in ["a", "b", "c"] {
            t.record_failure(name, LOCAL);
        }
        assert!(t.check("dave", LOCAL).is_err());
        assert!(t.check("dave", OTHER).is_ok());
    }

    #[test]
    fn successful_logins_are_never_throttled() {
        let t = throttle(5, 30);
        for i in 0..50 {
            assert!(t.check(&format!("user{i}"), LOCAL).is_ok());
        }
        // `check` spends nothing, however often it is called.
        for _ in 0..1000 {
            assert!(t.check("alice", LOCAL).is_ok());
        }
        t.record_failure("alice", LOCAL);
        assert!(t.check("alice", LOCAL).is_ok());
    }

    #[test]
    fn ipv6_clients_are_grouped_by_64_and_mapped_ipv4_by_address() {
        let t = throttle(100, 2);
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        t.record_failure("x", a);
        t.record_failure("y", b);
        assert!(t.check("z", "2001:db8:1:2::77".parse().unwrap()).is_err());
        assert!(t.check("z", "2001:db8:1:3::1".parse().unwrap()).is_ok());
        let mapped: IpAddr = "::ffff:10.0.0.2".parse().unwrap();
        t.record_failure("x", mapped);
        t.record_failure("y", mapped);
        assert!(t.check("z", OTHER).is_err());
    }

    #[test]
    fn lockout_ends_and_state_is_swept() {
        let quota = Quota::with_period(Duration::from_millis(40)).unwrap().allow_burst(NonZeroU32::new(2).unwrap());
        let t = LoginThrottle::with_quotas(quota, Quota::per_minute(NonZeroU32::MAX));
        t.record_failure("alice", LOCAL);
        t.record_failure("alice", LOCAL);
        assert!(t.check("alice", LOCAL).is_err());
        std::thread::sleep(Duration::from_millis(150));
        assert!(t.check("alice", LOCAL).is_ok());
        t.retain_recent();
        assert_eq!(t.users.len(), 0);
        assert!(t.lockouts().is_empty());
    }
}
