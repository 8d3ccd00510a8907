//! The GraphiQL console at `/graphiql` must work on an intranet without
//! internet access: the page and everything it loads come from duban itself.
//!
//! The first test reads the page like a crawler and fetches every resource it
//! references. The second opens the page in a real headless Chromium whose
//! requests to anything but the test server are refused, runs a query by
//! clicking GraphiQL's execute button, and reads the answer from the result
//! pane. It needs Debian's `chromium` package (`apt-get install -y chromium`)
//! and fails, rather than skips, when it is missing.

use std::{
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use duban_tests::{TestApp, spawn_app};
use headless_chrome::{
    Browser, LaunchOptions, Tab,
    browser::tab::RequestPausedDecision,
    protocol::cdp::{Fetch, Input, Network, Page},
};
use serde_json::{Value, json};

/// Where Debian's `chromium` package installs the browser.
const CHROMIUM: &str = "/usr/bin/chromium";

/// The query the browser test runs; it needs no authorisation and works
/// whether or not introspection is allowed.
const QUERY: &str = "{ __typename }";

/// How long to wait for the page to render or for a result to appear.
const UI_TIMEOUT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn graphiql_page_and_every_asset_it_references_are_served_locally() {
    let app = spawn_app().await;

    let response = app.client.get(format!("{}/graphiql", app.address)).send().await.expect("GET /graphiql");
    assert_eq!(response.status(), 200, "GET /graphiql");
    let content_type = header(&response, "content-type");
    assert!(content_type.starts_with("text/html"), "GET /graphiql content-type is {content_type:?}");
    let page = response.text().await.expect("page body");

    assert_no_foreign_urls(&page, &app.address);

    let references = resource_references(&page);
    assert!(references.iter().any(|r| r.ends_with(".js")), "the page loads no script: {references:?}");
    assert!(references.iter().any(|r| r.ends_with(".css")), "the page loads no stylesheet: {references:?}");
    for reference in &references {
        assert!(is_same_origin(reference), "{reference:?} in the page is not a same-origin URL");
        let url = if reference.starts_with('/') {
            format!("{}{reference}", app.address)
        } else {
            format!("{}/{reference}", app.address)
        };
        let response = app.client.get(&url).send().await.expect(&url);
        assert_eq!(response.status(), 200, "GET {url}");
        let content_type = header(&response, "content-type");
        let cache_control = header(&response, "cache-control");
        let body = response.bytes().await.expect(&url);
        assert!(!body.is_empty(), "GET {url} returned an empty body");

        // Browsers refuse scripts and stylesheets sent with another type when
        // `X-Content-Type-Options: nosniff` is set, so the type matters.
        if reference.ends_with(".js") {
            assert!(content_type.starts_with("text/javascript"), "{url} has content-type {content_type:?}");
        } else if reference.ends_with(".css") {
            assert!(content_type.starts_with("text/css"), "{url} has content-type {content_type:?}");
        }
        if reference.starts_with("/graphiql/assets/") {
            assert!(
                cache_control.contains("max-age="),
                "{url} should be cacheable, has cache-control {cache_control:?}"
            );
        }
    }

    let missing = format!("{}/graphiql/assets/no-such-file.js", app.address);
    let response = app.client.get(&missing).send().await.expect(&missing);
    assert_eq!(response.status(), 404, "GET {missing}");
}

#[tokio::test]
async fn graphiql_runs_a_query_in_a_browser_with_the_internet_blocked() {
    let chromium = chromium_path();
    let app = spawn_app().await;
    let token = app.admin_token().await;

    // What the server answers to the same request outside the browser; the
    // result pane must show it.
    let typename = server_typename(&app, &token).await;

    let address = app.address.clone();
    let run = tokio::task::spawn_blocking(move || run_in_browser(&chromium, &address, &token));
    let outcome = match run.await {
        Ok(outcome) => outcome,
        Err(error) => std::panic::resume_unwind(error.into_panic()),
    };
    let outcome = outcome.unwrap_or_else(|error| panic!("driving Chromium failed: {error:#}"));
    let screenshot = outcome.screenshot.display();

    assert!(
        outcome.blocked.is_empty(),
        "the page tried to reach other hosts: {:?} (screenshot: {screenshot})",
        outcome.blocked
    );
    let expected = format!("\"__typename\": {}", json!(typename));
    assert!(
        outcome.result_pane.contains(&expected),
        "the result pane should show {expected}, it shows {:?} (screenshot: {screenshot})",
        outcome.result_pane
    );
}

/// What the browser test saw.
struct BrowserOutcome {
    /// Text of GraphiQL's result pane after the query ran.
    result_pane: String,
    /// URLs the page asked for that are not on the test server (refused by
    /// the interception or by the page's Content-Security-Policy).
    blocked: Vec<String>,
    /// PNG of the page at the end, for a person to look at.
    screenshot: PathBuf,
}

/// One request the browser sent to the test server.
#[derive(Debug, Clone)]
struct SeenRequest {
    method: String,
    url: String,
    authorization: Option<String>,
    body: Option<String>,
}

#[derive(Debug, Default)]
struct RequestLog {
    allowed: Vec<SeenRequest>,
    blocked: Vec<String>,
}

/// Opens `/graphiql`, pastes the token into the headers editor, clicks the
/// execute button and returns what the result pane shows.
fn run_in_browser(chromium: &Path, address: &str, token: &str) -> anyhow::Result<BrowserOutcome> {
    let profile = TempDir::create("duban-graphiql-chromium")?;
    let (browser, tab, log) = open_browser(chromium, &profile, address)?;

    let url = format!("{address}/graphiql?query={}", percent_encode(QUERY));
    tab.navigate_to(&url)?.wait_until_navigated()?;

    // The page has rendered once GraphiQL's execute button and the prefilled
    // query are on screen.
    tab.wait_for_element_with_custom_timeout(".graphiql-execute-button", UI_TIMEOUT)?;
    wait_for(|| {
        let text = tab.find_element(".graphiql-query-editor")?.get_inner_text()?;
        Ok(text.contains("__typename").then_some(()))
    })
    .map_err(|e| e.context("the query from ?query= never appeared in the query editor"))?;

    // Paste the token into the headers editor as a user would.
    tab.find_element("section.graphiql-editor-tool[aria-label=Headers] .graphiql-editor:not(.hidden) .CodeMirror")?
        .click()?;
    tab.call_method(Input::InsertText { text: json!({ "Authorization": format!("Bearer {token}") }).to_string() })?;

    tab.find_element(".graphiql-execute-button")?.click()?;

    // Wait for the query itself (not GraphiQL's introspection) to be sent
    // with the pasted header, and for its answer to be shown.
    let sent = wait_for(|| {
        let log = log.lock().expect("request log");
        Ok(log
            .allowed
            .iter()
            .find(|r| {
                r.method == "POST"
                    && r.url == format!("{address}/graphql")
                    && r.body.as_deref().is_some_and(|b| b.contains("__typename") && !b.contains("__schema"))
            })
            .cloned())
    })
    .map_err(|e| e.context("clicking the execute button sent no query to /graphql"))?;
    anyhow::ensure!(
        sent.authorization.as_deref() == Some(&format!("Bearer {token}")),
        "the query was sent with authorization {:?}, not the pasted token",
        sent.authorization
    );
    let result_pane = wait_for(|| {
        let text = tab.find_element(".graphiql-response")?.get_inner_text()?;
        Ok(text.contains("\"data\"").then_some(text))
    })
    .unwrap_or_else(|_| tab.find_element(".graphiql-response").and_then(|e| e.get_inner_text()).unwrap_or_default());

    let screenshot = std::env::temp_dir()
        .join(format!("duban-graphiql-offline-{}.png", address.rsplit(':').next().unwrap_or("page")));
    let png = tab.capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)?;
    std::fs::write(&screenshot, png)?;
    eprintln!("screenshot of the GraphiQL page: {}", screenshot.display());

    let blocked = blocked_requests(&tab, &log)?;
    drop(tab);
    drop(browser);

    Ok(BrowserOutcome { result_pane, blocked, screenshot })
}

