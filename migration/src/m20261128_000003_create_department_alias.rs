use super::m20261128_000002_create_department::Department;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DepartmentAlias::Table)
                    .col(pk_auto(DepartmentAlias::Id))
                    .col(string(DepartmentAlias::Alias))
                    .col(integer(DepartmentAlias::DepartmentId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-department_alias-department_id")
                            .from(DepartmentAlias::Table, DepartmentAlias::DepartmentId)
                            .to(Department::Table, Department::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq-department_alias-alias")
                    .table(DepartmentAlias::Table)
                    .col(DepartmentAlias::Alias)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index_on(
                DepartmentAlias::Table,
                DepartmentAlias::DepartmentId,
                "idx-department_alias-department_id",
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(DepartmentAlias::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum DepartmentAlias {
    Table,
    Id,
    Alias,
    DepartmentId,
}
