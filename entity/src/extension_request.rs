//! A lead unit's request to move a task's due date (延期申请) and the office's decision.

use crate::enums::ExtensionStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "extension_request")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub task_id: i32,
    /// The unit that asked (the task's lead).
    pub department_id: i32,
    pub requested_by: i32,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    #[sea_orm(column_type = "Text")]
    pub progress: String,
    /// The due date when the request was made.
    pub current_due: Option<Date>,
    pub proposed_due: Date,
    pub status: ExtensionStatus,
    pub decided_by: Option<i32>,
    /// The new due date an approval set (the proposed one, or another).
    pub decided_due: Option<Date>,
    #[sea_orm(column_type = "Text", nullable)]
    pub comment: Option<String>,
    pub created_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
