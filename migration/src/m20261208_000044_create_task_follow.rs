//! Leaders' and the office's watch list (关注): who follows which task, since when, and up to
//! when they have seen its changes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TaskFollow::Table)
                    .col(integer(TaskFollow::UserId))
                    .col(integer(TaskFollow::TaskId))
                    .col(timestamp_with_time_zone(TaskFollow::FollowedAt))
                    .col(timestamp_with_time_zone(TaskFollow::SeenAt))
                    .primary_key(Index::create().name("pk-task_follow").col(TaskFollow::UserId).col(TaskFollow::TaskId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-task_follow-user_id")
                            .from(TaskFollow::Table, TaskFollow::UserId)
                            .to(Alias::new("app_user"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-task_follow-task_id")
                            .from(TaskFollow::Table, TaskFollow::TaskId)
                            .to(Alias::new("task"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Deleting a task finds its followers.
        manager.create_index(crate::index_on(TaskFollow::Table, TaskFollow::TaskId, "idx-task_follow-task_id")).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(TaskFollow::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum TaskFollow {
    Table,
    UserId,
    TaskId,
    FollowedAt,
    SeenAt,
}
