//! One entry of the audit trail: a change to one entity, who made it and from where, the
//! fields before and after (JSON text), chained to the entry before it by hash.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "audit_entry")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub at: DateTimeUtc,
    /// `USER`, `SERVICE` (a service token), `CONSOLE` (the command line, start-up work).
    pub actor_kind: String,
    pub actor_id: Option<i32>,
    pub service_token_id: Option<i32>,
    pub client_address: Option<String>,
    /// The operation that made the change: a mutation's name, `importPlan`, `cli:…`.
    pub operation: String,
    /// The table of the changed row.
    pub entity: String,
    pub entity_id: i32,
    /// The task the change belongs to (its timeline), if any.
    pub task_id: Option<i32>,
    /// `CREATE`, `UPDATE`, `DELETE` or `LOGIN`.
    pub action: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub before: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
    /// How `hash` was made: NULL, plain SHA-256 (entries written before the trail was keyed);
    /// `hmac:<key id>`, HMAC-SHA256 under the audit key with that id.
    pub chain: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
