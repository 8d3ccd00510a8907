//! An endpoint a unit's system (or the office) registered for events.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "webhook")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The account whose view the events follow (a SERVICE account, or an admin).
    pub owner_id: i32,
    #[sea_orm(column_type = "Text")]
    pub url: String,
    /// The event kinds it wants, comma-separated (`TASK_ASSIGNED,URGED`).
    pub events: String,
    /// Signs each delivery (HMAC-SHA256); shown once, when the webhook is created.
    #[serde(skip)]
    pub secret: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
