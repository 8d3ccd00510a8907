//! One DataLoader per child edge: each batch is a single `IN (…)` query, so a page of 100
//! tasks costs the same number of statements as a page of 5.

mod follow_up;

pub use follow_up::*;

use crate::db::Reader;
use crate::domain::follow_up::{settings, warning::Judge};
use crate::domain::{Caller, policy_events};
use crate::error::AppError;
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use entity::{assignment, department, department_alias, document, user};
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use std::sync::Arc;

/// Error type shared by the loaders (must be `Clone`): the domain's error, kept whole, so a
/// refusal reaches the client with its own code (FORBIDDEN stays FORBIDDEN, not INTERNAL).
#[derive(Debug, Clone)]
pub struct LoadError(Arc<AppError>);

impl From<AppError> for LoadError {
    fn from(error: AppError) -> Self {
        LoadError(Arc::new(error))
    }
}

impl From<DbErr> for LoadError {
    fn from(error: DbErr) -> Self {
        LoadError::from(AppError::from(error))
    }
}

/// Every loader of one request. Created per request, so nothing is cached across viewers.
pub struct Loaders {
    pub documents: DataLoader<DocumentById, HashMapCache>,
    pub departments: DataLoader<DepartmentById, HashMapCache>,
    pub assignments: DataLoader<AssignmentsByTask, HashMapCache>,
    pub aliases: DataLoader<AliasesByDepartment, HashMapCache>,
    pub users: DataLoader<UserById, HashMapCache>,
    pub policy_tasks: DataLoader<TasksByPolicyEvent, HashMapCache>,
    pub urgings: DataLoader<UrgingsByTask, HashMapCache>,
    pub instructions: DataLoader<InstructionsByTask, HashMapCache>,
    pub extensions: DataLoader<ExtensionsByTask, HashMapCache>,
    pub due_dates: DataLoader<DueDatesByTask, HashMapCache>,
    pub completions: DataLoader<CompletionsByTask, HashMapCache>,
    pub consolidated: DataLoader<ConsolidatedByReport, HashMapCache>,
    pub tasks: DataLoader<TasksById, HashMapCache>,
    pub evidence: DataLoader<EvidenceByTarget, HashMapCache>,
    pub periods: DataLoader<PeriodsByPart, HashMapCache>,
    /// The request's warning judge (today and the thresholds), read once when first needed.
    judge: tokio::sync::OnceCell<Judge>,
    /// Whether the request has recorded the reporting periods missed by its today.
    periods_caught_up: tokio::sync::OnceCell<()>,
    db: Reader,
    caller: Caller,
}

impl Loaders {
    /// Fresh loaders over `db` for one request's `caller`.
    pub fn new(db: &Reader, caller: &Caller) -> Self {
        Loaders {
            documents: cached(DocumentById(db.clone())),
            departments: cached(DepartmentById(db.clone())),
            assignments: cached(AssignmentsByTask(db.clone())),
            aliases: cached(AliasesByDepartment(db.clone())),
            users: cached(UserById(db.clone())),
            policy_tasks: cached(TasksByPolicyEvent(db.clone(), caller.clone())),
            urgings: cached(UrgingsByTask(db.clone(), caller.clone())),
            instructions: cached(InstructionsByTask(db.clone(), caller.clone())),
            extensions: cached(ExtensionsByTask(db.clone(), caller.clone())),
            due_dates: cached(DueDatesByTask(db.clone(), caller.clone())),
            completions: cached(CompletionsByTask(db.clone(), caller.clone())),
            consolidated: cached(ConsolidatedByReport(db.clone(), caller.clone())),
            tasks: cached(TasksById(db.clone(), caller.clone())),
            evidence: DataLoader::with_cache(EvidenceByTarget(db.clone()), tokio::spawn, HashMapCache::default()),
            periods: cached(PeriodsByPart(db.clone())),
            judge: tokio::sync::OnceCell::new(),
            periods_caught_up: tokio::sync::OnceCell::new(),
            db: db.clone(),
            caller: caller.clone(),
        }
    }

    /// Loaders that batch but keep nothing: a subscription lives on, its events must not read
    /// what an earlier event loaded.
    pub fn uncached(db: &Reader, caller: &Caller) -> Self {
        let loaders = Loaders::new(db, caller);
        loaders.documents.enable_all_cache(false);
        loaders.departments.enable_all_cache(false);
        loaders.assignments.enable_all_cache(false);
        loaders.aliases.enable_all_cache(false);
        loaders.users.enable_all_cache(false);
        loaders.policy_tasks.enable_all_cache(false);
        loaders.urgings.enable_all_cache(false);
        loaders.instructions.enable_all_cache(false);
        loaders.extensions.enable_all_cache(false);
        loaders.due_dates.enable_all_cache(false);
        loaders.completions.enable_all_cache(false);
        loaders.consolidated.enable_all_cache(false);
        loaders.tasks.enable_all_cache(false);
        loaders.evidence.enable_all_cache(false);
        loaders
    }

