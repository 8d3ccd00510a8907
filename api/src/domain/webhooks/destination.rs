//! Where deliveries may go. A webhook is a request the server makes on a unit's behalf, so it
//! must not reach the server's own neighbourhood: loopback, private and link-local networks
//! (cloud metadata at 169.254.169.254), CGNAT, unique-local, multicast, unspecified, broadcast,
//! documentation and benchmarking ranges, and IPv6 forms that embed such an IPv4 address, are
//! refused unless the operator allows their network (`DUBAN_WEBHOOK_ALLOWED_NETWORKS`: unit
//! systems on an intranet live on private addresses).
//!
//! The check holds on the address actually connected to: deliveries resolve names through
//! [`Guarded`], which keeps only permitted addresses, at every attempt (a name that answers
//! differently at delivery than at registration gains nothing), and follow no redirects.

use crate::error::{AppError, AppResult};
use ipnet::IpNet;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

/// Networks refused by default (RFC 6890 special-purpose registries, roughly).
const REFUSED: &[&str] = &[
    "0.0.0.0/8",       // "this network", the unspecified address
    "10.0.0.0/8",      // private
    "100.64.0.0/10",   // shared address space (CGNAT)
    "127.0.0.0/8",     // loopback
    "169.254.0.0/16",  // link-local, cloud metadata
    "172.16.0.0/12",   // private
    "192.0.0.0/24",    // IETF protocol assignments
    "192.0.2.0/24",    // documentation
    "192.88.99.0/24",  // 6to4 relay anycast
    "192.168.0.0/16",  // private
    "198.18.0.0/15",   // benchmarking
    "198.51.100.0/24", // documentation
    "203.0.113.0/24",  // documentation
    "224.0.0.0/4",     // multicast
    "240.0.0.0/4",     // reserved, and the broadcast address
    "::/96",           // unspecified, loopback, IPv4-compatible
    "64:ff9b:1::/48",  // local-use translation
    "100::/64",        // discard-only
    "2001::/23",       // IETF protocol assignments: Teredo, benchmarking, ORCHID
    "2001:db8::/32",   // documentation
    "fc00::/7",        // unique-local
    "fe80::/10",       // link-local
    "fec0::/10",       // site-local (deprecated)
    "ff00::/8",        // multicast
];

static REFUSED_NETS: LazyLock<Vec<IpNet>> =
    LazyLock::new(|| REFUSED.iter().map(|n| n.parse().expect("a valid CIDR")).collect());

/// The addresses deliveries may reach: any but the refused ranges, and the allowed networks.
#[derive(Debug, Clone, Default)]
pub struct Destinations {
    allowed: Arc<[IpNet]>,
}

/// A destination webhooks may not reach (the error a delivery's connection fails with).
#[derive(Debug, Clone, Copy)]
pub struct Refused;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the destination is an address webhooks may not reach")
    }
}

impl std::error::Error for Refused {}

impl Destinations {
    /// Refused ranges minus `allowed`.
    pub fn new(allowed: Vec<IpNet>) -> Destinations {
        Destinations { allowed: allowed.into() }
    }

    /// Whether a delivery may connect to `ip`: the address and the IPv4 address it embeds
    /// (IPv4-mapped, NAT64, 6to4) are judged alike.
    pub fn permits(&self, ip: IpAddr) -> bool {
        let forms = [Some(ip), embedded_v4(ip).map(IpAddr::V4)];
        let forms = forms.iter().flatten();
        if forms.clone().any(|f| self.allowed.iter().any(|n| n.contains(f))) {
            return true;
        }
        !forms.into_iter().any(|f| REFUSED_NETS.iter().any(|n| n.contains(f)))
    }

    /// `Err(Refused)` when `url` names a literal address that may not be reached (names are
    /// judged on their addresses by [`Guarded`]).
    pub fn check_literal(&self, url: &reqwest::Url) -> Result<(), Refused> {
        match literal(url) {
            Some(ip) if !self.permits(ip) => Err(Refused),
            _ => Ok(()),
        }
    }

