//! A higher-level policy that was issued, which tasks were waiting for.

use crate::enums::PolicyLevel;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "policy_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub level: PolicyLevel,
    pub title: String,
    pub issued_on: Date,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
