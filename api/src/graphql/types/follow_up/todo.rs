//! `Query.todo`: what waits on the viewer, with counts per kind for badges.

use super::super::Task;
use crate::domain::follow_up::todo;
use crate::graphql::context;
use crate::graphql::loaders::load_failed;
use crate::graphql::scalars::Date;
use async_graphql::{Context, ID, Object, Result, SimpleObject};

pub use crate::graphql::types::enums::TodoKind;

pub struct Todo(pub todo::Todo);

/// The viewer's to-do list.
#[Object]
impl Todo {
    /// The items, soonest date first (at most `first` of them).
    async fn items(&self) -> Vec<TodoItem> {
        self.0.items.iter().cloned().map(TodoItem).collect()
    }

    /// How many items of each kind wait (kinds with none are left out).
    async fn counts(&self) -> Vec<TodoCount> {
        self.0.counts.iter().map(|(kind, n)| TodoCount { kind: (*kind).into(), count: *n as i32 }).collect()
    }

    /// How many items wait in all.
    async fn total(&self) -> i32 {
        self.0.counts.iter().map(|(_, n)| *n as i32).sum()
    }
}

pub struct TodoItem(pub todo::TodoItem);

/// One thing that waits.
#[Object]
impl TodoItem {
    /// What it is.
    async fn kind(&self) -> TodoKind {
        self.0.kind.into()
    }
    /// The day it is due or was raised.
    async fn date(&self) -> Option<Date> {
        self.0.date.map(Date)
    }
    /// The row it is about (urging, instruction, completion report, extension request; the
    /// task itself otherwise).
    async fn ref_id(&self) -> ID {
        ID(self.0.ref_id.to_string())
    }
    /// When it came onto the list: the urging sent, the instruction written, the report's
    /// window opened (midnight in the county), the task handed out.
    async fn arrived_at(&self) -> Option<crate::graphql::scalars::DateTime> {
        self.0.arrived_at.map(crate::graphql::scalars::DateTime)
    }
    /// The task.
    async fn task(&self, ctx: &Context<'_>) -> Result<Option<Task>> {
        let task = context::loaders(ctx).tasks.load_one(self.0.task_id).await.map_err(load_failed)?;
        Ok(task.map(Task::from))
    }
}

/// How many items of one kind wait.
#[derive(SimpleObject)]
pub struct TodoCount {
    /// The kind.
    pub kind: TodoKind,
    /// How many.
    pub count: i32,
}
