//! Building the application: state from config, the router, and serving with graceful shutdown.

use crate::auth::{AuthContext, ThrottleLimits, TokenConfig, TokenKeys};
use crate::config::{Config, Introspection};
use crate::domain::clock::Clock;
use crate::domain::evidence::Files;
use crate::domain::evidence::links::LinkKey;
use crate::domain::webhooks::destination::Destinations;
use crate::events::Hub;
use crate::http::state::AppState;
use crate::storage::Storage;
use crate::{bootstrap, db, graphiql, graphql, http, observe};
use anyhow::Context;
use axum::Router;
use axum::routing::get;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// The routes of duban over `state`, with the request timeout and the CORS origins of `config`.
pub fn router(state: AppState, config: &Config) -> Router {
    let mut app = Router::new()
        .route("/graphql", get(http::ws::get).post(http::graphql::handle))
        .route("/documents/{id}/division-table.xlsx", get(http::export::xlsx))
        .route("/documents/{id}/division-table.csv", get(http::export::csv))
        .route("/bulletins/{file}", get(http::export::bulletin))
        .route("/files/{id}", get(http::files::download))
        .route("/healthz", get(http::health::healthz))
        .route("/readyz", get(http::health::readyz))
        .merge(graphiql::routes());
    if config.test_hooks {
        app = app
            .route("/__test/panic", get(http::guard::panic_for_tests))
            .route("/__test/sleep/{millis}", get(http::guard::sleep_for_tests))
            .route("/__test/documents", get(http::guard::documents_for_tests))
            .route("/__test/subscribers", get(http::guard::subscribers_for_tests))
            .route("/__test/sweep-evidence", axum::routing::post(http::files::sweep_for_tests));
    }
    let timeout = Duration::from_secs(config.request_timeout_secs);
    app.route_layer(axum::middleware::from_fn(observe::count_requests))
        .route("/metrics", get(observe::render))
        .layer(axum::middleware::from_fn(move |req, next| http::guard::time_limit(timeout, req, next)))
        .layer(http::guard::cors(&config.cors_origins))
        .layer(CatchPanicLayer::custom(http::guard::panicked))
        .layer(TraceLayer::new_for_http().make_span_with(observe::request_span))
        // Every request has an id (the client's `x-request-id`, or a new UUID): in its log
        // lines (the span above) and in the response's `x-request-id`.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// Connects, migrates, bootstraps (admin, sample plan) and builds the state.
pub async fn build_state(config: &Config) -> anyhow::Result<AppState> {
    let db = db::connect(&config.database_url).await?;
    let state = prepare(db, config, None).await?;
    db::warm(&state.db, &config.database_url).await?;
    state.reads.warm().await.context("cannot open the read pool's connections")?;
    Ok(state)
}

/// Migrates and bootstraps an open connection, then builds the state around it. Every
/// statement is counted for `/metrics` and then handed to `also`, if given.
pub async fn prepare(
    mut db: sea_orm::DatabaseConnection,
    config: &Config,
    also: Option<db::StatementHook>,
) -> anyhow::Result<AppState> {
    let hook = observe::statement_hook(also);
    let counted = hook.clone();
    db.set_metric_callback(move |info| counted(info, db::Via::Pool));
    let reads = db::Reader::open(&db, &config.database_url, db::pool_size(&config.database_url) as usize, Some(hook))?;
    db::migrate(&db).await?;
    let clock = config.today.map_or_else(Clock::system, Clock::pinned);
    let secret = bootstrap::jwt_secret(config)?;
    let links = LinkKey::derive(&secret);
    // Before the first write: the admin and the sample plan are on the trail too.
    bootstrap::install_audit_key(config)?;
    bootstrap::ensure_admin(&db, config, &clock).await?;
    if config.load_sample_plan {
        bootstrap::load_sample_plan(&db, &clock).await?;
    }
    let tokens = TokenKeys::new(&TokenConfig {
        secret,
        previous_secret: config.jwt_previous_secret.clone(),
        issuer: "duban".into(),
        audience: "duban-api".into(),
        ttl: chrono::Duration::minutes(config.token_ttl_minutes),
    });
    let auth = AuthContext { tokens: Arc::new(tokens), throttle: ThrottleLimits::default() };
    let accounts = Arc::new(crate::http::accounts::Accounts::default());
    let forget = accounts.clone();
    let events = Hub::start(db.clone(), vec![Box::new(move |entry| forget.forget(entry))]);
    if !events.started(Duration::from_secs(10)).await {
        tracing::warn!("the event pump has not read the audit trail yet; serving anyway");
    }
    let retry =
        crate::domain::webhooks::dispatch::Retry::with_base(Duration::from_millis(config.webhook_retry_base_ms));
    let destinations = Destinations::new(config.webhook_allowed_networks.clone());
    let files = Files {
        storage: Storage::open(&config.storage, &config.database_url)?,
        limits: config.evidence.clone(),
        links,
    };
    tracing::info!(storage = ?files.storage, "evidence files storage");
    crate::domain::evidence::sweeper::start(db.clone(), files.clone(), clock.clone());
    crate::domain::follow_up::periods::start(db.clone(), clock.clone());
    if config.dispatch_webhooks {
        crate::domain::webhooks::dispatch::start(db.clone(), events.subscribe(), retry, destinations.clone());
    }
    Ok(AppState::new(crate::http::state::Shared {
        schemas: graphql::build_schemas(db.clone(), reads.clone(), auth.clone(), &events, &destinations, &files),
        files,
        db,
        reads,
        auth,
        introspection: config.introspection == Introspection::Authenticated,
        clock,
        test_hooks: config.test_hooks,
        events,
        accounts,
        documents: Arc::default(),
        persisted: Default::default(),
        sockets: http::socket::Sockets::new(http::socket::Limits::of(config)),
    }))
}

/// Serves `app` (see [`router`]) on `listener` until `shutdown` resolves, then drains open
/// requests.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await.context("server failed")
}

/// The listener of `DUBAN_METRICS_BIND`.
pub async fn metrics_listener(bind: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(bind).await.with_context(|| format!("cannot listen on {bind} for the metrics"))
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
