//! `importPlan`: a pasted notice in, a registered plan (or a dry-run preview) out.

use crate::error::IntoGql;
use crate::graphql::context;
use crate::graphql::types::{Department, Document, Task};
use crate::import::{self, ImportOptions, ImportOutcome};
use async_graphql::{Context, Object, Result, SimpleObject};
use std::collections::HashMap;

/// The importer.
#[derive(Default)]
pub struct ImportMutation;

/// Something the admin should look at; the import still went through.
#[derive(SimpleObject)]
pub struct ImportWarning {
    /// Line of the pasted text (after cleaning) the warning belongs to.
    pub line: Option<i32>,
    /// Stable code, e.g. `SCHEDULE_UNPARSED`, `YEAR_ASSUMED`, `NO_LEAD`.
    pub code: String,
    /// Explanation for people.
    pub message: String,
}

/// What an import produced, or for a dry run would produce.
#[derive(SimpleObject)]
pub struct ImportResult {
    /// The registered document (for a dry run: as it would be; its id is not kept).
    pub document: Option<Document>,
    /// The tasks, in plan order.
    pub tasks: Vec<Task>,
    /// What the admin should check.
    pub warnings: Vec<ImportWarning>,
    /// Units the import had to create; those flagged `needsReview` were unknown names.
    pub created_departments: Vec<Department>,
    /// True when nothing was written.
    pub dry_run: bool,
}

#[Object]
impl ImportMutation {
    /// Imports a plan as pasted (Traditional or Simplified, pipe table or numbered items).
    /// A dry run writes nothing and returns the full preview. A document number that is
    /// already registered is refused with CONFLICT unless `replace` is true (then the old
    /// document and its tasks are replaced). Over 2 MB or no task rows: BAD_USER_INPUT.
    async fn import_plan(
        &self,
        ctx: &Context<'_>,
        text: String,
        #[graphql(default_with = "Some(false)")] dry_run: Option<bool>,
        #[graphql(default_with = "Some(false)")] replace: Option<bool>,
    ) -> Result<ImportResult> {
        let (dry_run, replace) = (dry_run.unwrap_or(false), replace.unwrap_or(false));
        let options = ImportOptions { dry_run, replace };
        let outcome = import::import_plan(context::db(ctx), context::caller(ctx), &text, options).await.gql()?;
        feed_loaders(ctx, &outcome).await;
        Ok(into_result(outcome, dry_run))
    }
}

/// Primes the request's loaders with the imported rows, so nested fields resolve even when a
/// dry run has rolled them back.
async fn feed_loaders(ctx: &Context<'_>, outcome: &ImportOutcome) {
    let loaders = context::loaders(ctx);
    let mut by_task: HashMap<i32, Vec<entity::assignment::Model>> =
        outcome.tasks.iter().map(|t| (t.id, Vec::new())).collect();
    for a in &outcome.assignments {
        by_task.entry(a.task_id).or_default().push(a.clone());
    }
    let departments = outcome.departments.iter().map(|(d, aliases)| (d.id, (d.clone(), Some(aliases.clone()))));
    let created_aliases = outcome.created_departments.iter().map(|d| (d.id, Vec::new()));
    loaders.documents.feed_one(outcome.document.id, outcome.document.clone()).await;
    loaders.departments.feed_many(departments).await;
    loaders.assignments.feed_many(by_task).await;
    loaders.aliases.feed_many(created_aliases).await;
}

fn into_result(outcome: ImportOutcome, dry_run: bool) -> ImportResult {
    ImportResult {
        document: Some(Document(outcome.document)),
        tasks: outcome.tasks.into_iter().map(Task).collect(),
        warnings: outcome
            .warnings
            .into_iter()
            .map(|w| ImportWarning { line: w.line.map(|l| l as i32), code: w.code, message: w.message })
            .collect(),
        created_departments: outcome.created_departments.into_iter().map(Department::from).collect(),
        dry_run,
    }
}
