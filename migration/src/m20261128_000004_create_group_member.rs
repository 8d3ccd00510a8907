use super::m20261128_000002_create_department::Department;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(GroupMember::Table)
                    .col(integer(GroupMember::GroupId))
                    .col(integer(GroupMember::MemberId))
                    .primary_key(
                        Index::create().name("pk-group_member").col(GroupMember::GroupId).col(GroupMember::MemberId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-group_member-group_id")
                            .from(GroupMember::Table, GroupMember::GroupId)
                            .to(Department::Table, Department::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-group_member-member_id")
                            .from(GroupMember::Table, GroupMember::MemberId)
                            .to(Department::Table, Department::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index_on(GroupMember::Table, GroupMember::MemberId, "idx-group_member-member_id"))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(GroupMember::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum GroupMember {
    Table,
    GroupId,
    MemberId,
}
