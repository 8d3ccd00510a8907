use super::m20261128_000002_create_department::Department;
use super::m20261128_000005_create_task::Task;
use super::m20261128_000007_create_app_user::AppUser;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProgressReport::Table)
                    .col(pk_auto(ProgressReport::Id))
                    .col(integer(ProgressReport::TaskId))
                    .col(integer(ProgressReport::DepartmentId))
                    .col(integer(ProgressReport::AuthorId))
                    .col(text(ProgressReport::Text))
                    .col(integer(ProgressReport::Percent))
                    .col(timestamp_with_time_zone(ProgressReport::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-progress_report-task_id")
                            .from(ProgressReport::Table, ProgressReport::TaskId)
                            .to(Task::Table, Task::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-progress_report-department_id")
                            .from(ProgressReport::Table, ProgressReport::DepartmentId)
                            .to(Department::Table, Department::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-progress_report-author_id")
                            .from(ProgressReport::Table, ProgressReport::AuthorId)
                            .to(AppUser::Table, AppUser::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // Newest-first listing per task.
        manager
            .create_index(
                Index::create()
                    .name("idx-progress_report-task_id-created_at")
                    .table(ProgressReport::Table)
                    .col(ProgressReport::TaskId)
                    .col(ProgressReport::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index_on(
                ProgressReport::Table,
                ProgressReport::DepartmentId,
                "idx-progress_report-department_id",
            ))
            .await?;
        manager
            .create_index(crate::index_on(
                ProgressReport::Table,
                ProgressReport::AuthorId,
                "idx-progress_report-author_id",
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ProgressReport::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone)]
pub enum ProgressReport {
    Table,
    Id,
    TaskId,
    DepartmentId,
    AuthorId,
    Text,
    Percent,
    CreatedAt,
}
