//! An extension request (延期申请): the lead unit asks, before the due date, with a reason, the
//! progress so far and a proposed date; the office approves (possibly with another date) or
//! rejects, with a comment. The due date at the time of asking is kept with it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ExtensionRequest::Table)
                    .col(pk_auto(ExtensionRequest::Id))
                    .col(integer(ExtensionRequest::TaskId))
                    .col(integer(ExtensionRequest::DepartmentId))
                    .col(integer(ExtensionRequest::RequestedBy))
                    .col(text(ExtensionRequest::Reason))
                    .col(text(ExtensionRequest::Progress))
                    .col(date_null(ExtensionRequest::CurrentDue))
                    .col(date(ExtensionRequest::ProposedDue))
                    .col(string_len(ExtensionRequest::Status, 16))
                    .col(integer_null(ExtensionRequest::DecidedBy))
                    .col(date_null(ExtensionRequest::DecidedDue))
                    .col(text_null(ExtensionRequest::Comment))
                    .col(timestamp_with_time_zone(ExtensionRequest::CreatedAt))
                    .col(timestamp_with_time_zone_null(ExtensionRequest::DecidedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-extension_request-task_id")
                            .from(ExtensionRequest::Table, ExtensionRequest::TaskId)
                            .to(Alias::new("task"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-extension_request-department_id")
                            .from(ExtensionRequest::Table, ExtensionRequest::DepartmentId)
                            .to(Alias::new("department"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-extension_request-requested_by")
                            .from(ExtensionRequest::Table, ExtensionRequest::RequestedBy)
                            .to(Alias::new("app_user"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-extension_request-decided_by")
                            .from(ExtensionRequest::Table, ExtensionRequest::DecidedBy)
                            .to(Alias::new("app_user"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx-extension_request-task_id-status")
                    .table(ExtensionRequest::Table)
                    .col(ExtensionRequest::TaskId)
                    .col(ExtensionRequest::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx-extension_request-status")
                    .table(ExtensionRequest::Table)
                    .col(ExtensionRequest::Status)
                    .to_owned(),
            )
            .await?;
        // One open request per task, even when two arrive at once.
        crate::run_all(
            manager,
            &["CREATE UNIQUE INDEX \"uniq-extension_request-pending-task_id\" ON extension_request (task_id) \
               WHERE status = 'PENDING'"
                .into()],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ExtensionRequest::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum ExtensionRequest {
    Table,
    Id,
    TaskId,
    DepartmentId,
    RequestedBy,
    Reason,
    Progress,
    CurrentDue,
    ProposedDue,
    Status,
    DecidedBy,
    DecidedDue,
    Comment,
    CreatedAt,
    DecidedAt,
}
