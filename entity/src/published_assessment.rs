//! A published assessment (考核结果): every unit's score, rank and facts for one period (and one
//! plan, or all), frozen as it was published. A correction is the next version.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "published_assessment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The period's key: `2015-03`, `2015-Q1` or `2015`.
    pub period: String,
    /// The plan judged; none for all plans.
    pub document_id: Option<i32>,
    /// 1 for the first publication of the period and plan, then 2, 3, … for corrections.
    pub version: i32,
    /// The day the facts were judged as of.
    pub judged_on: Date,
    pub published_at: DateTimeUtc,
    pub published_by: Option<i32>,
    /// The assessment as published (JSON).
    pub payload: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
