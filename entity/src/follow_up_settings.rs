//! The office's follow-up thresholds (one row, id 1).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "follow_up_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub approaching_days: i32,
    pub urgent_days: i32,
    pub pace_yellow_points: i32,
    pub pace_red_points: i32,
    pub sign_working_days: i32,
    /// Months after a policy's issue for a task waiting for it that names no period.
    pub policy_default_months: i32,
    /// Days between two urgings of an overdue task's lead unit before it is due another.
    pub urge_again_days: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
