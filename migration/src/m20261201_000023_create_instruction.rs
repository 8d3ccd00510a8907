//! A leader's written instruction on a task (领导批示).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Instruction::Table)
                    .col(pk_auto(Instruction::Id))
                    .col(integer(Instruction::TaskId))
                    .col(integer(Instruction::AuthorId))
                    .col(text(Instruction::Text))
                    .col(timestamp_with_time_zone(Instruction::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-instruction-task_id")
                            .from(Instruction::Table, Instruction::TaskId)
                            .to(Alias::new("task"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-instruction-author_id")
                            .from(Instruction::Table, Instruction::AuthorId)
                            .to(Alias::new("app_user"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx-instruction-task_id")
                    .table(Instruction::Table)
                    .col(Instruction::TaskId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx-instruction-author_id")
                    .table(Instruction::Table)
                    .col(Instruction::AuthorId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Instruction::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Instruction {
    Table,
    Id,
    TaskId,
    AuthorId,
    Text,
    CreatedAt,
}
