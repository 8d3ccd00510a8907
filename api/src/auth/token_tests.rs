//! Tests of token issue and verification, including every attack the verifier must refuse.

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
    let message = format!("{}.{}", B64.encode(header.to_string()), B64.encode(claims.to_string()));
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
    assert_eq!((claims.sub.as_str(), claims.role.as_str()), ("42", "LEADER"));
    assert_eq!((claims.unit, claims.tv), (None, 1));
    assert_eq!((claims.iss.as_str(), claims.aud.as_str()), ("duban", "duban-api"));
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
        assert!(refused(&forge(&header, &valid_claims(), Some(SECRET))), "{alg}");
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
    assert!(matches!(keys().verify(&just_expired), Err(AuthError::Expired)));
}

#[test]
fn token_not_yet_valid_is_refused() {
    assert!(refused(&issue_at(&keys(), Utc::now() + Duration::minutes(10))));
    assert!(refused(&issue_at(&keys(), Utc::now() + Duration::seconds(30))));
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
        assert!(refused(&forge(&hs256_header(), &claims, Some(SECRET))), "{claim}");
    }
}

#[test]
fn garbage_is_refused() {
    for junk in ["", ".", "..", "a.b.c", "not a token", "eyJhbGciOiJIUzI1NiJ9..", "ä.ö.ü"] {
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
    assert!(matches!(retired.verify(&token), Err(AuthError::InvalidToken)));
}

#[test]
fn secret_never_appears_in_token_or_debug_output() {
    let keys = keys();
    let token = issue_at(&keys, Utc::now());
    let mut parts = token.split('.');
    let header = String::from_utf8(B64.decode(parts.next().unwrap()).unwrap()).unwrap();
    let payload = String::from_utf8(B64.decode(parts.next().unwrap()).unwrap()).unwrap();
    for text in [header.as_str(), payload.as_str(), &token, &format!("{keys:?}")] {
        assert!(!text.contains(SECRET) && !text.contains(&SECRET[..12]), "{text}");
    }
    let header: Value = serde_json::from_str(&header).unwrap();
    assert_eq!(header["alg"], "HS256");
    assert_eq!(header["kid"].as_str().unwrap().len(), 16);
    assert!(!format!("{:?}", config(SECRET, Some(OLD_SECRET))).contains(SECRET));
}

#[test]
fn a_token_living_longer_than_the_configured_lifetime_is_refused() {
    let now = Utc::now().timestamp();
    let mut century = valid_claims();
    century["exp"] = json!(now + 100 * 365 * 24 * 3600);
    assert!(refused(&forge(&hs256_header(), &century, Some(SECRET))));
    // The configured lifetime (one hour) plus the skew is still fine.
    let mut longest = valid_claims();
    longest["exp"] = json!(now + 3600 + LEEWAY_SECS as i64);
    assert!(!refused(&forge(&hs256_header(), &longest, Some(SECRET))));
}

#[test]
fn a_token_issued_in_the_future_is_refused() {
    let now = Utc::now().timestamp();
    let mut ahead = valid_claims();
    ahead["iat"] = json!(now + 600);
    ahead["exp"] = json!(now + 1200);
    assert!(refused(&forge(&hs256_header(), &ahead, Some(SECRET))));
}
