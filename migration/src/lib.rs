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
mod m20261201_000015_task_follow_up;
mod m20261201_000016_assignment_follow_up;
mod m20261201_000017_document_report_rule;
mod m20261201_000018_progress_report_follow_up;
mod m20261201_000019_create_report_consolidation;
mod m20261201_000020_create_extension_request;
mod m20261201_000021_create_due_date_change;
mod m20261201_000022_create_urging;
mod m20261201_000023_create_instruction;
mod m20261201_000024_create_instruction_response;
mod m20261201_000025_create_completion_report;
mod m20261201_000026_create_calendar_day;
mod m20261201_000027_create_follow_up_settings;
mod m20261201_000028_task_plan_outline;
mod m20261202_000029_create_audit_entry;
mod m20261202_000030_create_webhook;
mod m20261207_000031_audit_entry_chain;
mod m20261207_000032_task_schedule_details;
mod m20261207_000033_urging_closed;
mod m20261207_000034_report_lowered_reason;
mod m20261207_000035_policy_default_months;
mod m20261207_000036_public_holidays;
mod m20261207_000037_create_evidence;
mod m20261207_000038_create_report_period;
mod m20261207_000039_assignment_via_group;
mod m20261207_000040_assignment_figures;
mod m20261207_000041_login_throttle_from_first_failure;
mod m20261208_000042_create_assessment;
mod m20261208_000043_urge_again_days;
mod m20261208_000044_create_task_follow;

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
            Box::new(m20261201_000015_task_follow_up::Migration),
            Box::new(m20261201_000016_assignment_follow_up::Migration),
            Box::new(m20261201_000017_document_report_rule::Migration),
            Box::new(m20261201_000018_progress_report_follow_up::Migration),
            Box::new(m20261201_000019_create_report_consolidation::Migration),
            Box::new(m20261201_000020_create_extension_request::Migration),
            Box::new(m20261201_000021_create_due_date_change::Migration),
            Box::new(m20261201_000022_create_urging::Migration),
            Box::new(m20261201_000023_create_instruction::Migration),
            Box::new(m20261201_000024_create_instruction_response::Migration),
            Box::new(m20261201_000025_create_completion_report::Migration),
            Box::new(m20261201_000026_create_calendar_day::Migration),
            Box::new(m20261201_000027_create_follow_up_settings::Migration),
            Box::new(m20261201_000028_task_plan_outline::Migration),
            Box::new(m20261202_000029_create_audit_entry::Migration),
            Box::new(m20261202_000030_create_webhook::Migration),
            Box::new(m20261207_000031_audit_entry_chain::Migration),
            Box::new(m20261207_000032_task_schedule_details::Migration),
            Box::new(m20261207_000033_urging_closed::Migration),
            Box::new(m20261207_000034_report_lowered_reason::Migration),
            Box::new(m20261207_000035_policy_default_months::Migration),
            Box::new(m20261207_000036_public_holidays::Migration),
            Box::new(m20261207_000037_create_evidence::Migration),
            Box::new(m20261207_000038_create_report_period::Migration),
            Box::new(m20261207_000039_assignment_via_group::Migration),
            Box::new(m20261207_000040_assignment_figures::Migration),
            Box::new(m20261207_000041_login_throttle_from_first_failure::Migration),
            Box::new(m20261208_000042_create_assessment::Migration),
            Box::new(m20261208_000043_urge_again_days::Migration),
            Box::new(m20261208_000044_create_task_follow::Migration),
        ]
    }
}

/// Adds columns one statement each (SQLite alters one column per statement).
pub(crate) async fn add_columns<T: IntoTableRef + Clone>(
    manager: &SchemaManager<'_>,
    table: T,
    columns: Vec<ColumnDef>,
) -> Result<(), DbErr> {
    for mut column in columns {
        manager.alter_table(Table::alter().table(table.clone()).add_column(&mut column).to_owned()).await?;
    }
    Ok(())
}

/// Drops columns one statement each.
pub(crate) async fn drop_columns<T: IntoTableRef + Clone, C: IntoIden + Clone>(
    manager: &SchemaManager<'_>,
    table: T,
    columns: &[C],
) -> Result<(), DbErr> {
    for column in columns {
        manager.alter_table(Table::alter().table(table.clone()).drop_column(column.clone()).to_owned()).await?;
    }
    Ok(())
}

/// The county's calendar day (China Standard Time, UTC+8, as the domain's clock) of a stored
/// timestamp, whatever the session's time zone.
pub(crate) fn date_of(manager: &SchemaManager<'_>, expr: &str) -> String {
    match manager.get_database_backend() {
        sea_orm_migration::sea_orm::DbBackend::Sqlite => format!("date({expr}, '+8 hours')"),
        _ => format!("CAST(({expr} AT TIME ZONE 'UTC') + INTERVAL '8 hours' AS date)"),
    }
}

/// Runs statements that move existing rows along with a change.
pub(crate) async fn run_all(manager: &SchemaManager<'_>, statements: &[String]) -> Result<(), DbErr> {
    use sea_orm_migration::sea_orm::ConnectionTrait;
    for sql in statements {
        manager.get_connection().execute_unprepared(sql).await?;
    }
    Ok(())
}

/// Creates a plain (non-unique) index named `idx-<table>-<column>`.
pub(crate) fn index_on<T, C>(table: T, column: C, name: &str) -> IndexCreateStatement
where
    T: IntoTableRef,
    C: IntoIndexColumn,
{
    Index::create().name(name).table(table).col(column).to_owned()
}
