//! Failed-login counters, shared by every duban process on the database: one row per counter
//! key (`pair:…`, `ip:…`, `user:…`), counting failures in the current one-minute window.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LoginThrottle::Table)
                    .col(string_len(LoginThrottle::Subject, 200).primary_key())
                    .col(big_integer(LoginThrottle::WindowId))
                    .col(integer(LoginThrottle::Failures))
                    .to_owned(),
            )
            .await?;
        // Sweeping finished windows.
        manager
            .create_index(crate::index_on(
                LoginThrottle::Table,
                LoginThrottle::WindowId,
                "idx-login_throttle-window_id",
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(LoginThrottle::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    Subject,
    WindowId,
    Failures,
}
