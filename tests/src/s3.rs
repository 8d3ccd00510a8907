//! A real S3-compatible server (moto, from the suite's venv) on loopback, started once per test
//! binary the first time a test asks for it and stopped when the binary ends (its standard
//! input closes). Each test gets a bucket of its own.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use tokio::sync::OnceCell;

/// The running server.
pub struct S3Server {
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    _child: Mutex<Child>,
}

static SERVER: OnceCell<S3Server> = OnceCell::const_new();

/// The suite's S3 server, started on first use.
pub async fn server() -> &'static S3Server {
    SERVER.get_or_init(|| async { tokio::task::spawn_blocking(start).await.expect("start the S3 server") }).await
}

fn start() -> S3Server {
    let clients = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("clients");
    let python = clients.join(".venv/bin/python");
    assert!(python.exists(), "the S3 server (moto) is not installed: run tests/run (it makes tests/clients/.venv)");
    let mut child = Command::new(python)
        .arg(clients.join("s3_server.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start tests/clients/s3_server.py");
    let stdout = child.stdout.take().expect("its output");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("read its port");
    let port = line.trim().strip_prefix("PORT ").unwrap_or_else(|| panic!("the S3 server said {line:?}"));
    S3Server { endpoint: format!("http://127.0.0.1:{port}"), _child: Mutex::new(child) }
}

impl S3Server {
    /// A new, empty bucket.
    pub async fn bucket(&self) -> String {
        let name = format!("duban-test-{:08x}{:04x}", rand::random::<u32>(), std::process::id() & 0xffff);
        let response =
            reqwest::Client::new().put(format!("{}/{name}", self.endpoint)).send().await.expect("create a bucket");
        assert!(response.status().is_success(), "creating bucket {name}: {}", response.status());
        name
    }

    /// The keys of the objects in `bucket`.
    pub async fn keys(&self, bucket: &str) -> Vec<String> {
        let listing = reqwest::get(format!("{}/{bucket}?list-type=2", self.endpoint))
            .await
            .expect("list the bucket")
            .text()
            .await
            .expect("the listing");
        listing
            .split("<Key>")
            .skip(1)
            .filter_map(|rest| rest.split_once("</Key>").map(|(key, _)| key.to_owned()))
            .collect()
    }

    /// Writes an object straight into `bucket`, as a process that died mid-upload would leave it.
    pub async fn put(&self, bucket: &str, key: &str, bytes: Vec<u8>) {
        let response = reqwest::Client::new()
            .put(format!("{}/{bucket}/{key}", self.endpoint))
            .body(bytes)
            .send()
            .await
            .expect("put an object");
        assert!(response.status().is_success(), "put {key}: {}", response.status());
    }
}
