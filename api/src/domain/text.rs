//! Text rules shared by the domain: required fields and substring search.

use crate::error::{AppError, AppResult};
use sea_orm::sea_query::LikeExpr;

/// Trims `value` and refuses it when empty.
pub fn required_text(value: &str, field: &str) -> AppResult<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(AppError::bad_input(format!("{field} must not be empty")));
    }
    Ok(trimmed.to_owned())
}

/// A `LIKE` pattern matching `text` anywhere, Traditional input folded to Simplified, with
/// `%`, `_` and `\` matching themselves (a search for `%` finds a percent sign, not everything).
pub fn contains_pattern(text: &str) -> LikeExpr {
    let simplified = zhconv::zhconv(text.trim(), zhconv::Variant::ZhHans);
    let mut escaped = String::with_capacity(simplified.len() + 2);
    escaped.push('%');
    for c in simplified.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    LikeExpr::new(escaped).escape('\\')
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::sea_query::{Expr, ExprTrait, PostgresQueryBuilder, Query};

    fn sql(text: &str) -> String {
        Query::select().expr(Expr::col("name").like(contains_pattern(text))).to_string(PostgresQueryBuilder)
    }

    #[test]
    fn wildcards_match_themselves() {
        assert!(sql("%").contains(r"'%\\%%'"), "{}", sql("%"));
        assert!(sql("a_b").contains(r"'%a\\_b%'"), "{}", sql("a_b"));
        assert!(sql("縣").contains("'%县%'"));
    }

    #[test]
    fn required_text_trims_and_refuses_blanks() {
        assert_eq!(required_text("  x ", "title").unwrap(), "x");
        assert_eq!(required_text(" ", "title").unwrap_err().code(), "BAD_USER_INPUT");
    }
}
