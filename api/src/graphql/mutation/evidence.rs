//! Uploading evidence (佐证材料) before the verb that attaches it, and discarding a file
//! uploaded by mistake.

use crate::domain::evidence;
use crate::error::{AppError, IntoGql};
use crate::graphql::context::{self, parse_id};
use crate::graphql::types::evidence::Evidence;
use async_graphql::{Context, ErrorExtensions, ID, Object, Result, Upload};
use std::io::Read;

#[derive(Default)]
pub struct EvidenceMutation;

/// Mutations of evidence files.
#[Object]
impl EvidenceMutation {
    /// Uploads one file of evidence for the caller's unit, as the GraphQL multipart request
    /// spec describes (one file per request, so a slow line retries only the file that failed;
    /// uploads need an Authorization header). The file is staged: pass its id in `evidence` of
    /// `submitReport`, `submitCompletion`, `answerUrging` or `respondToInstruction` to attach it;
    /// a staged file never attached is deleted after `DUBAN_EVIDENCE_STAGED_HOURS`.
    /// Refusals are BAD_USER_INPUT with `extensions.reason`: FILE_EMPTY, FILE_TOO_LARGE (over
    /// `DUBAN_EVIDENCE_MAX_FILE_MB`), FILE_TYPE_REFUSED (pictures, PDF and Office files are
    /// accepted, told by the content; archives only when the office allows them). Only units'
    /// accounts upload (FORBIDDEN for admins and leaders).
    async fn upload_evidence(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The file, as a multipart upload.")] file: Upload,
    ) -> Result<Evidence> {
        let files = context::files(ctx);
        if file.0 >= ctx.query_env.uploads.len() {
            return Err(AppError::bad_input("file must be uploaded as a multipart request").extend());
        }
        let upload = file.value(ctx).map_err(|error| AppError::internal(anyhow::Error::new(error)).extend())?;
        let name = upload.filename.clone();
        let limit = files.limits.max_file_bytes();
        let mut bytes = Vec::new();
        // One byte past the limit is enough to refuse it.
        upload
            .into_read()
            .take(limit as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|error| AppError::internal(anyhow::Error::new(error)).extend())?;
        let caller = context::caller(ctx);
        let staged = evidence::stage(context::db(ctx), files, caller, &name, bytes.into()).await.gql()?;
        Ok(Evidence(staged))
    }

    /// Deletes a file the caller's unit uploaded and has not attached (NOT_FOUND for another
    /// unit's; INVALID_STATE once it backs a report, where it stays).
    async fn discard_evidence(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The staged file.")] id: ID,
    ) -> Result<Evidence> {
        let id = parse_id(&id).gql()?;
        let discarded =
            evidence::discard(context::db(ctx), context::files(ctx), context::caller(ctx), id).await.gql()?;
        Ok(Evidence(discarded))
    }
}
