//! What the lead unit did about an instruction (落实情况).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "instruction_response")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub instruction_id: i32,
    pub department_id: i32,
    pub author_id: i32,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::instruction::Entity",
        from = "Column::InstructionId",
        to = "super::instruction::Column::Id"
    )]
    Instruction,
}

impl ActiveModelBehavior for ActiveModel {}

impl Related<super::instruction::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Instruction.def()
    }
}
