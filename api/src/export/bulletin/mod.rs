//! The monthly bulletin (督查通报): what the office publishes to every unit and the leadership,
//! as a Word document in the form of an official notice. [`figures`] gathers it from the record
//! (the statistics, the month's assessment facts, the published ranking, red tasks, leaders'
//! instructions); [`word`] writes it.

pub mod chart;
pub mod figures;
pub mod word;

pub use figures::{Bulletin, gather};

use crate::domain::Caller;
use crate::domain::assessment::Span;
use crate::error::AppResult;
use sea_orm::ConnectionTrait;

/// A bulletin written as a Word file.
#[derive(Debug, Clone)]
pub struct BulletinFile {
    /// `督查通报-2015-03.docx`.
    pub file_name: String,
    /// `bulletin-2015-03.docx`.
    pub ascii_file_name: String,
    pub bytes: Vec<u8>,
}

/// The bulletin of `month` (one plan's, or all plans') as the office and leaders read it.
pub async fn bulletin_file(
    db: &impl ConnectionTrait,
    caller: &Caller,
    month: Span,
    document_id: Option<i32>,
) -> AppResult<BulletinFile> {
    let bulletin = gather(db, caller, month, document_id).await?;
    let bytes = word::write(&bulletin)?;
    Ok(BulletinFile {
        file_name: format!("督查通报-{}.docx", month.key()),
        ascii_file_name: format!("bulletin-{}.docx", month.key()),
        bytes,
    })
}
