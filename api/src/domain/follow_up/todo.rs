//! What waits on the viewer (我的待办), each item with its kind, task and date, and the counts
//! per kind for badges. For a unit: tasks to sign for, reports due soon or late, urgings to
//! answer, leaders' instructions to respond to (as lead), returned tasks (as lead). For the
//! office: completion reports to review, extension requests to decide. For a leader: tasks in
//! red and its own instructions without a response. For both, followed tasks (关注) that
//! changed since they were last marked seen. One SQL statement per kind, unioned.

use super::settings;
use super::warning::{Judge, Level};
use crate::domain::Caller;
use crate::error::AppResult;
use crate::policy::rules;
use chrono::{DateTime, Days, NaiveDate, Utc};
use entity::{
    AssignmentRole, AssignmentState, CompletionDecision, ExtensionStatus, TaskStatus, UserRole, assignment,
    audit_entry, completion_report, extension_request, instruction, instruction_response, task, task_follow, urging,
};
use sea_orm::sea_query::{
    Alias, CommonTableExpression, Expr, ExprTrait, Func, Order, Query, SelectStatement, SimpleExpr, UnionType,
    WithClause,
};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult};

/// What kind of thing waits (stored in the list's query by its spelling, `REPORT_DUE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum TodoKind {
    Sign,
    ReportDue,
    ReportLate,
    ReportMissed,
    Urging,
    Instruction,
    Returned,
    ReviewCompletion,
    DecideExtension,
    RedTask,
    UnansweredInstruction,
    FollowedChanged,
}

impl TodoKind {
    /// Every kind, in the order counts are listed.
    pub const ALL: &[TodoKind] = <TodoKind as strum::VariantArray>::VARIANTS;

    fn code(self) -> &'static str {
        self.into()
    }

    fn from_code(code: &str) -> Option<TodoKind> {
        code.parse().ok()
    }
}

/// One thing that waits: its kind, the task, the date it is due or was raised, and the row it
/// is about (urging, instruction, completion report, extension request; the task otherwise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TodoItem {
    pub kind: TodoKind,
    pub task_id: i32,
    pub date: Option<NaiveDate>,
    pub ref_id: i32,
    /// When the item came onto the list (an urging sent, a report window opened at midnight).
    pub arrived_at: Option<DateTime<Utc>>,
}

/// The viewer's to-do list: the first `limit` items by date, and the count of every kind.
#[derive(Debug, Clone, Default)]
pub struct Todo {
    pub items: Vec<TodoItem>,
    pub counts: Vec<(TodoKind, u64)>,
}

/// A row of the to-do statement: an item of the page (section 0) or a kind's count (section 1).
#[derive(Debug, FromQueryResult)]
struct Row {
    section: i32,
    kind: String,
    task_id: Option<i32>,
    on_day: Option<NaiveDate>,
    ref_id: Option<i32>,
    arrived_at: Option<DateTime<Utc>>,
    n: Option<i64>,
}

