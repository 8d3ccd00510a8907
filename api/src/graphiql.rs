//! GraphiQL console that works without internet access.
//!
//! async-graphql's built-in GraphiQL page loads its scripts and styles from a
//! public CDN, which county intranets cannot reach, so it renders as a blank
//! page there. This module serves our own page instead:
//!
//! * `GET /graphiql` returns `api/assets/graphiql/index.html`, which renders
//!   GraphiQL against `/graphql` with the headers editor enabled (users paste
//!   `{"Authorization": "Bearer <token>"}` there).
//! * `GET /graphiql/assets/{file}` returns one of the third-party files that
//!   `api/assets/graphiql/fetch.sh` vendored unmodified from the npm registry
//!   (GraphiQL's UMD bundle and stylesheet, React and ReactDOM, their licences
//!   and the `VERSIONS` manifest).
//!
//! Every file is embedded in the binary with [`include_bytes!`], so a deployed
//! duban needs nothing besides its executable to offer the console. The page is
//! sent with a Content-Security-Policy that only allows same-origin resources,
//! so the browser itself refuses anything that would need the internet.
//!
//! Vendored file names carry their package version, so their content never
//! changes under a given URL and browsers may cache them for a year. Upgrading
//! GraphiQL or React means editing the versions in `fetch.sh`, running it, and
//! updating the names in `index.html` and in [`ASSETS`].

use axum::{
    Router,
    extract::Path,
    http::{HeaderName, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};

/// Path of the GraphiQL page.
pub const PAGE_PATH: &str = "/graphiql";

/// URL prefix under which the vendored files are served.
pub const ASSETS_PREFIX: &str = "/graphiql/assets/";

/// The page itself, written for duban (not vendored).
const INDEX_HTML: &[u8] = include_bytes!("../assets/graphiql/index.html");

/// `Cache-Control` for vendored files: their names are versioned, so the bytes
/// behind a URL never change.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `Cache-Control` for the page: revalidate so that an upgrade of duban (and
/// therefore of the asset names) is picked up at once.
const REVALIDATE: &str = "no-cache";

/// Content-Security-Policy for the page. Scripts, styles, fonts, images and
/// `fetch` calls may only come from duban itself (GraphiQL's stylesheet embeds
/// its fonts and icons as `data:` URLs); the inline bootstrap script and the
/// inline styles that GraphiQL's components set need `'unsafe-inline'`.
const PAGE_CSP: &str = "default-src 'self'; \
    script-src 'self' 'unsafe-inline'; \
    style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; \
    font-src 'self' data:; \
    connect-src 'self'; \
    object-src 'none'; \
    base-uri 'none'; \
    form-action 'none'; \
    frame-ancestors 'none'";

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";

/// One file served under [`ASSETS_PREFIX`].
#[derive(Debug, Clone, Copy)]
pub struct Asset {
    /// File name in `api/assets/graphiql/vendor/` and in the URL.
    pub name: &'static str,
    /// Value of the `Content-Type` response header.
    pub content_type: &'static str,
    /// The file's bytes, exactly as vendored.
    pub body: &'static [u8],
}

/// Declares an [`Asset`] for a file in `api/assets/graphiql/vendor/`.
macro_rules! vendored {
    ($name:literal, $content_type:expr) => {
        Asset {
            name: $name,
            content_type: $content_type,
            body: include_bytes!(concat!("../assets/graphiql/vendor/", $name)),
        }
    };
}

/// Every vendored file, as listed in `api/assets/graphiql/vendor/VERSIONS`.
pub const ASSETS: &[Asset] = &[
    vendored!("graphiql-4.1.2.umd.js", JS),
    vendored!("graphiql-4.1.2.css", CSS),
    vendored!("graphiql-4.1.2.LICENSE.txt", TEXT),
    vendored!("react-18.3.1.production.min.js", JS),
    vendored!("react-18.3.1.LICENSE.txt", TEXT),
    vendored!("react-dom-18.3.1.production.min.js", JS),
    vendored!("react-dom-18.3.1.LICENSE.txt", TEXT),
    vendored!("VERSIONS", TEXT),
];

/// Routes for the offline GraphiQL console: `GET /graphiql` and
/// `GET /graphiql/assets/{file}`.
///
/// The handlers use no application state, so the router can be merged into a
/// router of any state type.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route(PAGE_PATH, get(page)).route("/graphiql/assets/{file}", get(asset))
}

/// Finds a vendored file by its name (the last segment of its URL).
#[must_use]
pub fn find_asset(name: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|asset| asset.name == name)
}

/// Serves the GraphiQL page.
async fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE)),
            (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PAGE_CSP)),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
        ],
        INDEX_HTML,
    )
        .into_response()
}

/// Serves one vendored file, or 404 if `file` is not one of [`ASSETS`].
async fn asset(Path(file): Path<String>) -> Response {
    let Some(asset) = find_asset(&file) else {
        return (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, HeaderValue::from_static(TEXT))],
            "no such GraphiQL asset\n",
        )
            .into_response();
    };
    let headers: [(HeaderName, HeaderValue); 3] = [
        (header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type)),
        (header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE)),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    ];
    (headers, asset.body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Vendored file names listed in `VERSIONS` (lines "sha256  name  source").
    fn names_in_versions() -> Vec<&'static str> {
        let versions = std::str::from_utf8(find_asset("VERSIONS").unwrap().body).unwrap();
        versions
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .map(|line| line.split_whitespace().nth(1).unwrap())
            .collect()
    }

    #[test]
    fn every_file_in_versions_is_embedded_and_vice_versa() {
        let listed = names_in_versions();
        assert!(!listed.is_empty());
        for name in &listed {
            assert!(find_asset(name).is_some(), "{name} is vendored but not served");
        }
        for asset in ASSETS.iter().filter(|a| a.name != "VERSIONS") {
            assert!(listed.contains(&asset.name), "{} is served but not listed in VERSIONS", asset.name);
        }
    }

    #[test]
    fn every_asset_the_page_references_is_embedded() {
        let page = std::str::from_utf8(INDEX_HTML).unwrap();
        // Attribute values such as src="/graphiql/assets/react-….js".
        let attribute_prefix = format!("=\"{ASSETS_PREFIX}");
        let mut referenced = 0;
        for piece in page.split(&attribute_prefix).skip(1) {
            let name = piece.split('"').next().unwrap();
            assert!(find_asset(name).is_some(), "page references {name}");
            referenced += 1;
        }
        assert!(referenced >= 4, "page should load GraphiQL, its CSS and React");
    }

    #[test]
    fn assets_have_content_and_a_type_that_matches_their_extension() {
        for asset in ASSETS {
            assert!(!asset.body.is_empty(), "{} is empty", asset.name);
            let expected = match asset.name.rsplit_once('.').map(|(_, ext)| ext) {
                Some("js") => JS,
                Some("css") => CSS,
                _ => TEXT,
            };
            assert_eq!(asset.content_type, expected, "{}", asset.name);
        }
    }

    #[test]
    fn unknown_names_are_not_found() {
        assert!(find_asset("../index.html").is_none());
        assert!(find_asset("graphiql.min.js").is_none());
        assert!(find_asset("").is_none());
    }
}
