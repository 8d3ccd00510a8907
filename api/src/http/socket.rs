//! What runs an operation sent over a WebSocket, by the same rules as one sent over HTTP.
//!
//! async-graphql's protocol handler hands each `subscribe` message to an [`Executor`]; duban's,
//! [`Operations`], makes every operation stand on its own, as an HTTP request does: the
//! credential is checked again as it stands now (through the same account cache; a revoked one
//! ends the connection with 4403), the clock is read now, the document and variables are screened
//! for nesting, parsed through the shared cache and run on the schema the viewer may use
//! (introspection off means off here too), and every error leaves with a code. A connection runs
//! at most [`Limits::operations`] operations at once, and an account holds at most
//! [`Limits::sockets_per_account`] connections on a process ([`Sockets`]).

use super::graphql::{ensure_code, passed_validation, prepare};
use crate::config::Config;
use crate::domain::Caller;
use crate::graphql::loaders::Loaders;
use crate::graphql::subscription::Session;
use crate::http::state::AppState;
use async_graphql::parser::types::OperationType;
use async_graphql::{Data, Executor, Request, Response, ServerError, Value};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// The WebSocket limits (`DUBAN_WS_*`).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long a connection may stay open without signing in.
    pub init_timeout: Duration,
    /// Operations one connection may run at once.
    pub operations: usize,
    /// Connections one account may hold open on this process.
    pub sockets_per_account: usize,
}

impl Limits {
    pub fn of(config: &Config) -> Limits {
        Limits {
            init_timeout: Duration::from_secs(config.ws_init_timeout_secs),
            operations: usize::try_from(config.ws_max_operations).unwrap_or(usize::MAX),
            sockets_per_account: usize::try_from(config.ws_max_sockets_per_account).unwrap_or(usize::MAX),
        }
    }
}

/// The open, signed-in connections of this process, by account.
#[derive(Debug)]
pub struct Sockets {
    pub limits: Limits,
    open: Arc<Mutex<HashMap<i32, usize>>>,
}

/// One account's place among the open connections, given back when dropped.
#[derive(Debug)]
pub struct Slot {
    account: i32,
    open: Arc<Mutex<HashMap<i32, usize>>>,
}

impl Sockets {
    pub fn new(limits: Limits) -> Sockets {
        Sockets { limits, open: Arc::default() }
    }

    /// A place for one more connection of `account`; `None` when it holds as many as allowed.
    pub fn enter(&self, account: i32) -> Option<Slot> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let count = open.entry(account).or_default();
        if *count >= self.limits.sockets_per_account {
            return None;
        }
        *count += 1;
        Some(Slot { account, open: self.open.clone() })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.account) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.account);
            }
        }
    }
}

/// Runs the operations of one connection.
#[derive(Clone)]
pub struct Operations {
    state: AppState,
    session: Arc<Session>,
    peer: SocketAddr,
    running: Arc<AtomicUsize>,
}

/// One operation's place among the connection's, given back when its stream ends.
struct Running(Arc<AtomicUsize>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Operations {
    pub fn new(state: AppState, session: Arc<Session>, peer: SocketAddr) -> Operations {
        Operations { state, session, peer, running: Arc::default() }
    }

    /// Everything an operation needs before it runs, or the response that refuses it.
    async fn start(&self, mut request: Request) -> Result<(Started, Request), Box<Response>> {
        let running = Running(self.running.clone());
        if self.running.fetch_add(1, Ordering::AcqRel) >= self.state.sockets.limits.operations {
            let message = format!(
                "a connection runs at most {} operations at once: stop one first",
                self.state.sockets.limits.operations
            );
            return Err(refusal(&message, "BAD_USER_INPUT", Some("TOO_MANY_OPERATIONS")));
        }
        let Some(who) = self.session.who().cloned() else {
            return Err(refusal("sign in with connection_init first", "UNAUTHENTICATED", None));
        };
        if !self.session.still_valid().await {
            return Err(refusal("the credential no longer works: sign in again", "UNAUTHENTICATED", None));
        }
        let (schema, parsed) = prepare(&self.state, &who.viewer, &mut request)?;
        let operation = super::graphql::operation_type(&parsed.document, request.operation_name.as_deref());
        let caller =
            Caller::new(who.viewer, Some(self.peer.ip()), self.state.clock.read()).with_credential(who.credential);
        // A subscription lives on and reads again at each event: what it read before is stale.
        let loaders = if operation == Some(OperationType::Subscription) {
            Loaders::uncached(&self.state.reads, &caller)
        } else {
            Loaders::new(&self.state.reads, &caller)
        };
        let query = std::mem::take(&mut request.query);
        let request = request.data(loaders).data(caller.clone());
        Ok((Started { schema, parsed, query, caller, _running: running }, request))
    }
}

struct Started {
    schema: crate::graphql::AppSchema,
    parsed: Arc<super::documents::Parsed>,
    query: String,
    caller: Caller,
    _running: Running,
}

fn is_unauthenticated(error: &ServerError) -> bool {
    error.extensions.as_ref().and_then(|e| e.get("code")).is_some_and(|code| *code == Value::from("UNAUTHENTICATED"))
}

fn refusal(message: &str, code: &str, reason: Option<&str>) -> Box<Response> {
    let mut error = ServerError::new(message, None);
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", Value::from(code));
    if let Some(reason) = reason {
        extensions.set("reason", Value::from(reason));
    }
    error.extensions = Some(extensions);
    Box::new(Response::from_errors(vec![error]))
}

impl Executor for Operations {
    async fn execute(&self, request: Request) -> Response {
        self.execute_stream(request, None).next().await.unwrap_or_default()
    }

    fn execute_stream(&self, request: Request, session_data: Option<Arc<Data>>) -> BoxStream<'static, Response> {
        let operations = self.clone();
        async_stream::stream! {
            let (started, request) = match operations.start(request).await {
                Ok(started) => started,
                Err(refused) => {
                    yield *refused;
                    return;
                }
            };
            let mut responses = started.schema.execute_stream_with_session_data(request, session_data.unwrap_or_default());
            let mut first = true;
            while let Some(mut response) = responses.next().await {
                // What the operation wrote is in the process's caches before it answers.
                if let Some(last) = started.caller.last_entry() {
                    operations.state.events.caught_up(last).await;
                }
                if std::mem::take(&mut first) && passed_validation(&response.errors) {
                    operations.state.documents.keep(&started.query, &started.parsed);
                }
                response.errors.iter_mut().for_each(ensure_code);
                // A write found the credential revoked before this process heard of it: the
                // connection ends as it would have, had the process known.
                if response.errors.iter().any(is_unauthenticated) {
                    operations.session.end();
                }
                yield response;
            }
        }
        .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_holds_at_most_its_share_of_connections() {
        let limits = Limits { init_timeout: Duration::from_secs(1), operations: 1, sockets_per_account: 2 };
        let sockets = Sockets::new(limits);
        let first = sockets.enter(7).expect("first");
        let _second = sockets.enter(7).expect("second");
        assert!(sockets.enter(7).is_none());
        assert!(sockets.enter(8).is_some(), "another account has its own share");
        drop(first);
        assert!(sockets.enter(7).is_some(), "a closed connection gives its place back");
    }
}
