//! Page sizes written into the statement's text instead of bound, on PostgreSQL.
//!
//! A prepared statement is planned for its parameters on each of its first five executions;
//! after that PostgreSQL keeps one generic plan if that plan looks no dearer than the custom
//! ones. With `LIMIT $n` it never does: the generic plan cannot know how many rows the limit
//! keeps, so it is costed as if it kept a tenth of them, and every execution is planned again.
//! For a unit's dashboard that planning was almost half of PostgreSQL's CPU per request (see
//! BENCHMARKS.md). Page sizes are few (1 to 100, plus one for the look-ahead row), so writing
//! them into the text adds few statements to each connection's cache. SQLite plans every
//! statement once, whatever its values, and is left as built.

use sea_orm::{DbBackend, Statement, StatementBuilder, Value, Values};

/// Builds `query` for `backend`, with the values of its `LIMIT` and `OFFSET` clauses (its own
/// and those of its subqueries) written as numbers on PostgreSQL.
pub fn build(backend: DbBackend, query: &impl StatementBuilder) -> Statement {
    let statement = backend.build(query);
    match backend {
        DbBackend::Postgres => inline_page_sizes(statement),
        _ => statement,
    }
}

/// Rewrites `$n` placeholders that directly follow ` LIMIT ` or ` OFFSET ` and hold an unsigned
/// number into that number, and renumbers the placeholders after them. The text is scanned byte
/// by byte (every character it looks for is ASCII) and copied in runs between placeholders.
fn inline_page_sizes(statement: Statement) -> Statement {
    let Statement { sql, values, db_backend } = statement;
    let Some(Values(values)) = values else { return Statement { sql, values: None, db_backend } };
    if !sql.contains(" LIMIT $") && !sql.contains(" OFFSET $") {
        return Statement { sql, values: Some(Values(values)), db_backend };
    }
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len());
    let mut kept = Vec::with_capacity(values.len());
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            quote @ (b'\'' | b'"') => {
                // Past the closing quote (a doubled quote closes and reopens: same result).
                at += 1;
                while at < bytes.len() && bytes[at] != quote {
                    at += 1;
                }
                at += 1;
            }
            b'$' if bytes.get(at + 1).is_some_and(u8::is_ascii_digit) => {
                let end = (at + 1..bytes.len()).find(|&i| !bytes[i].is_ascii_digit()).unwrap_or(bytes.len());
                let number: usize = sql[at + 1..end].parse().expect("digits");
                let value = &values[number - 1];
                let page_clause = sql[..at].ends_with(" LIMIT ") || sql[..at].ends_with(" OFFSET ");
                out.push_str(&sql[copied..at]);
                match (page_clause, value) {
                    (true, Value::BigUnsigned(Some(n))) => out.push_str(&n.to_string()),
                    _ => {
                        kept.push(value.clone());
                        out.push('$');
                        out.push_str(&kept.len().to_string());
                    }
                }
                copied = end;
                at = end;
            }
            _ => at += 1,
        }
    }
    out.push_str(&sql[copied..]);
    Statement { sql: out, values: Some(Values(kept)), db_backend }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, UnionType};

    fn page(table: &str, limit: u64) -> SelectStatement {
        Query::select()
            .column(Alias::new("id"))
            .from(Alias::new(table))
            .and_where(Expr::col(Alias::new("unit")).eq(7).and(Expr::col(Alias::new("title")).eq("a '$1' LIMIT $2")))
            .limit(limit)
            .to_owned()
    }

    #[test]
    fn a_page_size_is_written_into_the_text_and_later_placeholders_are_renumbered() {
        let mut union = Query::select()
            .column(Alias::new("id"))
            .from_subquery(page("a", 21), Alias::new("u0"))
            .and_where(Expr::col(Alias::new("id")).gt(3))
            .to_owned();
        union.union(
            UnionType::All,
            Query::select().column(Alias::new("id")).from_subquery(page("b", 6), Alias::new("u1")).to_owned(),
        );
        let before = DbBackend::Postgres.build(&union);
        let after = build(DbBackend::Postgres, &union);
        assert!(before.sql.contains("LIMIT $3"), "{}", before.sql);
        assert!(after.sql.contains(" LIMIT 21)"), "{}", after.sql);
        assert!(after.sql.contains(" LIMIT 6)"), "{}", after.sql);
        let values = after.values.expect("values").0;
        assert_eq!(
            values,
            vec![
                Value::from(7),
                Value::from("a '$1' LIMIT $2"),
                Value::from(3),
                Value::from(7),
                Value::from("a '$1' LIMIT $2")
            ]
        );
        // Every remaining placeholder is numbered 1..=n in order, each once.
        let numbers: Vec<usize> = after
            .sql
            .split('$')
            .skip(1)
            .map(|rest| rest.chars().take_while(char::is_ascii_digit).collect::<String>().parse().expect("a number"))
            .collect();
        assert_eq!(numbers, (1..=values.len()).collect::<Vec<_>>());
    }

    #[test]
    fn a_bound_value_that_only_looks_like_a_page_clause_stays_bound() {
        let query = page("a", 21);
        let built = build(DbBackend::Postgres, &query);
        assert_eq!(built.values.expect("values").0[1], Value::from("a '$1' LIMIT $2"));
    }

    #[test]
    fn sqlite_statements_are_left_as_built() {
        let query = page("a", 21);
        assert_eq!(build(DbBackend::Sqlite, &query), DbBackend::Sqlite.build(&query));
    }
}
