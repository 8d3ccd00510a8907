//! A request's document and variables through everything the server does before it executes
//! one — reading the variables, the nesting screen, the parser, validation and the limits — with
//! no database and no server: what the request fuzz target (`api/fuzz/fuzz_targets/request.rs`)
//! drives, and what its regression inputs replay.

use super::documents::Documents;
use crate::graphql::{MAX_COMPLEXITY, MAX_DEPTH, mutation::Mutation, query::Query, subscription::Subscription};
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute};
use async_graphql::{Response, Schema, ServerError, Variables};
use std::sync::{Arc, OnceLock};

/// Ends every request after validation, before any resolver runs.
struct StopBeforeExecution;

impl ExtensionFactory for StopBeforeExecution {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(StopBeforeExecution)
    }
}

#[async_trait::async_trait]
impl Extension for StopBeforeExecution {
    async fn execute(&self, _: &ExtensionContext<'_>, _: Option<&str>, _: NextExecute<'_>) -> Response {
        Response::new(async_graphql::Value::Null)
    }
}

type Checked = Schema<Query, Mutation, Subscription>;

fn schema() -> &'static Checked {
    static SCHEMA: OnceLock<Checked> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        Schema::build(Query, Mutation::default(), Subscription)
            .limit_depth(MAX_DEPTH)
            .limit_complexity(MAX_COMPLEXITY)
            .extension(StopBeforeExecution)
            .finish()
    })
}

/// Reads, screens, parses and validates `query` with `variables` (JSON text, or empty) as a
/// request to `/graphql` would be; the errors a client would get before execution, if any.
pub async fn check(documents: &Documents, query: &str, variables: &[u8]) -> Vec<ServerError> {
    let variables = match variables {
        [] => Variables::default(),
        text => match serde_json::from_slice::<serde_json::Value>(text) {
            Ok(value @ serde_json::Value::Object(_)) => Variables::from_json(value),
            _ => return vec![ServerError::new("variables must be a JSON object", None)],
        },
    };
    if let Err(deep) = super::nesting::screen_variables(variables.iter()) {
        return vec![ServerError::new(deep.message(), None)];
    }
    let parsed = match documents.parse(query) {
        Ok(parsed) => parsed,
        Err(error) => return vec![error],
    };
    let mut request = async_graphql::Request::new(query).variables(variables);
    request.set_parsed_query(parsed.document.clone());
    let response = schema().execute(request).await;
    if super::graphql::passed_validation(&response.errors) {
        documents.keep(query, &parsed);
    }
    response.errors
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `check` on a thread whose stack is far smaller than a server worker's (2 MB): a
    /// document that recursed per level of nesting would overflow it.
    fn check_on_a_small_stack(query: String, variables: String) -> Vec<String> {
        std::thread::Builder::new()
            .stack_size(512 * 1024)
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
                let documents = Documents::default();
                let errors = runtime.block_on(check(&documents, &query, variables.as_bytes()));
                errors.into_iter().map(|e| e.message).collect()
            })
            .unwrap()
            .join()
            .expect("no overflow")
    }

    #[test]
    fn deep_documents_are_refused_without_recursion() {
        for levels in [1_500, 1_700, 100_000] {
            let lists = format!("{{task(id:{}\"1\"{}){{id}}}}", "[".repeat(levels), "]".repeat(levels));
            assert_eq!(check_on_a_small_stack(lists, String::new()).len(), 1);
            let objects = format!("{{task(id:{}1{}){{id}}}}", "{a:".repeat(levels), "}".repeat(levels));
            assert_eq!(check_on_a_small_stack(objects, String::new()).len(), 1);
        }
    }

    #[test]
    fn a_valid_request_passes_and_an_invalid_one_does_not() {
        let ok = check_on_a_small_stack("query($id: ID!) { task(id: $id) { title } }".into(), r#"{"id":"1"}"#.into());
        assert!(ok.is_empty(), "{ok:?}");
        let unknown = check_on_a_small_stack("{ nothing }".into(), String::new());
        assert_eq!(unknown.len(), 1);
        let deep_variable = format!("{{\"id\":{}1{}}}", "[".repeat(100), "]".repeat(100));
        assert_eq!(
            check_on_a_small_stack("query($id: ID!) { task(id: $id) { title } }".into(), deep_variable).len(),
            1
        );
    }
}
