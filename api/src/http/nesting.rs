//! How deeply a request nests, measured before anything recursive reads it.
//!
//! async-graphql's parser (a pest grammar) and every walk over the parsed document recurse once
//! per level of `{`, `[` and `(`: about 1,700 levels of `[[[…]]]` in a 3 KB anonymous query
//! overflowed a worker's stack and aborted the whole process. So the text of every document is
//! scanned first, without recursion, and one that nests deeper than [`MAX_NESTING`] is refused;
//! variables (already JSON, so at most 128 levels deep) are held to the same bound. HTTP and the
//! WebSocket both go through `Documents::parse` ([`screen_document`], on a cache miss) and
//! [`screen_variables`].

use async_graphql::{Name, Value};

/// Deepest nesting of selection sets, lists, input objects and arguments a request may have.
/// The standard introspection query nests about ten levels; data queries are held to a selection
/// depth of 12 by validation anyway.
pub const MAX_NESTING: usize = 64;

/// Why a request was refused before it was parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooDeep {
    /// The document's text.
    Document,
    /// A variable's value.
    Variables,
}

impl TooDeep {
    /// The message the client reads.
    pub fn message(self) -> String {
        match self {
            TooDeep::Document => format!("the document nests deeper than {MAX_NESTING} levels"),
            TooDeep::Variables => format!("a variable nests deeper than {MAX_NESTING} levels"),
        }
    }
}

/// Refuses a request whose document or variables nest deeper than [`MAX_NESTING`].
pub fn screen<'a>(query: &str, variables: impl IntoIterator<Item = (&'a Name, &'a Value)>) -> Result<(), TooDeep> {
    screen_document(query)?;
    screen_variables(variables)
}

/// Refuses a document's text that nests deeper than [`MAX_NESTING`] (`Documents::parse` runs it
/// before parsing, so a document kept in the cache is not scanned again).
pub fn screen_document(query: &str) -> Result<(), TooDeep> {
    if document_depth(query) > MAX_NESTING { Err(TooDeep::Document) } else { Ok(()) }
}

/// Refuses variables that nest deeper than [`MAX_NESTING`].
pub fn screen_variables<'a>(variables: impl IntoIterator<Item = (&'a Name, &'a Value)>) -> Result<(), TooDeep> {
    if variables.into_iter().any(|(_, value)| value_depth(value) > MAX_NESTING) {
        return Err(TooDeep::Variables);
    }
    Ok(())
}

/// The deepest nesting of brackets in a GraphQL document's text, outside strings and comments.
/// Unbalanced brackets are left to the parser: a closing one never takes the depth below zero.
pub fn document_depth(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => i = skip_block_string(bytes, i + 3),
            b'"' => i = skip_string(bytes, i + 1),
            b'{' | b'[' | b'(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    deepest
}

/// The index of the closing quote of a string whose text starts at `i` (or the end).
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' | b'\n' | b'\r' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The index of the last quote of a block string whose text starts at `i` (or the end); `\"""`
/// is an escaped delimiter.
fn skip_block_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        if bytes[i..].starts_with(b"\\\"\"\"") {
            i += 4;
        } else if bytes[i..].starts_with(b"\"\"\"") {
            return i + 2;
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// How deeply a value nests (a scalar is 0, `[1]` is 1), walked without recursion.
pub fn value_depth(value: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(value, 0usize)];
    while let Some((value, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        match value {
            Value::List(items) => stack.extend(items.iter().map(|v| (v, depth + 1))),
            Value::Object(fields) => stack.extend(fields.values().map(|v| (v, depth + 1))),
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_of_every_kind_count() {
        assert_eq!(document_depth("{ a }"), 1);
        assert_eq!(document_depth("{ task(id: [[\"1\"]]) { id } }"), 4);
        assert_eq!(document_depth("{ a(x: {b: {c: 1}}) }"), 4);
        assert_eq!(document_depth("}}}{"), 1, "stray closing brackets never go below zero");
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        assert_eq!(document_depth("{ a(x: \"[[[{{{(\") }"), 2);
        assert_eq!(document_depth("{ a(x: \"\\\"[[[\") }"), 2, "an escaped quote does not end the string");
        assert_eq!(document_depth("{ a(x: \"\"\"[[[ \\\"\"\" [[[ \"\"\") }"), 2);
        assert_eq!(document_depth("# [[[[\n{ a }"), 1);
        assert_eq!(document_depth("{ a(x: \"unterminated [[[ \n [[) }"), 4, "a string ends at the line's end");
    }

    #[test]
    fn a_deep_document_is_refused_before_parsing() {
        let deep = format!("{{task(id:{}\"1\"{}){{id}}}}", "[".repeat(1_700), "]".repeat(1_700));
        assert_eq!(screen(&deep, []), Err(TooDeep::Document));
        let objects = format!("{{a(x:{}1{})}}", "{a:".repeat(2_000), "}".repeat(2_000));
        assert_eq!(screen(&objects, []), Err(TooDeep::Document));
        let selections = format!("{}{}", "{a".repeat(100), "}".repeat(100));
        assert_eq!(screen(&selections, []), Err(TooDeep::Document));
        assert_eq!(screen(&format!("{}{}", "{a".repeat(MAX_NESTING), "}".repeat(MAX_NESTING)), []), Ok(()));
    }

    #[test]
    fn deep_variables_are_refused() {
        let deep: serde_json::Value =
            serde_json::from_str(&format!("{}1{}", "[".repeat(100), "]".repeat(100))).unwrap();
        let variables = async_graphql::Variables::from_json(serde_json::json!({ "id": deep }));
        assert_eq!(screen("{ a }", variables.iter()), Err(TooDeep::Variables));
        let shallow = async_graphql::Variables::from_json(serde_json::json!({ "id": [[1]] }));
        assert_eq!(screen("{ a }", shallow.iter()), Ok(()));
    }
}
