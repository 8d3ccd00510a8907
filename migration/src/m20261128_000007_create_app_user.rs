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
                    .table(AppUser::Table)
                    .col(pk_auto(AppUser::Id))
                    .col(string(AppUser::Username))
                    .col(string(AppUser::PasswordHash))
                    .col(string_len(AppUser::Role, 16))
                    .col(integer_null(AppUser::DepartmentId))
                    .col(boolean(AppUser::Active).default(true))
                    .col(integer(AppUser::TokenVersion).default(1))
                    .col(timestamp_with_time_zone(AppUser::CreatedAt))
                    .col(timestamp_with_time_zone(AppUser::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-app_user-department_id")
                            .from(AppUser::Table, AppUser::DepartmentId)
                            .to(Department::Table, Department::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq-app_user-username")
                    .table(AppUser::Table)
                    .col(AppUser::Username)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager.create_index(crate::index_on(AppUser::Table, AppUser::DepartmentId, "idx-app_user-department_id")).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AppUser::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
pub enum AppUser {
    Table,
    Id,
    Username,
    PasswordHash,
    Role,
    DepartmentId,
    Active,
    TokenVersion,
    CreatedAt,
    UpdatedAt,
}
