//! Reading tasks through the viewer's scope, with filters and keyset pagination.

use crate::domain::clock;
use crate::domain::page::{Page, PageRequest};
use crate::error::AppResult;
use crate::policy::{Principal, scope};
use entity::{AssignmentRole, ScheduleKind, TaskStatus, assignment, document, group_member, task};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
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
}

/// One page of tasks the principal may see, in (document, seq) order.
pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: &TaskFilter,
    page: &PageRequest<TaskKey>,
) -> AppResult<Page<task::Model>> {
    let mut query = filtered(principal, filter).order_by_asc(task::Column::DocumentId).order_by_asc(task::Column::Seq);
    if let Some((doc, seq)) = page.after {
        query = query.filter(
            Condition::any()
                .add(task::Column::DocumentId.gt(doc))
                .add(task::Column::DocumentId.eq(doc).and(task::Column::Seq.gt(seq))),
        );
    }
    let rows = query.limit(page.first + 1).all(db).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

/// How many tasks match, ignoring pagination.
pub async fn count(db: &impl ConnectionTrait, principal: &Principal, filter: &TaskFilter) -> AppResult<u64> {
    Ok(filtered(principal, filter).count(db).await?)
}

/// One task, or `None` when it does not exist or the principal may not see it.
pub async fn get(db: &impl ConnectionTrait, principal: &Principal, id: i32) -> AppResult<Option<task::Model>> {
    Ok(scope::visible_tasks(principal).filter(task::Column::Id.eq(id)).one(db).await?)
}

/// One task with its document, in one statement.
pub async fn get_with_document(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i32,
) -> AppResult<Option<(task::Model, Option<document::Model>)>> {
    let query = scope::visible_tasks(principal).filter(task::Column::Id.eq(id));
    Ok(query.find_also_related(document::Entity).one(db).await?)
}

/// Whether a task is past its due date and not completed.
pub fn is_overdue(task: &task::Model) -> bool {
    task.status != TaskStatus::Completed && task.due_date.is_some_and(|due| due < clock::today())
}

fn filtered(principal: &Principal, filter: &TaskFilter) -> Select<task::Entity> {
    let mut query = scope::visible_tasks(principal);
    if let Some(doc) = filter.document_id {
        query = query.filter(task::Column::DocumentId.eq(doc));
    }
    let department = filter.department_id.or_else(|| filter.role.and(principal.department_id));
    if let Some(dept) = department {
        query = query.filter(task::Column::Id.in_subquery(assigned_to(dept, filter.role)));
    }
    if let Some(kind) = filter.schedule_kind {
        query = query.filter(task::Column::ScheduleKind.eq(kind));
    }
    if let Some(status) = filter.status {
        query = query.filter(task::Column::Status.eq(status));
    }
    if let Some(overdue) = filter.overdue {
        query = query.filter(overdue_condition(overdue));
    }
    if let Some(text) = filter.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        query = query.filter(search_condition(text));
    }
    query
}

/// Task ids assigned to `dept` or to a group it belongs to, optionally with one role.
fn assigned_to(dept: i32, role: Option<AssignmentRole>) -> sea_orm::sea_query::SelectStatement {
    let groups = group_member::Entity::find()
        .select_only()
        .column(group_member::Column::GroupId)
        .filter(group_member::Column::MemberId.eq(dept))
        .into_query();
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

fn overdue_condition(overdue: bool) -> Condition {
    let today = clock::today();
    if overdue {
        Condition::all().add(task::Column::DueDate.lt(today)).add(task::Column::Status.ne(TaskStatus::Completed))
    } else {
        // Spelled out rather than NOT(...): a NULL due date must count as "not overdue".
        Condition::any()
            .add(task::Column::DueDate.is_null())
            .add(task::Column::DueDate.gte(today))
            .add(task::Column::Status.eq(TaskStatus::Completed))
    }
}

fn search_condition(text: &str) -> Condition {
    let simplified = zhconv::zhconv(text, zhconv::Variant::ZhHans);
    let escaped: String = simplified
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    let pattern = || LikeExpr::new(format!("%{escaped}%")).escape('\\');
    Condition::any()
        .add(Expr::col(task::Column::Title).like(pattern()))
        .add(Expr::col(task::Column::Measures).like(pattern()))
}
