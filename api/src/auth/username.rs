//! Login names: one spelling per name, and only characters a name may have.
//!
//! Names are compared after Unicode compatibility folding (NFKC) and lower-casing, so the
//! full-width `ａｄｍｉｎ` is `admin`, not a second account that looks like it. A name is made of
//! letters and digits (any script: `县民政局` is fine) and `.`, `_`, `-`, `@`; spaces, control
//! characters (a NUL would cut the name in some tools) and markup are refused.

use super::AuthError;
use unicode_normalization::UnicodeNormalization;

/// Longest name, in characters.
const MAX_USERNAME_CHARS: usize = 64;

/// The one spelling a name is stored and looked up under: trimmed, NFKC, lower-case.
pub fn normalize_username(username: &str) -> String {
    username.trim().nfkc().collect::<String>().to_lowercase()
}

/// Checks a new name (after [`normalize_username`]).
pub fn check_username(normalized: &str) -> Result<(), AuthError> {
    let count = normalized.chars().count();
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@');
    if count == 0 || count > MAX_USERNAME_CHARS || !normalized.chars().all(allowed) {
        return Err(AuthError::BadUsername);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_case_fold_to_one_name() {
        assert_eq!(normalize_username(" ＡＤＭＩＮ "), "admin");
        assert_eq!(normalize_username("Min.Zheng"), "min.zheng");
        assert_eq!(normalize_username("县民政局-01"), "县民政局-01");
    }

    #[test]
    fn control_characters_spaces_and_markup_are_refused() {
        for bad in ["", "ad\0min", "two words", "<script>alert(1)</script>", "tab\there", &"x".repeat(65)] {
            assert!(check_username(&normalize_username(bad)).is_err(), "{bad:?}");
        }
        for good in ["admin", "unit17", "县民政局", "fagai-system", "a.b_c@d"] {
            assert!(check_username(good).is_ok(), "{good}");
        }
    }
}
