//! The audit key: HMAC-SHA256 keyed with the `DUBAN_AUDIT_KEY` secret, one per process,
//! installed at start-up by the server and the command line alike.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::OnceLock;

/// What keyed entries store in `chain` before the key's id.
const KEYED: &str = "hmac:";

/// The audit key: HMAC-SHA256 keyed with the `DUBAN_AUDIT_KEY` secret. It prints as its id only.
#[derive(Clone)]
pub struct AuditKey {
    mac: Hmac<Sha256>,
    marker: String,
}

impl AuditKey {
    /// The key made from a secret (any length; the configuration asks for 16 bytes at least).
    pub fn new(secret: &[u8]) -> AuditKey {
        let mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes keys of any length");
        // An id that names the key without revealing it: the MAC of a fixed text.
        let id = hex::encode(mac.clone().chain_update(b"duban audit key id").finalize().into_bytes());
        AuditKey { mac, marker: format!("{KEYED}{}", &id[..16]) }
    }

    /// What entries hashed with this key store in `chain`: `hmac:` and 16 hex digits.
    pub fn marker(&self) -> &str {
        &self.marker
    }

    /// A fresh MAC under this key.
    pub(super) fn mac(&self) -> Hmac<Sha256> {
        self.mac.clone()
    }
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("AuditKey").field(&self.marker).finish()
    }
}

/// The key of this process, shared by the server's writes and the command line's.
static KEY: OnceLock<AuditKey> = OnceLock::new();

/// Makes `key` the process's audit key, once at start-up; installing the same key again is
/// fine, another one is refused (entries would chain under two keys).
pub fn install(key: AuditKey) -> Result<(), String> {
    let installed = KEY.get_or_init(|| key.clone());
    if installed.marker == key.marker {
        Ok(())
    } else {
        Err(format!("this process already uses audit key {}, not {}", installed.marker, key.marker))
    }
}

/// The process's audit key, once installed.
pub fn installed() -> Option<&'static AuditKey> {
    KEY.get()
}
