//! What the importer reads into a task's schedule beyond its kind and date: the earlier dates
//! of a schedule naming several (milestones), when ongoing work starts (`2023年起`), and whether
//! the year was taken from the plan rather than written (`9月底前`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = vec![
            string_len_null(Task::Milestones, 200),
            date_null(Task::StartsOn),
            boolean(Task::YearInferred).default(false).to_owned(),
        ];
        crate::add_columns(manager, Task::Table, columns).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::drop_columns(manager, Task::Table, &[Task::Milestones, Task::StartsOn, Task::YearInferred]).await
    }
}

#[derive(DeriveIden, Clone)]
enum Task {
    Table,
    Milestones,
    StartsOn,
    YearInferred,
}
