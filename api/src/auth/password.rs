//! Password hashing (argon2id, PHC strings) and the password policy.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use super::AuthError;

/// Minimum password length, counted in characters (not bytes), so that a Chinese
/// passphrase is measured the same way a user would count it.
pub const MIN_PASSWORD_LEN: usize = 10;

/// A real argon2id hash of a throw-away password, computed once.
///
/// Verifying against it when the username is unknown makes "no such user" cost the same
/// time as "wrong password", so login timing does not reveal which usernames exist.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    hash_password("duban-dummy-password-for-timing").expect("argon2 with default parameters hashes a constant")
});

/// Hashes `plain` with argon2id (the crate's default, OWASP-recommended parameters) and a
/// fresh random salt, returning a self-describing PHC string suitable for storage.
pub fn hash_password(plain: &str) -> Result<String, AuthError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(plain.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|_| AuthError::Hashing)
}

/// Checks `plain` against a stored PHC string.
///
/// Pass `None` when the user does not exist: the password is then verified against a fixed
/// dummy hash (and always rejected), so both failures take the same time. A stored hash that
/// cannot be parsed is treated as a mismatch and logged without its content.
pub fn verify_password(plain: &str, phc: Option<&str>) -> bool {
    let Some(phc) = phc else {
        // Do the full amount of work, then refuse regardless of the outcome.
        let _ = verify_against(plain, &DUMMY_HASH);
        return false;
    };
    verify_against(plain, phc)
}

fn verify_against(plain: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default().verify_password(plain.as_bytes(), &parsed).is_ok(),
        Err(_) => {
            tracing::warn!("stored password hash is not a valid PHC string");
            false
        }
    }
}

/// Accepts a new password only if it has at least [`MIN_PASSWORD_LEN`] characters, is not
/// just whitespace and holds no control characters (a NUL would be cut by some clients).
pub fn check_password_policy(plain: &str) -> Result<(), AuthError> {
    if plain.chars().count() < MIN_PASSWORD_LEN {
        return Err(AuthError::WeakPassword { min: MIN_PASSWORD_LEN });
    }
    if plain.trim().is_empty() || plain.chars().any(char::is_control) {
        return Err(AuthError::BlankPassword);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_argon2id_phc_and_verifies() {
        let phc = hash_password("correct horse battery").unwrap();
        assert!(phc.starts_with("$argon2id$"), "{phc}");
        assert!(!phc.contains("correct horse battery"));
        assert!(verify_password("correct horse battery", Some(&phc)));
    }

    #[test]
    fn wrong_password_is_refused() {
        let phc = hash_password("correct horse battery").unwrap();
        assert!(!verify_password("correct horse batterY", Some(&phc)));
        assert!(!verify_password("", Some(&phc)));
    }

    #[test]
    fn same_password_gets_a_different_salt_each_time() {
        let a = hash_password("same password!").unwrap();
        let b = hash_password("same password!").unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn unknown_user_is_always_refused() {
        assert!(!verify_password("anything at all", None));
        // Even the dummy's own plaintext must not log anyone in.
        assert!(!verify_password("duban-dummy-password-for-timing", None));
    }

    #[test]
    fn corrupt_stored_hash_is_refused() {
        assert!(!verify_password("whatever123", Some("not-a-phc-string")));
        assert!(!verify_password("whatever123", Some("")));
    }

    #[test]
    fn policy_counts_characters_not_bytes() {
        // Nine CJK characters are 27 bytes but still too short.
        assert!(matches!(check_password_policy("县政府督办任务跟进"), Err(AuthError::WeakPassword { min: 10 })));
        assert!(check_password_policy("县政府督办任务跟进系统").is_ok());
        assert!(check_password_policy("123456789").is_err());
        assert!(check_password_policy("1234567890").is_ok());
    }

    #[test]
    fn policy_refuses_blank_and_control_characters() {
        assert!(matches!(check_password_policy("          "), Err(AuthError::BlankPassword)));
        assert!(matches!(
            check_password_policy("\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}"),
            Err(AuthError::BlankPassword)
        ));
        assert!(matches!(check_password_policy("long-enough\0password"), Err(AuthError::BlankPassword)));
        assert!(check_password_policy("with spaces inside").is_ok());
    }
}
