//! An urging notice (催办) to one unit about one task, and the unit's answer.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "urging")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub task_id: i32,
    pub department_id: i32,
    pub sent_by: i32,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    pub reply_by: Option<Date>,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
    pub answered_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub answer: Option<String>,
    pub answered_by: Option<i32>,
    /// Closed unanswered because its task was closed (approved or archived).
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
