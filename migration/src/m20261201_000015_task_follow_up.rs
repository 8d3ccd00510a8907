//! A task's follow-up state: when it was handed out, its original due date (statistics judge
//! punctuality against it), completion and archive times, the reason of a return or
//! suspension, its own report rule, and the facts its warnings are computed from (kept current
//! by the domain in the transaction of every change: earliest report and sign-off due dates of
//! its units, late reporters, unanswered urgings, the latest reported percent).
//!
//! The stored statuses NOT_STARTED, IN_PROGRESS and COMPLETED keep their meaning; completed
//! tasks get their completion time from their last change.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = vec![
            date_null(Task::AssignedOn),
            date_null(Task::OriginalDueDate),
            timestamp_with_time_zone_null(Task::CompletedAt),
            timestamp_with_time_zone_null(Task::ArchivedAt),
            text_null(Task::StateReason),
            string_len_null(Task::SuspendedFrom, 16),
            string_len_null(Task::ReportRule, 32),
            integer_null(Task::LatestPercent),
            date_null(Task::EarliestReportDue),
            date_null(Task::EarliestSignDue),
            integer(Task::LateReportUnits).default(0).to_owned(),
            integer(Task::OpenUrgings).default(0).to_owned(),
        ];
        crate::add_columns(manager, Task::Table, columns).await?;
        let created = crate::date_of(manager, "task.created_at");
        crate::run_all(
            manager,
            &[
                "UPDATE task SET assigned_on = (SELECT issued_on FROM document WHERE document.id = task.document_id)"
                    .into(),
                format!("UPDATE task SET assigned_on = {created} WHERE assigned_on IS NULL"),
                "UPDATE task SET original_due_date = due_date".into(),
                "UPDATE task SET completed_at = updated_at WHERE status = 'COMPLETED'".into(),
                "UPDATE task SET latest_percent = (SELECT r.percent FROM progress_report r WHERE r.task_id = task.id \
                 ORDER BY r.id DESC LIMIT 1)"
                    .into(),
            ],
        )
        .await?;
        manager.create_index(crate::index_on(Task::Table, Task::AssignedOn, "idx-task-assigned_on")).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("idx-task-assigned_on").table(Task::Table).to_owned()).await?;
        crate::drop_columns(
            manager,
            Task::Table,
            &[
                Task::AssignedOn,
                Task::OriginalDueDate,
                Task::CompletedAt,
                Task::ArchivedAt,
                Task::StateReason,
                Task::SuspendedFrom,
                Task::ReportRule,
                Task::LatestPercent,
                Task::EarliestReportDue,
                Task::EarliestSignDue,
                Task::LateReportUnits,
                Task::OpenUrgings,
            ],
        )
        .await
    }
}

#[derive(DeriveIden, Clone)]
enum Task {
    Table,
    AssignedOn,
    OriginalDueDate,
    CompletedAt,
    ArchivedAt,
    StateReason,
    SuspendedFrom,
    ReportRule,
    LatestPercent,
    EarliestReportDue,
    EarliestSignDue,
    LateReportUnits,
    OpenUrgings,
}
