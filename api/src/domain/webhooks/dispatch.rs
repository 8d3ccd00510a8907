//! Delivering webhook events, in two steps that any number of processes may run at once.
//!
//! 1. **Fan-out.** The audit trail is the outbox: its entries are committed with their changes.
//!    The fan-out reads the entries past `webhook_cursor`, decides for each active webhook
//!    whether its owner may see the entry and wants its kind, writes one delivery row per match
//!    and moves the cursor, in one transaction; the cursor moves only from the value it read, so
//!    two processes never both fan out the same entries.
//! 2. **Sending.** Due deliveries are claimed for a minute (`claimed_until`, `SKIP LOCKED` on
//!    PostgreSQL), sent with reqwest off the request path, signed ([`super::signature`]), and
//!    recorded: delivered, or failed with a code ([`Failure`], never the target's own words)
//!    and retried with exponential backoff for at most a day. A process that dies mid-send
//!    leaves a claim that lapses. Sends connect only to addresses [`super::destination`]
//!    permits, judged at each attempt; a refused destination is given up at once.

use super::destination::{self, Destinations, Guarded};
use super::events::{self, EventKind};
use super::signature;
use crate::domain::Caller;
use crate::domain::audit::timeline;
use crate::domain::clock::Clock;
use crate::domain::{documents, tasks};
use crate::error::AppResult;
use crate::policy::follow_up as visibility;
use crate::policy::{Principal, Viewer};
use chrono::{DateTime, Utc};
use entity::{UserRole, audit_entry, department, group_member, user, webhook, webhook_cursor, webhook_delivery};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, Statement,
};
use std::collections::HashMap;
use std::time::Duration;

/// Where a delivery stands (stored by its spelling).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// To send, or to retry.
    Pending,
    /// The endpoint answered 2xx.
    Delivered,
    /// Given up.
    Failed,
}

crate::domain::audit::names::spelled!(Status);

/// Entries fanned out per transaction.
const FAN_OUT_BATCH: u64 = 200;
/// Deliveries claimed at a time.
const SEND_BATCH: u64 = 16;
/// How long a claim holds: longer than a send may take (the timeout), so a claim lapses only
/// when its process died.
const CLAIM: chrono::Duration = chrono::Duration::seconds(15);

/// How deliveries are retried.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    /// The first wait; each further one doubles, up to an hour.
    pub base: Duration,
    /// After this long since the event, a delivery is given up (FAILED).
    pub give_up_after: chrono::Duration,
    /// Longest wait for an endpoint's answer.
    pub timeout: Duration,
}

impl Retry {
    pub fn with_base(base: Duration) -> Retry {
        Retry { base, give_up_after: chrono::Duration::hours(24), timeout: Duration::from_secs(10) }
    }

    /// The wait after the `attempts`-th failed attempt.
    pub fn backoff(&self, attempts: i32) -> Duration {
        let factor = 2_u32.saturating_pow(attempts.saturating_sub(1).clamp(0, 20) as u32);
        self.base.saturating_mul(factor).min(Duration::from_secs(3600))
    }
}

/// The client deliveries are sent with: names resolved through [`Guarded`] (only permitted
/// addresses), no redirects, no proxy (a proxy would be the address connected to).
pub fn client(retry: Retry, destinations: Destinations) -> reqwest::Result<Sender> {
    let client = reqwest::Client::builder()
        .timeout(retry.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .dns_resolver(std::sync::Arc::new(Guarded(destinations.clone())))
        .user_agent(concat!("duban-webhooks/", env!("CARGO_PKG_VERSION")))
        .build()?;
    Ok(Sender { client, destinations })
}

/// What sends deliveries: the client and the destinations it checks literal addresses against.
#[derive(Clone)]
pub struct Sender {
    client: reqwest::Client,
    destinations: Destinations,
}

/// Starts fan-out and sending in the background, woken by every entry the trail grows by
/// (`entries`, the event hub's) and by a timer.
pub fn start(
    db: DatabaseConnection,
    mut entries: tokio::sync::broadcast::Receiver<std::sync::Arc<entity::audit_entry::Model>>,
    retry: Retry,
    destinations: Destinations,
) {
    let client = match client(retry, destinations) {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "cannot build the webhook client; webhooks are not delivered");
            return;
        }
    };
    let (fan_db, send_db) = (db.clone(), db);
    let (sent_tx, mut sent_rx) = tokio::sync::mpsc::channel::<()>(1);
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = entries.recv() => {}
                () = tokio::time::sleep(Duration::from_secs(2)) => {}
            }
            match fan_out(&fan_db).await {
                Ok(0) => {}
                Ok(_) => {
                    let _ = sent_tx.try_send(());
                }
                Err(error) => tracing::warn!(%error, "webhook fan-out failed; retrying"),
            }
        }
    });
    tokio::spawn(async move {
        loop {
            let sent = match send_due(&send_db, &client, retry).await {
                Ok(n) => n,
                Err(error) => {
                    tracing::warn!(%error, "webhook sending failed; retrying");
                    0
                }
            };
            if sent == 0 {
                tokio::select! {
                    _ = sent_rx.recv() => {}
                    () = tokio::time::sleep(Duration::from_millis(250)) => {}
                }
            }
        }
    });
}

