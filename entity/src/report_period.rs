//! One expected progress report of a unit's part (报送周期): due on a day, answered on time,
//! late or missed. A part's periods follow one another: each opens the day after the one
//! before it fell due (or, after a late answer, the day after that answer).

use crate::enums::PeriodState;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "report_period")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub assignment_id: i32,
    /// The part's task and unit, kept for counting by plan and by unit without a join.
    pub task_id: i32,
    pub department_id: i32,
    /// The first day a report answers this period.
    pub opens_on: Date,
    /// The day the report is due by.
    pub due_on: Date,
    pub state: PeriodState,
    /// The day the answering report was sent.
    pub answered_on: Option<Date>,
    /// The report that answered it.
    pub report_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::assignment::Entity",
        from = "Column::AssignmentId",
        to = "super::assignment::Column::Id"
    )]
    Assignment,
}

impl Related<super::assignment::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Assignment.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
