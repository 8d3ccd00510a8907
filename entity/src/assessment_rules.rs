//! The office's scoring rules for assessment (考核): one row (id 1), points per fact.

use crate::enums::AssessmentPeriodKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "assessment_rules")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    /// Every unit's score before its facts count.
    pub base: i32,
    pub completed_on_time: i32,
    pub completed_late: i32,
    pub period_on_time: i32,
    pub period_late: i32,
    pub period_missed: i32,
    pub signed_late: i32,
    pub urged: i32,
    pub urging_answered_late: i32,
    pub completion_returned: i32,
    /// The span the office judges over by default.
    pub judged_over: AssessmentPeriodKind,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
