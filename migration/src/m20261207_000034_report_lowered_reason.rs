//! Why a unit's progress report gives a lower percent than its last one (a lower figure without
//! a word is refused).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::add_columns(manager, ProgressReport::Table, vec![text_null(ProgressReport::LoweredReason)]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::drop_columns(manager, ProgressReport::Table, &[ProgressReport::LoweredReason]).await
    }
}

#[derive(DeriveIden, Clone)]
enum ProgressReport {
    Table,
    LoweredReason,
}
