//! Registering webhooks and asking for a redelivery.

use crate::domain::webhooks::destination::Destinations;
use crate::domain::webhooks::{self, NewWebhook, events};
use crate::error::IntoGql;
use crate::graphql::context::{self, parse_id, parse_opt_id};
use crate::graphql::types::enums::WebhookEvent;
use crate::graphql::types::webhook::{CreateWebhookPayload, Webhook, WebhookDelivery};
use async_graphql::{Context, ID, InputObject, Object, Result};

/// A webhook to register.
#[derive(InputObject)]
pub struct WebhookInput {
    /// The `http://` or `https://` endpoint deliveries are POSTed to.
    pub url: String,
    /// The event kinds to receive (see `Webhook.events`).
    pub events: Vec<WebhookEvent>,
    /// The account whose view the events follow (a SERVICE account of the caller's unit, or
    /// any account for an admin); the caller's own account when omitted.
    pub owner_id: Option<ID>,
}

#[derive(Default)]
pub struct WebhookMutation;

#[Object]
impl WebhookMutation {
    /// Registers a webhook; the answer carries its signing secret, shown this once.
    async fn create_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The webhook to register.")] input: WebhookInput,
    ) -> Result<CreateWebhookPayload> {
        let new = NewWebhook {
            url: input.url,
            events: input.events.into_iter().map(events::EventKind::from).collect(),
            owner_id: parse_opt_id(input.owner_id.as_ref()).gql()?,
        };
        let (hook, secret) =
            webhooks::create(context::db(ctx), context::caller(ctx), ctx.data_unchecked::<Destinations>(), new)
                .await
                .gql()?;
        Ok(CreateWebhookPayload { webhook: Webhook(hook), secret })
    }

    /// Removes a webhook and its delivery log.
    async fn delete_webhook(&self, ctx: &Context<'_>, #[graphql(desc = "The webhook.")] id: ID) -> Result<bool> {
        webhooks::delete(context::db(ctx), context::caller(ctx), parse_id(&id).gql()?).await.gql()?;
        Ok(true)
    }

    /// Sends a delivery again, now.
    async fn redeliver_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The delivery.")] delivery_id: ID,
    ) -> Result<WebhookDelivery> {
        let id = parse_id(&delivery_id).gql()?;
        Ok(WebhookDelivery(webhooks::redeliver(context::db(ctx), context::caller(ctx), id).await.gql()?))
    }
}
