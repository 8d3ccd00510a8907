use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PolicyEvent::Table)
                    .col(pk_auto(PolicyEvent::Id))
                    .col(string_len(PolicyEvent::Level, 16))
                    .col(text(PolicyEvent::Title))
                    .col(date(PolicyEvent::IssuedOn))
                    .col(timestamp_with_time_zone(PolicyEvent::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index_on(PolicyEvent::Table, PolicyEvent::IssuedOn, "idx-policy_event-issued_on"))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(PolicyEvent::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone)]
pub enum PolicyEvent {
    Table,
    Id,
    Level,
    Title,
    IssuedOn,
    CreatedAt,
}
