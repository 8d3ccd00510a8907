//! A part held for a group (各镇人民政府) by one of its members: each member unit acts on the task
//! through a part of its own, and `via_group_id` names the group it stands in for.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::add_columns(manager, Assignment::Table, vec![integer_null(Assignment::ViaGroupId)]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::drop_columns(manager, Assignment::Table, &[Assignment::ViaGroupId]).await
    }
}

#[derive(DeriveIden, Clone)]
enum Assignment {
    Table,
    ViaGroupId,
}
