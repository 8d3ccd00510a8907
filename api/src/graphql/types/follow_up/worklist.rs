//! `Query.urgeList`: the office's list of what to urge (待催办), longest waiting first.

use super::super::{Department, Task};
use crate::domain::follow_up::worklist::UrgeItem as Item;
use crate::graphql::context;
use crate::graphql::loaders::load_failed;
use crate::graphql::scalars::Date;
use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::NaiveDate;

pub use crate::graphql::types::enums::UrgeReason;

/// The office's list of what to urge.
pub struct UrgeList {
    pub items: Vec<Item>,
    pub first: usize,
    pub today: NaiveDate,
}

/// The office's list of what to urge (待催办): every unit owing something on open work, longest
/// waiting first.
#[Object]
impl UrgeList {
    /// The items, longest waiting first (at most `first` of them).
    async fn items(&self) -> Vec<UrgeItem<'_>> {
        self.items.iter().take(self.first).map(|item| UrgeItem(item, self.today)).collect()
    }

    /// How many items of each reason (reasons with none left out).
    async fn counts(&self) -> Vec<UrgeCount> {
        let mut counts: std::collections::BTreeMap<_, i32> = Default::default();
        for item in &self.items {
            *counts.entry(item.reason).or_default() += 1;
        }
        counts.into_iter().map(|(reason, count)| UrgeCount { reason: reason.into(), count }).collect()
    }

    /// How many items in all.
    async fn total(&self) -> i32 {
        self.items.len() as i32
    }
}

/// One unit owing something on one task.
pub struct UrgeItem<'a>(&'a Item, NaiveDate);

/// One unit owing something on one task, and since when.
#[Object]
impl UrgeItem<'_> {
    /// Why it is on the list.
    async fn reason(&self) -> UrgeReason {
        self.0.reason.into()
    }

    /// The day it has waited since: the sign-off deadline, the missed period's due day, the
    /// task's due date, the urging's reply-by day.
    async fn since(&self) -> Date {
        Date(self.0.since)
    }

    /// Days it has waited, as of today.
    async fn waiting_days(&self) -> i32 {
        self.0.waiting_days(self.1) as i32
    }

    /// The last day the unit was urged on the task; null when never.
    async fn last_urged_on(&self) -> Option<Date> {
        self.0.last_urged_on.map(Date)
    }

    /// The unanswered urging (`URGING_UNANSWERED`).
    async fn urging_id(&self) -> Option<ID> {
        self.0.urging_id.map(ID::from)
    }

    /// The task.
    async fn task(&self, ctx: &Context<'_>) -> Result<Option<Task>> {
        let task = context::loaders(ctx).tasks.load_one(self.0.task_id).await.map_err(load_failed)?;
        Ok(task.map(Task::from))
    }

    /// The unit.
    async fn department(&self, ctx: &Context<'_>) -> Result<Option<Department>> {
        let unit = context::loaders(ctx).departments.load_one(self.0.unit_id).await.map_err(load_failed)?;
        Ok(unit.map(Department::from))
    }
}

/// How many items of one reason.
#[derive(SimpleObject)]
pub struct UrgeCount {
    /// The reason.
    pub reason: UrgeReason,
    /// How many.
    pub count: i32,
}

/// A task on the viewer's watch list (关注).
pub struct FollowedTask(pub crate::domain::follow_up::watch::Followed);

/// A task the viewer follows (关注), and whether it changed since the viewer last looked.
#[Object]
impl FollowedTask {
    /// The task.
    async fn task(&self, ctx: &Context<'_>) -> Result<Option<Task>> {
        let task = context::loaders(ctx).tasks.load_one(self.0.follow.task_id).await.map_err(load_failed)?;
        Ok(task.map(Task::from))
    }

    /// When the viewer began to follow it.
    async fn followed_at(&self) -> crate::graphql::scalars::DateTime {
        crate::graphql::scalars::DateTime(self.0.follow.followed_at)
    }

    /// When the viewer last marked its changes seen (`markFollowedTaskSeen`).
    async fn seen_at(&self) -> crate::graphql::scalars::DateTime {
        crate::graphql::scalars::DateTime(self.0.follow.seen_at)
    }

    /// The first change by someone else since then; null when there is none.
    async fn changed_since(&self) -> Option<crate::graphql::scalars::DateTime> {
        self.0.unseen_since.map(crate::graphql::scalars::DateTime)
    }
}
