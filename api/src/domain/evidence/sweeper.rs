//! The server's sweep of evidence storage, every ten minutes: staged files never attached and
//! objects no row names (see [`super::sweep`]).

use super::Files;
use crate::domain::Caller;
use crate::domain::clock::Clock;
use sea_orm::DatabaseConnection;
use std::time::Duration;

/// How often the sweep runs.
const EVERY: Duration = Duration::from_secs(600);

/// An object no row names is swept once it is this old: an upload under way writes its object
/// a moment before its row.
pub fn grace() -> chrono::Duration {
    chrono::Duration::hours(1)
}

/// Starts the sweep in the background.
pub fn start(db: DatabaseConnection, files: Files, clock: Clock) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let caller = Caller::system(clock.read());
            match super::sweep(&db, &files, &caller, grace()).await {
                Ok(swept) if swept.staged + swept.orphans > 0 => {
                    tracing::info!(staged = swept.staged, orphans = swept.orphans, "evidence storage swept");
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(error = %error, "the evidence sweep failed; it runs again later"),
            }
        }
    });
}
