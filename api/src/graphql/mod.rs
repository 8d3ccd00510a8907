//! The GraphQL transport: types, resolvers and loaders. Resolvers parse input, call one
//! domain function and map the result; rules live in `policy`, work in `domain`.

pub mod connection;
pub mod context;
pub mod fetch;
pub mod loaders;
pub mod mutation;
pub mod query;
pub mod scalars;
pub mod subscription;
pub mod types;

use crate::auth::AuthContext;
use crate::db::Reader;
use crate::domain::evidence::Files;
use crate::domain::webhooks::destination::Destinations;
use crate::events::Hub;
use async_graphql::{Schema, SchemaBuilder};
use sea_orm::DatabaseConnection;

/// The schema type served at `/graphql` (subscriptions over WebSocket on the same path).
pub type AppSchema = Schema<query::Query, mutation::Mutation, subscription::Subscription>;

/// Deepest selection a request may make, and its largest complexity (each field costs 1, a
/// connection of `first: n` multiplies its children by n). Documented in README as part of the
/// contract.
pub const MAX_DEPTH: usize = 12;
pub const MAX_COMPLEXITY: usize = 5_000;

/// Limits for introspection-only requests. The standard introspection query (graphql-js
/// `getIntrospectionQuery()`, which GraphiQL, codegen and client tooling send) nests `ofType`
/// nine levels deep under `__schema { types { fields { type … } } }`: deeper than any data query
/// needs, but bounded; anything nested deeper is still refused.
pub const MAX_INTROSPECTION_DEPTH: usize = 20;
pub const MAX_INTROSPECTION_COMPLEXITY: usize = 50_000;

/// The schema as served to three kinds of request. All share one registry shape; they differ in
/// limits and in what an error may reveal.
#[derive(Clone)]
pub struct Schemas {
    /// Signed-in callers who may introspect: validation errors suggest field names.
    pub full: AppSchema,
    /// Everyone else: introspection off, and no "Did you mean …" suggestions (they would tell
    /// an anonymous caller the names introspection hides).
    pub quiet: AppSchema,
    /// Introspection-only requests of callers who may introspect.
    pub introspection: AppSchema,
}

fn builder(
    db: &DatabaseConnection,
    reads: &Reader,
    auth: &AuthContext,
    events: &Hub,
    destinations: &Destinations,
    files: &Files,
) -> SchemaBuilder<query::Query, mutation::Mutation, subscription::Subscription> {
    Schema::build(query::Query, mutation::Mutation::default(), subscription::Subscription)
        .data(db.clone())
        .data(reads.clone())
        .data(auth.clone())
        .data(events.clone())
        .data(destinations.clone())
        .data(files.clone())
}

/// Builds the schemas with the database (writes and reads), auth keys, event hub and the
/// addresses webhooks may reach as shared data. Per-request data (caller, loaders) is added by the HTTP and WebSocket handlers.
pub fn build_schemas(
    db: DatabaseConnection,
    reads: Reader,
    auth: AuthContext,
    events: &Hub,
    destinations: &Destinations,
    files: &Files,
) -> Schemas {
    Schemas {
        full: builder(&db, &reads, &auth, events, destinations, files)
            .limit_depth(MAX_DEPTH)
            .limit_complexity(MAX_COMPLEXITY)
            .finish(),
        quiet: builder(&db, &reads, &auth, events, destinations, files)
            .limit_depth(MAX_DEPTH)
            .limit_complexity(MAX_COMPLEXITY)
            .disable_introspection()
            .disable_suggestions()
            .finish(),
        introspection: builder(&db, &reads, &auth, events, destinations, files)
            .limit_depth(MAX_INTROSPECTION_DEPTH)
            .limit_complexity(MAX_INTROSPECTION_COMPLEXITY)
            .finish(),
    }
}

/// The schema in SDL, as committed in `schema.graphql`. Types and fields come out sorted.
pub fn sdl() -> String {
    let schema = Schema::build(query::Query, mutation::Mutation::default(), subscription::Subscription).finish();
    schema
        .sdl_with_options(async_graphql::SDLExportOptions::new().sorted_fields().sorted_arguments().sorted_enum_items())
}

/// The fields of each object type of the schema as served, by type name (for the tests that
/// check names the look-ahead reads against the schema).
#[cfg(test)]
pub fn served_fields() -> std::collections::HashMap<String, Vec<String>> {
    fields_of(&sdl())
}

