//! Automatic persisted queries, as Apollo Client's `PersistedQueryLink` speaks them (version 1):
//! a client sends `extensions.persistedQuery = { version: 1, sha256Hash }` and no `query`; when
//! this process knows the document of that hash it runs it, otherwise it answers
//! `PERSISTED_QUERY_NOT_FOUND` and the client sends the request again with the document, which
//! is checked against the hash and kept for the next time. A query by hash is a few dozen bytes
//! and fits a `GET` URL (which `useGETForHashedQueries` uses for queries).
//!
//! Each process keeps its own documents, bounded by their total size (least recently used out
//! first); a client that reaches a process that has not seen its document yet is simply asked
//! for it once. Only documents that parse are kept. Any caller may register a document: it
//! grants nothing, since every request is authorised as it runs.

use lru::LruCache;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::sync::Mutex;

/// The protocol version served.
const VERSION: u64 = 1;
/// Longest document kept; longer ones are served but asked for each time.
const LONGEST: usize = 64 * 1024;
/// Text kept at most, over all documents.
const TOTAL: usize = 4 * 1024 * 1024;

/// What a request's `extensions.persistedQuery` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// The document whose SHA-256 is this.
    Hash([u8; 32]),
    /// A version of the protocol duban does not speak.
    Unsupported,
}

impl Ask {
    /// Reads the `persistedQuery` member of a request's extensions; `Err` names what is wrong
    /// with its shape.
    pub fn read(value: &Value) -> Result<Ask, &'static str> {
        let Value::Object(fields) = value else { return Err("extensions.persistedQuery must be an object") };
        match fields.get("version").and_then(Value::as_u64) {
            Some(VERSION) => {}
            Some(_) => return Ok(Ask::Unsupported),
            None => return Err("extensions.persistedQuery.version must be a number"),
        }
        let hash = fields
            .get("sha256Hash")
            .and_then(Value::as_str)
            .filter(|text| text.len() == 64)
            .and_then(|text| {
                let mut hash = [0; 32];
                hex::decode_to_slice(text, &mut hash).ok().map(|()| hash)
            })
            .ok_or("extensions.persistedQuery.sha256Hash must be 64 hexadecimal digits")?;
        Ok(Ask::Hash(hash))
    }
}

/// Why a persisted query cannot run; each is a request error with its own code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    NotFound,
    NotSupported,
    HashMismatch,
}

impl Failure {
    pub fn code(self) -> &'static str {
        match self {
            Failure::NotFound => "PERSISTED_QUERY_NOT_FOUND",
            Failure::NotSupported => "PERSISTED_QUERY_NOT_SUPPORTED",
            Failure::HashMismatch => "BAD_REQUEST",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Failure::NotFound => "this server does not know the persisted query: send it again with its text",
            Failure::NotSupported => "only version 1 of persisted queries is served",
            Failure::HashMismatch => "extensions.persistedQuery.sha256Hash is not the SHA-256 of the query",
        }
    }
}

/// The persisted documents of one process.
pub struct Persisted {
    store: Mutex<Store>,
}

struct Store {
    texts: LruCache<[u8; 32], String>,
    bytes: usize,
}

impl Default for Persisted {
    fn default() -> Self {
        Persisted { store: Mutex::new(Store { texts: LruCache::unbounded(), bytes: 0 }) }
    }
}

impl std::fmt::Debug for Persisted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Persisted").finish_non_exhaustive()
    }
}

impl Persisted {
    /// Settles the query text of a request that asked `ask`: an empty `query` becomes the
    /// document kept for the hash; a given one must match the hash. `Ok(Some(hash))` means the
    /// text is new here and should be kept, with [`Persisted::keep`], once it parses.
    pub fn resolve(&self, ask: Ask, query: &mut String) -> Result<Option<[u8; 32]>, Failure> {
        let Ask::Hash(hash) = ask else { return Err(Failure::NotSupported) };
        if query.is_empty() {
            let text = self.lock().texts.get(&hash).cloned().ok_or(Failure::NotFound)?;
            *query = text;
            return Ok(None);
        }
        if Sha256::digest(query.as_bytes())[..] != hash {
            return Err(Failure::HashMismatch);
        }
        Ok(Some(hash))
    }