#[tokio::test]
async fn graphiql_signs_in_then_shows_the_schema_in_its_docs_and_completes_fields() {
    let chromium = chromium_path();
    let app = spawn_app().await;
    let address = app.address.clone();
    let run = tokio::task::spawn_blocking(move || explore_in_browser(&chromium, &address));
    let outcome = match run.await {
        Ok(outcome) => outcome,
        Err(error) => std::panic::resume_unwind(error.into_panic()),
    };
    let outcome = outcome.unwrap_or_else(|error| panic!("driving Chromium failed: {error:#}"));
    let screenshot = outcome.screenshot.display();

    assert!(outcome.blocked.is_empty(), "the page tried to reach other hosts: {:?}", outcome.blocked);
    assert!(outcome.status.contains("Signed in as admin"), "sign-in status: {:?} ({screenshot})", outcome.status);
    assert!(outcome.schema_fetched_with_token, "the schema was fetched with the signed-in token ({screenshot})");
    for field in ["tasks", "documents", "departments", "viewer"] {
        assert!(
            outcome.query_fields.contains(field),
            "the docs list Query.{field}: {:?} ({screenshot})",
            outcome.query_fields
        );
    }
    assert!(
        outcome.suggestions.iter().any(|s| s == "tasks"),
        "typing `ta` suggests `tasks`: {:?} ({screenshot})",
        outcome.suggestions
    );
    assert!(
        outcome.subscription.contains("\"myTodoChanged\"") && outcome.subscription.contains("\"total\""),
        "a subscription shows its first event: {:?} ({screenshot})",
        outcome.subscription
    );
}

