//! Leaders' and the office's watch list (关注): a follower follows and unfollows tasks; a change
//! on a followed task by anyone else, after the follower last marked it seen, is on the
//! follower's to-do list (`FOLLOWED_CHANGED`) until it is marked seen.
//!
//! Following is the follower's own business: its trail entries name the task by `entity_id`
//! but are not on the task's timeline, and no webhook tells of them.

use super::on_task;
use crate::domain::Caller;
use crate::domain::audit;
use crate::error::{AppError, AppResult};
use crate::policy::follow_up as may;
use crate::policy::rules;
use chrono::{DateTime, Utc};
use entity::{audit_entry, task_follow};
use sea_orm::sea_query::Func;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};

/// A followed task, and the last change on it the follower has not seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Followed {
    pub follow: task_follow::Model,
    pub unseen_since: Option<DateTime<Utc>>,
}

fn change(
    action: audit::Action,
    before: Option<&task_follow::Model>,
    after: Option<&task_follow::Model>,
) -> audit::Change {
    let task_id = before.or(after).map_or(0, |f| f.task_id);
    audit::keyed(audit::Table::TaskFollow, task_id, action, before.map(audit::json), after.map(audit::json))
}

/// Follows a task (again: nothing changes). Leaders and the office.
pub async fn follow(db: &impl TransactionTrait, caller: &Caller, task_id: i32) -> AppResult<task_follow::Model> {
    let principal = rules::account(&caller.viewer)?;
    may::may_follow(principal)?;
    let txn = audit::begin(db, caller).await?;
    on_task::load(&txn, caller, task_id).await?;
    if let Some(existing) = task_follow::Entity::find_by_id((principal.user_id, task_id)).one(&txn).await? {
        return Ok(existing);
    }
    let row = task_follow::ActiveModel {
        user_id: Set(principal.user_id),
        task_id: Set(task_id),
        followed_at: Set(caller.now()),
        seen_at: Set(caller.now()),
    }
    .insert(&txn)
    .await?;
    caller.record(change(audit::Action::Create, None, Some(&row)));
    audit::commit(txn, caller, audit::Operation::FollowTask).await?;
    Ok(row)
}

/// Unfollows a task; whether it was followed.
pub async fn unfollow(db: &impl TransactionTrait, caller: &Caller, task_id: i32) -> AppResult<bool> {
    let principal = rules::account(&caller.viewer)?;
    may::may_follow(principal)?;
    let txn = audit::begin(db, caller).await?;
    let Some(existing) = task_follow::Entity::find_by_id((principal.user_id, task_id)).one(&txn).await? else {
        return Ok(false);
    };
    task_follow::Entity::delete_by_id((principal.user_id, task_id)).exec(&txn).await?;
    caller.record(change(audit::Action::Delete, Some(&existing), None));
    audit::commit(txn, caller, audit::Operation::UnfollowTask).await?;
    Ok(true)
}

/// Marks a followed task's changes so far seen: it leaves the follower's to-do list until the
/// next change (NOT_FOUND when the task is not followed).
pub async fn mark_seen(db: &impl TransactionTrait, caller: &Caller, task_id: i32) -> AppResult<task_follow::Model> {
    let principal = rules::account(&caller.viewer)?;
    may::may_follow(principal)?;
    let txn = audit::begin(db, caller).await?;
    let existing = task_follow::Entity::find_by_id((principal.user_id, task_id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("followed task"))?;
    let mut row: task_follow::ActiveModel = existing.clone().into();
    row.seen_at = Set(caller.now());
    let seen = row.update(&txn).await?;
    caller.record(change(audit::Action::Update, Some(&existing), Some(&seen)));
    audit::commit(txn, caller, audit::Operation::MarkFollowedTaskSeen).await?;
    Ok(seen)
}

/// The caller's watch list, most recently followed first, each with the first change on it by
/// someone else that the caller has not seen.
pub async fn list(db: &impl ConnectionTrait, caller: &Caller) -> AppResult<Vec<Followed>> {
    let principal = rules::account(&caller.viewer)?;
    may::may_follow(principal)?;
    let follows = task_follow::Entity::find()
        .filter(task_follow::Column::UserId.eq(principal.user_id))
        .order_by_desc(task_follow::Column::FollowedAt)
        .order_by_desc(task_follow::Column::TaskId)
        .all(db)
        .await?;
    let mut listed = Vec::with_capacity(follows.len());
    for follow in follows {
        let unseen_since = audit_entry::Entity::find()
            .select_only()
            .expr(Func::min(sea_orm::sea_query::Expr::col(audit_entry::Column::At)))
            .filter(audit_entry::Column::TaskId.eq(follow.task_id))
            .filter(audit_entry::Column::At.gt(follow.seen_at))
            .filter(
                Condition::any()
                    .add(audit_entry::Column::ActorId.is_null())
                    .add(audit_entry::Column::ActorId.ne(principal.user_id)),
            )
            .into_tuple::<Option<DateTime<Utc>>>()
            .one(db)
            .await?
            .flatten();
        listed.push(Followed { follow, unseen_since });
    }
    Ok(listed)
}
