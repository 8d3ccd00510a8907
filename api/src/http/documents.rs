//! Parsed GraphQL documents, kept by their text. Clients send the same few documents again and
//! again with other variables; parsing one (async-graphql's pest grammar) was an eighth of a
//! task detail's server CPU (BENCHMARKS.md), copying a parsed one costs a fraction of that.
//!
//! The cache is bounded (least recently used out first) and keeps only documents that parsed;
//! what a document asks of introspection is worked out once with it.

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use lru::LruCache;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// Documents kept at most.
const CAPACITY: usize = 512;
/// Longer documents are parsed every time (a client sending long documents one after another
/// would otherwise fill the cache with text).
const LONGEST: usize = 16 * 1024;

/// A document as parsed, with what it asks of introspection.
#[derive(Debug)]
pub struct Parsed {
    pub document: ExecutableDocument,
    /// It selects `__schema` or `__type` somewhere.
    pub asks_introspection: bool,
    /// Every root field of every operation is an introspection field.
    pub only_introspection: bool,
}

/// The cache of one process.
pub struct Documents {
    cache: Mutex<LruCache<String, Arc<Parsed>>>,
}

impl Default for Documents {
    fn default() -> Self {
        Documents { cache: Mutex::new(LruCache::new(NonZeroUsize::new(CAPACITY).expect("not zero"))) }
    }
}

impl std::fmt::Debug for Documents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Documents").finish_non_exhaustive()
    }
}

impl Documents {
    /// The document of `query`, parsed now or earlier.
    pub fn parse(&self, query: &str) -> async_graphql::parser::Result<Arc<Parsed>> {
        if let Some(parsed) = self.lock().get(query) {
            return Ok(parsed.clone());
        }
        let document = async_graphql::parser::parse_query(query)?;
        let (asks_introspection, only_introspection) = introspection_in(&document);
        let parsed = Arc::new(Parsed { document, asks_introspection, only_introspection });
        if query.len() <= LONGEST {
            self.lock().put(query.to_owned(), parsed.clone());
        }
        Ok(parsed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<String, Arc<Parsed>>> {
        self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Whether a document selects `__schema` or `__type` anywhere (operations and fragments), and
/// whether every root field of every operation is an introspection field (`__schema`, `__type`,
/// `__typename`), looking through fragments at the root.
fn introspection_in(document: &ExecutableDocument) -> (bool, bool) {
    let sets = document
        .operations
        .iter()
        .map(|(_, op)| &op.node.selection_set.node)
        .chain(document.fragments.values().map(|f| &f.node.selection_set.node));
    let asks = sets.into_iter().any(selects_meta);
    let only = document.operations.iter().all(|(_, op)| root_is_meta(&op.node.selection_set.node, document, 0));
    (asks, only)
}

fn selects_meta(set: &SelectionSet) -> bool {
    set.items.iter().any(|item| match &item.node {
        Selection::Field(f) => {
            matches!(f.node.name.node.as_str(), "__schema" | "__type") || selects_meta(&f.node.selection_set.node)
        }
        Selection::InlineFragment(f) => selects_meta(&f.node.selection_set.node),
        Selection::FragmentSpread(_) => false,
    })
}

fn root_is_meta(set: &SelectionSet, document: &ExecutableDocument, hops: usize) -> bool {
    set.items.iter().all(|item| match &item.node {
        Selection::Field(f) => matches!(f.node.name.node.as_str(), "__schema" | "__type" | "__typename"),
        Selection::InlineFragment(f) => root_is_meta(&f.node.selection_set.node, document, hops),
        // Fragment cycles are refused by validation; the hop bound only keeps this walk finite.
        Selection::FragmentSpread(spread) => {
            hops < 8
                && document
                    .fragments
                    .get(&spread.node.fragment_name.node)
                    .is_some_and(|f| root_is_meta(&f.node.selection_set.node, document, hops + 1))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(query).unwrap()
    }

    #[test]
    fn the_standard_introspection_query_is_introspection_only() {
        let doc = parse(
            "query IntrospectionQuery { __schema { queryType { name } types { ...FullType } } } fragment FullType on __Type { kind name fields { name } }",
        );
        assert_eq!(introspection_in(&doc), (true, true));
    }

    #[test]
    fn data_fields_beside_introspection_are_not_introspection_only() {
        assert_eq!(introspection_in(&parse("{ __schema { queryType { name } } tasks { totalCount } }")), (true, false));
        assert_eq!(introspection_in(&parse("{ tasks { totalCount } }")), (false, false));
        assert_eq!(introspection_in(&parse("{ __typename }")), (false, true));
        let through_fragment = parse("{ ...F } fragment F on Query { __type(name: \"Task\") { name } }");
        assert_eq!(introspection_in(&through_fragment), (true, true));
        let data_in_fragment = parse("{ ...F } fragment F on Query { __typename tasks { totalCount } }");
        assert_eq!(introspection_in(&data_in_fragment), (false, false));
    }

    #[test]
    fn a_document_is_parsed_once_and_a_bad_one_is_not_kept() {
        let documents = Documents::default();
        let first = documents.parse("{ tasks { totalCount } }").unwrap();
        let again = documents.parse("{ tasks { totalCount } }").unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        assert!(documents.parse("{ tasks { ").is_err());
        assert_eq!(documents.lock().len(), 1);
    }

    #[test]
    fn the_cache_stays_within_its_bound() {
        let documents = Documents::default();
        for n in 0..CAPACITY + 10 {
            documents.parse(&format!("{{ task(id: \"{n}\") {{ title }} }}")).unwrap();
        }
        assert_eq!(documents.lock().len(), CAPACITY);
        let long = format!("{{ __typename {} }}", "__typename ".repeat(LONGEST / 11 + 1));
        let parsed = documents.parse(&long).unwrap();
        assert!(!Arc::ptr_eq(&parsed, &documents.parse(&long).unwrap()), "a long document is not kept");
    }
}
