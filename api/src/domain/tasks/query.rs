//! Reading tasks through the viewer's scope, with filters and keyset pagination.

use crate::domain::Caller;
use crate::domain::follow_up::settings;
use crate::domain::follow_up::states::is_open;
use crate::domain::follow_up::warning::{Judge, Level};
use crate::domain::page::{Page, PageRequest};
use crate::domain::rows::task_row;
use crate::domain::text::contains_pattern;
use crate::error::AppResult;
use crate::policy::{Viewer, rules, scope};
use entity::{AssignmentRole, ScheduleKind, TaskStatus, assignment, evidence, group_member, task};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, IntoIden, Order, Query, SimpleExpr, UnionType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Select,
};

/// The ordering key of tasks: (document, seq).
pub type TaskKey = (i32, i32);

/// Filters a client may combine (all optional, joined with AND).
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub document_id: Option<i32>,
    /// Tasks this department is assigned to, directly or through a group it belongs to.
    pub department_id: Option<i32>,
    /// With `department_id`: only where it has this role. Alone: the viewer's own role.
    pub role: Option<AssignmentRole>,
    pub overdue: Option<bool>,
    /// Substring of title or measures (Traditional input is folded to Simplified).
    pub search: Option<String>,
    pub schedule_kind: Option<ScheduleKind>,
    pub status: Option<TaskStatus>,
    /// Only tasks whose warning is at this level (computed in SQL, see `follow_up::warning`).
    pub warning: Option<Level>,
    /// Only tasks with (true) or without (false) files of evidence behind their reports,
    /// completion reports, answers or responses.
    pub has_evidence: Option<bool>,
}

/// One page of tasks the principal may see, in (document, seq) order, with the task `columns`
/// the caller will read (the other fields hold placeholders).
///
/// A list bounded by units (a unit's own view, or any viewer's `departmentId` filter) is read
/// off the assignment index `(department_id, task_document_id, task_seq)`, one ordered range
/// per unit, so the page costs the same whatever the number of plans. Other lists walk the
/// task index `(document_id, seq)`.
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &TaskFilter,
    page: &PageRequest<TaskKey>,
    columns: task_row::Columns,
) -> AppResult<Page<task::Model>> {
    rules::signed_in(&caller.viewer)?;
    let judge = judge_for(db, caller, filter).await?;
    let conditions = Conditions { caller, judge: judge.as_ref(), backend: db.get_database_backend() };
    let columns = columns.with(task_row::Columns::KEYS);
    match by_units(db, &caller.viewer, filter).await? {
        Some(units) => list_by_units(db, &conditions, &units, filter, page, columns).await,
        None => {
            let mut query =
                filtered(&conditions, filter).order_by_asc(task::Column::DocumentId).order_by_asc(task::Column::Seq);
            if let Some(after) = page.after {
                query = query.filter(after_key((task::Entity, task::Column::DocumentId, task::Column::Seq), after));
            }
            let rows = crate::domain::rows::tasks(db, query.limit(page.first + 1).into_query(), columns).await?;
            Ok(Page::from_overfetch(rows, page.first))
        }
    }
}

/// A list read through assignments: tasks on which any of `units` holds a place (with `role`,
/// if given), within `scope` when the viewer's own units do not already bound it.
#[derive(Debug)]
struct ByUnits {
    units: Vec<i32>,
    role: Option<AssignmentRole>,
    scope: Option<Vec<i32>>,
}

/// Which units bound the list, or `None` when nothing does (admins and leaders, no unit filter).
async fn by_units(db: &impl ConnectionTrait, viewer: &Viewer, filter: &TaskFilter) -> AppResult<Option<ByUnits>> {
    let owners = scope::task_owners(viewer);
    let Some(dept) = department_filter(viewer, filter) else {
        return Ok(owners.map(|units| ByUnits { units, role: None, scope: None }));
    };
    // The viewer's own unit: its groups came with the token check.
    if let Some(principal) = viewer.principal().filter(|p| p.department_id == Some(dept)) {
        return Ok(Some(ByUnits { units: principal.acting_for(), role: filter.role, scope: None }));
    }
    let groups = groups_of(dept).into_tuple::<i32>().all(db).await?;
    let units = std::iter::once(dept).chain(groups).collect();
    Ok(Some(ByUnits { units, role: filter.role, scope: owners }))
}

