//! Signing a delivery: `Duban-Signature: t=<unix seconds>,v1=<hex>` where the hex is
//! HMAC-SHA256, keyed by the webhook's secret, over `<t>.<body>`. A receiver recomputes it over
//! the raw body it got, compares in constant time, and refuses an old `t` (replays).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header that carries the signature.
pub const HEADER: &str = "Duban-Signature";

/// The header value for `body` sent at `timestamp`.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    format!("t={timestamp},v1={}", hex::encode(mac(secret, timestamp, body).finalize().into_bytes()))
}

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// Whether `header` signs `body` with `secret`, at most `tolerance_secs` before `now`.
pub fn verify(secret: &str, header: &str, body: &[u8], now: i64, tolerance_secs: i64) -> bool {
    let mut timestamp = None;
    let mut signature = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => signature = hex::decode(value).ok(),
            _ => {}
        }
    }
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else { return false };
    if (now - timestamp).abs() > tolerance_secs {
        return false;
    }
    mac(secret, timestamp, body).verify_slice(&signature).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_its_body_secret_and_time() {
        let header = sign("whsec_abc", 1_700_000_000, b"{\"event\":\"URGED\"}");
        assert!(verify("whsec_abc", &header, b"{\"event\":\"URGED\"}", 1_700_000_010, 300));
        assert!(!verify("whsec_abc", &header, b"{\"event\":\"URGED!\"}", 1_700_000_010, 300), "another body");
        assert!(!verify("whsec_xyz", &header, b"{\"event\":\"URGED\"}", 1_700_000_010, 300), "another secret");
        assert!(!verify("whsec_abc", &header, b"{\"event\":\"URGED\"}", 1_700_001_000, 300), "too old");
        assert!(!verify("whsec_abc", "t=1,v1=zz", b"", 1, 300), "not hex");
    }
}
