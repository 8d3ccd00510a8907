//! The office's default period for a task that waits for a higher-level policy and names no
//! period of its own ("省出台办法后完成"): its due date is the policy's issue date plus this many
//! months, to be confirmed by the office.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let column = integer(FollowUpSettings::PolicyDefaultMonths).default(3).to_owned();
        crate::add_columns(manager, FollowUpSettings::Table, vec![column]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::drop_columns(manager, FollowUpSettings::Table, &[FollowUpSettings::PolicyDefaultMonths]).await
    }
}

#[derive(DeriveIden, Clone)]
enum FollowUpSettings {
    Table,
    PolicyDefaultMonths,
}
