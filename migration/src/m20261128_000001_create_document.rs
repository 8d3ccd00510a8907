use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Document::Table)
                    .col(pk_auto(Document::Id))
                    .col(string_null(Document::DocNumber))
                    .col(text(Document::Title))
                    .col(string_null(Document::Issuer))
                    .col(date_null(Document::IssuedOn))
                    .col(timestamp_with_time_zone(Document::CreatedAt))
                    .col(timestamp_with_time_zone(Document::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq-document-doc_number")
                    .table(Document::Table)
                    .col(Document::DocNumber)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Document::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
pub enum Document {
    Table,
    Id,
    DocNumber,
    Title,
    Issuer,
    IssuedOn,
    CreatedAt,
    UpdatedAt,
}
