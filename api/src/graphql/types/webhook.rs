//! Webhooks and their delivery log.

use crate::domain::webhooks::{dispatch, events};
use crate::graphql::context;
use crate::graphql::loaders::load_failed;
use crate::graphql::scalars::DateTime;
use crate::graphql::types::User;
use crate::graphql::types::enums::{DeliveryStatus, WebhookEvent};
use async_graphql::{Context, ID, Json, Object, Result, SimpleObject};
use entity::{webhook, webhook_delivery};

pub struct Webhook(pub webhook::Model);

/// An endpoint that receives events, signed with its secret.
#[Object]
impl Webhook {
    /// Stable identifier.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Where deliveries are POSTed.
    async fn url(&self) -> &str {
        &self.0.url
    }
    /// The event kinds it receives.
    async fn events(&self) -> Vec<WebhookEvent> {
        events::load(&self.0.events).into_iter().map(WebhookEvent::from).collect()
    }
    /// The account whose view the events follow.
    async fn owner(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        Ok(context::loaders(ctx).users.load_one(self.0.owner_id).await.map_err(load_failed)?.map(User))
    }
    /// Whether deliveries are made.
    async fn active(&self) -> bool {
        self.0.active
    }
    /// When it was registered.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// A webhook just registered, with its signing secret (shown this once).
#[derive(SimpleObject)]
pub struct CreateWebhookPayload {
    /// The webhook.
    pub webhook: Webhook,
    /// The HMAC-SHA256 key of its `Duban-Signature` header (`whsec_…`); it cannot be read again.
    pub secret: String,
}

pub struct WebhookDelivery(pub webhook_delivery::Model);

/// One event sent (or to send) to a webhook.
#[Object]
impl WebhookDelivery {
    /// Stable identifier (the `Duban-Delivery` header).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The event kind (the `Duban-Event` header).
    async fn event(&self) -> Result<WebhookEvent> {
        let kind = events::EventKind::from_code(&self.0.event).ok_or_else(|| {
            use async_graphql::ErrorExtensions;
            let cause = anyhow::anyhow!("delivery {} of an unknown event {:?}", self.0.id, self.0.event);
            crate::error::AppError::internal(cause).extend()
        });
        Ok(kind?.into())
    }
    /// The audit trail entry it tells of.
    async fn entry_id(&self) -> ID {
        ID(self.0.audit_entry_id.to_string())
    }
    /// The JSON body sent.
    async fn payload(&self) -> Option<Json<serde_json::Value>> {
        serde_json::from_str(&self.0.payload).ok().map(Json)
    }
    /// Where the delivery stands.
    async fn status(&self) -> Result<DeliveryStatus> {
        let status = dispatch::Status::parse(&self.0.status).ok_or_else(|| {
            use async_graphql::ErrorExtensions;
            let cause = anyhow::anyhow!("delivery {} with an unknown status {:?}", self.0.id, self.0.status);
            crate::error::AppError::internal(cause).extend()
        });
        Ok(status?.into())
    }
    /// How many times it was sent.
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    /// The HTTP status of the last answer.
    async fn last_status_code(&self) -> Option<i32> {
        self.0.last_status_code
    }
    /// Why the last attempt failed, as a code: `HTTP_STATUS` (see `lastStatusCode`),
    /// `TIMED_OUT`, `CONNECT_FAILED`, `REQUEST_FAILED`, `DESTINATION_REFUSED` (an address
    /// webhooks may not reach; not retried) or `WEBHOOK_GONE`.
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    /// When it is tried next (while pending).
    async fn next_attempt_at(&self) -> DateTime {
        DateTime(self.0.next_attempt_at)
    }
    /// When it was delivered.
    async fn delivered_at(&self) -> Option<DateTime> {
        self.0.delivered_at.map(DateTime)
    }
    /// When the event was queued.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}
