//! A report's day (the county's calendar day it was sent), the due date it answered and whether
//! it came after it (逾期报送). Existing reports keep their day and count as on time; each unit
//! learns the day of its last report.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = vec![
            date_null(ProgressReport::ReportedOn),
            date_null(ProgressReport::DueOn),
            boolean(ProgressReport::Late).default(false).to_owned(),
        ];
        crate::add_columns(manager, ProgressReport::Table, columns).await?;
        let day = crate::date_of(manager, "created_at");
        crate::run_all(
            manager,
            &[
                format!("UPDATE progress_report SET reported_on = {day}"),
                "UPDATE assignment SET last_report_on = (SELECT MAX(r.reported_on) FROM progress_report r \
                 WHERE r.task_id = assignment.task_id AND r.department_id = assignment.department_id)"
                    .into(),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::drop_columns(
            manager,
            ProgressReport::Table,
            &[ProgressReport::ReportedOn, ProgressReport::DueOn, ProgressReport::Late],
        )
        .await
    }
}

#[derive(DeriveIden, Clone)]
enum ProgressReport {
    Table,
    ReportedOn,
    DueOn,
    Late,
}
