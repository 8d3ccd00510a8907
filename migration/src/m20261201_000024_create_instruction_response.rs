//! What the lead unit did about an instruction (落实情况); instructions and responses form a
//! thread on the task.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(InstructionResponse::Table)
                    .col(pk_auto(InstructionResponse::Id))
                    .col(integer(InstructionResponse::InstructionId))
                    .col(integer(InstructionResponse::DepartmentId))
                    .col(integer(InstructionResponse::AuthorId))
                    .col(text(InstructionResponse::Text))
                    .col(timestamp_with_time_zone(InstructionResponse::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-instruction_response-instruction_id")
                            .from(InstructionResponse::Table, InstructionResponse::InstructionId)
                            .to(Alias::new("instruction"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-instruction_response-department_id")
                            .from(InstructionResponse::Table, InstructionResponse::DepartmentId)
                            .to(Alias::new("department"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-instruction_response-author_id")
                            .from(InstructionResponse::Table, InstructionResponse::AuthorId)
                            .to(Alias::new("app_user"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx-instruction_response-instruction_id")
                    .table(InstructionResponse::Table)
                    .col(InstructionResponse::InstructionId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(InstructionResponse::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum InstructionResponse {
    Table,
    Id,
    InstructionId,
    DepartmentId,
    AuthorId,
    Text,
    CreatedAt,
}