/// What the exploring test saw.
struct ExploreOutcome {
    status: String,
    schema_fetched_with_token: bool,
    query_fields: String,
    suggestions: Vec<String>,
    /// The result pane after running a subscription.
    subscription: String,
    blocked: Vec<String>,
    screenshot: PathBuf,
}

/// Signs in with the page's own box, opens the docs at `Query`, and types the start of a field.
fn explore_in_browser(chromium: &Path, address: &str) -> anyhow::Result<ExploreOutcome> {
    let profile = TempDir::create("duban-graphiql-explore")?;
    let (browser, tab, log) = open_browser(chromium, &profile, address)?;
    tab.navigate_to(&format!("{address}/graphiql"))?.wait_until_navigated()?;
    tab.wait_for_element_with_custom_timeout(".graphiql-execute-button", UI_TIMEOUT)?;

    tab.find_element("#duban-username")?.click()?;
    tab.type_str("admin")?;
    tab.find_element("#duban-password")?.click()?;
    tab.type_str(duban_tests::ADMIN_PASSWORD)?;
    tab.find_element("#duban-signin-button")?.click()?;
    let status = wait_for(|| {
        let text = tab.find_element("#duban-status")?.get_inner_text()?;
        Ok(text.contains("Signed in").then_some(text))
    })
    .map_err(|e| e.context("the sign-in box never said it signed in"))?;
    let schema_fetched_with_token = wait_for(|| {
        let log = log.lock().expect("request log");
        let fetched = log.allowed.iter().any(|r| {
            r.body.as_deref().is_some_and(|b| b.contains("__schema"))
                && r.authorization.as_deref().is_some_and(|a| a.starts_with("Bearer ey"))
        });
        Ok(fetched.then_some(true))
    })
    .unwrap_or(false);

    tab.wait_for_element("button[aria-label='Show Documentation Explorer']")?.click()?;
    wait_for(|| {
        for link in tab.find_elements(".graphiql-doc-explorer a")? {
            if link.get_inner_text()? == "Query" {
                link.click()?;
                return Ok(Some(()));
            }
        }
        Ok(None)
    })
    .map_err(|e| e.context("the docs pane never showed the Query root type"))?;
    let query_fields = wait_for(|| {
        let text = tab.find_element(".graphiql-doc-explorer")?.get_inner_text()?;
        Ok(text.contains("departments").then_some(text))
    })
    .unwrap_or_else(|_| {
        tab.find_element(".graphiql-doc-explorer").and_then(|e| e.get_inner_text()).unwrap_or_default()
    });

    // Type the start of a field in an empty selection, as a user would.
    tab.evaluate(
        "(() => { const cm = document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror; \
                   cm.setValue('{\\n  \\n}'); cm.focus(); cm.setCursor({ line: 1, ch: 2 }); })()",
        false,
    )?;
    tab.type_str("ta")?;
    let suggestions = wait_for(|| {
        let hints = tab.find_elements(".CodeMirror-hints .CodeMirror-hint")?;
        let texts: Vec<String> = hints.iter().filter_map(|h| h.get_inner_text().ok()).collect();
        Ok((!texts.is_empty()).then_some(texts))
    })
    .unwrap_or_default();

    // A subscription runs over the WebSocket the signed-in console opens.
    tab.evaluate(
        "(() => { const cm = document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror; \
                   cm.setValue('subscription { myTodoChanged { total } }'); })()",
        false,
    )?;
    tab.find_element(".graphiql-execute-button")?.click()?;
    let subscription = wait_for(|| {
        let text = tab.find_element(".graphiql-response")?.get_inner_text()?;
        Ok(text.contains("myTodoChanged").then_some(text))
    })
    .unwrap_or_else(|_| tab.find_element(".graphiql-response").and_then(|e| e.get_inner_text()).unwrap_or_default());

    let screenshot = std::env::temp_dir()
        .join(format!("duban-graphiql-explore-{}.png", address.rsplit(':').next().unwrap_or("page")));
    std::fs::write(&screenshot, tab.capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)?)?;
    let blocked = blocked_requests(&tab, &log)?;
    drop(tab);
    drop(browser);
    Ok(ExploreOutcome {
        status,
        schema_fetched_with_token,
        query_fields,
        suggestions,
        subscription,
        blocked,
        screenshot,
    })
}

