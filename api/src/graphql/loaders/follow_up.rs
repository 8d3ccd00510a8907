//! Loaders of the follow-up edges of a task: each batch is one domain call (which applies the
//! caller's view: a unit reads only its own urgings), so a page of tasks costs the same number
//! of statements as one task.

use crate::db::Reader;
use crate::domain::Caller;
use crate::domain::follow_up::{completion, due_dates, extensions, instructions, urgings};
use crate::domain::reports;
use crate::error::AppError;
use async_graphql::dataloader::Loader;
use entity::{
    EvidenceTarget, completion_report, due_date_change, evidence, extension_request, instruction, instruction_response,
    progress_report, urging,
};
use std::collections::HashMap;

use super::LoadError;

/// A domain refusal cannot happen under a visible parent; should one, it keeps its code.
fn failed(error: AppError) -> LoadError {
    LoadError::from(error)
}

/// Groups rows under the keys asked for (every key present, empty when it has none).
fn group<T>(keys: &[i32], rows: Vec<T>, key: impl Fn(&T) -> i32) -> HashMap<i32, Vec<T>> {
    let mut map: HashMap<i32, Vec<T>> = keys.iter().map(|k| (*k, Vec::new())).collect();
    for row in rows {
        map.entry(key(&row)).or_default().push(row);
    }
    map
}

macro_rules! task_loader {
    ($(#[$doc:meta])* $name:ident, $value:ty, $call:path, $key:expr) => {
        $(#[$doc])*
        pub struct $name(pub Reader, pub Caller);

        impl Loader<i32> for $name {
            type Value = Vec<$value>;
            type Error = LoadError;

            async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
                let rows = $call(&self.0, &self.1, keys).await.map_err(failed)?;
                Ok(group(keys, rows, $key))
            }
        }
    };
}

task_loader!(
    /// `Task.urgings`: the ones the caller may see.
    UrgingsByTask, urging::Model, urgings::of_tasks, |u: &urging::Model| u.task_id
);
task_loader!(
    /// `Task.instructions`, with their responses.
    InstructionsByTask,
    (instruction::Model, Vec<instruction_response::Model>),
    instructions::of_tasks,
    |(i, _): &(instruction::Model, Vec<instruction_response::Model>)| i.task_id
);
task_loader!(
    /// `Task.extensionRequests`.
    ExtensionsByTask, extension_request::Model, extensions::of_tasks, |e: &extension_request::Model| e.task_id
);
task_loader!(
    /// `Task.dueDateHistory`.
    DueDatesByTask, due_date_change::Model, due_dates::history, |c: &due_date_change::Model| c.task_id
);
task_loader!(
    /// `Task.completionReports`.
    CompletionsByTask, completion_report::Model, completion::of_tasks, |c: &completion_report::Model| c.task_id
);

/// `Assignment.periods`: a part's reporting periods, oldest first (the field decides who sees
/// them).
pub struct PeriodsByPart(pub Reader);

impl Loader<i32> for PeriodsByPart {
    type Value = Vec<entity::report_period::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = crate::domain::follow_up::periods::of_parts(&self.0, keys).await.map_err(failed)?;
        Ok(group(keys, rows, |p| p.assignment_id))
    }
}

/// `ProgressReport.consolidates`: the supporting reports a lead's report consolidates.
pub struct ConsolidatedByReport(pub Reader, pub Caller);

impl Loader<i32> for ConsolidatedByReport {
    type Value = Vec<progress_report::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        reports::consolidated(&self.0, &self.1, keys).await.map_err(failed)
    }
}

/// Tasks by id, as far as the caller may see them (`TodoItem.task`, `Task.parent`).
pub struct TasksById(pub Reader, pub Caller);

impl Loader<i32> for TasksById {
    type Value = entity::task::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = crate::domain::tasks::get_many(&self.0, &self.1, keys).await.map_err(failed)?;
        Ok(rows.into_iter().map(|t| (t.id, t)).collect())
    }
}

/// The files of evidence behind reports, completion reports, urging answers and responses
/// (whose parents were read under the caller's view already).
pub struct EvidenceByTarget(pub Reader);

impl Loader<(EvidenceTarget, i32)> for EvidenceByTarget {
    type Value = Vec<evidence::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[(EvidenceTarget, i32)],
    ) -> Result<HashMap<(EvidenceTarget, i32), Self::Value>, Self::Error> {
        let rows = crate::domain::evidence::of_targets(&self.0, keys).await.map_err(failed)?;
        let mut map: HashMap<(EvidenceTarget, i32), Vec<evidence::Model>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            if let (Some(kind), Some(id)) = (row.target, row.target_id) {
                map.entry((kind, id)).or_default().push(row);
            }
        }
        Ok(map)
    }
}
