//! Reading the hot rows (tasks, assignments, departments) by column position instead of by
//! name. sea-orm's own decoding builds each column's name as a string, row after row; for a
//! page of 20 tasks and their 100 units' places that was a third of a dashboard request's CPU
//! (see BENCHMARKS.md). Each reader below lists its model's fields once, with their columns:
//! the same list selects the columns and reads them back, and a model that gains a field stops
//! compiling until the field is listed. A test reads real rows both ways and compares.

use entity::{assignment, department, task};
use sea_orm::sea_query::{Alias, Expr, IntoIden, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr, QueryResult};

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
                        let value = row.try_get_by_index(*at)?;
                        *at += 1;
                        value
                    }),+
                })
            }

            /// Reads the model at `*at`, or `None` when its id is NULL (the missing side of a
            /// LEFT JOIN); `*at` moves past its columns either way.
            pub fn read_optional(row: &QueryResult, at: &mut usize) -> Result<Option<$module::Model>, DbErr> {
                let present = row.try_get_by_index::<Option<i32>>(*at)?.is_some();
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

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::sea_query::ExprTrait;
    use sea_orm::{EntityTrait, QueryOrder, QueryTrait};

    #[tokio::test]
    async fn rows_read_by_position_equal_rows_read_by_name() {
        let path = std::env::temp_dir().join(format!("duban-rows-{}.sqlite", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let db = crate::db::connect(&format!("sqlite://{}?mode=rwc", path.display())).await.unwrap();
        crate::db::migrate(&db).await.unwrap();
        crate::bootstrap::load_sample_plan(&db, &crate::domain::clock::Clock::system()).await.unwrap();

        let by_name: Vec<(assignment::Model, Option<department::Model>)> = assignment::Entity::find()
            .order_by_asc(assignment::Column::Id)
            .find_also_related(department::Entity)
            .all(&db)
            .await
            .unwrap();
        let mut query = assignment::Entity::find().order_by_asc(assignment::Column::Id).into_query();
        query.clear_selects();
        assignment_row::select(&mut query, assignment::Entity);
        department_row::select(&mut query, department::Entity);
        query.left_join(
            department::Entity,
            Expr::col((department::Entity, department::Column::Id))
                .equals((assignment::Entity, assignment::Column::DepartmentId)),
        );
        let rows = db.query_all(&query).await.unwrap();
        let by_position: Vec<(assignment::Model, Option<department::Model>)> = rows
            .iter()
            .map(|row| {
                let mut at = 0;
                (assignment_row::read(row, &mut at).unwrap(), department_row::read_optional(row, &mut at).unwrap())
            })
            .collect();
        assert_eq!(by_position, by_name);
        assert!(!by_name.is_empty());

        let tasks_by_name = task::Entity::find().order_by_asc(task::Column::Id).all(&db).await.unwrap();
        let mut query = task::Entity::find().order_by_asc(task::Column::Id).into_query();
        query.clear_selects();
        task_row::select(&mut query, task::Entity);
        let rows = db.query_all(&query).await.unwrap();
        let tasks_by_position: Vec<task::Model> = rows.iter().map(|row| task_row::read(row, &mut 0).unwrap()).collect();
        assert_eq!(tasks_by_position, tasks_by_name);
        let _ = std::fs::remove_file(path);
    }
}
