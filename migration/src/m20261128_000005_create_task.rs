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
                    .table(Task::Table)
                    .col(pk_auto(Task::Id))
                    .col(integer(Task::DocumentId))
                    .col(integer(Task::Seq))
                    .col(text(Task::Title))
                    .col(text(Task::Measures))
                    .col(text(Task::ScheduleText))
                    .col(string_len(Task::ScheduleKind, 16))
                    .col(date_null(Task::DueDate))
                    .col(boolean(Task::Ongoing).default(false))
                    .col(string_null(Task::WaitingFor))
                    .col(integer_null(Task::OffsetMonths))
                    .col(integer_null(Task::OffsetDays))
                    .col(string_len(Task::Status, 16))
                    .col(integer(Task::Version).default(1))
                    .col(timestamp_with_time_zone(Task::CreatedAt))
                    .col(timestamp_with_time_zone(Task::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-task-document_id")
                            .from(Task::Table, Task::DocumentId)
                            .to(Document::Table, Document::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Also serves every lookup by document_id and the (document, seq) ordering.
        manager
            .create_index(
                Index::create()
                    .name("uq-task-document_id-seq")
                    .table(Task::Table)
                    .col(Task::DocumentId)
                    .col(Task::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        for (column, name) in [
            (Task::DueDate, "idx-task-due_date"),
            (Task::ScheduleKind, "idx-task-schedule_kind"),
            (Task::Status, "idx-task-status"),
        ] {
            manager.create_index(crate::index_on(Task::Table, column, name)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Task::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone)]
pub enum Task {
    Table,
    Id,
    DocumentId,
    Seq,
    Title,
    Measures,
    ScheduleText,
    ScheduleKind,
    DueDate,
    Ongoing,
    WaitingFor,
    OffsetMonths,
    OffsetDays,
    Status,
    Version,
    CreatedAt,
    UpdatedAt,
}
