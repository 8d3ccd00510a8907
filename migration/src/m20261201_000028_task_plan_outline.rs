//! What a plan says about a task beyond the reference table: its numbering as written
//! (`一、(二)3`), the task it is a sub-measure of, the person in charge (分管领导: a name, never a
//! unit), which text its schedule was read from, and whether its list of units ends with `等`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const PARENT_FK: &str = "fk-task-parent_id";
const PARENT_INDEX: &str = "idx-task-parent_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = vec![
            ColumnDef::new(Task::ParentId).integer().null().to_owned(),
            string_len_null(Task::Number, 32),
            string_len_null(Task::Leader, 200),
            string_len_null(Task::ScheduleSource, 16),
            boolean(Task::UnitsNotExhaustive).default(false).to_owned(),
        ];
        crate::add_columns(manager, Task::Table, columns).await?;
        if manager.get_database_backend() != sea_orm_migration::sea_orm::DbBackend::Sqlite {
            // SQLite cannot add a foreign key to a table; there the domain keeps parents valid
            // (a parent is always a task of the same plan, and plans are deleted whole).
            manager
                .create_foreign_key(
                    ForeignKey::create()
                        .name(PARENT_FK)
                        .from(Task::Table, Task::ParentId)
                        .to(Task::Table, Task::Id)
                        .on_delete(ForeignKeyAction::SetNull)
                        .to_owned(),
                )
                .await?;
        }
        crate::run_all(manager, &["UPDATE task SET number = CAST(seq AS VARCHAR(32))".into()]).await?;
        manager.create_index(crate::index_on(Task::Table, Task::ParentId, PARENT_INDEX)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(PARENT_INDEX).table(Task::Table).to_owned()).await?;
        if manager.get_database_backend() != sea_orm_migration::sea_orm::DbBackend::Sqlite {
            manager.drop_foreign_key(ForeignKey::drop().name(PARENT_FK).table(Task::Table).to_owned()).await?;
        }
        crate::drop_columns(
            manager,
            Task::Table,
            &[Task::ParentId, Task::Number, Task::Leader, Task::ScheduleSource, Task::UnitsNotExhaustive],
        )
        .await
    }
}

#[derive(DeriveIden, Clone)]
enum Task {
    Table,
    Id,
    ParentId,
    Number,
    Leader,
    ScheduleSource,
    UnitsNotExhaustive,
}
