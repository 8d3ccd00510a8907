//! Opaque, long-lived tokens for a unit's own software (role SERVICE).
//!
//! A token is shown to the administrator once, when created; the database keeps only its
//! SHA-256 hash, so a leaked table does not leak usable tokens, and revoking a token is
//! deleting (or flagging) its row.
//!
//! A plain SHA-256 is enough here, unlike for passwords: the token carries 256 bits from a
//! CSPRNG, so brute-forcing a stored hash is infeasible and a slow hash (argon2) would only
//! add latency to every request authenticated with it.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};

use super::to_hex;

/// Prefix of every service token; lets the server (and secret scanners) recognise one.
pub const SERVICE_TOKEN_PREFIX: &str = "dbn_svc_";

/// Random bytes per token.
const TOKEN_BYTES: usize = 32;
/// Length of the unpadded base64url encoding of [`TOKEN_BYTES`] bytes.
const BODY_LEN: usize = 43;

/// Creates a new service token.
///
/// Returns `(plaintext, hash)`: the plaintext (`dbn_svc_` + 43 base64url characters) is to be
/// shown once and never stored; the hash (lower-case hex SHA-256) is what the database keeps.
pub fn generate_service_token() -> (String, String) {
    let mut bytes = [0u8; TOKEN_BYTES];
    // ThreadRng is a CSPRNG seeded from the operating system.
    rand::rng().fill_bytes(&mut bytes);
    let plain = format!("{SERVICE_TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let hash = hash_service_token(&plain);
    (plain, hash)
}

/// Hashes a presented token (the whole string, prefix included) for lookup by hash.
pub fn hash_service_token(plain: &str) -> String {
    to_hex(&Sha256::digest(plain.as_bytes()))
}

/// Whether a bearer credential has the shape of a service token (as opposed to a JWT).
///
/// This is a routing hint only; the token is authenticated by looking its hash up.
pub fn looks_like_service_token(bearer: &str) -> bool {
    bearer.strip_prefix(SERVICE_TOKEN_PREFIX).is_some_and(|body| {
        body.len() == BODY_LEN && body.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_token_has_prefix_and_43_char_body() {
        let (plain, _) = generate_service_token();
        let body = plain.strip_prefix(SERVICE_TOKEN_PREFIX).unwrap();
        assert_eq!(body.len(), 43);
        assert_eq!(URL_SAFE_NO_PAD.decode(body).unwrap().len(), 32);
        assert!(looks_like_service_token(&plain));
    }

    #[test]
    fn stored_hash_is_hex_sha256_of_the_plaintext() {
        let (plain, hash) = generate_service_token();
        assert_eq!(hash.len(), 64);
        assert!(hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
        assert_eq!(hash, hash_service_token(&plain));
        assert!(!hash.contains(&plain[SERVICE_TOKEN_PREFIX.len()..]));
    }

    #[test]
    fn known_answer_for_hash() {
        // SHA-256("abc")
        assert_eq!(hash_service_token("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn tokens_are_unique() {
        let (a, ha) = generate_service_token();
        let (b, hb) = generate_service_token();
        assert_ne!(a, b);
        assert_ne!(ha, hb);
    }

    #[test]
    fn other_strings_do_not_look_like_service_tokens() {
        let body = "A".repeat(43);
        for s in [
            String::new(),
            SERVICE_TOKEN_PREFIX.to_owned(),
            format!("{SERVICE_TOKEN_PREFIX}{}", "A".repeat(42)),
            format!("{SERVICE_TOKEN_PREFIX}{}", "A".repeat(44)),
            format!("{SERVICE_TOKEN_PREFIX}{}+", "A".repeat(42)),
            format!("dbn_sv_{body}"),
            format!("DBN_SVC_{body}"),
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln".to_owned(),
        ] {
            assert!(!looks_like_service_token(&s), "{s}");
        }
        assert!(looks_like_service_token(&format!("{SERVICE_TOKEN_PREFIX}{body}")));
    }
}
