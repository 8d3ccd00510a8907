use super::m20261128_000001_create_document::Document;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DocumentSource::Table)
                    .col(integer(DocumentSource::DocumentId).primary_key())
                    .col(text(DocumentSource::Text))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-document_source-document_id")
                            .from(DocumentSource::Table, DocumentSource::DocumentId)
                            .to(Document::Table, Document::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(DocumentSource::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum DocumentSource {
    Table,
    DocumentId,
    Text,
}
