//! Building the application: state from config, the router, and serving with graceful shutdown.

use crate::auth::LoginThrottle;
use crate::auth::{TokenConfig, TokenKeys};
use crate::config::Config;
use crate::state::{AppState, AuthContext};
use crate::{bootstrap, db, graphiql, graphql, http, observe};
use anyhow::Context;
use axum::Router;
use axum::routing::get;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Failed logins allowed per minute for one username, and for one client address.
const LOGIN_FAILURES_PER_USER: NonZeroU32 = NonZeroU32::new(5).unwrap();
const LOGIN_FAILURES_PER_ADDRESS: NonZeroU32 = NonZeroU32::new(30).unwrap();

/// Largest request body: a pasted plan is well under 2 MB; leave room for JSON escaping.
const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// The routes of duban over `state`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/graphql", get(http::graphql::handle).post(http::graphql::handle))
        .route("/healthz", get(http::health::healthz))
        .route("/readyz", get(http::health::readyz))
        .merge(graphiql::routes())
        .route_layer(axum::middleware::from_fn(observe::count_requests))
        .route("/metrics", get(observe::render))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(60)))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Connects, migrates, bootstraps (admin, sample plan) and builds the state.
pub async fn build_state(config: &Config) -> anyhow::Result<AppState> {
    let db = db::connect(&config.database_url).await?;
    prepare(db, config).await
}

/// Migrates and bootstraps an open connection, then builds the state around it.
pub async fn prepare(mut db: sea_orm::DatabaseConnection, config: &Config) -> anyhow::Result<AppState> {
    observe::count_sql_statements(&mut db);
    db::migrate(&db).await?;
    let secret = bootstrap::jwt_secret(config)?;
    bootstrap::ensure_admin(&db, config).await?;
    if config.load_sample_plan {
        bootstrap::load_sample_plan(&db).await?;
    }
    let tokens = TokenKeys::new(&TokenConfig {
        secret,
        previous_secret: config.jwt_previous_secret.clone(),
        issuer: "duban".into(),
        audience: "duban-api".into(),
        ttl: chrono::Duration::minutes(config.token_ttl_minutes),
    });
    let auth = AuthContext {
        tokens: Arc::new(tokens),
        throttle: Arc::new(LoginThrottle::new(LOGIN_FAILURES_PER_USER, LOGIN_FAILURES_PER_ADDRESS)),
    };
    Ok(AppState {
        schema: graphql::build_schema(db.clone(), auth.clone()),
        db,
        auth,
        introspection: config.introspection,
    })
}

/// Serves `state` on `listener` until `shutdown` resolves, then drains open requests.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await.context("server failed")
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
