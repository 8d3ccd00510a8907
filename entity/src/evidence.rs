//! A file of evidence (佐证材料): staged by a unit's account, then attached to what it backs
//! (`target`, `target_id`, `task_id` set together). Its bytes live in object storage under
//! `storage_key`; the row keeps what a reader needs to trust them (type, size, SHA-256).

use crate::enums::EvidenceTarget;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "evidence")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The object's key in storage; never shown to clients.
    #[sea_orm(unique)]
    #[serde(skip)]
    pub storage_key: String,
    /// The file name as cleaned on upload.
    pub file_name: String,
    /// The type found in the content (not the name).
    pub content_type: String,
    pub byte_size: i64,
    /// Lower-case hex SHA-256 of the content.
    pub sha256: String,
    /// The unit that uploaded it (the author of what it backs).
    pub department_id: i32,
    pub uploaded_by: i32,
    pub uploaded_at: DateTimeUtc,
    /// Unset while staged.
    pub task_id: Option<i32>,
    pub target: Option<EvidenceTarget>,
    pub target_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
