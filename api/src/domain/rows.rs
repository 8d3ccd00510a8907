//! Reading the hot rows (tasks, assignments, departments) by column position instead of by
//! name. sea-orm's own decoding builds each column's name as a string, row after row; for a
//! page of 20 tasks and their 100 units' places that was a third of a dashboard request's CPU
//! (see BENCHMARKS.md). Each reader below lists its model's fields once, with their columns:
//! the same list selects the columns and reads them back, and a model that gains a field stops
//! compiling until the field is listed. A test (`tests/tests/api/rows.rs`, on SQLite and on
//! PostgreSQL) reads real rows both ways and compares.
//!
//! On PostgreSQL a cell is decoded without sqlx's check of its type against the Rust type
//! (a comparison of type descriptions, built and dropped for every cell: half the cost of
//! reading a dashboard's rows). The select list written next to the reader fixes each column's
//! type, and the test reads every column of every row both ways.

use entity::{assignment, department, task};
use sea_orm::sea_query::{Alias, Expr, IntoIden, SelectStatement};
use sea_orm::sqlx::{self, Postgres};
use sea_orm::{ActiveEnum, ConnectionTrait, DbErr, QueryResult};

/// A value read from a row by its position.
pub trait Cell: Sized {
    fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr>;
}

/// The cell at `at` of a PostgreSQL row, unchecked; `None` for rows of other databases.
fn unchecked<T>(row: &QueryResult, at: usize) -> Option<Result<T, DbErr>>
where
    T: for<'r> sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
{
    use sqlx::Row as _;
    let pg = row.try_as_pg_row()?;
    Some(pg.try_get_unchecked::<T, _>(at).map_err(|error| DbErr::Type(format!("column {at}: {error}"))))
}

macro_rules! plain_cells {
    ($($ty:ty),+ $(,)?) => {$(
        impl Cell for $ty {
            fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr> {
                unchecked(row, at).unwrap_or_else(|| row.try_get_by_index(at))
            }
        }

        impl Cell for Option<$ty> {
            fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr> {
                unchecked(row, at).unwrap_or_else(|| row.try_get_by_index(at))
            }
        }
    )+};
}

plain_cells!(i32, bool, String, chrono::NaiveDate, chrono::DateTime<chrono::Utc>);

macro_rules! enum_cells {
    ($($ty:ty),+ $(,)?) => {$(
        impl Cell for $ty {
            fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr> {
                <$ty as ActiveEnum>::try_from_value(&String::read(row, at)?)
            }
        }

        impl Cell for Option<$ty> {
            fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr> {
                Option::<String>::read(row, at)?.map(|text| <$ty as ActiveEnum>::try_from_value(&text)).transpose()
            }
        }
    )+};
}

enum_cells!(
    entity::AssignmentRole,
    entity::AssignmentState,
    entity::DepartmentKind,
    entity::ScheduleKind,
    entity::ScheduleSource,
    entity::TaskStatus,
);

macro_rules! by_position {
    ($reader:ident, $module:ident, { $($field:ident: $column:ident),+ $(,)? }) => {
        /// Reads one model's columns at a row's position.
        pub mod $reader {
            use super::*;

            /// The columns, in the order [`read`] takes them.
            pub const COLUMNS: &[$module::Column] = &[$($module::Column::$column),+];

            /// Reads the model whose columns start at `*at`, and moves `*at` past them.
            pub fn read(row: &QueryResult, at: &mut usize) -> Result<$module::Model, DbErr> {
                Ok($module::Model {
                    $($field: {
                        let value = Cell::read(row, *at)?;
                        *at += 1;
                        value
                    }),+
                })
            }

            /// Reads the model at `*at`, or `None` when its id is NULL (the missing side of a
            /// LEFT JOIN); `*at` moves past its columns either way.
            pub fn read_optional(row: &QueryResult, at: &mut usize) -> Result<Option<$module::Model>, DbErr> {
                let present = Option::<i32>::read(row, *at)?.is_some();
                if present {
                    read(row, at).map(Some)
                } else {
                    *at += COLUMNS.len();
                    Ok(None)
                }
            }

            /// Selects the columns of `table` (a table or an alias), in order.
            pub fn select(query: &mut SelectStatement, table: impl IntoIden + Clone) {
                for column in COLUMNS {
                    query.expr(Expr::col((table.clone(), *column)));
                }
            }
        }
    };
}