    /// Today and the office's thresholds, for every warning of this request.
    pub async fn judge(&self) -> async_graphql::Result<Judge> {
        let judge = self
            .judge
            .get_or_try_init(|| settings::judge(&self.db, &self.caller))
            .await
            .map_err(|e| async_graphql::ErrorExtensions::extend(&e))?;
        Ok(*judge)
    }

    /// Records the periods missed by the request's today, once per request, before periods are
    /// shown (see `periods::catch_up`).
    pub async fn catch_up_periods(&self, writes: &sea_orm::DatabaseConnection) -> async_graphql::Result<()> {
        self.periods_caught_up
            .get_or_try_init(|| crate::domain::follow_up::periods::catch_up_for(writes, &self.caller))
            .await
            .map_err(|e| async_graphql::ErrorExtensions::extend(&e))?;
        Ok(())
    }
}

/// A loader whose results are kept for the rest of the request (and can be fed, as the
/// importer does with rows a dry run rolled back).
fn cached<L: Loader<i32>>(loader: L) -> DataLoader<L, HashMapCache> {
    DataLoader::with_cache(loader, tokio::spawn, HashMapCache::default())
}

/// `Task.document`.
pub struct DocumentById(pub Reader);

impl Loader<i32> for DocumentById {
    type Value = document::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = document::Entity::find().filter(document::Column::Id.is_in(keys.to_vec())).all(&self.0).await?;
        Ok(rows.into_iter().map(|d| (d.id, d)).collect())
    }
}

/// `Assignment.department`, `Task.lead`, `User.department`.
pub struct DepartmentById(pub Reader);

/// Departments come with their aliases in the same (joined) statement: a department is
/// reached at several depths of one query, and a separate alias batch per depth would make
/// the statement count depend on timing.
impl Loader<i32> for DepartmentById {
    type Value = (department::Model, Option<Vec<String>>);
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = department::Entity::find()
            .filter(department::Column::Id.is_in(keys.to_vec()))
            .find_with_related(department_alias::Entity)
            .all(&self.0)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(d, aliases)| (d.id, (d, Some(aliases.into_iter().map(|a| a.alias).collect()))))
            .collect())
    }
}

/// `Task.assignments`, in plan order.
pub struct AssignmentsByTask(pub Reader);

impl Loader<i32> for AssignmentsByTask {
    type Value = Vec<assignment::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = assignment::Entity::find()
            .filter(assignment::Column::TaskId.is_in(keys.to_vec()))
            .order_by_asc(assignment::Column::TaskId)
            .order_by_asc(assignment::Column::Position)
            .all(&self.0)
            .await?;
        let mut map: HashMap<i32, Self::Value> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            map.entry(row.task_id).or_default().push(row);
        }
        Ok(map)
    }
}

/// `Department.aliases`.
pub struct AliasesByDepartment(Reader);

impl Loader<i32> for AliasesByDepartment {
    type Value = Vec<String>;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = department_alias::Entity::find()
            .filter(department_alias::Column::DepartmentId.is_in(keys.to_vec()))
            .order_by_asc(department_alias::Column::Id)
            .all(&self.0)
            .await?;
        let mut map: HashMap<i32, Self::Value> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            map.entry(row.department_id).or_default().push(row.alias);
        }
        Ok(map)
    }
}

/// `ProgressReport.author`: the accounts that wrote a page of reports.
pub struct UserById(pub Reader);

impl Loader<i32> for UserById {
    type Value = user::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let rows = user::Entity::find().filter(user::Column::Id.is_in(keys.to_vec())).all(&self.0).await?;
        Ok(rows.into_iter().map(|u| (u.id, u)).collect())
    }
}

/// `PolicyEvent.taskIds`: through the domain, because which ids a viewer may learn depends on
/// the viewer (a unit sees only its own tasks' ids).
pub struct TasksByPolicyEvent(pub Reader, pub Caller);

impl Loader<i32> for TasksByPolicyEvent {
    type Value = Vec<i32>;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        Ok(policy_events::satisfied_task_ids(&self.0, &self.1, keys).await?)
    }
}

/// A row a child edge points at is gone (deleted between two statements of one request).
pub fn missing(what: &str) -> async_graphql::Error {
    load_failed(LoadError::from(DbErr::RecordNotFound(what.to_owned())))
}

/// The error a loader met, with its code (an internal one logged, generic to the client).
pub fn load_failed(error: LoadError) -> async_graphql::Error {
    use async_graphql::ErrorExtensions;
    error.0.extend()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(error: &async_graphql::Error) -> Option<String> {
        let extensions = error.extensions.as_ref()?;
        match extensions.get("code")? {
            async_graphql::Value::String(code) => Some(code.clone()),
            _ => None,
        }
    }

    #[test]
    fn a_refusal_through_a_loader_keeps_its_code() {
        let refused = load_failed(LoadError::from(AppError::Forbidden("only the office")));
        assert_eq!(code(&refused).as_deref(), Some("FORBIDDEN"));
        let missing = missing("task");
        assert_eq!(code(&missing).as_deref(), Some("INTERNAL"), "a row gone under a visible parent is a fault");
        assert!(!missing.message.contains("task"), "the cause is logged, not sent: {}", missing.message);
    }
}
