//! Reading the hot rows (tasks, units' places, units, reports) by column position instead of by
//! name, all their columns or the set a selection needs (the other fields hold placeholders; see
//! `graphql::fetch`). sea-orm's own decoding builds each column's name as a string, row after
//! row; for a page of 20 tasks and their 100 units' places that was a third of a dashboard
//! request's CPU (see BENCHMARKS.md). Each reader below lists its model's fields once, with their
//! columns: the same list selects the columns and reads them back, and a model that gains a field
//! stops compiling until the field is listed. A test (`tests/tests/api/rows.rs`, on SQLite and on
//! PostgreSQL) reads real rows both ways and compares. Cells are read by [`cell`] (unchecked on
//! PostgreSQL).

mod cell;

pub use cell::{Cell, Placeholder};
use entity::{assignment, department, progress_report, task};
use sea_orm::sea_query::{Alias, Expr, IntoIden, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr, QueryResult};

macro_rules! by_position {
    ($reader:ident, $module:ident, keys: [$($key:ident),+], { $($field:ident: $column:ident),+ $(,)? }) => {
        /// Reads one model's columns at a row's position: all of them, or a set.
        pub mod $reader {
            use super::*;

            /// The columns, in the order [`read`] takes them.
            pub const COLUMNS: &[$module::Column] = &[$($module::Column::$column),+];

            /// A set of the model's columns: those a statement reads.
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            pub struct Columns(u64);

            const fn bit(column: $module::Column) -> u64 {
                1 << (column as u64)
            }

            const _: () = assert!(COLUMNS.len() <= 64, "a column set is 64 bits");

            impl Columns {
                /// Every column.
                pub const ALL: Columns = Columns(u64::MAX);
                /// The columns every read takes: the row's identity and its ordering keys.
                pub const KEYS: Columns = Columns(0 $(| bit($module::Column::$key))+);
                /// No column.
                pub const NONE: Columns = Columns(0);

                /// The set of `columns`.
                pub const fn of(columns: &[$module::Column]) -> Columns {
                    let mut bits = 0;
                    let mut i = 0;
                    while i < columns.len() {
                        bits |= bit(columns[i]);
                        i += 1;
                    }
                    Columns(bits)
                }

                /// Both sets.
                #[must_use]
                pub const fn with(self, other: Columns) -> Columns {
                    Columns(self.0 | other.0)
                }

                /// Whether `column` is in the set.
                pub const fn contains(self, column: $module::Column) -> bool {
                    self.0 & bit(column) != 0
                }

                /// How many of the model's columns the set holds.
                pub fn len(self) -> usize {
                    COLUMNS.iter().filter(|c| self.contains(**c)).count()
                }

                /// Whether it holds none of the model's columns.
                pub fn is_empty(self) -> bool {
                    self.len() == 0
                }
            }

            /// Reads the model whose columns start at `*at`, and moves `*at` past them.
            pub fn read(row: &QueryResult, at: &mut usize) -> Result<$module::Model, DbErr> {
                read_in(row, at, Columns::ALL)
            }

            /// Reads the `columns` of the model starting at `*at` (as [`select_in`] selected
            /// them); the other fields hold placeholders.
            pub fn read_in(row: &QueryResult, at: &mut usize, columns: Columns) -> Result<$module::Model, DbErr> {
                Ok($module::Model {
                    $($field: if columns.contains($module::Column::$column) {
                        let value = Cell::read(row, *at)?;
                        *at += 1;
                        value
                    } else {
                        Placeholder::placeholder()
                    }),+
                })
            }

            /// Reads the model at `*at`, or `None` when its id is NULL (the missing side of a
            /// LEFT JOIN); `*at` moves past its columns either way.
            pub fn read_optional(row: &QueryResult, at: &mut usize) -> Result<Option<$module::Model>, DbErr> {
                read_optional_in(row, at, Columns::ALL)
            }

            /// [`read_optional`] of a set of columns (which must hold the id, as
            /// [`Columns::KEYS`] do).
            pub fn read_optional_in(
                row: &QueryResult,
                at: &mut usize,
                columns: Columns,
            ) -> Result<Option<$module::Model>, DbErr> {
                let present = Option::<i32>::read(row, *at)?.is_some();
                if present {
                    read_in(row, at, columns).map(Some)
                } else {
                    *at += columns.len();
                    Ok(None)
                }
            }

            /// Selects the columns of `table` (a table or an alias), in order.
            pub fn select(query: &mut SelectStatement, table: impl IntoIden + Clone) {
                select_in(query, table, Columns::ALL)
            }

            /// Selects `columns` of `table`, in the order [`read_in`] takes them.
            pub fn select_in(query: &mut SelectStatement, table: impl IntoIden + Clone, columns: Columns) {
                for column in COLUMNS.iter().filter(|c| columns.contains(**c)) {
                    query.expr(Expr::col((table.clone(), *column)));
                }
            }
        }
    };
}

