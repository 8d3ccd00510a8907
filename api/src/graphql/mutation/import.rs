//! `importPlan`: a pasted notice or an uploaded plan file in, a registered plan (or a dry-run
//! preview) out.

use crate::error::{AppError, IntoGql};
use crate::graphql::context;
use crate::graphql::types::{Department, Document, Task};
use crate::import::{self, FileImportError, ImportOptions, ImportOutcome};
use async_graphql::{Context, ErrorExtensions, ID, Object, Result, SimpleObject, Upload};
use std::collections::HashMap;

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

/// Something the importer inferred about a task rather than read in the plan: the office
/// checks these first in a preview.
#[derive(SimpleObject)]
pub struct ImportCheck {
    /// The task it concerns (for a dry run, as in this preview's `tasks`).
    pub task_id: ID,
    /// The task's number within the plan (`seq`).
    pub seq: i32,
    /// Stable code: `YEAR_INFERRED` (the schedule's year was taken from the plan),
    /// `SCHEDULE_FROM_TEXT` (the schedule was read from the task's text, not a schedule column),
    /// `LEAD_BY_POSITION` (no label said 牵头; the first unit listed leads), `CATCH_ALL` (a name
    /// such as 各有关单位 that no account can act for).
    pub code: String,
    /// What to check, for people.
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
    /// Per task, what was inferred rather than read (a year, a lead chosen by position, a
    /// catch-all), in plan order.
    pub checks: Vec<ImportCheck>,
    /// Units the import had to create; those flagged `needsReview` were unknown names.
    pub created_departments: Vec<Department>,
    /// True when nothing was written.
    pub dry_run: bool,
}

/// The importer.
#[Object]
impl ImportMutation {
    /// Imports a plan: pasted `text` (Traditional or Simplified, pipe table or numbered items),
    /// or a `file` sent as the GraphQL multipart request spec describes (.txt, .docx, .xlsx or
    /// .xls, at most 10 MB; uploads need an Authorization header). Give exactly one of the two.
    /// A dry run writes nothing and returns the full preview. A document number that is
    /// already registered is refused with CONFLICT unless `replace` is true (then the old
    /// document and its tasks are replaced). Text over 2 MB, a file that cannot be read, or no
    /// task rows: BAD_USER_INPUT; for a file, `extensions.reason` says why (FILE_TOO_LARGE,
    /// FILE_TYPE_UNSUPPORTED, FILE_OLD_WORD_FORMAT, FILE_WRONG_CONTENT, FILE_PASSWORD_PROTECTED,
    /// FILE_TOO_MUCH_DATA, FILE_DAMAGED, FILE_UNKNOWN_ENCODING, NO_TASKS).
    async fn import_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan as a file (.txt, .docx, .xlsx or .xls); give this or `text`.")] file: Option<Upload>,
        #[graphql(desc = "The plan as pasted text; give this or `file`.")] text: Option<String>,
        #[graphql(default_with = "Some(false)", desc = "True to write nothing and return the preview.")]
        dry_run: Option<bool>,
        #[graphql(
            default_with = "Some(false)",
            desc = "True to replace a document already registered under the same number."
        )]
        replace: Option<bool>,
    ) -> Result<ImportResult> {
        let (dry_run, replace) = (dry_run.unwrap_or(false), replace.unwrap_or(false));
        let options = ImportOptions { dry_run, replace };
        let (db, caller) = (context::db(ctx), context::caller(ctx));
        let outcome = match (file, text) {
            (Some(file), None) => {
                let upload = upload(ctx, file)?;
                let name = upload.filename.clone();
                import::import_file(db, caller, &name, upload.into_read(), options).await.map_err(refused)?
            }
            (None, Some(text)) => import::import_plan(db, caller, &text, options).await.gql()?,
            _ => return Err(AppError::bad_input("give exactly one of file and text").extend()),
        };
        feed_loaders(ctx, &outcome).await;
        Ok(into_result(outcome, dry_run))
    }
}

/// The uploaded file behind `file`. A variable that names no uploaded file (a JSON request
/// that spells out an upload's placeholder) is bad input, not a crash.
fn upload(ctx: &Context<'_>, file: Upload) -> Result<async_graphql::UploadValue> {
    if file.0 >= ctx.query_env.uploads.len() {
        return Err(AppError::bad_input("file must be uploaded as a multipart request").extend());
    }
    file.value(ctx).map_err(|error| AppError::internal(anyhow::Error::new(error)).extend())
}

/// A refused file import: its code, and for a file the reader refused, `extensions.reason`.
fn refused(error: FileImportError) -> async_graphql::Error {
    let reason = error.reason();
    let extended = error.into_app_error().extend();
    match reason {
        Some(reason) => extended.extend_with(|_, e| e.set("reason", reason)),
        None => extended,
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
    let task_ids: HashMap<i32, i32> = outcome.tasks.iter().map(|t| (t.seq, t.id)).collect();
    let checks = outcome
        .checks
        .into_iter()
        .filter_map(|c| {
            let task_id = ID::from(task_ids.get(&c.seq)?.to_string());
            Some(ImportCheck { task_id, seq: c.seq, code: c.code.to_owned(), message: c.message })
        })
        .collect();
    ImportResult {
        checks,
        document: Some(Document(outcome.document)),
        tasks: outcome.tasks.into_iter().map(Task::from).collect(),
        warnings: outcome
            .warnings
            .into_iter()
            .map(|w| ImportWarning { line: w.line.map(|l| l as i32), code: w.code, message: w.message })
            .collect(),
        created_departments: outcome.created_departments.into_iter().map(Department::from).collect(),
        dry_run,
    }
}
