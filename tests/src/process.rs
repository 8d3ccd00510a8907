//! A second duban process on the database of a [`TestApp`](crate::TestApp): the shape of two
//! replicas behind a load balancer. It shares nothing with the test's own server but the
//! database.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `duban serve` child process.
pub struct ServerProcess {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    child: Child,
    /// Its evidence storage (a directory of its own).
    _files: tempfile::TempDir,
}

impl ServerProcess {
    /// Starts `binary serve` (the test package's `duban-process`, see `src/bin/`) on
    /// `database_url`, with the test apps' secret and audit key, and waits until it listens.
    pub fn start(binary: &str, database_url: &str) -> ServerProcess {
        ServerProcess::start_with(binary, database_url, &[])
    }

    /// [`ServerProcess::start`] with more settings in its environment.
    pub fn start_with(binary: &str, database_url: &str, settings: &[(&str, &str)]) -> ServerProcess {
        let secret = crate::token_secret();
        let files = tempfile::tempdir().expect("temporary directory");
        let mut child = Command::new(binary)
            .arg("serve")
            .envs(settings.iter().copied())
            .env("DATABASE_URL", database_url)
            .env("DUBAN_BIND", "127.0.0.1:0")
            .env("DUBAN_STORAGE_DIR", files.path())
            .env("DUBAN_JWT_SECRET", secret)
            .env("DUBAN_AUDIT_KEY", crate::audit_key())
            .env("DUBAN_ADMIN_PASSWORD", crate::ADMIN_PASSWORD)
            .env("DUBAN_LOAD_SAMPLE_PLAN", "false")
            .env("DUBAN_LOG_FORMAT", "json")
            .env("RUST_LOG", "info,sqlx=warn,sea_orm=warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the second duban process");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        let early = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let kept = early.clone();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if !sent && let Ok(mut lines) = kept.lock() {
                    lines.push(line.clone());
                }
                if !sent && line.contains("duban is listening") {
                    let addr = serde_json::from_str::<serde_json::Value>(&line)
                        .ok()
                        .and_then(|v| v["fields"]["addr"].as_str().map(str::to_owned));
                    let _ = tx.send(addr.unwrap_or_default());
                    sent = true;
                }
            }
        });
        let started = Instant::now();
        let addr = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_default();
        if addr.is_empty() {
            let said = early.lock().map(|lines| lines.join("\n")).unwrap_or_default();
            panic!("the second process did not start within {:?}; it said:\n{said}", started.elapsed());
        }
        ServerProcess { address: format!("http://{addr}"), child, _files: files }
    }
}

impl ServerProcess {
    /// Waits until at least `n` subscriptions run in the process (its own `duban_subscriptions`
    /// gauge on `/metrics`): a change made after that reaches them.
    pub async fn subscribed(&self, n: u32) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = reqwest::get(format!("{}/metrics", self.address))
                .await
                .expect("/metrics")
                .text()
                .await
                .expect("the metrics text");
            let running = text
                .lines()
                .find_map(|line| line.strip_prefix("duban_subscriptions "))
                .and_then(|value| value.trim().parse::<f64>().ok())
                .unwrap_or(0.0);
            if running >= f64::from(n) {
                return;
            }
            assert!(Instant::now() < deadline, "{n} subscriptions never started in the second process");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Kills the process at once (SIGKILL: no shutdown, no draining), as a crash would.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
