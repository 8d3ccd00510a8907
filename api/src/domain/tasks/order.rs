//! Task lists in another order than the plan's: most urgent warning first, or soonest due date
//! first (tasks without a due date last), ties in plan order. Keyset pagination over the whole
//! sort key, computed in SQL like the warning filter.

use super::query::{Conditions, TaskFilter, filtered, judge_for};
use crate::domain::follow_up::settings;
use crate::domain::page::{Page, PageRequest};
use crate::domain::{Caller, plan_cache};
use crate::error::AppResult;
use crate::policy::rules;
use chrono::NaiveDate;
use entity::task;
use sea_orm::sea_query::{Expr, ExprTrait, Func, Order, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};

/// How a task list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TaskOrder {
    /// Plan order: (document, seq).
    #[default]
    Plan,
    /// Most urgent warning first, then soonest due date.
    Warning,
    /// Soonest due date first.
    DueDate,
}

/// Where a task stands in an ordered list: its warning rank (0 when not ordered by warning),
/// its due date (a far-future day for none) and its place in the plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortKey {
    pub rank: i32,
    pub due: NaiveDate,
    pub document_id: i32,
    pub seq: i32,
}

/// The day that stands for "no due date": after every real one.
pub fn no_due_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).expect("a valid date")
}

#[derive(Debug, FromQueryResult)]
struct Keyed {
    id: i32,
    sort_rank: i32,
    sort_due: NaiveDate,
}

/// One page of the tasks the caller may see, matching `filter`, in `order` (not `Plan`, which
/// `list` serves off the indexes).
pub async fn list_ordered(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &TaskFilter,
    order: TaskOrder,
    page: &PageRequest<SortKey>,
) -> AppResult<Page<(task::Model, SortKey)>> {
    rules::signed_in(&caller.viewer)?;
    let backend = db.get_database_backend();
    let filter_judge = judge_for(db, caller, filter).await?;
    let judge = match (&filter_judge, order) {
        (Some(j), _) => Some(*j),
        (None, TaskOrder::Warning) => Some(settings::judge(db, caller).await?),
        (None, _) => None,
    };
    let conditions = Conditions { caller, judge: judge.as_ref(), backend };
    let rank = match (order, &judge) {
        (TaskOrder::Warning, Some(j)) => j.sql_level(backend),
        _ => Expr::value(0),
    };
    let due: SimpleExpr =
        Func::coalesce([Expr::col((task::Entity, task::Column::DueDate)), date_value(no_due_date(), backend)]).into();
    let mut query = filtered(&conditions, filter)
        .select_only()
        .column(task::Column::Id)
        .expr_as(rank.clone(), "sort_rank")
        .expr_as(due.clone(), "sort_due")
        .order_by(rank.clone(), Order::Desc)
        .order_by(due.clone(), Order::Asc)
        .order_by_asc(task::Column::DocumentId)
        .order_by_asc(task::Column::Seq);
    if let Some(after) = page.after {
        query = query.filter(after_key(rank, due, after, backend));
    }
    let keyed =
        Keyed::find_by_statement(plan_cache::build(backend, &query.limit(page.first + 1).into_query())).all(db).await?;
    let ids: Vec<i32> = keyed.iter().map(|k| k.id).collect();
    let rows = task::Entity::find().filter(task::Column::Id.is_in(ids)).all(db).await?;
    let ordered = keyed
        .into_iter()
        .filter_map(|k| {
            let task = rows.iter().find(|t| t.id == k.id)?.clone();
            let key = SortKey { rank: k.sort_rank, due: k.sort_due, document_id: task.document_id, seq: task.seq };
            Some((task, key))
        })
        .collect();
    Ok(Page::from_overfetch(ordered, page.first))
}

/// Rows after `after` in (rank desc, due asc, document asc, seq asc) order.
fn after_key(rank: SimpleExpr, due: SimpleExpr, after: SortKey, backend: DbBackend) -> SimpleExpr {
    let place = Expr::tuple([
        Expr::col((task::Entity, task::Column::DocumentId)),
        Expr::col((task::Entity, task::Column::Seq)),
    ])
    .gt(Expr::tuple([Expr::value(after.document_id), Expr::value(after.seq)]));
    let after_due = date_value(after.due, backend);
    rank.clone()
        .lt(after.rank)
        .or(rank.clone().eq(after.rank).and(due.clone().gt(after_due.clone())))
        .or(rank.eq(after.rank).and(due.eq(after_due)).and(place))
}

/// A date literal comparable with date columns on the backend (SQLite stores `YYYY-MM-DD`).
fn date_value(date: NaiveDate, backend: DbBackend) -> SimpleExpr {
    match backend {
        DbBackend::Postgres => Expr::cust_with_values("CAST($1 AS date)", [date.format("%Y-%m-%d").to_string()]),
        _ => Expr::value(date.format("%Y-%m-%d").to_string()),
    }
}
