//! The database goes away under load and comes back (PostgreSQL, through a TCP proxy of the
//! test's own): requests during the outage fail in time with a code, `/readyz` says 503, and
//! within 5 s of the restore every request succeeds again, without a restart.

use duban_tests::{AppOptions, TcpProxy, spawn_app_with};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request of the load: when it started, how long it took, status and error code.
#[derive(Debug, Clone)]
struct Sample {
    started: Instant,
    took: Duration,
    status: u16,
    code: Option<String>,
}

#[tokio::test]
async fn postgres_outage_under_load_fails_requests_with_a_code_and_recovers_after_the_restore() {
    if std::env::var("DUBAN_TEST_DATABASE_URL").map_or(true, |u| !u.starts_with("postgres")) {
        eprintln!("the outage test needs PostgreSQL (DUBAN_TEST_DATABASE_URL); SQLite has no network to cut");
        return;
    }
    let proxy = TcpProxy::start("127.0.0.1:5432").await;
    let options =
        AppOptions { via_proxy: Some(proxy.port), configure: |c| c.request_timeout_secs = 10, ..Default::default() };
    let app = Arc::new(spawn_app_with(options).await);
    let admin = app.admin_token().await;
    let samples: Arc<Mutex<Vec<Sample>>> = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut workers = Vec::new();
    for _ in 0..6 {
        let (app, admin, samples, stop) = (app.clone(), admin.clone(), samples.clone(), stop.clone());
        workers.push(tokio::spawn(async move {
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let started = Instant::now();
                let response =
                    app.graphql("{ tasks(first: 5) { totalCount nodes { seq } } }", json!({}), Some(&admin)).await;
                let code = response.error_code().map(str::to_owned);
                samples.lock().unwrap().push(Sample {
                    started,
                    took: started.elapsed(),
                    status: response.status,
                    code,
                });
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }));
    }

    tokio::time::sleep(Duration::from_millis(500)).await;
    let cut_at = Instant::now();
    proxy.cut();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let ready = app.raw(app.client.get(app.url("/readyz"))).await;
    let restored_at = Instant::now();
    proxy.restore();
    tokio::time::sleep(Duration::from_secs(8)).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for worker in workers {
        worker.await.expect("no panic in the load");
    }

    assert_eq!(ready.status, 503, "/readyz during the outage");
    let samples = samples.lock().unwrap().clone();
    let failed: Vec<&Sample> = samples.iter().filter(|s| s.code.is_some()).collect();
    assert!(!failed.is_empty(), "requests failed during the outage");
    for sample in &failed {
        // A request still running when the connection is cut may fail with it; one that ended
        // before the cut must not have failed.
        assert!(sample.started + sample.took >= cut_at, "a failure before the cut: {sample:?}");
        assert!(matches!(sample.code.as_deref(), Some("INTERNAL" | "TIMEOUT")), "{sample:?}");
        assert!(sample.took < Duration::from_secs(10), "failed within the request timeout: {sample:?}");
    }
    // A request that ran wholly within the outage had no database: it failed, with a code.
    let within: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.started >= cut_at + Duration::from_millis(100) && s.started + s.took < restored_at)
        .collect();
    assert!(!within.is_empty(), "requests ran within the outage");
    assert!(within.iter().all(|s| s.code.is_some()), "every request within the outage failed: {within:?}");
    let late: Vec<&Sample> = samples.iter().filter(|s| s.started >= restored_at + Duration::from_secs(5)).collect();
    assert!(!late.is_empty(), "requests ran after the restore");
    assert!(late.iter().all(|s| s.status == 200 && s.code.is_none()), "all succeed 5 s after the restore: {late:?}");
    let health = app.raw(app.client.get(app.url("/readyz"))).await;
    assert_eq!(health.status, 200);
}

#[tokio::test]
async fn connections_the_database_ends_are_replaced_without_failing_a_read() {
    if std::env::var("DUBAN_TEST_DATABASE_URL").map_or(true, |u| !u.starts_with("postgres")) {
        eprintln!("ending sessions needs PostgreSQL (DUBAN_TEST_DATABASE_URL); SQLite has no sessions to end");
        return;
    }
    use sea_orm::ConnectionTrait;
    let app = duban_tests::spawn_app().await;
    let admin = app.admin_token().await;
    let read = || app.graphql("{ tasks(first: 5) { totalCount nodes { seq } } }", json!({}), Some(&admin));
    // Several reads at once open several of the read pool's connections.
    for response in futures_util::future::join_all((0..6).map(|_| read())).await {
        assert_eq!(response.data()["tasks"]["totalCount"], 26);
    }
    // What a restart, a failover or an administrator does: every session of the database ends
    // (PostgreSQL tells each client with a FATAL error before it closes the socket).
    let ended = app
        .db
        .execute_unprepared(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .await
        .expect("end the server's sessions");
    // Every session but the test's own: the read pool's (the reads above opened them) among them.
    assert!(ended.rows_affected() >= 2, "ended {} sessions", ended.rows_affected());
    tokio::time::sleep(Duration::from_millis(300)).await;
    for round in 0..3 {
        let before = app.statements();
        for response in futures_util::future::join_all((0..6).map(|_| read())).await {
            assert_eq!(response.error_code(), None, "round {round}: {}", response.body);
            assert_eq!(response.data()["tasks"]["totalCount"], 26);
        }
        assert!(app.statements() - before >= 6, "round {round}: the reads went through the read pool");
    }
}