/// The to-do list of the caller (anyone signed in; the console has none): with `since`, only
/// what came onto it at or after that instant (a unit system catching up after a reconnect).
pub async fn todo(
    db: &impl ConnectionTrait,
    caller: &Caller,
    limit: u64,
    since: Option<DateTime<Utc>>,
) -> AppResult<Todo> {
    let principal = rules::account(&caller.viewer)?;
    let backend = db.get_database_backend();
    let judge = settings::judge(db, caller).await?;
    let parts: Vec<SelectStatement> = match principal.role {
        UserRole::Department | UserRole::Service => match principal.department_id {
            Some(unit) => unit_items(unit, &judge, backend),
            None => Vec::new(),
        },
        UserRole::Admin => [office_items(backend), vec![followed_changes(principal.user_id, backend)]].concat(),
        UserRole::Leader => {
            [leader_items(principal.user_id, &judge, backend), vec![followed_changes(principal.user_id, backend)]]
                .concat()
        }
    };
    let Some(union) = union_all(parts) else { return Ok(Todo::default()) };
    let arrived = || Expr::col(Alias::new("arrived_at"));
    let since_cond = since.map(|at| match backend {
        DbBackend::Sqlite => Expr::cust_with_exprs("julianday(?) >= julianday(?)", [arrived(), Expr::value(at)]),
        _ => arrived().gte(at),
    });
    // One statement: the union once (a CTE), then its first `limit` rows and its count per
    // kind side by side, told apart by `section`.
    let columns = ["kind", "task_id", "on_day", "ref_id", "arrived_at"].map(Alias::new);
    let mut todo = Query::select().columns(columns.clone()).from_subquery(union, Alias::new("u")).to_owned();
    if let Some(cond) = since_cond {
        todo.and_where(cond);
    }
    let by_date = |query: &mut SelectStatement| {
        query
            .order_by(Alias::new("on_day"), Order::Asc)
            .order_by(Alias::new("kind"), Order::Asc)
            .order_by(Alias::new("ref_id"), Order::Asc);
    };
    let mut page = Query::select().columns(columns.clone()).from(Alias::new("todo")).limit(limit).to_owned();
    by_date(&mut page);
    let mut both = Query::select()
        .expr_as(Expr::cust("0"), Alias::new("section"))
        .columns(columns)
        .expr_as(Expr::cust("NULL"), Alias::new("n"))
        .from_subquery(page, Alias::new("page"))
        .to_owned();
    let counts = Query::select()
        .expr_as(Expr::cust("1"), Alias::new("section"))
        .column(Alias::new("kind"))
        .exprs(["task_id", "on_day", "ref_id", "arrived_at"].map(|_| Expr::cust("NULL")))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from(Alias::new("todo"))
        .group_by_col(Alias::new("kind"))
        .to_owned();
    both.union(UnionType::All, counts).order_by(Alias::new("section"), Order::Asc);
    by_date(&mut both);
    let cte = CommonTableExpression::new().query(todo).table_name(Alias::new("todo")).to_owned();
    let statement = both.with(WithClause::new().cte(cte).to_owned());
    let rows = Row::find_by_statement(crate::domain::plan_cache::build(backend, &statement)).all(db).await?;
    let (rows, counts): (Vec<Row>, Vec<Row>) = rows.into_iter().partition(|r| r.section == 0);
    Ok(Todo {
        items: rows
            .into_iter()
            .filter_map(|r| {
                Some(TodoItem {
                    kind: TodoKind::from_code(&r.kind)?,
                    task_id: r.task_id?,
                    date: r.on_day,
                    ref_id: r.ref_id?,
                    arrived_at: r.arrived_at,
                })
            })
            .collect(),
        counts: TodoKind::ALL
            .iter()
            .copied()
            .filter_map(|k| counts.iter().find(|c| c.kind == k.code()).map(|c| (k, c.n.unwrap_or(0) as u64)))
            .collect(),
    })
}

fn union_all(mut parts: Vec<SelectStatement>) -> Option<SelectStatement> {
    let mut first = if parts.is_empty() { return None } else { parts.remove(0) };
    for part in parts {
        first.union(UnionType::All, part);
    }
    Some(first)
}

/// `SELECT 'KIND' AS kind, task_id, <day> AS on_day, <ref> AS ref_id, <arrived> AS arrived_at`
/// (the shape every part has).
fn item(
    kind: TodoKind,
    task_id: SimpleExpr,
    day: SimpleExpr,
    ref_id: SimpleExpr,
    arrived: SimpleExpr,
) -> SelectStatement {
    Query::select()
        .expr_as(Expr::value(kind.code()), Alias::new("kind"))
        .expr_as(task_id, Alias::new("task_id"))
        .expr_as(day, Alias::new("on_day"))
        .expr_as(ref_id, Alias::new("ref_id"))
        .expr_as(arrived, Alias::new("arrived_at"))
        .to_owned()
}

/// Midnight in the county (UTC+8) at the start of `day` + `shift` days, as a timestamp.
fn midnight(day: SimpleExpr, shift: i64, backend: DbBackend) -> SimpleExpr {
    match backend {
        DbBackend::Sqlite => {
            Expr::cust_with_exprs(format!("strftime('%Y-%m-%dT%H:%M:%S+00:00', ?, '{shift} days', '-8 hours')"), [day])
        }
        _ => Expr::cust_with_exprs(
            format!("((CAST($1 AS date) + {shift})::timestamp AT TIME ZONE 'UTC') - INTERVAL '8 hours'"),
            [day],
        ),
    }
}

