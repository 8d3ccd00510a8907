//! `GET /healthz` (the process is up) and `GET /readyz` (the database answers).

use crate::http::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;

/// Liveness: answers as long as the process serves HTTP.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: 200 when the database answers a ping, 503 otherwise (no detail is given out).
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
