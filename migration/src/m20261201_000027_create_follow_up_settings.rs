//! The office's follow-up thresholds, one row: when a due date counts as approaching (BLUE) or
//! urgent (YELLOW), how far behind the expected pace is YELLOW and RED, and how many working days
//! a unit has to sign for a task.

use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FollowUpSettings::Table)
                    .col(integer(FollowUpSettings::Id).primary_key())
                    .col(integer(FollowUpSettings::ApproachingDays))
                    .col(integer(FollowUpSettings::UrgentDays))
                    .col(integer(FollowUpSettings::PaceYellowPoints))
                    .col(integer(FollowUpSettings::PaceRedPoints))
                    .col(integer(FollowUpSettings::SignWorkingDays))
                    .to_owned(),
            )
            .await?;
        let defaults = Query::insert()
            .into_table(FollowUpSettings::Table)
            .columns([
                FollowUpSettings::Id,
                FollowUpSettings::ApproachingDays,
                FollowUpSettings::UrgentDays,
                FollowUpSettings::PaceYellowPoints,
                FollowUpSettings::PaceRedPoints,
                FollowUpSettings::SignWorkingDays,
            ])
            .values_panic([1.into(), 7.into(), 3.into(), 10.into(), 30.into(), 3.into()])
            .to_owned();
        manager.get_connection().execute(&defaults).await.map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(FollowUpSettings::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum FollowUpSettings {
    Table,
    Id,
    ApproachingDays,
    UrgentDays,
    PaceYellowPoints,
    PaceRedPoints,
    SignWorkingDays,
}
