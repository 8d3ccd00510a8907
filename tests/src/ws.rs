//! A small graphql-transport-ws client for the subscription tests: connects to `/graphql`,
//! signs in with `connection_init`, subscribes, and reads events and the close frame.

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// What the server sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Received {
    /// `next` for a subscription: its `payload`.
    Next { id: String, payload: Value },
    /// `error` for a subscription: its errors.
    Error { id: String, errors: Value },
    /// `complete` for a subscription.
    Complete { id: String },
    /// The server closed the connection with this code.
    Closed(Option<u16>),
}

/// One WebSocket connection.
pub struct Subscriber {
    socket: Socket,
    /// Whether the server acknowledged `connection_init`.
    pub acknowledged: bool,
    /// A close frame that came instead of the acknowledgement.
    closed: Option<Received>,
}

impl Subscriber {
    /// Connects to `address` (`http://127.0.0.1:PORT`) and sends nothing.
    pub async fn open(address: &str) -> Subscriber {
        let url = format!("{}/graphql", address.replacen("http", "ws", 1));
        let mut request = url.into_client_request().expect("a WebSocket URL");
        request.headers_mut().insert("Sec-WebSocket-Protocol", HeaderValue::from_static("graphql-transport-ws"));
        let (socket, _) = tokio_tungstenite::connect_async(request).await.expect("WebSocket handshake");
        Subscriber { socket, acknowledged: false, closed: None }
    }

    /// Connects to `address` (`http://127.0.0.1:PORT`) and sends `connection_init` with
    /// `payload`; waits for the acknowledgement (or the close).
    pub async fn connect_with(address: &str, payload: Value) -> Subscriber {
        let mut subscriber = Subscriber::open(address).await;
        subscriber.send(json!({ "type": "connection_init", "payload": payload })).await;
        match tokio::time::timeout(Duration::from_secs(10), subscriber.socket.next()).await.ok().flatten() {
            Some(Ok(Message::Text(text))) => {
                subscriber.acknowledged =
                    serde_json::from_str::<Value>(&text).is_ok_and(|v| v["type"] == "connection_ack");
            }
            Some(Ok(Message::Close(frame))) => {
                subscriber.closed = Some(Received::Closed(frame.map(|f| u16::from(f.code))));
            }
            _ => {}
        }
        subscriber
    }

    /// Connects and signs in with a bearer token.
    pub async fn connect(address: &str, token: &str) -> Subscriber {
        let subscriber = Subscriber::connect_with(address, json!({ "Authorization": format!("Bearer {token}") })).await;
        assert!(subscriber.acknowledged, "the server did not acknowledge the connection");
        subscriber
    }

    async fn send(&mut self, message: Value) {
        self.socket.send(Message::Text(message.to_string().into())).await.expect("send");
    }

    /// Starts subscription `id`.
    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": variables } }))
            .await;
    }

    /// The next message within `wait`, pings answered; `None` when nothing came.
    pub async fn next(&mut self, wait: Duration) -> Option<Received> {
        if let Some(closed) = self.closed.take() {
            return Some(closed);
        }
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let message = match tokio::time::timeout_at(deadline, self.socket.next()).await {
                Err(_) => return None,
                Ok(None) => return Some(Received::Closed(None)),
                Ok(Some(Err(_))) => return Some(Received::Closed(None)),
                Ok(Some(Ok(message))) => message,
            };
            match message {
                Message::Text(text) => {
                    let value: Value = serde_json::from_str(&text).expect("JSON message");
                    let id = value["id"].as_str().unwrap_or_default().to_owned();
                    match value["type"].as_str() {
                        Some("next") => return Some(Received::Next { id, payload: value["payload"].clone() }),
                        Some("error") => return Some(Received::Error { id, errors: value["payload"].clone() }),
                        Some("complete") => return Some(Received::Complete { id }),
                        Some("ping") => self.send(json!({ "type": "pong" })).await,
                        _ => {}
                    }
                }
                Message::Close(frame) => return Some(Received::Closed(frame.map(|f| u16::from(f.code)))),
                _ => {}
            }
        }
    }

    /// The `data` of the next event of subscription `id` within `wait` (an event with errors
    /// fails the test).
    pub async fn event(&mut self, id: &str, wait: Duration) -> Option<Value> {
        match self.next(wait).await {
            Some(Received::Next { id: got, payload }) if got == id && payload["errors"].is_null() => {
                Some(payload["data"].clone())
            }
            Some(other) => panic!("expected an event of {id}, got {other:?}"),
            None => None,
        }
    }

    /// The error code of subscription `id`'s refusal (an `error` message, or an event that
    /// carries only errors).
    pub async fn refusal(&mut self, id: &str, wait: Duration) -> Option<String> {
        let errors = match self.next(wait).await? {
            Received::Error { id: got, errors } if got == id => errors,
            Received::Next { id: got, payload } if got == id => payload["errors"].clone(),
            other => panic!("expected a refusal of {id}, got {other:?}"),
        };
        errors[0]["extensions"]["code"].as_str().map(str::to_owned)
    }
}
