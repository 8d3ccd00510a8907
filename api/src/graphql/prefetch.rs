//! Prefetch for task results: when tasks are loaded, the child rows their selection asks for
//! are loaded up front, one statement each, and fed into the request's DataLoaders.
//!
//! DataLoaders batch by time window, so rows requested at different depths of one query
//! (a task's `lead` and its `assignments { department }`) may or may not share a batch. Loading
//! them from the selection makes the statement count independent of page size and of timing:
//! assignments come with their departments in one joined statement; department aliases, when
//! asked for, cost one more.

use crate::graphql::context;
use crate::graphql::loaders::{self, DepartmentById, DocumentById, load_failed};
use async_graphql::dataloader::Loader;
use async_graphql::{Context, Lookahead};
use entity::{assignment, task};
use std::collections::HashMap;

/// The selection of each node of a task connection (`nodes { … }` or `edges { node { … } }`).
pub fn connection_nodes<'a>(ctx: &'a Context<'_>) -> Lookahead<'a> {
    let look = ctx.look_ahead();
    let nodes = look.field("nodes");
    if nodes.exists() { nodes } else { look.field("edges").field("node") }
}

/// Loads and feeds the documents of `tasks` when `node` (the selection on each task) asks.
pub async fn documents(ctx: &Context<'_>, node: &Lookahead<'_>, tasks: &[task::Model]) -> async_graphql::Result<()> {
    if tasks.is_empty() || !node.field("document").exists() {
        return Ok(());
    }
    let mut ids: Vec<i32> = tasks.iter().map(|t| t.document_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let docs = DocumentById(context::db(ctx).clone()).load(&ids).await.map_err(load_failed)?;
    context::loaders(ctx).documents.feed_many(docs).await;
    Ok(())
}

/// Loads and feeds the assignments and departments of `tasks` when `node` asks for them.
pub async fn assignments(ctx: &Context<'_>, node: &Lookahead<'_>, tasks: &[task::Model]) -> async_graphql::Result<()> {
    if tasks.is_empty() || !["lead", "assignments", "myRole", "reports"].iter().any(|f| node.field(f).exists()) {
        return Ok(());
    }
    let db = context::db(ctx);
    let loaders = context::loaders(ctx);
    let ids: Vec<i32> = tasks.iter().map(|t| t.id).collect();
    let rows = loaders::assignments_with_departments(db, &ids).await.map_err(|e| load_failed(e.into()))?;
    let mut by_task: HashMap<i32, Vec<assignment::Model>> = ids.iter().map(|id| (*id, Vec::new())).collect();
    let mut departments = HashMap::new();
    for (a, dept) in rows {
        if let Some(d) = dept {
            departments.insert(d.id, (d, None));
        }
        by_task.entry(a.task_id).or_default().push(a);
    }
    let wants_aliases = node.field("lead").field("aliases").exists()
        || node.field("assignments").field("department").field("aliases").exists();
    if wants_aliases {
        let dept_ids: Vec<i32> = departments.keys().copied().collect();
        departments = DepartmentById(db.clone()).load(&dept_ids).await.map_err(load_failed)?;
    }
    loaders.departments.feed_many(departments).await;
    loaders.assignments.feed_many(by_task).await;
    Ok(())
}
