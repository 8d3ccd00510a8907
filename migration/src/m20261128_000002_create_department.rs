use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Department::Table)
                    .col(pk_auto(Department::Id))
                    .col(string(Department::Name))
                    .col(string_len(Department::Kind, 16))
                    .col(boolean(Department::NeedsReview).default(false))
                    .col(timestamp_with_time_zone(Department::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq-department-name")
                    .table(Department::Table)
                    .col(Department::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager.create_index(crate::index_on(Department::Table, Department::Kind, "idx-department-kind")).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Department::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
pub enum Department {
    Table,
    Id,
    Name,
    Kind,
    NeedsReview,
    CreatedAt,
}