/// Reads the next entries past the cursor and writes their deliveries; returns how many.
pub async fn fan_out(db: &DatabaseConnection) -> AppResult<usize> {
    let txn = crate::db::begin_write(db).await?;
    let cursor = webhook_cursor::Entity::find_by_id(1).one(&txn).await?.map_or(0, |c| c.last_entry_id);
    let entries = audit_entry::Entity::find()
        .filter(audit_entry::Column::Id.gt(cursor))
        .order_by_asc(audit_entry::Column::Id)
        .limit(FAN_OUT_BATCH)
        .all(&txn)
        .await?;
    let Some(last) = entries.last().map(|e| e.id) else { return Ok(0) };
    let hooks = webhook::Entity::find().filter(webhook::Column::Active.eq(true)).all(&txn).await?;
    let mut rows = Vec::new();
    if !hooks.is_empty() {
        let owners = Owners::load(&txn, &hooks).await?;
        for entry in &entries {
            let kinds = events::kinds_of(entry);
            for hook in &hooks {
                let wanted = events::load(&hook.events);
                let Some(kind) = kinds.iter().copied().find(|k| wanted.contains(k)) else { continue };
                let Some(owner) = owners.caller(hook.owner_id) else { continue };
                if let Some(payload) = payload_for(&txn, owner, entry, kind).await? {
                    rows.push(webhook_delivery::ActiveModel {
                        webhook_id: Set(hook.id),
                        audit_entry_id: Set(entry.id),
                        event: Set(kind.code().to_owned()),
                        payload: Set(payload),
                        status: Set(Status::Pending.name().to_owned()),
                        attempts: Set(0),
                        next_attempt_at: Set(Utc::now()),
                        created_at: Set(Utc::now()),
                        ..Default::default()
                    });
                }
            }
        }
    }
    let moved = match webhook_cursor::Entity::find_by_id(1).one(&txn).await? {
        Some(_) => {
            webhook_cursor::Entity::update_many()
                .col_expr(webhook_cursor::Column::LastEntryId, Expr::value(last))
                .filter(webhook_cursor::Column::Id.eq(1))
                .filter(webhook_cursor::Column::LastEntryId.eq(cursor))
                .exec(&txn)
                .await?
                .rows_affected
        }
        None => {
            webhook_cursor::ActiveModel { id: Set(1), last_entry_id: Set(last) }.insert(&txn).await?;
            1
        }
    };
    if moved == 0 {
        // Another process fanned these entries out meanwhile.
        return Ok(0);
    }
    let count = rows.len();
    for chunk in rows.chunks(500) {
        webhook_delivery::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
    }
    sea_orm::TransactionSession::commit(txn).await?;
    Ok(count)
}

/// The owners of the webhooks as callers: their role, unit and the unit's groups.
struct Owners(HashMap<i32, Caller>);

impl Owners {
    async fn load(db: &impl ConnectionTrait, hooks: &[webhook::Model]) -> AppResult<Owners> {
        let ids: Vec<i32> = hooks.iter().map(|h| h.owner_id).collect();
        let accounts = user::Entity::find().filter(user::Column::Id.is_in(ids)).all(db).await?;
        let units: Vec<i32> = accounts.iter().filter_map(|a| a.department_id).collect();
        let groups = group_member::Entity::find().filter(group_member::Column::MemberId.is_in(units)).all(db).await?;
        let at = Clock::system().read();
        let callers = accounts
            .into_iter()
            .filter(|a| a.active)
            .map(|a| {
                let group_ids =
                    groups.iter().filter(|g| Some(g.member_id) == a.department_id).map(|g| g.group_id).collect();
                let principal = Principal { user_id: a.id, role: a.role, department_id: a.department_id, group_ids };
                (a.id, Caller::new(Viewer::User(principal), None, at))
            })
            .collect();
        Ok(Owners(callers))
    }

