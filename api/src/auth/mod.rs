//! Authentication primitives: password hashing, usernames, HS256 session tokens, opaque
//! service tokens and the counters of failed-login throttling.
//!
//! Everything here is pure: no database, no GraphQL, no HTTP. The server wires these pieces
//! into the login mutation and the request extractor.

mod password;
mod service_token;
pub mod throttle;
mod token;
mod username;

use std::sync::Arc;
use std::time::Duration;

pub use password::{MIN_PASSWORD_LEN, check_password_policy, hash_password, verify_password};
pub use service_token::{SERVICE_TOKEN_PREFIX, generate_service_token, hash_service_token, looks_like_service_token};
pub use throttle::ThrottleLimits;
pub use token::{Claims, TokenConfig, TokenKeys};
pub use username::{check_username, normalize_username};

/// Token keys and throttle limits, shared by the HTTP layer and the `login` resolver.
#[derive(Clone)]
pub struct AuthContext {
    pub tokens: Arc<TokenKeys>,
    pub throttle: ThrottleLimits,
}

/// Why an authentication step failed.
///
/// The `Display` text is safe to log and to show: it never contains a secret, a password,
/// a password hash or any part of a token.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The token is malformed, forged, signed with an unknown key or fails a claim check.
    #[error("invalid token")]
    InvalidToken,
    /// The token was valid but its `exp` has passed.
    #[error("token has expired")]
    Expired,
    /// The password hasher failed (this is an internal error, not a wrong password).
    #[error("password hashing failed")]
    Hashing,
    /// Signing a new token failed (an internal error).
    #[error("token signing failed")]
    Signing,
    /// The new password is shorter than the policy allows.
    #[error("password must be at least {min} characters long")]
    WeakPassword {
        /// Minimum number of characters.
        min: usize,
    },
    /// The new password is only whitespace or holds control characters.
    #[error("a password must not be only spaces nor hold control characters")]
    BlankPassword,
    /// The username is empty, too long, or holds characters a name may not have.
    #[error("a username is 1 to 64 letters, digits or . _ - @, without spaces")]
    BadUsername,
    /// Unknown username or wrong password; deliberately does not say which.
    #[error("invalid username or password")]
    InvalidCredentials,
    /// Too many failed logins for this username or client address.
    #[error("too many failed attempts, retry in {} s", retry_after.as_secs().max(1))]
    Throttled {
        /// How long the client should wait before trying again.
        retry_after: Duration,
    },
}

/// Lower-case hexadecimal encoding (used for fingerprints and token hashes).
fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
        // Writing to a String cannot fail.
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_encodes_lowercase_pairs() {
        assert_eq!(to_hex(&[0x00, 0x0f, 0xab, 0xff]), "000fabff");
        assert_eq!(to_hex(&[]), "");
    }

    #[test]
    fn throttled_display_rounds_up_to_one_second() {
        let err = AuthError::Throttled { retry_after: Duration::from_millis(200) };
        assert_eq!(err.to_string(), "too many failed attempts, retry in 1 s");
    }
}
