//! What a follow-up write starts from: the task as the caller may see it, its units, and the
//! caller's own place on it.

use crate::domain::{Caller, tasks};
use crate::error::{AppError, AppResult};
use crate::policy::rules;
use entity::{AssignmentRole, DepartmentKind, assignment, department, task};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// A task, its units (with their kinds) and the caller's place.
#[derive(Debug, Clone)]
pub struct OnTask {
    pub task: task::Model,
    pub parts: Vec<(assignment::Model, DepartmentKind)>,
    /// The caller's role, through its unit or a group (as `myRole`).
    pub role: Option<AssignmentRole>,
    /// The assignment of the caller's own unit, when it has one.
    pub own: Option<assignment::Model>,
}

impl OnTask {
    /// The role of the caller's own unit on the task (not through a group).
    pub fn own_role(&self) -> Option<AssignmentRole> {
        self.own.as_ref().map(|a| a.role)
    }

    /// The task's lead units.
    pub fn leads(&self) -> Vec<i32> {
        self.parts.iter().filter(|(a, _)| a.role == AssignmentRole::Lead).map(|(a, _)| a.department_id).collect()
    }

    /// CONFLICT when the task is no longer at `expected_version` (someone changed it meanwhile).
    /// Checked after access is decided: a caller who may not act learns nothing of versions.
    pub fn at_version(&self, expected_version: i32) -> AppResult<()> {
        if self.task.version != expected_version {
            return Err(AppError::Conflict("the task was changed by someone else; reload it and retry".into()));
        }
        Ok(())
    }

    /// The part of `department`, when it has one.
    pub fn part_of(&self, department: i32) -> Option<&assignment::Model> {
        self.parts.iter().map(|(a, _)| a).find(|a| a.department_id == department)
    }
}

/// Loads the task `task_id` for `caller`: NOT_FOUND when it does not exist or the caller may
/// not see it.
pub async fn load(db: &impl ConnectionTrait, caller: &Caller, task_id: i32) -> AppResult<OnTask> {
    let task = tasks::get(db, caller, task_id).await?.ok_or(AppError::NotFound("task"))?;
    let parts: Vec<(assignment::Model, DepartmentKind)> = assignment::Entity::find()
        .filter(assignment::Column::TaskId.eq(task_id))
        .order_by_asc(assignment::Column::Position)
        .find_also_related(department::Entity)
        .all(db)
        .await?
        .into_iter()
        .map(|(a, d)| (a, d.map_or(DepartmentKind::Unit, |d| d.kind)))
        .collect();
    let pairs: Vec<_> = parts.iter().map(|(a, _)| (a.department_id, a.role)).collect();
    let principal = caller.viewer.principal();
    let role = principal.and_then(|p| rules::role_on_task(p, &pairs));
    let own_unit = principal.filter(|p| p.is_unit_scoped()).and_then(|p| p.department_id);
    let own = own_unit.and_then(|unit| parts.iter().map(|(a, _)| a).find(|a| a.department_id == unit).cloned());
    Ok(OnTask { task, parts, role, own })
}

/// Loads the task for its lead unit: FORBIDDEN for anyone else, then CONFLICT when it is no
/// longer at `expected_version` (access is decided first). Returns the task and the lead's unit.
pub async fn load_as_lead(
    db: &impl ConnectionTrait,
    caller: &Caller,
    task_id: i32,
    expected_version: i32,
) -> AppResult<(OnTask, i32)> {
    let principal = rules::account(&caller.viewer)?;
    let on = load(db, caller, task_id).await?;
    let unit = crate::policy::follow_up::lead_place(principal, on.own_role())?;
    on.at_version(expected_version)?;
    Ok((on, unit))
}

/// Loads the task and checks `expected_version` ([`OnTask::at_version`]), for verbs whose
/// access was decided before (the office's).
pub async fn load_at_version(
    db: &impl ConnectionTrait,
    caller: &Caller,
    task_id: i32,
    expected_version: i32,
) -> AppResult<OnTask> {
    let on = load(db, caller, task_id).await?;
    on.at_version(expected_version)?;
    Ok(on)
}
