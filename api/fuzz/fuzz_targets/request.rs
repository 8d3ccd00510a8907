//! Arbitrary bytes through the request path as `/graphql` reads it before execution: the bytes
//! up to the first NUL are the document's text (lossy UTF-8), the rest the variables' JSON. They
//! go through `duban::http::offline::check` — reading the variables, the nesting screen, the
//! parser, validation and the limits of the schema as served — into one document cache kept
//! across inputs, as a server keeps it. Any panic, stack overflow, hang or memory growth is a
//! finding; the errors themselves are expected.

#![no_main]

use duban::http::documents::Documents;
use duban::http::offline::check;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn documents() -> &'static Documents {
    static DOCUMENTS: OnceLock<Documents> = OnceLock::new();
    DOCUMENTS.get_or_init(Documents::default)
}

thread_local! {
    static RUNTIME: tokio::runtime::Runtime =
        tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
}

fuzz_target!(|data: &[u8]| {
    let (query, variables) = match data.iter().position(|b| *b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let query = String::from_utf8_lossy(query);
    RUNTIME.with(|runtime| runtime.block_on(check(documents(), &query, variables)));
});