async fn list_by_units(
    db: &impl ConnectionTrait,
    conditions: &Conditions<'_>,
    by: &ByUnits,
    filter: &TaskFilter,
    page: &PageRequest<TaskKey>,
    columns: task_row::Columns,
) -> AppResult<Page<task::Model>> {
    let limit = page.first + 1;
    let mut branches: Vec<Select<task::Entity>> =
        by.units.iter().map(|&unit| unit_branch(conditions, unit, by, filter, page.after).limit(limit)).collect();
    if branches.len() <= 1 {
        let rows = match branches.pop() {
            Some(branch) => crate::domain::rows::tasks(db, branch.into_query(), columns).await?,
            None => Vec::new(),
        };
        return Ok(Page::from_overfetch(rows, page.first));
    }
    // Several units (a town and its groups): merge their ordered ranges. A task held by two of
    // them comes twice, side by side; each range alone is free of repeats, so `limit` rows of
    // every range hold the first `limit` distinct tasks.
    let wrap = |n: usize, branch: Select<task::Entity>| {
        let alias = format!("u{n}");
        let mut inner = branch.into_query();
        inner.clear_selects();
        task_row::select_in(&mut inner, task::Entity, columns);
        inner
            .expr_as(Expr::col((assignment::Entity, assignment::Column::TaskDocumentId)), Alias::new(PLACE_DOCUMENT))
            .expr_as(Expr::col((assignment::Entity, assignment::Column::TaskSeq)), Alias::new(PLACE_SEQ));
        let mut wrapped = Query::select();
        crate::domain::rows::task_columns_of(&mut wrapped, &alias, columns);
        wrapped
            .column((Alias::new(alias.clone()), Alias::new(PLACE_DOCUMENT)))
            .column((Alias::new(alias.clone()), Alias::new(PLACE_SEQ)))
            .from_subquery(inner, Alias::new(alias))
            .to_owned()
    };
    let mut branches = branches.into_iter().enumerate().map(|(n, b)| wrap(n, b));
    let mut union = branches.next().expect("two branches or more");
    for branch in branches {
        union.union(UnionType::All, branch);
    }
    union.order_by(Alias::new(PLACE_DOCUMENT), Order::Asc).order_by(Alias::new(PLACE_SEQ), Order::Asc);
    let mut rows = crate::domain::rows::tasks_as_selected(db, union, columns).await?;
    rows.dedup_by_key(|t| t.id);
    Ok(Page::from_overfetch(rows, page.first))
}

/// Names of the place columns a unit's range carries, so ranges merge on the index order.
const PLACE_DOCUMENT: &str = "place_document_id";
const PLACE_SEQ: &str = "place_seq";

/// The tasks one unit holds a place on, in (document, seq) order straight off the assignment
/// index, with every filter of the list applied.
fn unit_branch(
    conditions: &Conditions<'_>,
    unit: i32,
    by: &ByUnits,
    filter: &TaskFilter,
    after: Option<TaskKey>,
) -> Select<task::Entity> {
    let place = (assignment::Entity, assignment::Column::TaskDocumentId, assignment::Column::TaskSeq);
    // Joined on the task id alone: with the place equalities in the join as well, PostgreSQL
    // misjudges the join's size and sorts the unit's whole range instead of reading 21 entries.
    let mut query = task::Entity::find()
        .inner_join(assignment::Entity)
        .filter(assignment::Column::DepartmentId.eq(unit))
        .filter(conditions.of(filter))
        .order_by_asc(Expr::col((assignment::Entity, assignment::Column::TaskDocumentId)))
        .order_by_asc(Expr::col((assignment::Entity, assignment::Column::TaskSeq)));
    if let Some(role) = by.role {
        query = query.filter(assignment::Column::Role.eq(role));
    }
    if let Some(doc) = filter.document_id {
        query = query.filter(assignment::Column::TaskDocumentId.eq(doc));
    }
    if let Some(scope) = &by.scope {
        query = query.filter(task::Column::Id.in_subquery(scope::tasks_of(scope.clone())));
    }
    if let Some(after) = after {
        query = query.filter(after_key(place, after));
    }
    query
}

