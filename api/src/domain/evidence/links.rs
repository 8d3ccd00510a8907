//! Short-lived signed links to a file of evidence (`/files/{id}?expires=…&signature=…`): for a
//! page that shows a photo with `<img src>`, which cannot send a bearer token. A link is made
//! only for a viewer who may read the file, names that one file, and works for five minutes.
//! The key is derived from the JWT secret, so every replica accepts every other's links.

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

/// How long a link works.
pub const LIFETIME_SECS: i64 = 300;

/// The key links are signed with.
#[derive(Clone)]
pub struct LinkKey([u8; 32]);

impl LinkKey {
    /// The link key of a JWT secret (a key of its own: a link's signature is never a token's).
    pub fn derive(secret: &SecretString) -> LinkKey {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose_secret().as_bytes()).expect("HMAC takes any key");
        mac.update(b"duban evidence links v1");
        LinkKey(mac.finalize().into_bytes().into())
    }

    fn mac(&self, id: i32, expires: i64) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key");
        mac.update(format!("{id}.{expires}").as_bytes());
        mac
    }

    /// The path and query of a link to file `id` made at `now` (Unix seconds).
    pub fn link(&self, id: i32, now: i64) -> String {
        let expires = now + LIFETIME_SECS;
        let signature = hex::encode(self.mac(id, expires).finalize().into_bytes());
        format!("/files/{id}?expires={expires}&signature={signature}")
    }

    /// Whether a link's `expires` and `signature` are this key's for file `id` and still good
    /// at `now` (compared in constant time).
    pub fn verify(&self, id: i32, expires: i64, signature: &str, now: i64) -> bool {
        let Ok(signature) = hex::decode(signature) else { return false };
        now <= expires && self.mac(id, expires).verify_slice(&signature).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(link: &str) -> (i64, String) {
        let query = link.split_once('?').expect("a query").1;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).expect("pairs");
        (pairs[0].1.parse().expect("expires"), pairs[1].1.clone())
    }

    #[test]
    fn a_link_names_one_file_for_five_minutes() {
        let key = LinkKey::derive(&SecretString::from("secret".to_owned()));
        let link = key.link(7, 1_000);
        assert!(link.starts_with("/files/7?expires=1300&signature="), "{link}");
        let (expires, signature) = parts(&link);
        assert!(key.verify(7, expires, &signature, 1_299));
        assert!(key.verify(7, expires, &signature, 1_300));
        assert!(!key.verify(7, expires, &signature, 1_301), "expired");
        assert!(!key.verify(8, expires, &signature, 1_100), "another file");
        assert!(!key.verify(7, expires + 3_600, &signature, 1_100), "a later expiry");
        let other = LinkKey::derive(&SecretString::from("another".to_owned()));
        assert!(!other.verify(7, expires, &signature, 1_100), "another server's key");
        assert!(!key.verify(7, expires, "zz", 1_100));
    }
}
