//! A plan's default reporting rule (`MONTHLY:25`, `QUARTERLY:5`, `WEEKLY:5`, `YEARLY:12-31`,
//! `NONE`); a task may override it. Null: none.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::add_columns(manager, Document::Table, vec![string_len_null(Document::ReportRule, 32)]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::drop_columns(manager, Document::Table, &[Document::ReportRule]).await
    }
}

#[derive(DeriveIden, Clone)]
enum Document {
    Table,
    ReportRule,
}
