//! An assignment carries its task's place in the plans, `(task_document_id, task_seq)`, kept
//! equal to the task's `(document_id, seq)` by a foreign key that cascades updates. With the
//! index on `(department_id, task_document_id, task_seq)` a unit's tasks come off the index in
//! list order, so its first page costs the same whatever the size of the province.
//!
//! PostgreSQL alters the table in place. SQLite cannot add a foreign key to an existing table,
//! so there the table is rebuilt (create, copy, drop, rename) inside the migration's transaction.

use super::m20261128_000005_create_task::Task;
use super::m20261128_000006_create_assignment as assignment_table;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const PLACE_FK: &str = "fk-assignment-task_place";
const PLACE_INDEX: &str = "idx-assignment-department_id-task_place";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Sqlite {
            rebuild_sqlite(manager, true).await?;
        } else {
            add_place_in_place(manager).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name(PLACE_INDEX)
                    .table(Assignment::Table)
                    .col(Assignment::DepartmentId)
                    .col(Assignment::TaskDocumentId)
                    .col(Assignment::TaskSeq)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(PLACE_INDEX).table(Assignment::Table).to_owned()).await?;
        if manager.get_database_backend() == DbBackend::Sqlite {
            return rebuild_sqlite(manager, false).await;
        }
        manager.drop_foreign_key(ForeignKey::drop().name(PLACE_FK).table(Assignment::Table).to_owned()).await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Assignment::Table)
                    .drop_column(Assignment::TaskDocumentId)
                    .drop_column(Assignment::TaskSeq)
                    .to_owned(),
            )
            .await
    }

    /// SQLite's rebuild must not be seen half done: run it in a transaction on every backend.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

async fn add_place_in_place(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .alter_table(
            Table::alter()
                .table(Assignment::Table)
                .add_column(integer_null(Assignment::TaskDocumentId))
                .add_column(integer_null(Assignment::TaskSeq))
                .to_owned(),
        )
        .await?;
    manager
        .get_connection()
        .execute_unprepared(
            "UPDATE assignment SET task_document_id = task.document_id, task_seq = task.seq \
             FROM task WHERE task.id = assignment.task_id",
        )
        .await?;
    manager
        .alter_table(
            Table::alter()
                .table(Assignment::Table)
                .modify_column(integer(Assignment::TaskDocumentId))
                .modify_column(integer(Assignment::TaskSeq))
                .to_owned(),
        )
        .await?;
    manager.create_foreign_key(place_foreign_key().from_tbl(Assignment::Table).to_owned()).await
}

/// Recreates `assignment` with (`with_place`) or without the place columns, keeping every row.
async fn rebuild_sqlite(manager: &SchemaManager<'_>, with_place: bool) -> Result<(), DbErr> {
    let mut table = assignment_table::create_statement(AssignmentRebuilt::Table);
    let copy = if with_place {
        table
            .col(integer(Assignment::TaskDocumentId))
            .col(integer(Assignment::TaskSeq))
            .foreign_key(place_foreign_key().from_tbl(AssignmentRebuilt::Table));
        "INSERT INTO assignment_rebuilt (id, task_id, department_id, role, position, task_document_id, task_seq) \
         SELECT a.id, a.task_id, a.department_id, a.role, a.position, t.document_id, t.seq \
         FROM assignment a JOIN task t ON t.id = a.task_id"
    } else {
        "INSERT INTO assignment_rebuilt (id, task_id, department_id, role, position) \
         SELECT id, task_id, department_id, role, position FROM assignment"
    };
    manager.create_table(table).await?;
    manager.get_connection().execute_unprepared(copy).await?;
    manager.drop_table(Table::drop().table(Assignment::Table).to_owned()).await?;
    manager.rename_table(Table::rename().table(AssignmentRebuilt::Table, Assignment::Table).to_owned()).await?;
    // The indexes of migration 6 went with the old table.
    assignment_table::create_indexes(manager).await
}

/// `(task_document_id, task_seq)` follows the task's `(document_id, seq)`: an update of the
/// task's number cascades, a deleted task takes its assignments along.
fn place_foreign_key() -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(PLACE_FK)
        .from_col(Assignment::TaskDocumentId)
        .from_col(Assignment::TaskSeq)
        .to_tbl(Task::Table)
        .to_col(Task::DocumentId)
        .to_col(Task::Seq)
        .on_update(ForeignKeyAction::Cascade)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[derive(DeriveIden)]
enum Assignment {
    Table,
    DepartmentId,
    TaskDocumentId,
    TaskSeq,
}

#[derive(DeriveIden, Clone)]
enum AssignmentRebuilt {
    Table,
}
