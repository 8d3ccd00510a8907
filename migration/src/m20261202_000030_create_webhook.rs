//! Webhooks for unit systems: an endpoint a SERVICE account (or the office) registers, the
//! events it wants, the secret deliveries are signed with; the delivery log (each event sent,
//! its attempts, the last status and error, when to try again); and the dispatcher's place in
//! the audit trail, which is the outbox: an event is an audit entry committed with its change,
//! so a process that dies after the commit loses nothing.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Webhook::Table)
                    .col(pk_auto(Webhook::Id))
                    .col(integer(Webhook::OwnerId))
                    .col(text(Webhook::Url))
                    .col(string_len(Webhook::Events, 400))
                    .col(string_len(Webhook::Secret, 128))
                    .col(boolean(Webhook::Active).default(true))
                    .col(timestamp_with_time_zone(Webhook::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-webhook-owner_id")
                            .from(Webhook::Table, Webhook::OwnerId)
                            .to(Alias::new("app_user"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDelivery::Table)
                    .col(pk_auto(WebhookDelivery::Id))
                    .col(integer(WebhookDelivery::WebhookId))
                    .col(integer(WebhookDelivery::AuditEntryId))
                    .col(string_len(WebhookDelivery::Event, 32))
                    .col(text(WebhookDelivery::Payload))
                    .col(string_len(WebhookDelivery::Status, 16))
                    .col(integer(WebhookDelivery::Attempts).default(0))
                    .col(timestamp_with_time_zone(WebhookDelivery::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(WebhookDelivery::ClaimedUntil))
                    .col(integer_null(WebhookDelivery::LastStatusCode))
                    .col(text_null(WebhookDelivery::LastError))
                    .col(timestamp_with_time_zone(WebhookDelivery::CreatedAt))
                    .col(timestamp_with_time_zone_null(WebhookDelivery::DeliveredAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-webhook_delivery-webhook_id")
                            .from(WebhookDelivery::Table, WebhookDelivery::WebhookId)
                            .to(Webhook::Table, Webhook::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx-webhook_delivery-status-next_attempt_at")
                    .table(WebhookDelivery::Table)
                    .col(WebhookDelivery::Status)
                    .col(WebhookDelivery::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx-webhook_delivery-webhook_id-id")
                    .table(WebhookDelivery::Table)
                    .col(WebhookDelivery::WebhookId)
                    .col(WebhookDelivery::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookCursor::Table)
                    .col(integer(WebhookCursor::Id).primary_key())
                    .col(integer(WebhookCursor::LastEntryId))
                    .to_owned(),
            )
            .await?;
        // The dispatcher starts from the end of the trail as it stands: a new webhook hears
        // about what happens from now on.
        crate::run_all(
            manager,
            &["INSERT INTO webhook_cursor (id, last_entry_id) SELECT 1, COALESCE(MAX(id), 0) FROM audit_entry".into()],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(WebhookCursor::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(WebhookDelivery::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Webhook::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Webhook {
    Table,
    Id,
    OwnerId,
    Url,
    Events,
    Secret,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WebhookDelivery {
    Table,
    Id,
    WebhookId,
    AuditEntryId,
    Event,
    Payload,
    Status,
    Attempts,
    NextAttemptAt,
    ClaimedUntil,
    LastStatusCode,
    LastError,
    CreatedAt,
    DeliveredAt,
}

#[derive(DeriveIden)]
enum WebhookCursor {
    Table,
    Id,
    LastEntryId,
}