fn col<T: sea_orm::sea_query::IntoIden, C: sea_orm::sea_query::IntoIden>(table: T, column: C) -> SimpleExpr {
    Expr::col((table, column))
}

fn open_task() -> SimpleExpr {
    Expr::col((task::Entity, task::Column::Status)).is_in([
        TaskStatus::NotStarted,
        TaskStatus::InProgress,
        TaskStatus::Returned,
    ])
}

/// Tasks whose units report: open ones, and completed ones whose work continues after the
/// deadline (see `completion::continues_after_deadline`).
fn reporting_task() -> SimpleExpr {
    let continuing = Expr::col((task::Entity, task::Column::Status))
        .eq(TaskStatus::Completed)
        .and(Expr::col((task::Entity, task::Column::Ongoing)).eq(true));
    open_task().or(continuing)
}

/// `FROM assignment JOIN task` for the unit's own parts in `states`.
fn own_parts(
    kind: TodoKind,
    unit: i32,
    day: SimpleExpr,
    arrived: SimpleExpr,
    states: &[AssignmentState],
) -> SelectStatement {
    item(
        kind,
        col(assignment::Entity, assignment::Column::TaskId),
        day,
        col(assignment::Entity, assignment::Column::TaskId),
        arrived,
    )
    .from(assignment::Entity)
    .inner_join(
        task::Entity,
        Expr::col((task::Entity, task::Column::Id)).equals((assignment::Entity, assignment::Column::TaskId)),
    )
    .and_where(Expr::col((assignment::Entity, assignment::Column::DepartmentId)).eq(unit))
    .and_where(Expr::col((assignment::Entity, assignment::Column::State)).is_in(states.to_vec()))
    .and_where(if kind == TodoKind::Sign { open_task() } else { reporting_task() })
    .to_owned()
}

