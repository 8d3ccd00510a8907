//! `Query.todo`: what waits on the viewer, with counts per kind for badges.

use super::super::Task;
use crate::domain::follow_up::todo::{self, TodoKind as Kind};
use crate::graphql::context;
use crate::graphql::loaders::load_failed;
use crate::graphql::scalars::Date;
use async_graphql::{Context, Enum, ID, Object, Result, SimpleObject};

/// What kind of thing waits.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum TodoKind {
    /// A task the unit must sign for (签收); `date` is the sign-off deadline.
    Sign,
    /// A progress report due soon; `date` is its due date.
    ReportDue,
    /// A progress report past its due date.
    ReportLate,
    /// An urging to answer; `refId` is the urging.
    Urging,
    /// A leader's instruction the lead unit has not responded to; `refId` is the instruction.
    Instruction,
    /// A completion report the office returned (退回重办).
    Returned,
    /// A completion report to review (the office); `refId` is the report.
    ReviewCompletion,
    /// An extension request to decide (the office); `refId` is the request.
    DecideExtension,
    /// A task in red (leaders).
    RedTask,
    /// One's own instruction still without a response (leaders); `refId` is the instruction.
    UnansweredInstruction,
}

impl From<Kind> for TodoKind {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::Sign => TodoKind::Sign,
            Kind::ReportDue => TodoKind::ReportDue,
            Kind::ReportLate => TodoKind::ReportLate,
            Kind::Urging => TodoKind::Urging,
            Kind::Instruction => TodoKind::Instruction,
            Kind::Returned => TodoKind::Returned,
            Kind::ReviewCompletion => TodoKind::ReviewCompletion,
            Kind::DecideExtension => TodoKind::DecideExtension,
            Kind::RedTask => TodoKind::RedTask,
            Kind::UnansweredInstruction => TodoKind::UnansweredInstruction,
        }
    }
}

/// The viewer's to-do list.
pub struct Todo(pub todo::Todo);

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

/// One thing that waits.
pub struct TodoItem(pub todo::TodoItem);

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
