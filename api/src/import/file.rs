//! Importing a plan file (.txt, .docx, .xlsx, .xls): the file is read into a parsed plan
//! ([`super::read::parse_file`]), then written exactly as pasted text is
//! ([`super::pipeline::import_parsed`]). A refused file keeps its reason (`FILE_…`), so
//! clients and the command line can say what to change.

use super::pipeline::{ImportOptions, ImportOutcome, import_parsed};
use super::read::{self, ReadError};
use crate::domain::Caller;
use crate::error::AppError;
use crate::policy::rules;
use sea_orm::TransactionTrait;
use std::io::Read;

/// Why a file import failed.
#[derive(Debug, thiserror::Error)]
pub enum FileImportError {
    /// The file itself: its reader refused it (always `BAD_USER_INPUT`, with a reason).
    #[error(transparent)]
    Unreadable(#[from] ReadError),
    /// Anything an import of pasted text can fail with (who may import, duplicates, …).
    #[error(transparent)]
    Import(#[from] AppError),
}

impl FileImportError {
    /// The reader's sub-code (`FILE_PASSWORD_PROTECTED`, `NO_TASKS`, …), when the file was refused.
    pub fn reason(&self) -> Option<&'static str> {
        match self {
            FileImportError::Unreadable(error) => Some(error.code()),
            FileImportError::Import(_) => None,
        }
    }

    /// The error with its stable `code` (the reason, if any, is [`FileImportError::reason`]).
    pub fn into_app_error(self) -> AppError {
        match self {
            FileImportError::Unreadable(error) => error.into(),
            FileImportError::Import(error) => error,
        }
    }
}

/// Imports the plan file `file_name` (its extension says how to read `content`) for admins and
/// the console. The document keeps the text the reader extracted from the file.
///
/// At most [`read::MAX_FILE_BYTES`] + 1 bytes are read from `content`, so an oversized file is
/// refused without being read whole. Reading and parsing run on the blocking pool: unpacking a
/// 10 MB workbook is CPU work the request's worker should not wait on. When this future is
/// dropped (the request timed out, the client left), the parse stops at its next check instead
/// of running on for nobody.
#[tracing::instrument(skip_all, fields(file_name, dry_run = options.dry_run))]
pub async fn import_file(
    db: &impl TransactionTrait,
    caller: &Caller,
    file_name: &str,
    content: impl Read + Send + 'static,
    options: ImportOptions,
) -> Result<ImportOutcome, FileImportError> {
    rules::admin(&caller.viewer)?;
    let name = file_name.to_owned();
    let cancel = read::Cancel::default();
    let _stop_when_dropped = cancel.on_drop();
    let parsed = tokio::task::spawn_blocking(move || {
        let mut bytes = Vec::new();
        let limit = u64::try_from(read::MAX_FILE_BYTES + 1).unwrap_or(u64::MAX);
        content.take(limit).read_to_end(&mut bytes).map_err(|e| AppError::internal(anyhow::Error::new(e)))?;
        Ok::<_, FileImportError>(read::parse_file_until(&name, &bytes, &cancel)?)
    })
    .await
    .map_err(AppError::internal)??;
    Ok(import_parsed(db, caller, parsed, options).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::{refused_before_any_statement, unit_caller};

    #[tokio::test]
    async fn only_admins_import_files_and_they_are_refused_before_the_file_is_read() {
        let db = sea_orm::DatabaseConnection::default();
        for caller in unit_caller() {
            let content = std::io::Cursor::new(crate::bootstrap::SAMPLE_PLAN.as_bytes());
            let result = import_file(&db, &caller, "plan.txt", content, ImportOptions::default()).await;
            assert!(result.as_ref().is_err_and(|e| e.reason().is_none()));
            refused_before_any_statement(result.map_err(FileImportError::into_app_error));
        }
    }

    #[test]
    fn a_refused_file_keeps_its_reason_and_is_bad_input() {
        let error = FileImportError::from(ReadError::PasswordProtected);
        assert_eq!(error.reason(), Some("FILE_PASSWORD_PROTECTED"));
        assert_eq!(error.into_app_error().code(), "BAD_USER_INPUT");
    }
}
