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
    let digest = Sha256::new()
        .chain_update(b"duban-jwt-kid\0")
        .chain_update(secret)
        .finalize();
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
        let exp = now
            .checked_add_signed(self.ttl)
            .ok_or(AuthError::Signing)?
            .timestamp();
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
        let token = jsonwebtoken::encode(&header, &claims, &self.encoding)
            .map_err(|_| AuthError::Signing)?;
        Ok((token, expires_at))
    }

    /// Verifies a token and returns its claims.
    ///
    /// Refuses any algorithm but HS256 (including `none`), a missing or unknown `kid`, a bad
    /// signature, an expired or not-yet-valid token (5 s leeway), a wrong `iss` or `aud`, and
    /// a missing claim (`unit` alone is optional).
    pub fn verify(&self, token: &str) -> Result<Claims, AuthError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| AuthError::InvalidToken)?;
        if header.alg != Algorithm::HS256 {
            return Err(AuthError::InvalidToken);
        }
        let kid = header.kid.as_deref().ok_or(AuthError::InvalidToken)?;
        let (_, key) = self
            .decoding
            .iter()
            .find(|(known, _)| known == kid)
            .ok_or(AuthError::InvalidToken)?;
        jsonwebtoken::decode::<Claims>(token, key, &self.validation)
            .map(|data| data.claims)
            .map_err(|err| match err.kind() {
                ErrorKind::ExpiredSignature => AuthError::Expired,
                kind => {
                    tracing::debug!(reason = rejection_reason(kind), "token rejected");
                    AuthError::InvalidToken
                }
            })
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
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
    use serde_json::{Value, json};

    const SECRET: &str = "current-secret-0123456789abcdefghijklmnop";
    const OLD_SECRET: &str = "previous-secret-0123456789abcdefghijklmno";

    fn config(secret: &str, previous: Option<&str>) -> TokenConfig {
        TokenConfig {
            secret: secret.into(),
            previous_secret: previous.map(Into::into),
            issuer: "duban".into(),
            audience: "duban-api".into(),
            ttl: Duration::hours(1),
        }
    }

    fn keys() -> TokenKeys {
        TokenKeys::new(&config(SECRET, None))
    }

    fn issue_at(keys: &TokenKeys, now: DateTime<Utc>) -> String {
        keys.issue("42", "DEPARTMENT", Some(7), 3, now).unwrap().0
    }

    fn valid_claims() -> Value {
        let now = Utc::now().timestamp();
        json!({"sub": "42", "role": "DEPARTMENT", "unit": 7, "tv": 3, "iat": now, "nbf": now,
               "exp": now + 3600, "iss": "duban", "aud": "duban-api"})
    }

    /// Builds `header.payload.signature` by hand; the signature is HMAC-SHA256 with `secret`,
    /// or empty when `secret` is `None`.
    fn forge(header: &Value, claims: &Value, secret: Option<&str>) -> String {
        let message = format!(
            "{}.{}",
            B64.encode(header.to_string()),
            B64.encode(claims.to_string())
        );
        let signature = secret.map_or_else(String::new, |s| {
            let key = EncodingKey::from_secret(s.as_bytes());
            jsonwebtoken::crypto::sign(message.as_bytes(), &key, Algorithm::HS256).unwrap()
        });
        format!("{message}.{signature}")
    }

    fn hs256_header() -> Value {
        json!({"alg": "HS256", "typ": "JWT", "kid": key_id(SECRET.as_bytes())})
    }

    fn refused(token: &str) -> bool {
        matches!(keys().verify(token), Err(AuthError::InvalidToken))
    }

    #[test]
    fn fresh_token_is_accepted() {
        let keys = keys();
        let now = Utc::now();
        let (token, expires_at) = keys.issue("42", "LEADER", None, 1, now).unwrap();
        let claims = keys.verify(&token).unwrap();
        assert_eq!(
            (claims.sub.as_str(), claims.role.as_str()),
            ("42", "LEADER")
        );
        assert_eq!((claims.unit, claims.tv), (None, 1));
        assert_eq!(
            (claims.iss.as_str(), claims.aud.as_str()),
            ("duban", "duban-api")
        );
        assert_eq!(claims.exp, expires_at.timestamp());
        assert_eq!(claims.exp - claims.iat, 3600);
    }

    #[test]
    fn hand_forged_token_with_the_right_secret_is_accepted() {
        // Guards the attack tests below: they fail for the reason under test, not the forge.
        let claims = keys().verify(&forge(&hs256_header(), &valid_claims(), Some(SECRET)));
        assert_eq!(claims.unwrap().unit, Some(7));
    }

    #[test]
    fn alg_none_is_refused() {
        let header = json!({"alg": "none", "typ": "JWT"});
        assert!(refused(&forge(&header, &valid_claims(), None)));
        let with_kid = json!({"alg": "none", "typ": "JWT", "kid": key_id(SECRET.as_bytes())});
        assert!(refused(&forge(&with_kid, &valid_claims(), None)));
    }

    #[test]
    fn other_algorithms_are_refused_even_with_a_valid_hmac() {
        for alg in ["RS256", "HS384", "HS512", "ES256", "PS256", "EdDSA"] {
            let header = json!({"alg": alg, "typ": "JWT", "kid": key_id(SECRET.as_bytes())});
            assert!(
                refused(&forge(&header, &valid_claims(), Some(SECRET))),
                "{alg}"
            );
        }
    }

    #[test]
    fn tampered_payload_is_refused() {
        let token = issue_at(&keys(), Utc::now());
        let parts: Vec<&str> = token.split('.').collect();
        let mut claims: Value = serde_json::from_slice(&B64.decode(parts[1]).unwrap()).unwrap();
        claims["role"] = json!("ADMIN");
        let payload = B64.encode(claims.to_string());
        assert!(refused(&format!("{}.{payload}.{}", parts[0], parts[2])));
    }

    #[test]
    fn other_secret_is_refused() {
        let other = TokenKeys::new(&config("attacker-secret-0123456789abcdefghijkl", None));
        assert!(refused(&issue_at(&other, Utc::now())));
        // Same kid as ours but the wrong key: the signature check must catch it.
        let forged = forge(&hs256_header(), &valid_claims(), Some("attacker-secret"));
        assert!(refused(&forged));
    }

    #[test]
    fn expired_token_is_refused_as_expired() {
        let token = issue_at(&keys(), Utc::now() - Duration::hours(2));
        assert!(matches!(keys().verify(&token), Err(AuthError::Expired)));
        let just_expired = issue_at(&keys(), Utc::now() - Duration::seconds(3600 + 30));
        assert!(matches!(
            keys().verify(&just_expired),
            Err(AuthError::Expired)
        ));
    }

    #[test]
    fn token_not_yet_valid_is_refused() {
        assert!(refused(&issue_at(
            &keys(),
            Utc::now() + Duration::minutes(10)
        )));
        assert!(refused(&issue_at(
            &keys(),
            Utc::now() + Duration::seconds(30)
        )));
    }

    #[test]
    fn wrong_issuer_or_audience_is_refused() {
        let mut cfg = config(SECRET, None);
        cfg.issuer = "someone-else".into();
        assert!(refused(&issue_at(&TokenKeys::new(&cfg), Utc::now())));
        let mut cfg = config(SECRET, None);
        cfg.audience = "other-api".into();
        assert!(refused(&issue_at(&TokenKeys::new(&cfg), Utc::now())));
    }

    #[test]
    fn every_required_claim_must_be_present() {
        for claim in ["sub", "role", "tv", "iat", "nbf", "exp", "iss", "aud"] {
            let mut claims = valid_claims();
            claims.as_object_mut().unwrap().remove(claim);
            assert!(
                refused(&forge(&hs256_header(), &claims, Some(SECRET))),
                "{claim}"
            );
        }
    }

    #[test]
    fn garbage_is_refused() {
        for junk in [
            "",
            ".",
            "..",
            "a.b.c",
            "not a token",
            "eyJhbGciOiJIUzI1NiJ9..",
            "ä.ö.ü",
        ] {
            assert!(refused(junk), "{junk:?}");
        }
    }

    #[test]
    fn unknown_or_missing_kid_is_refused() {
        let header = json!({"alg": "HS256", "typ": "JWT", "kid": "0123456789abcdef"});
        assert!(refused(&forge(&header, &valid_claims(), Some(SECRET))));
        let header = json!({"alg": "HS256", "typ": "JWT"});
        assert!(refused(&forge(&header, &valid_claims(), Some(SECRET))));
    }

    #[test]
    fn previous_secret_is_accepted_only_while_configured() {
        let token = issue_at(&TokenKeys::new(&config(OLD_SECRET, None)), Utc::now());
        let rotated = TokenKeys::new(&config(SECRET, Some(OLD_SECRET)));
        assert_eq!(rotated.verify(&token).unwrap().sub, "42");
        assert!(rotated.verify(&issue_at(&rotated, Utc::now())).is_ok());
        let retired = TokenKeys::new(&config(SECRET, None));
        assert!(matches!(
            retired.verify(&token),
            Err(AuthError::InvalidToken)
        ));
    }

    #[test]
    fn secret_never_appears_in_token_or_debug_output() {
        let keys = keys();
        let token = issue_at(&keys, Utc::now());
        let mut parts = token.split('.');
        let header = String::from_utf8(B64.decode(parts.next().unwrap()).unwrap()).unwrap();
        let payload = String::from_utf8(B64.decode(parts.next().unwrap()).unwrap()).unwrap();
        for text in [
            header.as_str(),
            payload.as_str(),
            &token,
            &format!("{keys:?}"),
        ] {
            assert!(
                !text.contains(SECRET) && !text.contains(&SECRET[..12]),
                "{text}"
            );
        }
        let header: Value = serde_json::from_str(&header).unwrap();
        assert_eq!(header["alg"], "HS256");
        assert_eq!(header["kid"].as_str().unwrap().len(), 16);
        assert!(!format!("{:?}", config(SECRET, Some(OLD_SECRET))).contains(SECRET));
    }
}
