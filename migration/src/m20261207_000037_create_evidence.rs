//! Files of evidence (佐证材料) behind reports, completion reports, answers to urgings and
//! responses to instructions. The bytes are in object storage; a row is written only once its
//! object is stored, and a staged row with no target is swept after a day.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Evidence::Table)
                    .col(pk_auto(Evidence::Id))
                    .col(string_len_uniq(Evidence::StorageKey, 200))
                    .col(string_len(Evidence::FileName, 255))
                    .col(string_len(Evidence::ContentType, 120))
                    .col(big_integer(Evidence::ByteSize))
                    .col(string_len(Evidence::Sha256, 64))
                    .col(integer(Evidence::DepartmentId))
                    .col(integer(Evidence::UploadedBy))
                    .col(timestamp_with_time_zone(Evidence::UploadedAt))
                    .col(integer_null(Evidence::TaskId))
                    .col(string_len_null(Evidence::Target, 24))
                    .col(integer_null(Evidence::TargetId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-evidence-task_id")
                            .from(Evidence::Table, Evidence::TaskId)
                            .to(Alias::new("task"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-evidence-department_id")
                            .from(Evidence::Table, Evidence::DepartmentId)
                            .to(Alias::new("department"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-evidence-uploaded_by")
                            .from(Evidence::Table, Evidence::UploadedBy)
                            .to(Alias::new("app_user"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx-evidence-target")
                    .table(Evidence::Table)
                    .col(Evidence::Target)
                    .col(Evidence::TargetId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx-evidence-task_id").table(Evidence::Table).col(Evidence::TaskId).to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Evidence::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Evidence {
    Table,
    Id,
    StorageKey,
    FileName,
    ContentType,
    ByteSize,
    Sha256,
    DepartmentId,
    UploadedBy,
    UploadedAt,
    TaskId,
    Target,
    TargetId,
}
