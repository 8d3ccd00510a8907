//! Parsed GraphQL documents, kept by their text. Clients send the same few documents again and
//! again with other variables; parsing one (async-graphql's pest grammar) was an eighth of a
//! task detail's server CPU (BENCHMARKS.md), copying a parsed one costs a fraction of that.
//!
//! Only documents that passed validation are kept ([`Documents::keep`], called once a request
//! ran): anyone, signed in or not, can send documents that parse but are refused, and keeping
//! those let anonymous callers grow the process by a gigabyte. The cache is bounded by the memory
//! its documents take (estimated from their text, least recently used out first) as well as by
//! their number; what a document asks of introspection is worked out once with it. Every text is
//! screened for nesting ([`super::nesting`]) before it is parsed.

use super::nesting;
use async_graphql::ServerError;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use lru::LruCache;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// Documents kept at most.
const CAPACITY: usize = 512;
/// Longer documents are parsed every time (a client sending long documents one after another
/// would otherwise fill the cache with text).
const LONGEST: usize = 16 * 1024;
/// What a parsed document takes in memory for each byte of its text, at most: a 16 KB document
/// of many small fields took about 1.8 MB once parsed (about 115 times its text).
const BYTES_PER_BYTE_OF_TEXT: usize = 128;
/// Memory the kept documents may take, as estimated from their text.
const BUDGET: usize = 64 * 1024 * 1024;

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
    cache: Mutex<Cache>,
}

struct Cache {
    entries: LruCache<String, Arc<Parsed>>,
    /// The estimated memory of the entries.
    weight: usize,
}

impl Default for Documents {
    fn default() -> Self {
        let entries = LruCache::new(NonZeroUsize::new(CAPACITY).expect("not zero"));
        Documents { cache: Mutex::new(Cache { entries, weight: 0 }) }
    }
}

impl std::fmt::Debug for Documents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Documents").finish_non_exhaustive()
    }
}

fn weight_of(text: &str) -> usize {
    text.len() * BYTES_PER_BYTE_OF_TEXT
}

impl Documents {
    /// The document of `query`, parsed now or earlier; refused unparsed when it nests too deeply.
    pub fn parse(&self, query: &str) -> Result<Arc<Parsed>, ServerError> {
        if let Some(parsed) = self.lock().entries.get(query) {
            return Ok(parsed.clone());
        }
        nesting::screen_document(query).map_err(|deep| ServerError::new(deep.message(), None))?;
        let document = async_graphql::parser::parse_query(query)?;
        let (asks_introspection, only_introspection) = introspection_in(&document);
        Ok(Arc::new(Parsed { document, asks_introspection, only_introspection }))
    }

    /// Keeps the document of `query`, which a request just ran past validation.
    pub fn keep(&self, query: &str, parsed: &Arc<Parsed>) {
        if query.len() > LONGEST {
            return;
        }
        let mut cache = self.lock();
        if cache.entries.contains(query) {
            return;
        }
        while cache.weight + weight_of(query) > BUDGET || cache.entries.len() == CAPACITY {
            let Some((text, _)) = cache.entries.pop_lru() else { break };
            cache.weight -= weight_of(&text);
        }
        cache.weight += weight_of(query);
        cache.entries.put(query.to_owned(), parsed.clone());
    }

    /// How many documents are kept, and their estimated memory in bytes.
    pub fn size(&self) -> (usize, usize) {
        let cache = self.lock();
        (cache.entries.len(), cache.weight)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
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
    fn a_document_is_kept_only_once_it_ran() {
        let documents = Documents::default();
        let first = documents.parse("{ tasks { totalCount } }").unwrap();
        let again = documents.parse("{ tasks { totalCount } }").unwrap();
        assert!(!Arc::ptr_eq(&first, &again), "parsed, not yet kept");
        documents.keep("{ tasks { totalCount } }", &first);
        let kept = documents.parse("{ tasks { totalCount } }").unwrap();
        assert!(Arc::ptr_eq(&first, &kept));
        assert!(documents.parse("{ tasks { ").is_err());
        assert_eq!(documents.size().0, 1);
    }

    #[test]
    fn a_deep_document_is_refused_unparsed() {
        let deep = format!("{{task(id:{}\"1\"{}){{id}}}}", "[".repeat(1_700), "]".repeat(1_700));
        assert!(documents_refuse(&deep));
    }

    fn documents_refuse(text: &str) -> bool {
        Documents::default().parse(text).is_err()
    }

    #[test]
    fn the_cache_stays_within_its_bounds() {
        let documents = Documents::default();
        for n in 0..CAPACITY + 10 {
            let text = format!("{{ task(id: \"{n}\") {{ title }} }}");
            let parsed = documents.parse(&text).unwrap();
            documents.keep(&text, &parsed);
        }
        assert_eq!(documents.size().0, CAPACITY);
        let long = format!("{{ __typename {} }}", "__typename ".repeat(LONGEST / 11 + 1));
        let parsed = documents.parse(&long).unwrap();
        documents.keep(&long, &parsed);
        assert!(!Arc::ptr_eq(&parsed, &documents.parse(&long).unwrap()), "a long document is not kept");
    }

    #[test]
    fn large_documents_are_kept_within_the_memory_budget() {
        let documents = Documents::default();
        for n in 0..200 {
            let text = format!("{{ n{n}: __typename {} }}", "__typename ".repeat(LONGEST / 11 - 4));
            let parsed = documents.parse(&text).unwrap();
            documents.keep(&text, &parsed);
        }
        let (count, weight) = documents.size();
        assert!(weight <= BUDGET, "{weight}");
        assert!(count < 200 && count >= BUDGET / weight_of(&"x".repeat(LONGEST)), "{count}");
    }
}
