//! Which units a group (such as 各镇人民政府) stands for.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "group_member")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub group_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub member_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::department::Entity", from = "Column::GroupId", to = "super::department::Column::Id")]
    Group,
    #[sea_orm(
        belongs_to = "super::department::Entity",
        from = "Column::MemberId",
        to = "super::department::Column::Id"
    )]
    Member,
}

impl ActiveModelBehavior for ActiveModel {}
