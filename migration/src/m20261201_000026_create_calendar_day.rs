//! The office's working-day calendar: the days that differ from "Monday to Friday": public
//! holidays (法定节假日, not working) and make-up working days on a weekend (调休, working).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CalendarDay::Table)
                    .col(date(CalendarDay::Day).primary_key())
                    .col(boolean(CalendarDay::Working))
                    .col(string_len_null(CalendarDay::Note, 100))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(CalendarDay::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum CalendarDay {
    Table,
    Day,
    Working,
    Note,
}
