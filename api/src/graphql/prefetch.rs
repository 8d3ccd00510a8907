//! Prefetch for task results: when tasks are loaded, the child rows their selection asks for
//! are loaded up front, in as few statements as the shape allows, and fed into the request's
//! DataLoaders.
//!
//! DataLoaders batch by time window, so rows requested at different depths of one query
//! (a task's `lead` and its `assignments { department }`) may or may not share a batch. Loading
//! them from the selection makes the statement count independent of page size and of timing:
//! a page's assignments come with their departments in one joined statement; a single task's
//! document, assignments and departments come with the task itself (see `Query.task`).
//!
//! What to load is decided from field names of the schema. They are declared once, below, as
//! (type, field) pairs, and a test checks every pair against the schema as served: a renamed
//! field fails that test instead of silently falling back to the slow path.

use crate::graphql::context;
use crate::graphql::loaders::{self, DepartmentById, DocumentById, load_failed};
use async_graphql::dataloader::Loader;
use async_graphql::{Context, Lookahead};
use entity::{assignment, department, document, task};
use std::collections::HashMap;

/// A field of a GraphQL type, as the schema names them.
pub type Field = (&'static str, &'static str);

/// The nodes of a task connection: `nodes { … }` or `edges { node { … } }`.
pub const CONNECTION_NODES: Field = ("TaskConnection", "nodes");
pub const CONNECTION_EDGES: Field = ("TaskConnection", "edges");
pub const EDGE_NODE: Field = ("TaskEdge", "node");
/// `Task.document`.
pub const TASK_DOCUMENT: Field = ("Task", "document");
/// The fields of `Task` whose resolvers read the task's assignments.
pub const TASK_READS_ASSIGNMENTS: [Field; 4] =
    [("Task", "lead"), ("Task", "assignments"), ("Task", "myRole"), ("Task", "reports")];
/// Where a task's departments are selected, and their aliases under them.
pub const TASK_LEAD: Field = ("Task", "lead");
pub const TASK_ASSIGNMENTS: Field = ("Task", "assignments");
pub const ASSIGNMENT_DEPARTMENT: Field = ("Assignment", "department");
pub const DEPARTMENT_ALIASES: Field = ("Department", "aliases");

/// Every field the prefetch reads by name (checked against the schema by a test).
pub const FIELDS: [Field; 11] = [
    CONNECTION_NODES,
    CONNECTION_EDGES,
    EDGE_NODE,
    TASK_DOCUMENT,
    TASK_READS_ASSIGNMENTS[0],
    TASK_READS_ASSIGNMENTS[1],
    TASK_READS_ASSIGNMENTS[2],
    TASK_READS_ASSIGNMENTS[3],
    TASK_LEAD,
    ASSIGNMENT_DEPARTMENT,
    DEPARTMENT_ALIASES,
];

fn name(field: Field) -> &'static str {
    field.1
}

/// The selection of each node of a task connection (`nodes { … }` or `edges { node { … } }`).
pub fn connection_nodes<'a>(ctx: &'a Context<'_>) -> Lookahead<'a> {
    let look = ctx.look_ahead();
    let nodes = look.field(name(CONNECTION_NODES));
    if nodes.exists() { nodes } else { look.field(name(CONNECTION_EDGES)).field(name(EDGE_NODE)) }
}

/// Whether the selection on a task asks for its document.
pub fn wants_document(node: &Lookahead<'_>) -> bool {
    node.field(name(TASK_DOCUMENT)).exists()
}

/// Whether the selection on a task asks for anything that reads its assignments.
pub fn wants_assignments(node: &Lookahead<'_>) -> bool {
    TASK_READS_ASSIGNMENTS.iter().any(|f| node.field(name(*f)).exists())
}

fn wants_aliases(node: &Lookahead<'_>) -> bool {
    node.field(name(TASK_LEAD)).field(name(DEPARTMENT_ALIASES)).exists()
        || node
            .field(name(TASK_ASSIGNMENTS))
            .field(name(ASSIGNMENT_DEPARTMENT))
            .field(name(DEPARTMENT_ALIASES))
            .exists()
}

