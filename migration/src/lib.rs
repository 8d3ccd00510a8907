//! Schema migrations, one change per file, run on SQLite and PostgreSQL alike.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_create_document;
mod m20261128_000002_create_department;
mod m20261128_000003_create_department_alias;
mod m20261128_000004_create_group_member;
mod m20261128_000005_create_task;
mod m20261128_000006_create_assignment;
mod m20261128_000007_create_app_user;
mod m20261128_000008_create_progress_report;
mod m20261128_000009_create_policy_event;
mod m20261128_000010_create_task_policy;
mod m20261128_000011_create_service_token;
mod m20261128_000012_create_document_source;
mod m20261128_000013_assignment_task_place;
mod m20261201_000014_create_login_throttle;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_create_document::Migration),
            Box::new(m20261128_000002_create_department::Migration),
            Box::new(m20261128_000003_create_department_alias::Migration),
            Box::new(m20261128_000004_create_group_member::Migration),
            Box::new(m20261128_000005_create_task::Migration),
            Box::new(m20261128_000006_create_assignment::Migration),
            Box::new(m20261128_000007_create_app_user::Migration),
            Box::new(m20261128_000008_create_progress_report::Migration),
            Box::new(m20261128_000009_create_policy_event::Migration),
            Box::new(m20261128_000010_create_task_policy::Migration),
            Box::new(m20261128_000011_create_service_token::Migration),
            Box::new(m20261128_000012_create_document_source::Migration),
            Box::new(m20261128_000013_assignment_task_place::Migration),
            Box::new(m20261201_000014_create_login_throttle::Migration),
        ]
    }
}

/// Creates a plain (non-unique) index named `idx-<table>-<column>`.
pub(crate) fn index_on<T, C>(table: T, column: C, name: &str) -> IndexCreateStatement
where
    T: IntoTableRef,
    C: IntoIndexColumn,
{
    Index::create().name(name).table(table).col(column).to_owned()
}
