//! A unit's own follow-up state on a task: ASSIGNED (交办) → SIGNED (签收, with the person
//! responsible and a contact) → IN_PROGRESS (first report) → DONE; when it was handed the task
//! and by when it must sign; when its next report is due and whether its last one was late.
//!
//! Existing assignments: DONE on completed tasks, IN_PROGRESS where the unit has reported,
//! ASSIGNED otherwise (they keep no sign-off deadline: it would be invented).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const STATE_INDEX: &str = "idx-assignment-department_id-state";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = vec![
            string_len(Assignment::State, 16).default("ASSIGNED").to_owned(),
            date_null(Assignment::AssignedOn),
            date_null(Assignment::SignDue),
            timestamp_with_time_zone_null(Assignment::SignedAt),
            string_len_null(Assignment::ResponsiblePerson, 100),
            string_len_null(Assignment::Contact, 100),
            date_null(Assignment::NextReportDue),
            date_null(Assignment::LastReportOn),
            boolean(Assignment::LastReportLate).default(false).to_owned(),
            timestamp_with_time_zone_null(Assignment::DoneAt),
        ];
        crate::add_columns(manager, Assignment::Table, columns).await?;
        crate::run_all(
            manager,
            &[
                "UPDATE assignment SET assigned_on = (SELECT assigned_on FROM task WHERE task.id = assignment.task_id)"
                    .into(),
                "UPDATE assignment SET state = 'IN_PROGRESS' WHERE EXISTS (SELECT 1 FROM progress_report r \
                 WHERE r.task_id = assignment.task_id AND r.department_id = assignment.department_id)"
                    .into(),
                "UPDATE assignment SET state = 'DONE' WHERE task_id IN (SELECT id FROM task WHERE status = 'COMPLETED')"
                    .into(),
            ],
        )
        .await?;
        manager
            .create_index(
                Index::create()
                    .name(STATE_INDEX)
                    .table(Assignment::Table)
                    .col(Assignment::DepartmentId)
                    .col(Assignment::State)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(STATE_INDEX).table(Assignment::Table).to_owned()).await?;
        crate::drop_columns(
            manager,
            Assignment::Table,
            &[
                Assignment::State,
                Assignment::AssignedOn,
                Assignment::SignDue,
                Assignment::SignedAt,
                Assignment::ResponsiblePerson,
                Assignment::Contact,
                Assignment::NextReportDue,
                Assignment::LastReportOn,
                Assignment::LastReportLate,
                Assignment::DoneAt,
            ],
        )
        .await
    }
}

#[derive(DeriveIden, Clone)]
enum Assignment {
    Table,
    DepartmentId,
    State,
    AssignedOn,
    SignDue,
    SignedAt,
    ResponsiblePerson,
    Contact,
    NextReportDue,
    LastReportOn,
    LastReportLate,
    DoneAt,
}
