//! Reading what a selection of tasks asks for, in as few statements as its shape allows.
//!
//! When tasks are loaded (a page of them, or one task's detail), the request's look-ahead
//! decides which of the task's columns are read, whether its units come along (and which columns
//! of their places), its plan, the units' aliases: a [`Plan`]. What each field reads is declared
//! once, in [`reads`]. A page's units come in one statement whatever the page size; a detail's
//! task, plan and units in one statement.
//!
//! Rows read for a selection travel with the objects that asked for them (a task carries its
//! units): the request's loaders, which any field of the request may reach, only ever hold whole
//! rows, so no field sees a row read without the columns it needs.

pub mod reads;

use crate::domain::page::PageRequest;
use crate::domain::rows::{assignment_row, department_row, task_row};
use crate::graphql::context;
use crate::graphql::loaders::{DocumentById, load_failed};
use crate::graphql::types::Task;
use async_graphql::dataloader::Loader;
use async_graphql::{Context, SelectionField};
use entity::{assignment, department, task};
use reads::{Nested, Reads};
use std::collections::HashMap;
use std::sync::Arc;

/// What a selection of tasks reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// The task's columns.
    pub task: task_row::Columns,
    /// The task's units, with these columns of their places; `None`: not read with the task.
    pub parts: Option<assignment_row::Columns>,
    /// The columns of the units read with the task (all of them when they are handed to the
    /// request's loader, see [`Plan::units`]).
    pub departments: department_row::Columns,
    /// The task's plan.
    pub document: bool,
    /// The aliases of the task's units.
    pub aliases: bool,
    /// A page of the task's progress reports (the first `reports` selection's arguments).
    pub reports: Option<PageRequest<i32>>,
    /// Reports are selected: their units are found through the request's department loader.
    pub reports_selected: bool,
}

/// Marks a request whose tasks are read whole, whatever it selects (a test hook: the tests
/// compare each field's answer with the one it gives from whole rows).
pub struct WholeRows;

impl Plan {
    const NOTHING: Plan = Plan {
        task: task_row::Columns::KEYS,
        parts: None,
        departments: department_row::Columns::KEYS,
        document: false,
        aliases: false,
        reports: None,
        reports_selected: false,
    };
    const WHOLE: Plan = Plan {
        task: task_row::Columns::ALL,
        parts: Some(assignment_row::Columns::ALL),
        departments: department_row::Columns::ALL,
        document: true,
        aliases: true,
        reports: None,
        reports_selected: true,
    };

    /// What the task nodes of the connection being resolved (`nodes { … }` or
    /// `edges { node { … } }`) ask for.
    pub fn of_connection(ctx: &Context<'_>) -> Plan {
        if ctx.data_opt::<WholeRows>().is_some() {
            return Plan::WHOLE;
        }
        let look = ctx.look_ahead();
        let nodes = look.field(reads::CONNECTION_NODES.1).selection_fields();
        let edge_nodes = look.field(reads::CONNECTION_EDGES.1).field(reads::EDGE_NODE.1).selection_fields();
        let mut plan = Plan::NOTHING;
        for node in nodes.iter().chain(&edge_nodes) {
            plan.add(reads::TASK, node.selection_set());
        }
        plan.units()
    }

    /// What the task field being resolved (`Query.task`) asks for.
    pub fn of_task_field(ctx: &Context<'_>) -> Plan {
        if ctx.data_opt::<WholeRows>().is_some() {
            return Plan::WHOLE;
        }
        let mut plan = Plan::NOTHING;
        for field in ctx.look_ahead().selection_fields() {
            plan.add(reads::TASK, field.selection_set());
        }
        plan.units()
    }

    /// The units read whole when they go to the request's department loader (selected reports
    /// find their units there): the loader's rows are whole, for any field that reads them.
    fn units(mut self) -> Plan {
        if self.reports_selected {
            self.departments = department_row::Columns::ALL;
        }
        self
    }

    /// Adds what `fields` (of the type `table` describes) read.
    fn add<'a>(&mut self, table: &[(&str, Reads)], fields: impl Iterator<Item = SelectionField<'a>>) {
        for field in fields {
            let name = field.name();
            if name.starts_with("__") {
                continue;
            }
            let Some((_, reads)) = table.iter().find(|(known, _)| *known == name) else {
                // Not declared (the schema test keeps this from happening): read everything.
                *self = Plan::WHOLE;
                continue;
            };
            self.task = self.task.with(task_row::Columns::of(reads.task));
            if let Some(columns) = reads.parts {
                let parts = self.parts.unwrap_or(assignment_row::Columns::KEYS);
                self.parts = Some(parts.with(assignment_row::Columns::of(columns)));
            }
            self.departments = self.departments.with(department_row::Columns::of(reads.units));
            self.document |= reads.document;
            self.aliases |= reads.aliases;
            if reads.reports && !self.reports_selected {
                self.reports_selected = true;
                self.reports = reports_page(&field);
            }
            match reads.nested {
                Nested::No => {}
                Nested::Schedule => self.add(reads::SCHEDULE, field.selection_set()),
                Nested::Assignment => self.add(reads::ASSIGNMENT, field.selection_set()),
                Nested::Department => self.add(reads::DEPARTMENT, field.selection_set()),
            }
        }
    }
}