/// Loads and feeds the documents of `tasks` when `node` (the selection on each task) asks.
pub async fn documents(ctx: &Context<'_>, node: &Lookahead<'_>, tasks: &[task::Model]) -> async_graphql::Result<()> {
    if tasks.is_empty() || !wants_document(node) {
        return Ok(());
    }
    let mut ids: Vec<i32> = tasks.iter().map(|t| t.document_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let docs = DocumentById(context::reads(ctx).clone()).load(&ids).await.map_err(load_failed)?;
    context::loaders(ctx).documents.feed_many(docs).await;
    Ok(())
}

/// Loads and feeds the assignments and departments of `tasks` when `node` asks for them.
pub async fn assignments(ctx: &Context<'_>, node: &Lookahead<'_>, tasks: &[task::Model]) -> async_graphql::Result<()> {
    if tasks.is_empty() || !wants_assignments(node) {
        return Ok(());
    }
    let db = context::reads(ctx);
    let ids: Vec<i32> = tasks.iter().map(|t| t.id).collect();
    let rows = loaders::assignments_with_departments(db, &ids).await.map_err(|e| load_failed(e.into()))?;
    feed_parts(ctx, node, &ids, rows).await
}

/// Feeds what one task's detail statement read: its document and its assignments with their
/// departments (see `tasks::get_detail`).
pub async fn detail(
    ctx: &Context<'_>,
    node: &Lookahead<'_>,
    task: &task::Model,
    document: Option<document::Model>,
    parts: Vec<(assignment::Model, Option<department::Model>)>,
) -> async_graphql::Result<()> {
    if let Some(document) = document {
        context::loaders(ctx).documents.feed_one(document.id, document).await;
    }
    feed_parts(ctx, node, &[task.id], parts).await
}

async fn feed_parts(
    ctx: &Context<'_>,
    node: &Lookahead<'_>,
    task_ids: &[i32],
    rows: Vec<(assignment::Model, Option<department::Model>)>,
) -> async_graphql::Result<()> {
    let loaders = context::loaders(ctx);
    let mut by_task: HashMap<i32, Vec<assignment::Model>> = task_ids.iter().map(|id| (*id, Vec::new())).collect();
    let mut departments = HashMap::new();
    for (a, dept) in rows {
        if let Some(d) = dept {
            departments.insert(d.id, (d, None));
        }
        by_task.entry(a.task_id).or_default().push(a);
    }
    if wants_aliases(node) {
        let dept_ids: Vec<i32> = departments.keys().copied().collect();
        departments = DepartmentById(context::reads(ctx).clone()).load(&dept_ids).await.map_err(load_failed)?;
    }
    loaders.departments.feed_many(departments).await;
    loaders.assignments.feed_many(by_task).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields of each type in an SDL document.
    fn fields_of(sdl: &str) -> HashMap<String, Vec<String>> {
        let mut types = HashMap::new();
        let mut current: Option<String> = None;
        for line in sdl.lines() {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("type ") {
                current = rest.split_whitespace().next().map(str::to_owned);
                continue;
            }
            if line.starts_with('}') {
                current = None;
                continue;
            }
            if let Some(name) = &current {
                let field: String = line.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !field.is_empty() && (line[field.len()..].starts_with(':') || line[field.len()..].starts_with('(')) {
                    types.entry(name.clone()).or_insert_with(Vec::new).push(field);
                }
            }
        }
        types
    }

    #[test]
    fn every_field_the_prefetch_reads_by_name_is_in_the_schema() {
        let types = fields_of(&crate::graphql::sdl());
        for (ty, field) in FIELDS {
            let fields = types.get(ty).unwrap_or_else(|| panic!("type {ty} is not in the schema"));
            assert!(fields.iter().any(|f| f == field), "{ty}.{field} is not in the schema: rename it here too");
        }
    }

    #[test]
    fn the_check_would_catch_a_rename() {
        let types = fields_of("type Task {\n\tleader: Department\n}\n");
        assert!(!types["Task"].iter().any(|f| f == "lead"));
    }
}
