//! A lead unit's completion report (办结报告) and the office's review of it: approved, or
//! returned (退回重办) with the reason; PENDING until reviewed.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CompletionReport::Table)
                    .col(pk_auto(CompletionReport::Id))
                    .col(integer(CompletionReport::TaskId))
                    .col(integer(CompletionReport::DepartmentId))
                    .col(integer(CompletionReport::AuthorId))
                    .col(text(CompletionReport::Text))
                    .col(timestamp_with_time_zone(CompletionReport::CreatedAt))
                    .col(string_len(CompletionReport::Decision, 16))
                    .col(integer_null(CompletionReport::DecidedBy))
                    .col(timestamp_with_time_zone_null(CompletionReport::DecidedAt))
                    .col(text_null(CompletionReport::Reason))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-completion_report-task_id")
                            .from(CompletionReport::Table, CompletionReport::TaskId)
                            .to(Alias::new("task"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-completion_report-department_id")
                            .from(CompletionReport::Table, CompletionReport::DepartmentId)
                            .to(Alias::new("department"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-completion_report-author_id")
                            .from(CompletionReport::Table, CompletionReport::AuthorId)
                            .to(Alias::new("app_user"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-completion_report-decided_by")
                            .from(CompletionReport::Table, CompletionReport::DecidedBy)
                            .to(Alias::new("app_user"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx-completion_report-task_id")
                    .table(CompletionReport::Table)
                    .col(CompletionReport::TaskId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx-completion_report-decision")
                    .table(CompletionReport::Table)
                    .col(CompletionReport::Decision)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(CompletionReport::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum CompletionReport {
    Table,
    Id,
    TaskId,
    DepartmentId,
    AuthorId,
    Text,
    CreatedAt,
    Decision,
    DecidedBy,
    DecidedAt,
    Reason,
}