/// Launches Chromium with every host but the test server unreachable, and a tab that logs the
/// requests it sends.
fn open_browser(
    chromium: &Path,
    profile: &TempDir,
    address: &str,
) -> anyhow::Result<(Browser, Arc<Tab>, Arc<Mutex<RequestLog>>)> {
    // Belt and braces: the resolver maps every host name except the loopback
    // address to "not found", and the request interception below refuses any
    // request that is not for the test server.
    let extra_args = [
        "--disable-quic",
        "--disable-component-update",
        "--disable-background-networking",
        "--disable-sync",
        "--no-first-run",
        "--no-proxy-server",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    ];
    let options = LaunchOptions {
        path: Some(chromium.to_path_buf()),
        headless: true,
        sandbox: false,
        enable_gpu: false,
        window_size: Some((1400, 900)),
        user_data_dir: Some(profile.0.clone()),
        args: extra_args.iter().map(std::ffi::OsStr::new).collect(),
        idle_browser_timeout: Duration::from_secs(120),
        ..LaunchOptions::default()
    };
    let browser = Browser::new(options)?;
    let tab = browser.new_tab()?;
    tab.set_default_timeout(UI_TIMEOUT);
    let log = Arc::new(Mutex::new(RequestLog::default()));
    block_other_hosts(&tab, address, Arc::clone(&log))?;
    // The page's Content-Security-Policy stops requests to other hosts before
    // they reach the network (and so the interception); record those too.
    tab.call_method(Page::AddScriptToEvaluateOnNewDocument {
        source: "window.__dubanBlocked = [];\
                 document.addEventListener('securitypolicyviolation',\
                   (e) => window.__dubanBlocked.push(e.blockedURI));"
            .to_owned(),
        world_name: None,
        include_command_line_api: None,
        run_immediately: None,
    })?;
    Ok((browser, tab, log))
}

/// Requests refused by the interception or by the page's Content-Security-Policy.
fn blocked_requests(tab: &Tab, log: &Mutex<RequestLog>) -> anyhow::Result<Vec<String>> {
    let mut blocked = log.lock().expect("request log").blocked.clone();
    let refused_by_csp = tab
        .evaluate("JSON.stringify(window.__dubanBlocked)", false)?
        .value
        .and_then(|v| v.as_str().map(str::to_owned))
        .ok_or_else(|| anyhow::anyhow!("could not read the CSP violations"))?;
    blocked.extend(serde_json::from_str::<Vec<String>>(&refused_by_csp)?);
    Ok(blocked)
}

/// Intercepts every request of `tab`: requests for the test server go through
/// and are logged, all others fail as if blocked by the browser.
fn block_other_hosts(tab: &Tab, address: &str, log: Arc<Mutex<RequestLog>>) -> anyhow::Result<()> {
    let origin = format!("{address}/");
    tab.enable_fetch(None, None)?;
    tab.enable_request_interception(Arc::new(
        move |_transport, _session, event: Fetch::events::RequestPausedEvent| {
            let request = &event.params.request;
            let mut log = log.lock().expect("request log");
            if request.url.starts_with(&origin) {
                log.allowed.push(SeenRequest {
                    method: request.method.clone(),
                    url: request.url.clone(),
                    authorization: header_value(&request.headers.0, "authorization"),
                    body: request.post_data.clone(),
                });
                RequestPausedDecision::Continue(None)
            } else {
                log.blocked.push(request.url.clone());
                RequestPausedDecision::Fail(Fetch::FailRequest {
                    request_id: event.params.request_id.clone(),
                    error_reason: Network::ErrorReason::BlockedByClient,
                })
            }
        },
    ))?;
    Ok(())
}