fn unit_items(unit: i32, judge: &Judge, backend: DbBackend) -> Vec<SelectStatement> {
    use AssignmentState::{Assigned, InProgress, Signed};
    let soon = judge
        .today
        .checked_add_days(Days::new(std::cmp::max(judge.thresholds.approaching_days, 0) as u64))
        .unwrap_or(judge.today);
    let due = || col(assignment::Entity, assignment::Column::NextReportDue);
    let handed = Expr::cust_with_exprs(
        if backend == DbBackend::Sqlite { "COALESCE(?, ?)" } else { "COALESCE($1, $2)" },
        [
            midnight(col(assignment::Entity, assignment::Column::AssignedOn), 0, backend),
            col(task::Entity, task::Column::CreatedAt),
        ],
    );
    let sign =
        own_parts(TodoKind::Sign, unit, col(assignment::Entity, assignment::Column::SignDue), handed, &[Assigned]);
    let window = -i64::from(std::cmp::max(judge.thresholds.approaching_days, 0));
    let report_due =
        own_parts(TodoKind::ReportDue, unit, due(), midnight(due(), window, backend), &[Signed, InProgress])
            .and_where(due().gte(judge.today))
            .and_where(due().lte(soon))
            .to_owned();
    let report_late =
        own_parts(TodoKind::ReportLate, unit, due(), midnight(due(), 1, backend), &[Assigned, Signed, InProgress])
            .and_where(due().lt(judge.today))
            .to_owned();
    let missed = missed_periods(unit, backend);
    let urgings = item(
        TodoKind::Urging,
        col(urging::Entity, urging::Column::TaskId),
        Expr::cust_with_exprs(
            if backend == DbBackend::Sqlite { "COALESCE(?, ?)" } else { "COALESCE($1, $2)" },
            [
                col(urging::Entity, urging::Column::ReplyBy),
                super::warning::county_day(col(urging::Entity, urging::Column::CreatedAt), backend),
            ],
        ),
        col(urging::Entity, urging::Column::Id),
        col(urging::Entity, urging::Column::CreatedAt),
    )
    .from(urging::Entity)
    .and_where(Expr::col((urging::Entity, urging::Column::DepartmentId)).eq(unit))
    .and_where(Expr::col((urging::Entity, urging::Column::AnsweredAt)).is_null())
    .and_where(Expr::col((urging::Entity, urging::Column::ClosedAt)).is_null())
    .to_owned();
    let responded = Query::select()
        .expr(Expr::value(1))
        .from(instruction_response::Entity)
        .and_where(
            Expr::col((instruction_response::Entity, instruction_response::Column::InstructionId))
                .equals((instruction::Entity, instruction::Column::Id)),
        )
        .and_where(Expr::col((instruction_response::Entity, instruction_response::Column::DepartmentId)).eq(unit))
        .to_owned();
    let instructions = item(
        TodoKind::Instruction,
        col(instruction::Entity, instruction::Column::TaskId),
        super::warning::county_day(col(instruction::Entity, instruction::Column::CreatedAt), backend),
        col(instruction::Entity, instruction::Column::Id),
        col(instruction::Entity, instruction::Column::CreatedAt),
    )
    .from(instruction::Entity)
    .inner_join(
        assignment::Entity,
        Expr::col((assignment::Entity, assignment::Column::TaskId))
            .equals((instruction::Entity, instruction::Column::TaskId)),
    )
    .and_where(Expr::col((assignment::Entity, assignment::Column::DepartmentId)).eq(unit))
    .and_where(Expr::col((assignment::Entity, assignment::Column::Role)).eq(AssignmentRole::Lead))
    .and_where(Expr::exists(responded).not())
    .to_owned();
    let returned = item(
        TodoKind::Returned,
        col(task::Entity, task::Column::Id),
        super::warning::county_day(col(task::Entity, task::Column::UpdatedAt), backend),
        col(task::Entity, task::Column::Id),
        col(task::Entity, task::Column::UpdatedAt),
    )
    .from(task::Entity)
    .inner_join(
        assignment::Entity,
        Expr::col((assignment::Entity, assignment::Column::TaskId)).equals((task::Entity, task::Column::Id)),
    )
    .and_where(Expr::col((assignment::Entity, assignment::Column::DepartmentId)).eq(unit))
    .and_where(Expr::col((assignment::Entity, assignment::Column::Role)).eq(AssignmentRole::Lead))
    .and_where(Expr::col((task::Entity, task::Column::Status)).eq(TaskStatus::Returned))
    .to_owned();
    vec![sign, report_due, report_late, missed, urgings, instructions, returned]
}

/// The unit's tasks it signed for with a reporting period recorded missed since its last
/// answer, not counting the one it may still answer late (that one is its `REPORT_LATE` item),
/// on open tasks: one item per task, dated by the oldest such miss (`missed_since`, kept on the
/// part by the writes that record periods), so the list grows with the unit's tasks, not with
/// the months they went unanswered.
fn missed_periods(unit: i32, backend: DbBackend) -> SelectStatement {
    let a = |c: assignment::Column| col(assignment::Entity, c);
    item(
        TodoKind::ReportMissed,
        a(assignment::Column::TaskId),
        a(assignment::Column::MissedSince),
        a(assignment::Column::TaskId),
        midnight(a(assignment::Column::MissedSince), 1, backend),
    )
    .from(assignment::Entity)
    .inner_join(
        task::Entity,
        Expr::col((task::Entity, task::Column::Id)).equals((assignment::Entity, assignment::Column::TaskId)),
    )
    .and_where(a(assignment::Column::DepartmentId).eq(unit))
    // A part not signed for is on the list to sign (and its owed report); its misses wait.
    .and_where(a(assignment::Column::State).is_in([AssignmentState::Signed, AssignmentState::InProgress]))
    .and_where(a(assignment::Column::MissedSince).is_not_null())
    .and_where(reporting_task())
    .to_owned()
}

