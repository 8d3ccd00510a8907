//! How many days the office leaves between two urgings of an overdue task's lead unit: past
//! them, the task is back on the office's list of what to urge (待催办).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let column = integer(FollowUpSettings::UrgeAgainDays).default(7).to_owned();
        crate::add_columns(manager, FollowUpSettings::Table, vec![column]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::drop_columns(manager, FollowUpSettings::Table, &[FollowUpSettings::UrgeAgainDays]).await
    }
}

#[derive(DeriveIden, Clone)]
enum FollowUpSettings {
    Table,
    UrgeAgainDays,
}