    /// The check at registration: BAD_USER_INPUT for a literal address that may not be reached,
    /// or a name resolving to one now. A name that does not resolve yet is left to the check at
    /// delivery.
    pub async fn check_registration(&self, url: &str) -> AppResult<()> {
        let refused = || AppError::bad_input("url points at an address webhooks may not reach");
        let url = reqwest::Url::parse(url).map_err(|_| AppError::bad_input("url is not an absolute URL"))?;
        self.check_literal(&url).map_err(|_| refused())?;
        if literal(&url).is_some() {
            return Ok(());
        }
        let host = url.host_str().unwrap_or_default().to_owned();
        let lookup = tokio::net::lookup_host((host, url.port_or_known_default().unwrap_or(80)));
        if let Ok(Ok(mut addresses)) = tokio::time::timeout(Duration::from_secs(3), lookup).await
            && addresses.any(|a| !self.permits(a.ip()))
        {
            return Err(refused());
        }
        Ok(())
    }
}

/// The address a URL's host is written as, if it is one (the URL parser has already read the
/// other spellings of an IPv4 address, `2130706433` or `0x7f.1`, as `127.0.0.1`).
fn literal(url: &reqwest::Url) -> Option<IpAddr> {
    url.host_str()?.trim_start_matches('[').trim_end_matches(']').parse().ok()
}

/// The IPv4 address an IPv6 address stands for: IPv4-mapped (`::ffff:a.b.c.d`), NAT64
/// (`64:ff9b::a.b.c.d`) and 6to4 (`2002:AABB:CCDD::`).
fn embedded_v4(ip: IpAddr) -> Option<Ipv4Addr> {
    let IpAddr::V6(v6) = ip else { return None };
    if let Some(v4) = v6.to_ipv4_mapped() {
        return Some(v4);
    }
    let bits = v6.to_bits();
    if bits >> 32 == 0x0064_ff9b_u128 << 64 {
        return Some(Ipv4Addr::from_bits(bits as u32));
    }
    if bits >> 112 == 0x2002 {
        return Some(Ipv4Addr::from_bits((bits >> 80) as u32));
    }
    None
}

/// The resolver of the delivery client: the system's answers, with the refused addresses
/// taken out; a name left with none fails to connect with [`Refused`].
pub struct Guarded(pub Destinations);

impl Resolve for Guarded {
    fn resolve(&self, name: Name) -> Resolving {
        let destinations = self.0.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found = tokio::net::lookup_host((host, 0)).await?;
            let permitted: Vec<SocketAddr> = found.filter(|a| destinations.permits(a.ip())).collect();
            if permitted.is_empty() {
                return Err(Box::new(Refused) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(permitted.into_iter()) as Addrs)
        })
    }
}

/// Whether a delivery's error is a refused destination.
pub fn is_refused(error: &(dyn std::error::Error + 'static)) -> bool {
    std::iter::successors(Some(error), |e| e.source()).any(|e| e.is::<Refused>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_ranges_are_refused_and_public_ones_permitted() {
        let default = Destinations::default();
        for refused in [
            "127.0.0.1",
            "10.1.2.3",
            "172.31.0.1",
            "192.168.0.1",
            "100.64.0.1",
            "169.254.169.254",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.251",
            "192.0.2.7",
            "198.19.0.1",
            "203.0.113.9",
            "::",
            "::1",
            "fc00::1",
            "fd12::1",
            "fe80::1",
            "ff02::1",
            "2001:db8::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "2002:7f00:1::",
        ] {
            assert!(!default.permits(refused.parse().unwrap()), "{refused}");
        }
        for public in ["93.184.215.14", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"] {
            assert!(default.permits(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn an_allowed_network_is_reached_also_through_its_mapped_form() {
        let intranet = Destinations::new(vec!["10.20.0.0/16".parse().unwrap()]);
        assert!(intranet.permits("10.20.3.4".parse().unwrap()));
        assert!(intranet.permits("::ffff:10.20.3.4".parse().unwrap()));
        assert!(!intranet.permits("10.21.0.1".parse().unwrap()));
        assert!(!intranet.permits("127.0.0.1".parse().unwrap()));
    }
}
