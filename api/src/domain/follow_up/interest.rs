//! Which trail entries may change a viewer's to-do list (the `myTodoChanged` subscription asks
//! again only when one does).

use crate::domain::audit::{Action, Table};
use crate::domain::{Caller, tasks};
use crate::error::AppResult;
use entity::audit_entry;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// Which entries may change a viewer's to-do list.
pub enum Interest {
    /// A unit: entries about it, or about a task it is on (learned as it is handed tasks).
    Unit { unit: i32, tasks: std::collections::HashSet<i32> },
    /// The office: completion reports and extension requests, and changes on the tasks it
    /// follows (learned as it follows and unfollows them).
    Office { user: i32, followed: std::collections::HashSet<i32> },
    /// A leader: anything on a task (a task may turn red), instructions and responses, and its
    /// own following and marking seen.
    Leader { user: i32 },
}

impl Interest {
    /// What may change `caller`'s list: for a unit, the tasks it is on now.
    pub async fn of(db: &impl ConnectionTrait, caller: &Caller) -> AppResult<Interest> {
        let principal = crate::policy::rules::account(&caller.viewer)?;
        Ok(match (principal.role, principal.department_id) {
            (entity::UserRole::Admin, _) => {
                let followed = entity::task_follow::Entity::find()
                    .filter(entity::task_follow::Column::UserId.eq(principal.user_id))
                    .all(db)
                    .await?;
                Interest::Office {
                    user: principal.user_id,
                    followed: followed.into_iter().map(|f| f.task_id).collect(),
                }
            }
            (entity::UserRole::Leader, _) => Interest::Leader { user: principal.user_id },
            (_, unit) => {
                let ids = tasks::filtered_ids(db, caller, &tasks::TaskFilter::default()).await?;
                Interest::Unit { unit: unit.unwrap_or_default(), tasks: ids.into_iter().collect() }
            }
        })
    }

    /// Whether `entry` may change the list (and, for a unit handed a task, remember it).
    pub fn concerns(&mut self, entry: &audit_entry::Model) -> bool {
        match self {
            Interest::Office { user, followed } => {
                let table = Table::parse(&entry.entity);
                if table == Some(Table::TaskFollow) && entry.actor_id == Some(*user) {
                    match Action::parse(&entry.action) {
                        Some(Action::Create) => followed.insert(entry.entity_id),
                        Some(Action::Delete) => followed.remove(&entry.entity_id),
                        _ => false,
                    };
                    return true;
                }
                matches!(table, Some(Table::CompletionReport | Table::ExtensionRequest))
                    || entry.task_id.is_some_and(|t| followed.contains(&t))
            }
            Interest::Leader { user } => {
                entry.task_id.is_some()
                    || (Table::parse(&entry.entity) == Some(Table::TaskFollow) && entry.actor_id == Some(*user))
            }
            Interest::Unit { unit, tasks } => {
                let about_unit = [entry.after.as_deref(), entry.before.as_deref()]
                    .into_iter()
                    .flatten()
                    .filter_map(|text| serde_json::from_str::<serde_json::Value>(text).ok())
                    .any(|v| v.get("department_id").and_then(serde_json::Value::as_i64) == Some(i64::from(*unit)));
                if about_unit
                    && Table::parse(&entry.entity) == Some(Table::Assignment)
                    && let Some(task) = entry.task_id
                {
                    tasks.insert(task);
                }
                about_unit || entry.task_id.is_some_and(|t| tasks.contains(&t))
            }
        }
    }
}
