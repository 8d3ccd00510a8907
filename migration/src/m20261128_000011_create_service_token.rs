use super::m20261128_000007_create_app_user::AppUser;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ServiceToken::Table)
                    .col(pk_auto(ServiceToken::Id))
                    .col(integer(ServiceToken::UserId))
                    .col(string(ServiceToken::Name))
                    .col(string(ServiceToken::TokenHash))
                    .col(timestamp_with_time_zone(ServiceToken::CreatedAt))
                    .col(timestamp_with_time_zone_null(ServiceToken::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-service_token-user_id")
                            .from(ServiceToken::Table, ServiceToken::UserId)
                            .to(AppUser::Table, AppUser::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq-service_token-token_hash")
                    .table(ServiceToken::Table)
                    .col(ServiceToken::TokenHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index_on(ServiceToken::Table, ServiceToken::UserId, "idx-service_token-user_id"))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ServiceToken::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone)]
enum ServiceToken {
    Table,
    Id,
    UserId,
    Name,
    TokenHash,
    CreatedAt,
    RevokedAt,
}
