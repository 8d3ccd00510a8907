//! Page-level prefetch: when a page of tasks is loaded, the child rows its selection asks for
//! are loaded in one batch each and fed into the request's DataLoaders.
//!
//! DataLoaders batch by time window, so rows requested at different depths of one query
//! (a task's `lead` and its `assignments { department }`) may or may not share a batch. Loading
//! them up front, from the selection, makes the statement count of a page independent of its
//! size and of timing.

use crate::graphql::context;
use crate::graphql::loaders::{AssignmentsByTask, DepartmentById, DocumentById, load_failed};
use async_graphql::Context;
use async_graphql::dataloader::Loader;
use entity::task;

/// Loads and feeds what the selection of a task page will ask for.
pub async fn task_page(ctx: &Context<'_>, tasks: &[task::Model]) -> async_graphql::Result<()> {
    if tasks.is_empty() {
        return Ok(());
    }
    let node = {
        let look = ctx.look_ahead();
        let nodes = look.field("nodes");
        if nodes.exists() { nodes } else { look.field("edges").field("node") }
    };
    let wants_assignments = ["lead", "assignments", "myRole", "reports"].iter().any(|f| node.field(f).exists());
    let wants_departments = node.field("lead").exists() || node.field("assignments").field("department").exists();
    let db = context::db(ctx);
    let loaders = context::loaders(ctx);
    if node.field("document").exists() {
        let mut ids: Vec<i32> = tasks.iter().map(|t| t.document_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let docs = DocumentById(db.clone()).load(&ids).await.map_err(load_failed)?;
        loaders.documents.feed_many(docs).await;
    }
    if !wants_assignments {
        return Ok(());
    }
    let ids: Vec<i32> = tasks.iter().map(|t| t.id).collect();
    let assignments = AssignmentsByTask(db.clone()).load(&ids).await.map_err(load_failed)?;
    if wants_departments {
        let mut dept_ids: Vec<i32> = assignments.values().flatten().map(|a| a.department_id).collect();
        dept_ids.sort_unstable();
        dept_ids.dedup();
        let departments = DepartmentById(db.clone()).load(&dept_ids).await.map_err(load_failed)?;
        loaders.departments.feed_many(departments).await;
    }
    loaders.assignments.feed_many(assignments).await;
    Ok(())
}