by_position!(task_row, task, {
    id: Id,
    document_id: DocumentId,
    seq: Seq,
    title: Title,
    measures: Measures,
    schedule_text: ScheduleText,
    schedule_kind: ScheduleKind,
    due_date: DueDate,
    ongoing: Ongoing,
    waiting_for: WaitingFor,
    offset_months: OffsetMonths,
    offset_days: OffsetDays,
    status: Status,
    version: Version,
    created_at: CreatedAt,
    updated_at: UpdatedAt,
    assigned_on: AssignedOn,
    original_due_date: OriginalDueDate,
    completed_at: CompletedAt,
    archived_at: ArchivedAt,
    state_reason: StateReason,
    suspended_from: SuspendedFrom,
    report_rule: ReportRule,
    latest_percent: LatestPercent,
    earliest_report_due: EarliestReportDue,
    earliest_sign_due: EarliestSignDue,
    late_report_units: LateReportUnits,
    open_urgings: OpenUrgings,
    parent_id: ParentId,
    number: Number,
    leader: Leader,
    schedule_source: ScheduleSource,
    units_not_exhaustive: UnitsNotExhaustive,
});

by_position!(assignment_row, assignment, {
    id: Id,
    task_id: TaskId,
    department_id: DepartmentId,
    role: Role,
    position: Position,
    task_document_id: TaskDocumentId,
    task_seq: TaskSeq,
    state: State,
    assigned_on: AssignedOn,
    sign_due: SignDue,
    signed_at: SignedAt,
    responsible_person: ResponsiblePerson,
    contact: Contact,
    next_report_due: NextReportDue,
    last_report_on: LastReportOn,
    last_report_late: LastReportLate,
    done_at: DoneAt,
});

by_position!(department_row, department, {
    id: Id,
    name: Name,
    kind: Kind,
    needs_review: NeedsReview,
    created_at: CreatedAt,
});

/// The tasks a query over `task` finds, its select list replaced by the task's columns.
pub async fn tasks(db: &impl ConnectionTrait, mut query: SelectStatement) -> Result<Vec<task::Model>, DbErr> {
    query.clear_selects();
    task_row::select(&mut query, task::Entity);
    tasks_as_selected(db, query).await
}

/// The tasks of a query whose rows start with the task's columns in [`task_row::COLUMNS`]
/// order (a UNION of ranges selected so).
pub async fn tasks_as_selected(db: &impl ConnectionTrait, query: SelectStatement) -> Result<Vec<task::Model>, DbErr> {
    let rows = db.query_all_raw(super::plan_cache::build(db.get_database_backend(), &query)).await?;
    rows.iter().map(|row| task_row::read(row, &mut 0)).collect()
}

/// Assignments of `task_ids` in plan order, each with its department.
pub async fn assignments_with_departments(
    db: &impl ConnectionTrait,
    task_ids: &[i32],
) -> Result<Vec<(assignment::Model, Option<department::Model>)>, DbErr> {
    use sea_orm::sea_query::{ExprTrait, Order, Query};
    let mut query = Query::select();
    assignment_row::select(&mut query, assignment::Entity);
    department_row::select(&mut query, department::Entity);
    query
        .from(assignment::Entity)
        .left_join(
            department::Entity,
            Expr::col((department::Entity, department::Column::Id))
                .equals((assignment::Entity, assignment::Column::DepartmentId)),
        )
        .and_where(Expr::col((assignment::Entity, assignment::Column::TaskId)).is_in(task_ids.iter().copied()))
        .order_by((assignment::Entity, assignment::Column::TaskId), Order::Asc)
        .order_by((assignment::Entity, assignment::Column::Position), Order::Asc);
    let rows = db.query_all(&query).await?;
    rows.iter()
        .map(|row| {
            let mut at = 0;
            Ok((assignment_row::read(row, &mut at)?, department_row::read_optional(row, &mut at)?))
        })
        .collect()
}

/// Selects the task's columns from subquery `alias`, in [`task_row::COLUMNS`] order.
pub fn task_columns_of(query: &mut SelectStatement, alias: &str) {
    task_row::select(query, Alias::new(alias));
}
