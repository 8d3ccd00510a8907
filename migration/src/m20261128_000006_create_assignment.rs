use super::m20261128_000002_create_department::Department;
use super::m20261128_000005_create_task::Task;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(create_statement(Assignment::Table)).await?;
        create_indexes(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Assignment::Table).to_owned()).await
    }
}

/// The table as this migration made it, under the name `table` (migration 13 rebuilds it on
/// SQLite, where a table's foreign keys can only change by copying it).
pub(crate) fn create_statement<T: IntoIden + Clone + 'static>(table: T) -> TableCreateStatement {
    Table::create()
        .table(table.clone())
        .col(pk_auto(Assignment::Id))
        .col(integer(Assignment::TaskId))
        .col(integer(Assignment::DepartmentId))
        .col(string_len(Assignment::Role, 16))
        .col(integer(Assignment::Position))
        .foreign_key(
            ForeignKey::create()
                .name("fk-assignment-task_id")
                .from(table.clone(), Assignment::TaskId)
                .to(Task::Table, Task::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(
            ForeignKey::create()
                .name("fk-assignment-department_id")
                .from(table, Assignment::DepartmentId)
                .to(Department::Table, Department::Id)
                .on_delete(ForeignKeyAction::Restrict),
        )
        .to_owned()
}

/// The indexes of `assignment` this migration made.
pub(crate) async fn create_indexes(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_index(
            Index::create()
                .name("uq-assignment-task_id-department_id")
                .table(Assignment::Table)
                .col(Assignment::TaskId)
                .col(Assignment::DepartmentId)
                .unique()
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("idx-assignment-department_id-role")
                .table(Assignment::Table)
                .col(Assignment::DepartmentId)
                .col(Assignment::Role)
                .to_owned(),
        )
        .await
}

#[derive(DeriveIden, Clone)]
enum Assignment {
    Table,
    Id,
    TaskId,
    DepartmentId,
    Role,
    Position,
}