/// Rows after `after` in (document, seq) order, as one row comparison an index range can use.
fn after_key<T: IntoIden + Copy, C: IntoIden + Copy>(columns: (T, C, C), after: TaskKey) -> SimpleExpr {
    let (table, doc, seq) = columns;
    Expr::tuple([Expr::col((table, doc)), Expr::col((table, seq))])
        .gt(Expr::tuple([Expr::value(after.0), Expr::value(after.1)]))
}

/// How many tasks match, ignoring pagination.
pub async fn count(db: &impl ConnectionTrait, caller: &Caller, filter: &TaskFilter) -> AppResult<u64> {
    rules::signed_in(&caller.viewer)?;
    let judge = judge_for(db, caller, filter).await?;
    let conditions = Conditions { caller, judge: judge.as_ref(), backend: db.get_database_backend() };
    Ok(filtered(&conditions, filter).count(db).await?)
}

/// The ids of every task that matches (for writes over many tasks: urging every overdue one).
pub async fn filtered_ids(db: &impl ConnectionTrait, caller: &Caller, filter: &TaskFilter) -> AppResult<Vec<i32>> {
    rules::signed_in(&caller.viewer)?;
    let judge = judge_for(db, caller, filter).await?;
    let conditions = Conditions { caller, judge: judge.as_ref(), backend: db.get_database_backend() };
    let query = filtered(&conditions, filter).select_only().column(task::Column::Id).order_by_asc(task::Column::Id);
    Ok(query.into_tuple::<i32>().all(db).await?)
}

/// The warning judge of this request, when the filter needs one (it reads the thresholds).
pub(super) async fn judge_for(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &TaskFilter,
) -> AppResult<Option<Judge>> {
    if filter.warning.is_none() {
        return Ok(None);
    }
    Ok(Some(settings::judge(db, caller).await?))
}

/// Everything a task filter's SQL depends on: the caller's scope and day, the warning judge,
/// the backend's date arithmetic.
pub(super) struct Conditions<'a> {
    pub(super) caller: &'a Caller,
    pub(super) judge: Option<&'a Judge>,
    pub(super) backend: sea_orm::DbBackend,
}

/// One task, or `None` when it does not exist or the caller may not see it.
pub async fn get(db: &impl ConnectionTrait, caller: &Caller, id: i32) -> AppResult<Option<task::Model>> {
    rules::signed_in(&caller.viewer)?;
    Ok(scope::visible_tasks(&caller.viewer).filter(task::Column::Id.eq(id)).one(db).await?)
}

/// The tasks among `ids` the caller may see (one statement).
pub async fn get_many(db: &impl ConnectionTrait, caller: &Caller, ids: &[i32]) -> AppResult<Vec<task::Model>> {
    rules::signed_in(&caller.viewer)?;
    Ok(scope::visible_tasks(&caller.viewer).filter(task::Column::Id.is_in(ids.to_vec())).all(db).await?)
}

/// Whether a task is open work past its due date on `today`.
pub fn is_overdue(task: &task::Model, today: chrono::NaiveDate) -> bool {
    is_open(task.status) && task.due_date.is_some_and(|due| due < today)
}

