//! A live connection's sign-in (a WebSocket): who it signed in as, whether its credential still
//! stands (checked again whenever the trail says a credential may have changed, see
//! `audit::Names::touch_credentials`), and when the connection must end. Transport keeps the
//! socket; the rules of the session live here.

use std::sync::Arc;

/// Checks whether a connection's credential still works.
pub type CredentialCheck = Box<dyn Fn() -> futures_util::future::BoxFuture<'static, bool> + Send + Sync>;

/// What a WebSocket connection knows of its subscriber: once signed in (`connection_init`), it
/// checks the credential again whenever an entry may have revoked it, and ends the connection
/// when it no longer works (or expires).
pub struct Session {
    check: std::sync::OnceLock<CredentialCheck>,
    who: std::sync::OnceLock<SignedIn>,
    ended: tokio::sync::watch::Sender<bool>,
}

/// Who a connection signed in as: every operation on it runs as this viewer, with this
/// credential, as long as the credential still stands for it.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub viewer: crate::policy::Viewer,
    pub credential: Option<crate::domain::Stamp>,
}

impl Default for Session {
    fn default() -> Self {
        Session {
            check: std::sync::OnceLock::new(),
            who: std::sync::OnceLock::new(),
            ended: tokio::sync::watch::Sender::new(false),
        }
    }
}

impl Session {
    /// The connection signed in as `who`: `check` says whether the credential still works, and
    /// it stops working at `expires_at` (Unix seconds) if it has one.
    pub fn signed_in(self: &Arc<Self>, who: SignedIn, check: CredentialCheck, expires_at: Option<i64>) {
        let _ = self.who.set(who);
        let _ = self.check.set(check);
        if let Some(at) = expires_at {
            let left = (at - chrono::Utc::now().timestamp()).max(0) as u64;
            let session = Arc::clone(self);
            tokio::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_secs(left)).await;
                session.end();
            });
        }
    }

    /// Who the connection signed in as; `None` before `connection_init` succeeded.
    pub fn who(&self) -> Option<&SignedIn> {
        self.who.get()
    }

    /// Checks the credential again; ends the session when it no longer works.
    pub async fn still_valid(&self) -> bool {
        if *self.ended.borrow() {
            return false;
        }
        let valid = match self.check.get() {
            Some(check) => check().await,
            None => false,
        };
        if !valid {
            self.end();
        }
        valid
    }

    /// Ends the session: the connection closes.
    pub fn end(&self) {
        self.ended.send_replace(true);
    }

    /// Resolves once the session ended.
    pub async fn ended(&self) {
        let mut watch = self.ended.subscribe();
        let _ = watch.wait_for(|ended| *ended).await;
    }
}
