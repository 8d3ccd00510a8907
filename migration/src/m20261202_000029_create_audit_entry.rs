//! The audit trail (留痕): one row per changed entity, written in the change's transaction,
//! append-only. Who (account, service token, client address), what (entity, id, operation,
//! action), the fields before and after (JSON, secrets left out), and a hash chain: each row
//! carries the hash of the one before it, so an edited or removed row breaks the chain at the
//! first entry after it (`duban audit verify`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditEntry::Table)
                    .col(pk_auto(AuditEntry::Id))
                    .col(timestamp_with_time_zone(AuditEntry::At))
                    .col(string_len(AuditEntry::ActorKind, 16))
                    .col(integer_null(AuditEntry::ActorId))
                    .col(integer_null(AuditEntry::ServiceTokenId))
                    .col(string_len_null(AuditEntry::ClientAddress, 64))
                    .col(string_len(AuditEntry::Operation, 64))
                    .col(string_len(AuditEntry::Entity, 32))
                    .col(integer(AuditEntry::EntityId))
                    .col(integer_null(AuditEntry::TaskId))
                    .col(string_len(AuditEntry::Action, 16))
                    .col(text_null(AuditEntry::Before))
                    .col(text_null(AuditEntry::After))
                    .col(string_len(AuditEntry::PrevHash, 64))
                    .col(string_len(AuditEntry::Hash, 64))
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("idx-audit_entry-task_id-id", vec![AuditEntry::TaskId, AuditEntry::Id]),
            ("idx-audit_entry-entity-entity_id", vec![AuditEntry::Entity, AuditEntry::EntityId]),
            ("idx-audit_entry-actor_id-id", vec![AuditEntry::ActorId, AuditEntry::Id]),
            ("idx-audit_entry-at", vec![AuditEntry::At]),
        ] {
            let mut index = Index::create();
            index.name(name).table(AuditEntry::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AuditEntry::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone)]
enum AuditEntry {
    Table,
    Id,
    At,
    ActorKind,
    ActorId,
    ServiceTokenId,
    ClientAddress,
    Operation,
    Entity,
    EntityId,
    TaskId,
    Action,
    Before,
    After,
    PrevHash,
    Hash,
}