by_position!(task_row, task, keys: [Id, DocumentId, Seq], {
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
    milestones: Milestones,
    starts_on: StartsOn,
    year_inferred: YearInferred,
});

by_position!(assignment_row, assignment, keys: [Id, TaskId, DepartmentId, Role, Position], {
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
    via_group_id: ViaGroupId,
    periods_on_time: PeriodsOnTime,
    periods_late: PeriodsLate,
    periods_missed: PeriodsMissed,
    period_due_on: PeriodDueOn,
    missed_since: MissedSince,
    open_urgings: OpenUrgings,
});

by_position!(department_row, department, keys: [Id], {
    id: Id,
    name: Name,
    kind: Kind,
    needs_review: NeedsReview,
    created_at: CreatedAt,
});

by_position!(report_row, progress_report, keys: [Id], {
    id: Id,
    task_id: TaskId,
    department_id: DepartmentId,
    author_id: AuthorId,
    text: Text,
    percent: Percent,
    created_at: CreatedAt,
    reported_on: ReportedOn,
    due_on: DueOn,
    late: Late,
    lowered_reason: LoweredReason,
});

/// The tasks a query over `task` finds, its select list replaced by the task's `columns`.
pub async fn tasks(
    db: &impl ConnectionTrait,
    mut query: SelectStatement,
    columns: task_row::Columns,
) -> Result<Vec<task::Model>, DbErr> {
    query.clear_selects();
    task_row::select_in(&mut query, task::Entity, columns);
    tasks_as_selected(db, query, columns).await
}

/// The tasks of a query whose rows start with the task's `columns` in [`task_row::COLUMNS`]
/// order (a UNION of ranges selected so).
pub async fn tasks_as_selected(
    db: &impl ConnectionTrait,
    query: SelectStatement,
    columns: task_row::Columns,
) -> Result<Vec<task::Model>, DbErr> {
    let rows = db.query_all_raw(super::plan_cache::build(db.get_database_backend(), &query)).await?;
    rows.iter().map(|row| task_row::read_in(row, &mut 0, columns)).collect()
}

/// Assignments of `task_ids` in plan order (their `columns`), each with its department (its
/// `departments` columns).
pub async fn assignments_with_departments(
    db: &impl ConnectionTrait,
    task_ids: &[i32],
    columns: assignment_row::Columns,
    departments: department_row::Columns,
) -> Result<Vec<(assignment::Model, Option<department::Model>)>, DbErr> {
    use sea_orm::sea_query::{ExprTrait, Order, Query};
    let departments = departments.with(department_row::Columns::KEYS);
    let mut query = Query::select();
    assignment_row::select_in(&mut query, assignment::Entity, columns);
    department_row::select_in(&mut query, department::Entity, departments);
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
            let place = assignment_row::read_in(row, &mut at, columns)?;
            Ok((place, department_row::read_optional_in(row, &mut at, departments)?))
        })
        .collect()
}

/// Selects the task's `columns` from subquery `alias`, in [`task_row::COLUMNS`] order.
pub fn task_columns_of(query: &mut SelectStatement, alias: &str, columns: task_row::Columns) {
    task_row::select_in(query, Alias::new(alias), columns);
}