pub(super) fn filtered(conditions: &Conditions<'_>, filter: &TaskFilter) -> Select<task::Entity> {
    let mut query = scope::visible_tasks(&conditions.caller.viewer).filter(conditions.of(filter));
    if let Some(doc) = filter.document_id {
        query = query.filter(task::Column::DocumentId.eq(doc));
    }
    if let Some(dept) = department_filter(&conditions.caller.viewer, filter) {
        query = query.filter(task::Column::Id.in_subquery(assigned_to(dept, filter.role)));
    }
    query
}

impl Conditions<'_> {
    /// The filters on a task's own columns.
    fn of(&self, filter: &TaskFilter) -> Condition {
        let mut all = task_conditions(self.caller, filter);
        if let (Some(level), Some(judge)) = (filter.warning, self.judge) {
            all = all.add(judge.sql_level(self.backend).eq(level.rank()));
        }
        all
    }
}

fn task_conditions(caller: &Caller, filter: &TaskFilter) -> Condition {
    let mut all = Condition::all();
    if let Some(kind) = filter.schedule_kind {
        all = all.add(task::Column::ScheduleKind.eq(kind));
    }
    if let Some(status) = filter.status {
        all = all.add(task::Column::Status.eq(status));
    }
    if let Some(overdue) = filter.overdue {
        all = all.add(overdue_condition(overdue, caller.today()));
    }
    if let Some(text) = filter.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        all = all.add(search_condition(text));
    }
    if let Some(with) = filter.has_evidence {
        let backed = evidence::Entity::find()
            .select_only()
            .column(evidence::Column::TaskId)
            .filter(evidence::Column::TaskId.is_not_null())
            .into_query();
        all =
            all.add(if with { task::Column::Id.in_subquery(backed) } else { task::Column::Id.not_in_subquery(backed) });
    }
    all
}

/// The unit whose tasks the filter asks for: `departmentId`, or with `role` alone the viewer's own.
fn department_filter(viewer: &Viewer, filter: &TaskFilter) -> Option<i32> {
    filter.department_id.or_else(|| filter.role.and(viewer.principal().and_then(|p| p.department_id)))
}

/// Ids of the groups `dept` belongs to.
fn groups_of(dept: i32) -> Select<group_member::Entity> {
    group_member::Entity::find()
        .select_only()
        .column(group_member::Column::GroupId)
        .filter(group_member::Column::MemberId.eq(dept))
}

/// Task ids assigned to `dept` or to a group it belongs to, optionally with one role.
fn assigned_to(dept: i32, role: Option<AssignmentRole>) -> sea_orm::sea_query::SelectStatement {
    let groups = groups_of(dept).into_query();
    let mut query = assignment::Entity::find().select_only().column(assignment::Column::TaskId).filter(
        Condition::any()
            .add(assignment::Column::DepartmentId.eq(dept))
            .add(assignment::Column::DepartmentId.in_subquery(groups)),
    );
    if let Some(role) = role {
        query = query.filter(assignment::Column::Role.eq(role));
    }
    query.into_query()
}

/// Open work past its due date (`Reason::Overdue` of the warnings, as a filter of its own).
fn overdue_condition(overdue: bool, today: chrono::NaiveDate) -> Condition {
    let open = [TaskStatus::NotStarted, TaskStatus::InProgress, TaskStatus::Returned];
    if overdue {
        Condition::all().add(task::Column::DueDate.lt(today)).add(task::Column::Status.is_in(open))
    } else {
        // Spelled out rather than NOT(...): a NULL due date must count as "not overdue".
        Condition::any()
            .add(task::Column::DueDate.is_null())
            .add(task::Column::DueDate.gte(today))
            .add(task::Column::Status.is_not_in(open))
    }
}

fn search_condition(text: &str) -> Condition {
    Condition::any()
        .add(Expr::col(task::Column::Title).like(contains_pattern(text)))
        .add(Expr::col(task::Column::Measures).like(contains_pattern(text)))
}
