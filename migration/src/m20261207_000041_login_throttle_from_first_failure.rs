//! Failed-login counters open with their first failure and last a minute from it, instead of
//! counting in windows fixed on the minute: a fixed window let a guesser spend five failures
//! just before the minute and five more just after. The counters are transient (a minute at
//! most), so the table is recreated rather than converted.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Sweeping counters whose minute has passed.
        recreate(manager, LoginThrottle::OpenedAt, "idx-login_throttle-opened_at").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        recreate(manager, LoginThrottle::WindowId, "idx-login_throttle-window_id").await
    }
}

/// The counter table afresh, keyed by subject, with `counted` (when the count began) indexed.
async fn recreate(manager: &SchemaManager<'_>, counted: LoginThrottle, index: &str) -> Result<(), DbErr> {
    manager.drop_table(Table::drop().table(LoginThrottle::Table).to_owned()).await?;
    manager
        .create_table(
            Table::create()
                .table(LoginThrottle::Table)
                .col(string_len(LoginThrottle::Subject, 200).primary_key())
                .col(big_integer(counted.clone()))
                .col(integer(LoginThrottle::Failures))
                .to_owned(),
        )
        .await?;
    manager.create_index(crate::index_on(LoginThrottle::Table, counted, index)).await
}

#[derive(DeriveIden, Clone)]
enum LoginThrottle {
    Table,
    Subject,
    OpenedAt,
    WindowId,
    Failures,
}