/// Followed tasks changed by someone else since the follower last marked them seen: one item
/// per task, dated by the latest such change.
fn followed_changes(user_id: i32, backend: DbBackend) -> SelectStatement {
    let at = || col(audit_entry::Entity, audit_entry::Column::At);
    let seen = col(task_follow::Entity, task_follow::Column::SeenAt);
    let after_seen = match backend {
        DbBackend::Sqlite => Expr::cust_with_exprs("julianday(?) > julianday(?)", [at(), seen]),
        _ => at().gt(seen),
    };
    let by_others = Expr::col((audit_entry::Entity, audit_entry::Column::ActorId)).is_null().or(Expr::col((
        audit_entry::Entity,
        audit_entry::Column::ActorId,
    ))
    .ne(user_id));
    let latest: SimpleExpr = Func::max(at()).into();
    item(
        TodoKind::FollowedChanged,
        col(task_follow::Entity, task_follow::Column::TaskId),
        super::warning::county_day(latest.clone(), backend),
        col(task_follow::Entity, task_follow::Column::TaskId),
        latest,
    )
    .from(task_follow::Entity)
    .inner_join(
        audit_entry::Entity,
        Expr::col((audit_entry::Entity, audit_entry::Column::TaskId))
            .equals((task_follow::Entity, task_follow::Column::TaskId))
            .and(after_seen)
            .and(by_others),
    )
    .and_where(Expr::col((task_follow::Entity, task_follow::Column::UserId)).eq(user_id))
    .group_by_col((task_follow::Entity, task_follow::Column::TaskId))
    .to_owned()
}

fn office_items(backend: DbBackend) -> Vec<SelectStatement> {
    let reviews = item(
        TodoKind::ReviewCompletion,
        col(completion_report::Entity, completion_report::Column::TaskId),
        super::warning::county_day(col(completion_report::Entity, completion_report::Column::CreatedAt), backend),
        col(completion_report::Entity, completion_report::Column::Id),
        col(completion_report::Entity, completion_report::Column::CreatedAt),
    )
    .from(completion_report::Entity)
    .and_where(
        Expr::col((completion_report::Entity, completion_report::Column::Decision)).eq(CompletionDecision::Pending),
    )
    .to_owned();
    let extensions = item(
        TodoKind::DecideExtension,
        col(extension_request::Entity, extension_request::Column::TaskId),
        super::warning::county_day(col(extension_request::Entity, extension_request::Column::CreatedAt), backend),
        col(extension_request::Entity, extension_request::Column::Id),
        col(extension_request::Entity, extension_request::Column::CreatedAt),
    )
    .from(extension_request::Entity)
    .and_where(Expr::col((extension_request::Entity, extension_request::Column::Status)).eq(ExtensionStatus::Pending))
    .to_owned();
    vec![reviews, extensions]
}

fn leader_items(user_id: i32, judge: &Judge, backend: DbBackend) -> Vec<SelectStatement> {
    // Red since the day after the due date when overdue, else since its last change.
    let overdue = col(task::Entity, task::Column::DueDate).lt(judge.today);
    let turned_red = Expr::case(overdue, midnight(col(task::Entity, task::Column::DueDate), 1, backend))
        .finally(col(task::Entity, task::Column::UpdatedAt));
    let red = item(
        TodoKind::RedTask,
        col(task::Entity, task::Column::Id),
        col(task::Entity, task::Column::DueDate),
        col(task::Entity, task::Column::Id),
        turned_red.into(),
    )
    .from(task::Entity)
    .and_where(judge.sql_level(backend).eq(Level::Red.rank()))
    .to_owned();
    let answered = Query::select()
        .expr(Expr::value(1))
        .from(instruction_response::Entity)
        .and_where(
            Expr::col((instruction_response::Entity, instruction_response::Column::InstructionId))
                .equals((instruction::Entity, instruction::Column::Id)),
        )
        .to_owned();
    let unanswered = item(
        TodoKind::UnansweredInstruction,
        col(instruction::Entity, instruction::Column::TaskId),
        super::warning::county_day(col(instruction::Entity, instruction::Column::CreatedAt), backend),
        col(instruction::Entity, instruction::Column::Id),
        col(instruction::Entity, instruction::Column::CreatedAt),
    )
    .from(instruction::Entity)
    .and_where(Expr::col((instruction::Entity, instruction::Column::AuthorId)).eq(user_id))
    .and_where(Expr::exists(answered).not())
    .to_owned();
    vec![red, unanswered]
}
