//! Which trail entries may change a viewer's to-do list (the `myTodoChanged` subscription asks
//! again only when one does).

use crate::domain::audit::Table;
use crate::domain::{Caller, tasks};
use crate::error::AppResult;
use entity::audit_entry;
use sea_orm::ConnectionTrait;

/// Which entries may change a viewer's to-do list.
pub enum Interest {
    /// A unit: entries about it, or about a task it is on (learned as it is handed tasks).
    Unit { unit: i32, tasks: std::collections::HashSet<i32> },
    /// The office: completion reports and extension requests.
    Office,
    /// A leader: anything on a task (a task may turn red), instructions and responses.
    Leader,
}

impl Interest {
    /// What may change `caller`'s list: for a unit, the tasks it is on now.
    pub async fn of(db: &impl ConnectionTrait, caller: &Caller) -> AppResult<Interest> {
        let principal = crate::policy::rules::account(&caller.viewer)?;
        Ok(match (principal.role, principal.department_id) {
            (entity::UserRole::Admin, _) => Interest::Office,
            (entity::UserRole::Leader, _) => Interest::Leader,
            (_, unit) => {
                let ids = tasks::filtered_ids(db, caller, &tasks::TaskFilter::default()).await?;
                Interest::Unit { unit: unit.unwrap_or_default(), tasks: ids.into_iter().collect() }
            }
        })
    }

    /// Whether `entry` may change the list (and, for a unit handed a task, remember it).
    pub fn concerns(&mut self, entry: &audit_entry::Model) -> bool {
        match self {
            Interest::Office => {
                matches!(Table::parse(&entry.entity), Some(Table::CompletionReport | Table::ExtensionRequest))
            }
            Interest::Leader => entry.task_id.is_some(),
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