    fn caller(&self, id: i32) -> Option<&Caller> {
        self.0.get(&id)
    }
}

/// The JSON body of `entry` as `owner` may see it, or `None` when it may not.
async fn payload_for(
    db: &impl ConnectionTrait,
    owner: &Caller,
    entry: &audit_entry::Model,
    kind: EventKind,
) -> AppResult<Option<String>> {
    let private = visibility::visible_urgings(&owner.viewer);
    let unit = events::unit_of(entry);
    let table = crate::domain::audit::Table::parse(&entry.entity);
    if table == Some(crate::domain::audit::Table::Urging) && !unit.is_some_and(|u| private.includes(u)) {
        return Ok(None);
    }
    let mut task_json = serde_json::Value::Null;
    if let Some(task_id) = entry.task_id {
        let Some(task) = tasks::get(db, owner, task_id).await? else { return Ok(None) };
        if table == Some(crate::domain::audit::Table::ProgressReport)
            && !timeline::readable(entry, &timeline::readable_reports(db, &owner.viewer, task_id).await?)
        {
            return Ok(None);
        }
        task_json = serde_json::json!({
            "id": task.id.to_string(), "documentId": task.document_id.to_string(), "seq": task.seq,
            "title": task.title, "status": task.status, "dueDate": task.due_date,
        });
    } else if kind == EventKind::DocumentImported {
        if documents::get(db, owner, entry.entity_id).await?.is_none() {
            return Ok(None);
        }
    } else if !matches!(owner.viewer.principal().map(|p| p.role), Some(UserRole::Admin)) {
        return Ok(None);
    }
    let names: HashMap<i32, String> = match unit {
        Some(id) => department::Entity::find_by_id(id).one(db).await?.map(|d| (d.id, d.name)).into_iter().collect(),
        None => HashMap::new(),
    };
    let line = timeline::line(entry, &names, &private);
    if kind == EventKind::TaskChanged && line.is_none() {
        return Ok(None);
    }
    let body = serde_json::json!({
        "id": entry.id.to_string(),
        "event": kind.code(),
        "occurredAt": entry.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "operation": entry.operation,
        "entity": entry.entity,
        "entityId": entry.entity_id.to_string(),
        "action": entry.action,
        "task": task_json,
        "departmentId": unit.map(|u| u.to_string()),
        "code": line.as_ref().map(|l| l.code.name()),
        "text": line.map(|l| l.text),
    });
    Ok(Some(body.to_string()))
}

