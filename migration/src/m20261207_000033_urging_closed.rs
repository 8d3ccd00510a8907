//! When an urging was closed without an answer: its task was closed (approved or archived), so
//! nothing is left for the unit to answer.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::add_columns(manager, Urging::Table, vec![timestamp_with_time_zone_null(Urging::ClosedAt)]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::drop_columns(manager, Urging::Table, &[Urging::ClosedAt]).await
    }
}

#[derive(DeriveIden, Clone)]
enum Urging {
    Table,
    ClosedAt,
}