/// Polls `check` until it returns `Some`, for at most [`UI_TIMEOUT`].
fn wait_for<T>(mut check: impl FnMut() -> anyhow::Result<Option<T>>) -> anyhow::Result<T> {
    let deadline = Instant::now() + UI_TIMEOUT;
    loop {
        let outcome = check();
        if let Ok(Some(value)) = outcome {
            return Ok(value);
        }
        if Instant::now() >= deadline {
            return Err(match outcome {
                Err(error) => error.context("timed out"),
                Ok(_) => anyhow::anyhow!("timed out after {UI_TIMEOUT:?}"),
            });
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The browser binary, or a failure that says how to install it.
fn chromium_path() -> PathBuf {
    let path = PathBuf::from(CHROMIUM);
    assert!(
        path.is_file(),
        "Chromium is not installed at {CHROMIUM}; this test needs a real browser. \
         Install Debian's package with `apt-get install -y chromium`."
    );
    path
}

/// `__typename` of the root query type, asked over plain HTTP.
async fn server_typename(app: &TestApp, token: &str) -> String {
    let answer: Value = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(token)
        .json(&json!({ "query": QUERY }))
        .send()
        .await
        .expect("POST /graphql")
        .json()
        .await
        .expect("JSON answer from /graphql");
    answer["data"]["__typename"].as_str().unwrap_or_else(|| panic!("{QUERY} was not answered: {answer}")).to_owned()
}

/// Fails if the page mentions an absolute URL (`http://`, `https://`, or a
/// protocol-relative `//host`) that points anywhere but the test server.
fn assert_no_foreign_urls(page: &str, own_address: &str) {
    for (index, _) in page.match_indices("://") {
        let start = page[..index]
            .rfind(|c: char| !c.is_ascii_alphanumeric() && c != '+' && c != '-' && c != '.')
            .map_or(0, |i| i + 1);
        let end = page[index..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ')'))
            .map_or(page.len(), |i| index + i);
        let url = &page[start..end];
        assert!(
            url == own_address || url.starts_with(&format!("{own_address}/")),
            "the page refers to another host: {url:?}"
        );
    }
    for quote in ["\"//", "'//", "(//", "=//"] {
        if let Some(index) = page.find(quote) {
            let context: String = page[index..].chars().take(60).collect();
            panic!("the page has a protocol-relative URL: {context:?}");
        }
    }
}

/// Every URL the page loads: `src` and `href` attribute values, `url(...)` in
/// `<style>` elements, and the targets of an import map if there is one.
fn resource_references(page: &str) -> Vec<String> {
    let mut references = Vec::new();
    let lower = page.to_ascii_lowercase();
    for attribute in ["src=", "href="] {
        for (index, _) in lower.match_indices(attribute) {
            let preceded_by_space = lower[..index].chars().next_back().is_some_and(char::is_whitespace);
            if !preceded_by_space {
                continue;
            }
            let rest = &page[index + attribute.len()..];
            let value = match rest.chars().next() {
                Some(quote @ ('"' | '\'')) => rest[1..].split(quote).next().unwrap_or(""),
                _ => rest.split(|c: char| c.is_whitespace() || c == '>').next().unwrap_or(""),
            };
            references.push(value.to_owned());
        }
    }
    for (start, _) in lower.match_indices("<style") {
        let end = lower[start..].find("</style>").map_or(page.len(), |i| start + i);
        for (index, _) in lower[start..end].match_indices("url(") {
            let rest = &page[start + index + 4..end];
            let value = rest.split(')').next().unwrap_or("");
            let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
            if !value.starts_with("data:") {
                references.push(value.to_owned());
            }
        }
    }
    let mut rest = lower.as_str();
    let mut offset = 0;
    while let Some(found) = rest.find("type=\"importmap\"") {
        let from = offset + found;
        let open = from + page[from..].find('>').expect("import map tag is closed") + 1;
        let close = open + lower[open..].find("</script>").expect("import map ends");
        let map: Value = serde_json::from_str(&page[open..close]).expect("import map is JSON");
        collect_strings(&map["imports"], &mut references);
        if let Some(scopes) = map["scopes"].as_object() {
            for (scope, imports) in scopes {
                references.push(scope.clone());
                collect_strings(imports, &mut references);
            }
        }
        offset = close;
        rest = &lower[close..];
    }
    references.sort();
    references.dedup();
    references
}

fn collect_strings(value: &Value, into: &mut Vec<String>) {
    if let Some(map) = value.as_object() {
        into.extend(map.values().filter_map(Value::as_str).map(str::to_owned));
    }
}

/// A relative URL or an absolute path on the same host.
fn is_same_origin(reference: &str) -> bool {
    !reference.is_empty() && !reference.starts_with("//") && !reference.contains("://")
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// A header of a request seen by Chromium, looked up case-insensitively.
fn header_value(headers: &Option<Value>, name: &str) -> Option<String> {
    headers
        .as_ref()?
        .as_object()?
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .and_then(|(_, value)| value.as_str())
        .map(str::to_owned)
}

/// Percent-encodes everything but unreserved characters, for a query string.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (byte as char).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// A fresh directory under the temp directory, removed when dropped (also
/// when the test fails half-way).
struct TempDir(PathBuf);

impl TempDir {
    fn create(prefix: &str) -> std::io::Result<Self> {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
        let path = std::env::temp_dir().join(format!("{prefix}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path)?;
        Ok(Self(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
