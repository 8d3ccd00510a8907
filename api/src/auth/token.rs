//! HS256 session tokens (JWT): issuing, and verifying with the algorithm pinned.
//!
//! Every token carries a `kid` naming the secret that signed it: a short fingerprint of the
//! secret, never the secret. Verification accepts the current secret and, during a rotation,
//! the previous one; any other `kid` is refused before a signature is even checked.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::{ExposeSecret as _, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::{AuthError, to_hex};

/// Clock skew tolerated on `exp` and `nbf`, in seconds.
const LEEWAY_SECS: u64 = 5;
/// Secrets shorter than this (in bytes) are weaker than the HS256 output; logged as a warning.
const MIN_SECRET_BYTES: usize = 32;

/// Settings for issuing and verifying session tokens.
#[derive(Debug, Clone)]
pub struct TokenConfig {
    /// Secret that signs new tokens.
    pub secret: SecretString,
    /// Secret of the last rotation; tokens it signed stay valid until they expire.
    pub previous_secret: Option<SecretString>,
    /// Value of `iss`, required to match on verification.
    pub issuer: String,
    /// Value of `aud`, required to match on verification.
    pub audience: String,
    /// Lifetime of a new token.
    pub ttl: Duration,
}

/// The claims of a session token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// User id.
    pub sub: String,
    /// `ADMIN`, `LEADER`, `DEPARTMENT` or `SERVICE`.
    pub role: String,
    /// Department id of the user, if any.
    pub unit: Option<i64>,
    /// The user's token version when the token was issued; bumping it revokes old tokens.
    pub tv: i32,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Not before (Unix seconds).
    pub nbf: i64,
    /// Expires at (Unix seconds).
    pub exp: i64,
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
}

/// Keys and validation rules derived from a [`TokenConfig`].
pub struct TokenKeys {
    kid: String,
    encoding: EncodingKey,
    /// `(kid, key)` for the current secret, then the previous one if any.
    decoding: Vec<(String, DecodingKey)>,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl: Duration,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kids: Vec<&str> = self.decoding.iter().map(|(kid, _)| kid.as_str()).collect();
        f.debug_struct("TokenKeys")
            .field("kid", &self.kid)
            .field("accepted_kids", &kids)
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .finish_non_exhaustive()
    }
}

/// Fingerprint naming a secret: first 8 bytes of a domain-separated SHA-256, in hex.
///
/// It reveals nothing an attacker could not already test offline against any token's
/// HMAC, so it does not weaken the secret.
fn key_id(secret: &[u8]) -> String {
    let digest = Sha256::new().chain_update(b"duban-jwt-kid\0").chain_update(secret).finalize();
    to_hex(&digest[..8])
}

impl TokenKeys {
    /// Derives the signing key (current secret) and the verifying keys (current + previous).
    pub fn new(cfg: &TokenConfig) -> Self {
        let current = cfg.secret.expose_secret().as_bytes();
        if current.len() < MIN_SECRET_BYTES {
            tracing::warn!(min_bytes = MIN_SECRET_BYTES, "JWT secret is short");
        }
        let kid = key_id(current);
        let mut decoding = vec![(kid.clone(), DecodingKey::from_secret(current))];
        if let Some(previous) = &cfg.previous_secret {
            let previous = previous.expose_secret().as_bytes();
            let previous_kid = key_id(previous);
            if previous_kid != kid {
                decoding.push((previous_kid, DecodingKey::from_secret(previous)));
            }
        }
        Self {
            kid,
            encoding: EncodingKey::from_secret(current),
            decoding,
            validation: validation(&cfg.issuer, &cfg.audience),
            issuer: cfg.issuer.clone(),
            audience: cfg.audience.clone(),
            ttl: cfg.ttl,
        }
    }