/// The page a `reports(first:, after:)` selection asks for; `None` when its arguments are not
/// valid (the field's resolver reports the error).
fn reports_page(field: &SelectionField<'_>) -> Option<PageRequest<i32>> {
    let mut first = None;
    let mut after = None;
    for (name, value) in field.arguments().ok()? {
        match (name.as_str(), value) {
            ("first", async_graphql::Value::Number(n)) => first = Some(i32::try_from(n.as_i64()?).ok()?),
            ("after", async_graphql::Value::String(cursor)) => after = Some(cursor),
            (_, async_graphql::Value::Null) => {}
            _ => return None,
        }
    }
    crate::graphql::connection::id_page("rep", first, after).ok()
}

/// A unit's place on a task, with the unit, as the task's statement read them.
#[derive(Debug, Clone)]
pub struct Part {
    pub assignment: assignment::Model,
    pub department: Option<department::Model>,
}

/// A task's units, in plan order.
pub type Parts = Arc<[Part]>;

/// The tasks of a page as objects, with what `plan` asks read alongside: their plans (into the
/// request's loader), their units (carried by each task) and the units' aliases.
pub async fn page(ctx: &Context<'_>, plan: &Plan, rows: Vec<task::Model>) -> async_graphql::Result<Vec<Task>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    if plan.document {
        let mut ids: Vec<i32> = rows.iter().map(|t| t.document_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let docs = DocumentById(context::reads(ctx).clone()).load(&ids).await.map_err(load_failed)?;
        context::loaders(ctx).documents.feed_many(docs).await;
    }
    let Some(columns) = plan.parts else { return Ok(rows.into_iter().map(Task::from).collect()) };
    let ids: Vec<i32> = rows.iter().map(|t| t.id).collect();
    let read = crate::domain::rows::assignments_with_departments(context::reads(ctx), &ids, columns, plan.departments)
        .await
        .map_err(|e| load_failed(e.into()))?;
    let mut by_task: HashMap<i32, Vec<Part>> = HashMap::with_capacity(ids.len());
    for (assignment, department) in read {
        by_task.entry(assignment.task_id).or_default().push(Part { assignment, department });
    }
    let all: Vec<&Part> = by_task.values().flatten().collect();
    share_departments(ctx, plan, &all).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let parts: Parts = by_task.remove(&row.id).unwrap_or_default().into();
            Task::from(row).with_parts(parts)
        })
        .collect())
}

/// The task `id` as an object, with its plan and its units as the selection being resolved
/// (`Query.task`) asks, read in one statement; `None` when it does not exist or the caller may
/// not see it.
pub async fn task(ctx: &Context<'_>, id: i32) -> async_graphql::Result<Option<Task>> {
    use crate::domain::tasks::{DetailRequest, get_detail};
    use crate::error::IntoGql;
    let plan = Plan::of_task_field(ctx);
    let (db, caller) = (context::reads(ctx), context::caller(ctx));
    let request = DetailRequest {
        columns: plan.task,
        parts: plan.parts,
        departments: plan.departments,
        document: plan.document,
        reports: plan.reports,
    };
    let Some(detail) = get_detail(db, caller, id, &request).await.gql()? else { return Ok(None) };
    if let Some(document) = detail.document {
        context::loaders(ctx).documents.feed_one(document.id, document).await;
    }
    let mut task = Task::from(detail.task);
    if plan.parts.is_some() {
        let parts: Vec<Part> =
            detail.parts.into_iter().map(|(assignment, department)| Part { assignment, department }).collect();
        share_departments(ctx, &plan, &parts.iter().collect::<Vec<_>>()).await?;
        task = task.with_parts(parts.into());
    }
    if let (Some(page), Some(rows)) = (plan.reports, detail.reports) {
        task = task.with_reports(page, rows);
    }
    Ok(Some(task))
}

/// Reads the aliases of the units read with tasks when asked, and hands the units to the
/// request's department loader (whole rows) when reports are selected: a report's unit is found
/// there, and is usually one of its task's.
async fn share_departments(ctx: &Context<'_>, plan: &Plan, parts: &[&Part]) -> async_graphql::Result<()> {
    let loaders = context::loaders(ctx);
    if plan.aliases {
        let mut ids: Vec<i32> = parts.iter().filter_map(|p| p.department.as_ref().map(|d| d.id)).collect();
        ids.sort_unstable();
        ids.dedup();
        loaders.aliases.load_many(ids).await.map_err(load_failed)?;
    }
    if plan.reports_selected {
        let departments: HashMap<i32, (department::Model, Option<Vec<String>>)> =
            parts.iter().filter_map(|p| p.department.clone()).map(|d| (d.id, (d, None))).collect();
        loaders.departments.feed_many(departments).await;
    }
    Ok(())
}
