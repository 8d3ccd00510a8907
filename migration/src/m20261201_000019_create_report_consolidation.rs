//! A lead unit's report that consolidates (汇总) its supporting units' reports.

use super::m20261128_000008_create_progress_report::ProgressReport;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReportConsolidation::Table)
                    .col(integer(ReportConsolidation::ReportId))
                    .col(integer(ReportConsolidation::ConsolidatedId))
                    .primary_key(
                        Index::create().col(ReportConsolidation::ReportId).col(ReportConsolidation::ConsolidatedId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-report_consolidation-report_id")
                            .from(ReportConsolidation::Table, ReportConsolidation::ReportId)
                            .to(ProgressReport::Table, ProgressReport::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk-report_consolidation-consolidated_id")
                            .from(ReportConsolidation::Table, ReportConsolidation::ConsolidatedId)
                            .to(ProgressReport::Table, ProgressReport::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index_on(
                ReportConsolidation::Table,
                ReportConsolidation::ConsolidatedId,
                "idx-report_consolidation-consolidated_id",
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ReportConsolidation::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum ReportConsolidation {
    Table,
    ReportId,
    ConsolidatedId,
}
