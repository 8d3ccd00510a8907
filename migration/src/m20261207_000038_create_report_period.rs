//! Reporting periods on record (报送周期): each expected report of a unit's part, answered on
//! time, late, or missed. Parts already running start with the period they owe now.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReportPeriod::Table)
                    .col(pk_auto(ReportPeriod::Id))
                    .col(integer(ReportPeriod::AssignmentId))
                    .col(integer(ReportPeriod::TaskId))
                    .col(integer(ReportPeriod::DepartmentId))
                    .col(date(ReportPeriod::OpensOn))
                    .col(date(ReportPeriod::DueOn))
                    .col(string_len(ReportPeriod::State, 16))
                    .col(date_null(ReportPeriod::AnsweredOn))
                    .col(integer_null(ReportPeriod::ReportId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-report_period-assignment_id")
                            .from(ReportPeriod::Table, ReportPeriod::AssignmentId)
                            .to(Alias::new("assignment"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-report_period-task_id")
                            .from(ReportPeriod::Table, ReportPeriod::TaskId)
                            .to(Alias::new("task"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-report_period-report_id")
                            .from(ReportPeriod::Table, ReportPeriod::ReportId)
                            .to(Alias::new("progress_report"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        let index = |name: &str, columns: &[ReportPeriod]| {
            let mut index = Index::create().name(name).table(ReportPeriod::Table).to_owned();
            for column in columns {
                index.col(column.clone());
            }
            index
        };
        manager
            .create_index(
                index("idx-report_period-part_due", &[ReportPeriod::AssignmentId, ReportPeriod::DueOn])
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("idx-report_period-state_due", &[ReportPeriod::State, ReportPeriod::DueOn])).await?;
        manager.create_index(index("idx-report_period-task", &[ReportPeriod::TaskId])).await?;
        manager
            .create_index(index("idx-report_period-unit", &[ReportPeriod::DepartmentId, ReportPeriod::State]))
            .await?;
        crate::run_all(
            manager,
            &["INSERT INTO report_period (assignment_id, task_id, department_id, opens_on, due_on, state) \
               SELECT a.id, a.task_id, a.department_id, COALESCE(a.assigned_on, a.next_report_due), \
               a.next_report_due, 'DUE' FROM assignment a JOIN department d ON d.id = a.department_id \
               WHERE a.next_report_due IS NOT NULL AND a.state <> 'DONE' AND d.kind = 'UNIT'"
                .to_owned()],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ReportPeriod::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone)]
enum ReportPeriod {
    Table,
    Id,
    AssignmentId,
    TaskId,
    DepartmentId,
    OpensOn,
    DueOn,
    State,
    AnsweredOn,
    ReportId,
}
