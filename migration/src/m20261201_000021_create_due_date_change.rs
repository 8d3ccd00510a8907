//! Every change of a task's due date: from what to what, why (an approved extension, an admin's
//! edit, a higher-level policy issued) and by whom. With the task's original due date this is
//! its `dueDateHistory`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DueDateChange::Table)
                    .col(pk_auto(DueDateChange::Id))
                    .col(integer(DueDateChange::TaskId))
                    .col(date_null(DueDateChange::OldDue))
                    .col(date_null(DueDateChange::NewDue))
                    .col(string_len(DueDateChange::Cause, 16))
                    .col(integer_null(DueDateChange::ExtensionRequestId))
                    .col(integer_null(DueDateChange::ChangedBy))
                    .col(timestamp_with_time_zone(DueDateChange::ChangedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-due_date_change-task_id")
                            .from(DueDateChange::Table, DueDateChange::TaskId)
                            .to(Alias::new("task"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-due_date_change-extension_request_id")
                            .from(DueDateChange::Table, DueDateChange::ExtensionRequestId)
                            .to(Alias::new("extension_request"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-due_date_change-changed_by")
                            .from(DueDateChange::Table, DueDateChange::ChangedBy)
                            .to(Alias::new("app_user"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx-due_date_change-task_id")
                    .table(DueDateChange::Table)
                    .col(DueDateChange::TaskId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(DueDateChange::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum DueDateChange {
    Table,
    Id,
    TaskId,
    OldDue,
    NewDue,
    Cause,
    ExtensionRequestId,
    ChangedBy,
    ChangedAt,
}
