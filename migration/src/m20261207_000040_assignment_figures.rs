//! Each part's reporting periods counted on the part itself: answered on time, answered late,
//! missed, the due day of the one still open, and the due day of the oldest miss since the last
//! answer; and its unanswered urgings. Statistics add these up per plan and per unit, and the
//! to-do list reads a part's misses, without reading every period or urging row; the writes
//! that move them keep them current.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::add_columns(
            manager,
            Assignment::Table,
            vec![
                integer(Assignment::PeriodsOnTime).default(0).to_owned(),
                integer(Assignment::PeriodsLate).default(0).to_owned(),
                integer(Assignment::PeriodsMissed).default(0).to_owned(),
                date_null(Assignment::PeriodDueOn),
                date_null(Assignment::MissedSince),
                integer(Assignment::OpenUrgings).default(0).to_owned(),
            ],
        )
        .await?;
        let count = |state: &str| {
            format!(
                "(SELECT COUNT(*) FROM report_period p WHERE p.assignment_id = assignment.id AND p.state = '{state}')"
            )
        };
        crate::run_all(
            manager,
            &[
                format!(
                    "UPDATE assignment SET periods_on_time = {}, periods_late = {}, periods_missed = {}, \
                 period_due_on = (SELECT MAX(p.due_on) FROM report_period p \
                                  WHERE p.assignment_id = assignment.id AND p.state = 'DUE') \
                 WHERE EXISTS (SELECT 1 FROM report_period p WHERE p.assignment_id = assignment.id)",
                    count("ON_TIME"),
                    count("LATE"),
                    count("MISSED"),
                ),
                // Parts already closed have no period open and owe nothing.
                "UPDATE assignment SET missed_since = (SELECT MIN(p.due_on) FROM report_period p \
             WHERE p.assignment_id = assignment.id AND p.state = 'MISSED' \
             AND p.due_on <> COALESCE(assignment.next_report_due, '1900-01-01') \
             AND p.due_on > COALESCE((SELECT MAX(q.due_on) FROM report_period q WHERE q.assignment_id = assignment.id \
                                      AND q.state IN ('ON_TIME', 'LATE')), '1900-01-01')) \
             WHERE periods_missed > 0 AND next_report_due IS NOT NULL"
                    .to_owned(),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::drop_columns(
            manager,
            Assignment::Table,
            &[
                Assignment::PeriodsOnTime,
                Assignment::PeriodsLate,
                Assignment::PeriodsMissed,
                Assignment::PeriodDueOn,
                Assignment::MissedSince,
                Assignment::OpenUrgings,
            ],
        )
        .await
    }
}

#[derive(DeriveIden, Clone)]
enum Assignment {
    Table,
    PeriodsOnTime,
    PeriodsLate,
    PeriodsMissed,
    PeriodDueOn,
    MissedSince,
    OpenUrgings,
}