/// Claims the due deliveries and sends them; returns how many were tried.
pub async fn send_due(db: &DatabaseConnection, client: &Sender, retry: Retry) -> AppResult<usize> {
    let now = Utc::now();
    let claimed = claim(db, now).await?;
    if claimed.is_empty() {
        return Ok(0);
    }
    let hooks: HashMap<i32, webhook::Model> = webhook::Entity::find()
        .filter(webhook::Column::Id.is_in(claimed.iter().map(|d| d.webhook_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let sends = claimed.iter().map(|delivery| async {
        let outcome = match hooks.get(&delivery.webhook_id) {
            Some(hook) => send(client, hook, delivery).await,
            None => Err(Failure::WebhookGone),
        };
        record(db, delivery, outcome, retry).await
    });
    for result in futures_util::future::join_all(sends).await {
        result?;
    }
    Ok(claimed.len())
}

async fn claim(db: &DatabaseConnection, now: DateTime<Utc>) -> AppResult<Vec<webhook_delivery::Model>> {
    let backend = db.get_database_backend();
    let (lock, p) = match backend {
        DbBackend::Postgres => ("FOR UPDATE SKIP LOCKED", ["$1", "$2", "$3"]),
        _ => ("", ["?", "?", "?"]),
    };
    let sql = format!(
        "UPDATE webhook_delivery SET claimed_until = {claim} WHERE id IN (SELECT id FROM webhook_delivery \
         WHERE status = '{pending}' AND next_attempt_at <= {now} AND (claimed_until IS NULL OR claimed_until < {now2}) \
         ORDER BY id LIMIT {SEND_BATCH} {lock}) RETURNING *",
        pending = Status::Pending.name(),
        claim = p[0],
        now = p[1],
        now2 = p[2],
    );
    let statement = Statement::from_sql_and_values(backend, sql, [(now + CLAIM).into(), now.into(), now.into()]);
    let txn = crate::db::begin_write(db).await?;
    let rows = webhook_delivery::Entity::find().from_raw_sql(statement).all(&txn).await?;
    sea_orm::TransactionSession::commit(txn).await?;
    Ok(rows)
}

/// Why an attempt failed, as the delivery log says it: a code, and for an answer outside 2xx
/// its status; never the target's words (status text, body, the system's connection error),
/// which would make the log a scanner of whatever answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The endpoint answered with this status, outside 2xx.
    Status(u16),
    TimedOut,
    ConnectFailed,
    RequestFailed,
    /// The endpoint is, or its name resolves only to, an address webhooks may not reach.
    DestinationRefused,
    WebhookGone,
}

impl Failure {
    /// The code the log keeps (`WebhookDelivery.lastError`).
    pub fn code(self) -> &'static str {
        match self {
            Failure::Status(_) => "HTTP_STATUS",
            Failure::TimedOut => "TIMED_OUT",
            Failure::ConnectFailed => "CONNECT_FAILED",
            Failure::RequestFailed => "REQUEST_FAILED",
            Failure::DestinationRefused => "DESTINATION_REFUSED",
            Failure::WebhookGone => "WEBHOOK_GONE",
        }
    }

    /// A refusal is the server's own decision: trying again changes nothing until the
    /// operator allows the network, and then a redelivery is asked for.
    fn is_final(self) -> bool {
        matches!(self, Failure::DestinationRefused | Failure::WebhookGone)
    }
}

/// Sends one delivery: `Ok(status)` for a 2xx answer, else why not.
async fn send(sender: &Sender, hook: &webhook::Model, delivery: &webhook_delivery::Model) -> Result<u16, Failure> {
    let url = reqwest::Url::parse(&hook.url).map_err(|_| Failure::RequestFailed)?;
    // Names are judged by the resolver; a literal address never reaches it.
    sender.destinations.check_literal(&url).map_err(|_| Failure::DestinationRefused)?;
    let timestamp = Utc::now().timestamp();
    let body = delivery.payload.clone().into_bytes();
    let response = sender
        .client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(signature::HEADER, signature::sign(&hook.secret, timestamp, &body))
        .header("Duban-Event", &delivery.event)
        .header("Duban-Delivery", delivery.id.to_string())
        .body(body)
        .send()
        .await
        .map_err(|error| failure(&error))?;
    let status = response.status();
    if status.is_success() { Ok(status.as_u16()) } else { Err(Failure::Status(status.as_u16())) }
}

/// The code of a transport error.
fn failure(error: &reqwest::Error) -> Failure {
    if destination::is_refused(error) {
        Failure::DestinationRefused
    } else if error.is_timeout() {
        Failure::TimedOut
    } else if error.is_connect() {
        Failure::ConnectFailed
    } else {
        Failure::RequestFailed
    }
}

async fn record(
    db: &DatabaseConnection,
    delivery: &webhook_delivery::Model,
    outcome: Result<u16, Failure>,
    retry: Retry,
) -> AppResult<()> {
    let now = Utc::now();
    let attempts = delivery.attempts + 1;
    let mut model: webhook_delivery::ActiveModel = delivery.clone().into();
    model.attempts = Set(attempts);
    model.claimed_until = Set(None);
    match outcome {
        Ok(status) => {
            model.status = Set(Status::Delivered.name().to_owned());
            model.last_status_code = Set(Some(i32::from(status)));
            model.last_error = Set(None);
            model.delivered_at = Set(Some(now));
        }
        Err(failure) => {
            let next = now + chrono::Duration::from_std(retry.backoff(attempts)).unwrap_or(chrono::Duration::hours(1));
            let give_up = failure.is_final() || next > delivery.created_at + retry.give_up_after;
            model.status = Set(if give_up { Status::Failed } else { Status::Pending }.name().to_owned());
            let status = match failure {
                Failure::Status(status) => Some(i32::from(status)),
                _ => None,
            };
            model.last_status_code = Set(status);
            model.last_error = Set(Some(failure.code().to_owned()));
            model.next_attempt_at = Set(next);
        }
    }
    model.update(db).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_base_and_stops_at_an_hour() {
        let retry = Retry::with_base(Duration::from_secs(5));
        assert_eq!(retry.backoff(1), Duration::from_secs(5));
        assert_eq!(retry.backoff(2), Duration::from_secs(10));
        assert_eq!(retry.backoff(4), Duration::from_secs(40));
        assert_eq!(retry.backoff(30), Duration::from_secs(3600));
    }
}
