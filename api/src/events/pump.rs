//! The pump: reads the audit trail past the last entry it handed out and broadcasts it.

use super::Entry;
use crate::domain::audit::CHANNEL;
use entity::audit_entry;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, broadcast};

/// Entries read per statement.
const BATCH: u64 = 500;

/// How often the pump looks without being woken: soon on SQLite (a command-line write wakes
/// no one), rarely on PostgreSQL (a safety net behind LISTEN).
fn fallback(backend: DbBackend) -> Duration {
    match backend {
        DbBackend::Postgres => Duration::from_secs(5),
        _ => Duration::from_millis(250),
    }
}

pub(super) async fn run(
    db: DatabaseConnection,
    sender: broadcast::Sender<Entry>,
    wake: Arc<Notify>,
    hooks: Vec<super::Hook>,
    progress: tokio::sync::watch::Sender<i32>,
) {
    let backend = db.get_database_backend();
    let mut last = loop {
        match head(&db).await {
            Ok(id) => break id,
            Err(error) => {
                tracing::warn!(%error, "the event pump cannot read the audit trail yet");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    };
    progress.send_replace(last);
    let mut listener = Listener::new(&db).await;
    loop {
        tokio::select! {
            () = wake.notified() => {}
            () = listener.notified() => {}
            () = tokio::time::sleep(fallback(backend)) => {}
        }
        match drain(&db, &sender, &hooks, last).await {
            Ok(id) => {
                last = id;
                progress.send_replace(last);
            }
            Err(error) => tracing::warn!(%error, "the event pump could not read the audit trail"),
        }
    }
}

/// The last entry's id (0 for an empty trail).
async fn head(db: &DatabaseConnection) -> Result<i32, sea_orm::DbErr> {
    let id = audit_entry::Entity::find()
        .select_only()
        .column(audit_entry::Column::Id)
        .order_by_desc(audit_entry::Column::Id)
        .limit(1)
        .into_tuple::<i32>()
        .one(db)
        .await?;
    Ok(id.unwrap_or(0))
}

/// Broadcasts every entry after `last`; returns the new last id.
async fn drain(
    db: &DatabaseConnection,
    sender: &broadcast::Sender<Entry>,
    hooks: &[super::Hook],
    mut last: i32,
) -> Result<i32, sea_orm::DbErr> {
    loop {
        let query = audit_entry::Entity::find()
            .filter(audit_entry::Column::Id.gt(last))
            .order_by_asc(audit_entry::Column::Id)
            .limit(BATCH)
            .into_query();
        let statement = crate::domain::plan_cache::build(db.get_database_backend(), &query);
        let batch = audit_entry::Entity::find().from_raw_sql(statement).all(db).await?;
        let full = batch.len() as u64 == BATCH;
        for entry in batch {
            last = entry.id;
            for hook in hooks {
                hook(&entry);
            }
            // No subscriber is not an error: the entry is simply not wanted now.
            let _ = sender.send(Arc::new(entry));
        }
        if !full {
            return Ok(last);
        }
    }
}

/// PostgreSQL's notifications on the trail's channel; nothing on SQLite.
struct Listener {
    inner: Option<sea_orm::sqlx::postgres::PgListener>,
}

impl Listener {
    async fn new(db: &DatabaseConnection) -> Listener {
        if db.get_database_backend() != DbBackend::Postgres {
            return Listener { inner: None };
        }
        let pool = db.get_postgres_connection_pool();
        match sea_orm::sqlx::postgres::PgListener::connect_with(pool).await {
            Ok(mut listener) => match listener.listen(CHANNEL).await {
                Ok(()) => Listener { inner: Some(listener) },
                Err(error) => {
                    tracing::warn!(%error, "cannot LISTEN for audit trail events; polling instead");
                    Listener { inner: None }
                }
            },
            Err(error) => {
                tracing::warn!(%error, "cannot open the listener connection; polling instead");
                Listener { inner: None }
            }
        }
    }

    /// Resolves at the next notification (never, without a listener). A lost connection is
    /// reopened by sqlx on the next receive; what was missed meanwhile is read by the drain.
    async fn notified(&mut self) {
        match &mut self.inner {
            Some(listener) => {
                if let Err(error) = listener.recv().await {
                    tracing::warn!(%error, "the audit trail listener lost its connection");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
            None => std::future::pending().await,
        }
    }
}
