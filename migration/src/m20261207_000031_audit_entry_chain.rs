//! How an audit entry was hashed: `chain` is NULL for entries written before the trail was
//! keyed (plain SHA-256), and `hmac:` with the key's id for entries hashed with HMAC-SHA256
//! under `DUBAN_AUDIT_KEY`. The key itself never reaches the database.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::add_columns(manager, AuditEntry::Table, vec![string_len_null(AuditEntry::Chain, 32)]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::drop_columns(manager, AuditEntry::Table, &[AuditEntry::Chain]).await
    }
}

#[derive(DeriveIden, Clone)]
enum AuditEntry {
    Table,
    Chain,
}
