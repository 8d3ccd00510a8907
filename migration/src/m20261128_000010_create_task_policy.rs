use super::m20261128_000005_create_task::Task;
use super::m20261128_000009_create_policy_event::PolicyEvent;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TaskPolicy::Table)
                    .col(integer(TaskPolicy::TaskId))
                    .col(string_len(TaskPolicy::Level, 16))
                    .col(integer(TaskPolicy::PolicyEventId))
                    .primary_key(Index::create().name("pk-task_policy").col(TaskPolicy::TaskId).col(TaskPolicy::Level))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-task_policy-task_id")
                            .from(TaskPolicy::Table, TaskPolicy::TaskId)
                            .to(Task::Table, Task::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-task_policy-policy_event_id")
                            .from(TaskPolicy::Table, TaskPolicy::PolicyEventId)
                            .to(PolicyEvent::Table, PolicyEvent::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index_on(
                TaskPolicy::Table,
                TaskPolicy::PolicyEventId,
                "idx-task_policy-policy_event_id",
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(TaskPolicy::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone)]
enum TaskPolicy {
    Table,
    TaskId,
    Level,
    PolicyEventId,
}
