//! An urging notice (催办) to one unit about one task: text, an optional reply-by date, and when
//! the unit read it and answered it (with what it is doing).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Urging::Table)
                    .col(pk_auto(Urging::Id))
                    .col(integer(Urging::TaskId))
                    .col(integer(Urging::DepartmentId))
                    .col(integer(Urging::SentBy))
                    .col(text(Urging::Text))
                    .col(date_null(Urging::ReplyBy))
                    .col(timestamp_with_time_zone(Urging::CreatedAt))
                    .col(timestamp_with_time_zone_null(Urging::ReadAt))
                    .col(timestamp_with_time_zone_null(Urging::AnsweredAt))
                    .col(text_null(Urging::Answer))
                    .col(integer_null(Urging::AnsweredBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-urging-task_id")
                            .from(Urging::Table, Urging::TaskId)
                            .to(Alias::new("task"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-urging-department_id")
                            .from(Urging::Table, Urging::DepartmentId)
                            .to(Alias::new("department"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-urging-sent_by")
                            .from(Urging::Table, Urging::SentBy)
                            .to(Alias::new("app_user"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-urging-answered_by")
                            .from(Urging::Table, Urging::AnsweredBy)
                            .to(Alias::new("app_user"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx-urging-task_id").table(Urging::Table).col(Urging::TaskId).to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx-urging-department_id-answered_at")
                    .table(Urging::Table)
                    .col(Urging::DepartmentId)
                    .col(Urging::AnsweredAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Urging::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Urging {
    Table,
    Id,
    TaskId,
    DepartmentId,
    SentBy,
    Text,
    ReplyBy,
    CreatedAt,
    ReadAt,
    AnsweredAt,
    Answer,
    AnsweredBy,
}