    /// Keeps `text` as the document of `hash` (its SHA-256, checked by `resolve`).
    pub fn keep(&self, hash: [u8; 32], text: &str) {
        if text.len() > LONGEST {
            return;
        }
        let mut store = self.lock();
        if let Some(old) = store.texts.put(hash, text.to_owned()) {
            store.bytes -= old.len();
        }
        store.bytes += text.len();
        while store.bytes > TOTAL {
            let Some((_, dropped)) = store.texts.pop_lru() else { break };
            store.bytes -= dropped.len();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn hash_of(text: &str) -> String {
        hex::encode(Sha256::digest(text.as_bytes()))
    }

    fn ask(text: &str) -> Ask {
        Ask::read(&json!({ "version": 1, "sha256Hash": hash_of(text) })).expect("a good ask")
    }

    #[test]
    fn the_extension_is_read_strictly() {
        let hash = hash_of("{ __typename }");
        assert!(matches!(Ask::read(&json!({ "version": 1, "sha256Hash": hash })), Ok(Ask::Hash(_))));
        assert!(matches!(Ask::read(&json!({ "version": 1, "sha256Hash": hash.to_uppercase() })), Ok(Ask::Hash(_))));
        assert_eq!(Ask::read(&json!({ "version": 2, "sha256Hash": hash })), Ok(Ask::Unsupported));
        assert!(Ask::read(&json!({ "version": 1, "sha256Hash": &hash[..63] })).is_err());
        assert!(Ask::read(&json!({ "version": 1, "sha256Hash": format!("{}zz", &hash[..62]) })).is_err());
        assert!(Ask::read(&json!({ "version": "1", "sha256Hash": hash })).is_err());
        assert!(Ask::read(&json!({ "sha256Hash": hash })).is_err());
        assert!(Ask::read(&json!("x")).is_err());
    }

    #[test]
    fn a_document_is_asked_for_once_then_served_by_its_hash() {
        let persisted = Persisted::default();
        let text = "query { tasks(first: 1) { totalCount } }";
        let mut query = String::new();
        assert_eq!(persisted.resolve(ask(text), &mut query), Err(Failure::NotFound));
        let mut query = text.to_owned();
        let keep = persisted.resolve(ask(text), &mut query).expect("the hash matches");
        persisted.keep(keep.expect("new"), &query);
        let mut query = String::new();
        assert_eq!(persisted.resolve(ask(text), &mut query), Ok(None));
        assert_eq!(query, text);
        let mut other = "{ __typename }".to_owned();
        assert_eq!(persisted.resolve(ask(text), &mut other), Err(Failure::HashMismatch));
        assert_eq!(persisted.resolve(Ask::Unsupported, &mut String::new()), Err(Failure::NotSupported));
    }

    #[test]
    fn the_store_is_bounded_by_its_text_and_forgets_the_least_recently_used() {
        let persisted = Persisted::default();
        let texts: Vec<String> = (0..TOTAL / LONGEST + 2).map(|i| format!("{i}{}", "x".repeat(LONGEST - 3))).collect();
        for text in &texts {
            let Ask::Hash(hash) = ask(text) else { unreachable!() };
            persisted.keep(hash, text);
            // The first document stays in use.
            let _ = persisted.resolve(ask(&texts[0]), &mut String::new());
        }
        assert!(persisted.lock().bytes <= TOTAL);
        assert_eq!(persisted.resolve(ask(&texts[0]), &mut String::new()), Ok(None));
        assert_eq!(persisted.resolve(ask(&texts[1]), &mut String::new()), Err(Failure::NotFound));
        let too_long = "x".repeat(LONGEST + 1);
        let Ask::Hash(hash) = ask(&too_long) else { unreachable!() };
        persisted.keep(hash, &too_long);
        assert_eq!(persisted.resolve(ask(&too_long), &mut String::new()), Err(Failure::NotFound));
    }
}
