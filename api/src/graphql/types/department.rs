//! The `Department` type.

use super::Task;
use super::enums::{AssignmentRole, DepartmentKind};
use crate::domain::tasks::{self, TaskFilter};
use crate::error::IntoGql;
use crate::graphql::connection::{self, Conn, Total};
use crate::graphql::loaders::load_failed;
use crate::graphql::{context, fetch};
use async_graphql::{Context, ID, Object, Result};
use entity::department;

pub struct Department {
    model: department::Model,
    /// Aliases when they were loaded with the row (the department loader joins them in).
    aliases: Option<Vec<String>>,
}

impl From<department::Model> for Department {
    fn from(model: department::Model) -> Self {
        Department { model, aliases: None }
    }
}

impl From<(department::Model, Option<Vec<String>>)> for Department {
    fn from((model, aliases): (department::Model, Option<Vec<String>>)) -> Self {
        Department { model, aliases }
    }
}

/// A responsible unit, a group of units, or a catch-all name.
#[Object]
impl Department {
    /// Stable identifier.
    async fn id(&self) -> ID {
        ID(self.model.id.to_string())
    }

    /// Canonical name (Simplified script).
    async fn name(&self) -> &str {
        &self.model.name
    }

    /// Other names of the same agency (`县发展改革委` for `县发展和改革局`).
    async fn aliases(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        if let Some(aliases) = &self.aliases {
            return Ok(aliases.clone());
        }
        let loaded = context::loaders(ctx).aliases.load_one(self.model.id).await.map_err(load_failed)?;
        Ok(loaded.unwrap_or_default())
    }

    /// Unit, group or catch-all.
    async fn kind(&self) -> DepartmentKind {
        self.model.kind.into()
    }

    /// Created by an import from an unknown name: an admin should review or merge it.
    async fn needs_review(&self) -> bool {
        self.model.needs_review
    }

    /// Tasks this department is assigned to (directly or through a group it belongs to), as far
    /// as the viewer may see them, in (document, seq) order.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn tasks(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the tasks it holds in this role (any role when omitted).")] role: Option<AssignmentRole>,
        #[graphql(desc = "Page size, at most 100 (20 when omitted).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> Result<Conn<Task>> {
        let filter =
            TaskFilter { department_id: Some(self.model.id), role: role.map(Into::into), ..Default::default() };
        task_connection(ctx, filter, first, after).await
    }
}

/// A page of tasks the viewer may see, matching `filter`.
pub async fn task_connection(
    ctx: &Context<'_>,
    filter: TaskFilter,
    first: Option<i32>,
    after: Option<String>,
) -> Result<Conn<Task>> {
    let has_previous = after.is_some();
    let page = connection::task_page(first, after).gql()?;
    let plan = fetch::Plan::of_connection(ctx);
    let rows = tasks::list(context::reads(ctx), context::caller(ctx), &filter, &page, plan.task).await.gql()?;
    let items = fetch::page(ctx, &plan, rows.items).await?;
    let page = crate::domain::page::Page { items, has_next: rows.has_next };
    let total = Total::Tasks { filter };
    Ok(connection::connection(
        page,
        total,
        has_previous,
        |t| format!("t:{}:{}", t.row().document_id, t.row().seq),
        |t| t,
    ))
}

/// A page of tasks the viewer may see, matching `filter`, in `order` (by warning or due date).
pub async fn ordered_task_connection(
    ctx: &Context<'_>,
    filter: TaskFilter,
    order: tasks::TaskOrder,
    first: Option<i32>,
    after: Option<String>,
) -> Result<Conn<Task>> {
    let has_previous = after.is_some();
    let page = connection::sort_page(first, after).gql()?;
    let rows = tasks::list_ordered(context::reads(ctx), context::caller(ctx), &filter, order, &page).await.gql()?;
    let plan = fetch::Plan::of_connection(ctx);
    let (models, keys): (Vec<_>, Vec<_>) = rows.items.into_iter().unzip();
    let items = fetch::page(ctx, &plan, models).await?.into_iter().zip(keys).collect();
    let total = Total::Tasks { filter };
    let page = crate::domain::page::Page { items, has_next: rows.has_next };
    Ok(connection::connection(page, total, has_previous, |(_, key)| connection::sort_cursor(key), |(t, _)| t))
}
