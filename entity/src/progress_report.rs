//! A unit's progress report on a task (进展报送).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "progress_report")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub task_id: i32,
    pub department_id: i32,
    pub author_id: i32,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    pub percent: i32,
    pub created_at: DateTimeUtc,
    /// The county's calendar day the report was sent.
    pub reported_on: Option<Date>,
    /// The due date the report answered, if one was due.
    pub due_on: Option<Date>,
    /// Sent after `due_on` (逾期报送).
    pub late: bool,
    /// Why `percent` is below the unit's last report on the task (required then, empty else).
    #[sea_orm(column_type = "Text", nullable)]
    pub lowered_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::task::Entity", from = "Column::TaskId", to = "super::task::Column::Id")]
    Task,
}

impl Related<super::task::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Task.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
