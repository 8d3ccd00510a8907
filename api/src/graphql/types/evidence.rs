//! The `Evidence` type: a file backing a report (佐证材料).

use super::Department;
use crate::graphql::context;
use crate::graphql::loaders::load_failed;
use crate::graphql::scalars::DateTime;
use async_graphql::{Context, ID, Object, Result};
use entity::evidence;

pub struct Evidence(pub evidence::Model);

/// A file of evidence (佐证材料): a photo of the site, the signed document, minutes, a
/// spreadsheet of figures. Uploaded with `uploadEvidence`, then attached by the verb that writes
/// what it backs (`submitReport`, `submitCompletion`, `answerUrging`, `respondToInstruction`);
/// readable by whoever may read what it backs.
#[Object]
impl Evidence {
    /// Stable identifier; pass it in `evidence` to attach the file.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The file name, cleaned (no path, no reserved characters; the extension follows the
    /// content).
    async fn file_name(&self) -> &str {
        &self.0.file_name
    }

    /// The type found in the content, such as `image/jpeg` or `application/pdf`.
    async fn content_type(&self) -> &str {
        &self.0.content_type
    }

    /// Size in bytes.
    async fn byte_size(&self) -> i64 {
        self.0.byte_size
    }

    /// SHA-256 of the content, lower-case hex; the audit trail keeps it too, so a changed file
    /// is detectable.
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }

    /// When it was uploaded.
    async fn uploaded_at(&self) -> DateTime {
        DateTime(self.0.uploaded_at)
    }

    /// The unit that uploaded it.
    async fn department(&self, ctx: &Context<'_>) -> Result<Option<Department>> {
        let dept = context::loaders(ctx).departments.load_one(self.0.department_id).await.map_err(load_failed)?;
        Ok(dept.map(Department::from))
    }

    /// False while staged (uploaded, not yet attached to a report).
    async fn attached(&self) -> bool {
        self.0.target.is_some()
    }

    /// A link to download the file, relative to the server (`/files/{id}?expires=…&signature=…`),
    /// that works for five minutes without a token (for `<img src>`). `GET /files/{id}` with the
    /// bearer token works too.
    async fn url(&self, ctx: &Context<'_>) -> String {
        // Real time, not the office's day (`DUBAN_TODAY` may pin it): links expire in minutes.
        context::files(ctx).links.link(self.0.id, chrono::Utc::now().timestamp())
    }
}

/// The files behind one report, answer or response, oldest first.
pub async fn behind(ctx: &Context<'_>, target: entity::EvidenceTarget, id: i32) -> Result<Vec<Evidence>> {
    let rows = context::loaders(ctx).evidence.load_one((target, id)).await.map_err(load_failed)?;
    Ok(rows.unwrap_or_default().into_iter().map(Evidence).collect())
}