    /// Signs a token for a user with the current secret (header `alg: HS256`, `kid` = the
    /// secret's fingerprint). Returns the token and its expiry, truncated to whole seconds
    /// exactly as written in `exp`.
    pub fn issue(
        &self,
        sub: &str,
        role: &str,
        unit: Option<i64>,
        tv: i32,
        now: DateTime<Utc>,
    ) -> Result<(String, DateTime<Utc>), AuthError> {
        let exp = now.checked_add_signed(self.ttl).ok_or(AuthError::Signing)?.timestamp();
        let expires_at = DateTime::from_timestamp(exp, 0).ok_or(AuthError::Signing)?;
        let claims = Claims {
            sub: sub.to_owned(),
            role: role.to_owned(),
            unit,
            tv,
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.kid.clone());
        let token = jsonwebtoken::encode(&header, &claims, &self.encoding).map_err(|_| AuthError::Signing)?;
        Ok((token, expires_at))
    }

    /// Verifies a token and returns its claims.
    ///
    /// Refuses any algorithm but HS256 (including `none`), a missing or unknown `kid`, a bad
    /// signature, an expired or not-yet-valid token (5 s leeway), a wrong `iss` or `aud`, a
    /// missing claim (`unit` alone is optional), a lifetime longer than the configured one and
    /// an `iat` in the future.
    pub fn verify(&self, token: &str) -> Result<Claims, AuthError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| AuthError::InvalidToken)?;
        if header.alg != Algorithm::HS256 {
            return Err(AuthError::InvalidToken);
        }
        let kid = header.kid.as_deref().ok_or(AuthError::InvalidToken)?;
        let (_, key) = self.decoding.iter().find(|(known, _)| known == kid).ok_or(AuthError::InvalidToken)?;
        let claims =
            jsonwebtoken::decode::<Claims>(token, key, &self.validation).map(|data| data.claims).map_err(|err| {
                match err.kind() {
                    ErrorKind::ExpiredSignature => AuthError::Expired,
                    kind => {
                        tracing::debug!(reason = rejection_reason(kind), "token rejected");
                        AuthError::InvalidToken
                    }
                }
            })?;
        self.check_lifetime(&claims, Utc::now())?;
        Ok(claims)
    }

    /// A correctly signed token must still look like one this server issued: no longer-lived
    /// than the configured lifetime, and not issued in the future (both with the clock skew).
    fn check_lifetime(&self, claims: &Claims, now: DateTime<Utc>) -> Result<(), AuthError> {
        let skew = LEEWAY_SECS as i64;
        let lifetime = claims.exp.saturating_sub(claims.iat);
        if lifetime > self.ttl.num_seconds().saturating_add(skew) {
            tracing::debug!(reason = "lifetime", "token rejected");
            return Err(AuthError::InvalidToken);
        }
        if claims.iat > now.timestamp().saturating_add(skew) {
            tracing::debug!(reason = "issued in the future", "token rejected");
            return Err(AuthError::InvalidToken);
        }
        Ok(())
    }
}

/// Validation pinned to HS256 with every registered claim we rely on required.
fn validation(issuer: &str, audience: &str) -> Validation {
    let mut v = Validation::new(Algorithm::HS256);
    v.leeway = LEEWAY_SECS;
    v.validate_exp = true;
    v.validate_nbf = true;
    v.set_issuer(&[issuer]);
    v.set_audience(&[audience]);
    // `iat`, `role` and `tv` are enforced by `Claims` itself (non-optional fields).
    v.set_required_spec_claims(&["sub", "exp", "nbf", "iss", "aud"]);
    v
}

/// A short, content-free label for logs (error payloads may quote token text).
fn rejection_reason(kind: &ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidSignature => "signature",
        ErrorKind::InvalidAlgorithm => "algorithm",
        ErrorKind::ImmatureSignature => "not yet valid",
        ErrorKind::InvalidIssuer => "issuer",
        ErrorKind::InvalidAudience => "audience",
        ErrorKind::MissingRequiredClaim(_) | ErrorKind::Json(_) => "claims",
        _ => "malformed",
    }
}

#[cfg(test)]
#[path = "token_tests.rs"]
mod tests;