/// The fields of each object type in an SDL document.
#[cfg(test)]
fn fields_of(sdl: &str) -> std::collections::HashMap<String, Vec<String>> {
    let mut types = std::collections::HashMap::new();
    let mut current: Option<String> = None;
    let mut in_description = false;
    for line in sdl.lines() {
        // An argument printed on a line of its own (after its description) is not a field.
        if line.starts_with("\t\t") {
            continue;
        }
        let line = line.trim();
        // A description's text is not a field, even a line of it that reads `word: …`.
        let quotes = line.matches("\"\"\"").count();
        if in_description || quotes > 0 {
            if quotes % 2 == 1 {
                in_description = !in_description;
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("type ") {
            current = rest.split_whitespace().next().map(str::to_owned);
            continue;
        }
        if line.starts_with('}') {
            current = None;
            continue;
        }
        if let Some(name) = &current {
            let field: String = line.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !field.is_empty() && (line[field.len()..].starts_with(':') || line[field.len()..].starts_with('(')) {
                types.entry(name.clone()).or_insert_with(Vec::new).push(field);
            }
        }
    }
    types
}

#[cfg(test)]
mod tests {
    /// Frontend teams read the Docs pane: every type of duban's own has a description (the
    /// connection, edge and page-info types async-graphql generates have none to give).
    #[test]
    fn every_type_has_a_description() {
        let sdl = super::sdl();
        let lines: Vec<&str> = sdl.lines().collect();
        let undescribed: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter_map(|(i, line)| {
                let name = ["type ", "input ", "enum ", "scalar ", "interface ", "union "]
                    .iter()
                    .find_map(|kind| line.strip_prefix(kind))?
                    .split([' ', '{'])
                    .next()?;
                let described = i > 0 && lines[i - 1].trim_end().ends_with("\"\"\"");
                let generated = name.ends_with("Connection") || name.ends_with("Edge") || name == "PageInfo";
                (!described && !generated).then_some(name)
            })
            .collect();
        assert!(undescribed.is_empty(), "types without a description: {undescribed:?}");
    }

    /// Frontend teams read the Docs pane: every argument of every field says what it is.
    #[test]
    fn every_argument_has_a_description() {
        let undescribed = undescribed_arguments(&super::sdl());
        assert!(undescribed.is_empty(), "arguments without a description: {undescribed:?}");
    }

    #[test]
    fn the_argument_check_would_catch_a_bare_argument() {
        let sdl = "type Query {\n\ttask(id: ID!): Task\n\ttasks(\n\t\t\"\"\"\n\t\tThe `endCursor`, e.g. \"a, b\".\n\t\t\"\"\"\n\t\tafter: String,\t\tfirst: Int = 20\n\t): TaskConnection!\n\ttodo(\t\tsince: DateTime,\n\t\t\"\"\"\n\t\tPage size.\n\t\t\"\"\"\n\t\tfirst: Int! = 50\n\t): Todo!\n}\n";
        assert_eq!(undescribed_arguments(sdl), ["Query.task(id)", "Query.tasks(first)", "Query.todo(since)"]);
    }

    /// `Type.field(argument)` for each field argument `sdl` prints without a description.
    /// async-graphql prints a field's arguments inline, `\ttask(id: ID!): Task`, when none of
    /// them has a description; otherwise each described one on a line of its own after its
    /// `"""` block, any undescribed one following the previous argument on the same line.
    fn undescribed_arguments(sdl: &str) -> Vec<String> {
        let mut undescribed = Vec::new();
        let (mut type_name, mut field, mut previous, mut in_description) = ("", "", "", false);
        for line in sdl.lines() {
            let was = std::mem::replace(&mut previous, line);
            if line.trim() == "\"\"\"" {
                in_description = !in_description;
                continue;
            }
            if in_description {
                continue;
            }
            let bare: Vec<&str> = if let Some(rest) = line.strip_prefix("\t\t") {
                // A line of its own for an argument: described when a `"""` block closes just above.
                let arguments = top_level_arguments(rest);
                let skip = usize::from(was.trim() == "\"\"\"");
                arguments.into_iter().skip(skip).collect()
            } else if let Some(rest) = line.strip_prefix('\t') {
                let Some((name, arguments)) = rest.split_once('(') else { continue };
                if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                field = name;
                top_level_arguments(arguments)
            } else {
                type_name = line.split([' ', '{']).nth(1).unwrap_or("");
                continue;
            };
            undescribed.extend(bare.into_iter().map(|argument| format!("{type_name}.{field}({argument})")));
        }
        undescribed
    }

    /// The names of the arguments in `text`, up to the `)` that closes the list (commas and
    /// parentheses inside default values, lists, objects and strings left alone).
    fn top_level_arguments(text: &str) -> Vec<&str> {
        let (mut names, mut depth, mut in_string, mut escaped, mut start) = (Vec::new(), 0, false, false, 0);
        let mut end = text.len();
        for (i, c) in text.char_indices() {
            if in_string {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '[' | '{' | '(' => depth += 1,
                ']' | '}' => depth -= 1,
                ')' if depth == 0 => {
                    end = i;
                    break;
                }
                ')' => depth -= 1,
                ',' if depth == 0 => {
                    names.push(&text[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        names.push(&text[start..end]);
        names
            .into_iter()
            .filter_map(|piece| piece.split(':').next().map(str::trim).filter(|name| !name.is_empty()))
            .collect()
    }

    #[test]
    fn the_field_reader_would_catch_a_rename() {
        let types = super::fields_of("type Task {\n\tleader: Department\n}\n");
        assert!(!types["Task"].iter().any(|f| f == "lead"));
        assert!(types["Task"].iter().any(|f| f == "leader"));
    }
}
