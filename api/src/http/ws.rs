//! `GET /graphql` with `Upgrade: websocket`: GraphQL subscriptions over the
//! `graphql-transport-ws` protocol (and the older `graphql-ws`). The client signs in with its
//! `connection_init` payload, carrying the same bearer token as HTTP requests:
//! `{"Authorization": "Bearer …"}` (or `{"headers": {"Authorization": …}}`, or `{"token": …}`).
//! A connection that does not sign in, or whose credential is revoked or expires while it is
//! open, is closed with code 4403; one that does not sign in within `DUBAN_WS_INIT_TIMEOUT_SECS`
//! with 4408; one more than its account may hold with 4429. Each operation runs as an HTTP
//! request would (`super::socket`). Any other `GET /graphql` is a query over HTTP.

use super::auth::{Credential, Refused, from_authorization, from_token};
use super::socket::{Operations, Slot};
use crate::graphql::subscription::{Session, SignedIn};
use crate::http::state::AppState;
use async_graphql::Data;
use async_graphql::http::{WebSocketProtocols, WsMessage};
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt, future};
use std::net::SocketAddr;
use std::sync::Arc;

/// The close code of a connection whose credential does not (or no longer) work.
const FORBIDDEN: u16 = 4403;
/// The close code of a connection that did not sign in in time (graphql-transport-ws).
const INIT_TIMEOUT: u16 = 4408;
/// The close code of a connection one too many for its account.
const TOO_MANY: u16 = 4429;

/// Why a `connection_init` is refused when the account holds as many connections as allowed.
const TOO_MANY_SOCKETS: &str = "Too many connections for this account";

/// Why a `connection_init` is refused.
const NO_CREDENTIAL: &str = "a valid bearer token is required";

fn wants_websocket(headers: &HeaderMap) -> bool {
    headers.get(header::UPGRADE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// `GET /graphql`: a WebSocket for subscriptions, or a query over HTTP.
pub async fn get(State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, req: Request) -> Response {
    if !wants_websocket(req.headers()) {
        return super::graphql::handle(State(state), ConnectInfo(peer), req).await;
    }
    let (mut parts, _) = req.into_parts();
    let Some(protocol) = protocol_of(&parts.headers) else {
        let refusal = super::response::Refusal::new(
            axum::http::StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "ask for the graphql-transport-ws (or graphql-ws) subprotocol",
        );
        return refusal.respond(None);
    };
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &state).await {
        Ok(upgrade) => upgrade,
        Err(refused) => return refused.into_response(),
    };
    upgrade
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| serve(socket, state, peer, protocol))
}

/// The first subprotocol the client offers that async-graphql speaks.
fn protocol_of(headers: &HeaderMap) -> Option<WebSocketProtocols> {
    use std::str::FromStr;
    let offered = headers.get(header::SEC_WEBSOCKET_PROTOCOL)?.to_str().ok()?;
    offered.split(',').find_map(|name| WebSocketProtocols::from_str(name.trim()).ok())
}

/// The bearer credential of a `connection_init` payload.
fn authorization(payload: &serde_json::Value) -> Option<(bool, String)> {
    let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
    for key in ["Authorization", "authorization"] {
        if let Some(value) = payload.get(key).and_then(text) {
            return Some((true, value));
        }
        if let Some(value) = payload.get("headers").and_then(|h| h.get(key)).and_then(text) {
            return Some((true, value));
        }
    }
    payload.get("token").and_then(text).map(|token| (false, token))
}

async fn serve(socket: WebSocket, state: AppState, peer: SocketAddr, protocol: WebSocketProtocols) {
    let session = Arc::new(Session::default());
    let (mut sink, stream) = socket.split();
    let input = stream.take_while(|message| future::ready(message.is_ok())).filter_map(|message| {
        future::ready(match message {
            Ok(Message::Text(text)) => Some(text.as_bytes().to_vec()),
            Ok(Message::Binary(bytes)) => Some(bytes.to_vec()),
            _ => None,
        })
    });
    // The connection's place among its account's, held until it closes.
    let slot = Arc::new(std::sync::OnceLock::new());
    let operations = Operations::new(state.clone(), session.clone(), peer);
    let connection = async_graphql::http::WebSocket::new(operations, input, protocol)
        .on_connection_init({
            let (state, session, slot) = (state.clone(), session.clone(), slot.clone());
            move |payload| sign_in(state, session, slot, payload)
        })
        .map(|message| match message {
            WsMessage::Text(text) => Message::Text(text.into()),
            // A refused sign-in closes as the protocol recommends: 4403 Forbidden.
            WsMessage::Close(_, reason) if reason == NO_CREDENTIAL => {
                Message::Close(Some(CloseFrame { code: FORBIDDEN, reason: "Forbidden".into() }))
            }
            WsMessage::Close(_, reason) if reason == TOO_MANY_SOCKETS => {
                Message::Close(Some(CloseFrame { code: TOO_MANY, reason: TOO_MANY_SOCKETS.into() }))
            }
            WsMessage::Close(code, reason) => Message::Close(Some(CloseFrame { code, reason: reason.into() })),
        });
    futures_util::pin_mut!(connection);
    // A connection that never signs in is closed (4408, as graphql-transport-ws says).
    let init_deadline = tokio::time::sleep(state.sockets.limits.init_timeout);
    futures_util::pin_mut!(init_deadline);
    loop {
        tokio::select! {
            message = connection.next() => match message {
                Some(message) => {
                    if sink.send(message).await.is_err() {
                        break;
                    }
                }
                None => break,
            },
            () = session.ended() => {
                let frame = CloseFrame { code: FORBIDDEN, reason: "Forbidden".into() };
                let _ = sink.send(Message::Close(Some(frame))).await;
                break;
            }
            () = &mut init_deadline, if session.who().is_none() => {
                let frame = CloseFrame { code: INIT_TIMEOUT, reason: "Connection initialisation timeout".into() };
                let _ = sink.send(Message::Close(Some(frame))).await;
                break;
            }
        }
    }
}

/// `connection_init`: verifies the credential, takes a place among the account's connections,
/// and keeps who signed in on the session. Operations carry their own caller (see
/// `socket::Operations`); the connection's data is the session alone.
async fn sign_in(
    state: AppState,
    session: Arc<Session>,
    slot: Arc<std::sync::OnceLock<Slot>>,
    payload: serde_json::Value,
) -> async_graphql::Result<Data> {
    let refused = || async_graphql::Error::new(NO_CREDENTIAL);
    let (is_header, value) = authorization(&payload).ok_or_else(refused)?;
    let credential = credential_of(&state, is_header, &value).await.map_err(|_| refused())?;
    let Some(stamp) = credential.stamp else { return Err(refused()) };
    let place = state.sockets.enter(stamp.user_id).ok_or_else(|| async_graphql::Error::new(TOO_MANY_SOCKETS))?;
    let _ = slot.set(place);
    let signed_in_as = credential.viewer.clone();
    // Checked again as it was given: the credential must still work and still stand for the
    // same account, role, unit and groups, since the connection's view was built from them (a
    // changed view ends the connection; the client signs in again).
    let check_state = state.clone();
    let check = Box::new(move || {
        let (state, value, signed_in_as) = (check_state.clone(), value.clone(), signed_in_as.clone());
        Box::pin(async move {
            let now = credential_of(&state, is_header, &value).await;
            now.is_ok_and(|credential| credential.viewer == signed_in_as)
        }) as futures_util::future::BoxFuture<'static, bool>
    });
    let who = SignedIn { viewer: credential.viewer, credential: credential.stamp };
    session.signed_in(who, check, credential.expires_at);
    let mut data = Data::default();
    data.insert(session);
    Ok(data)
}

/// The credential `connection_init` gave: an `Authorization` value, or a bare token.
async fn credential_of(state: &AppState, is_header: bool, value: &str) -> Result<Credential, Refused> {
    if is_header { from_authorization(state, value).await } else { from_token(state, value).await }
}
