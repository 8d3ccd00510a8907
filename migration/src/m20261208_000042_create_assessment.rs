//! Assessment (考核): the office's scoring rules (one row, points per fact and the period they
//! are judged over) and the assessments it publishes, each a frozen snapshot of every unit's
//! score, rank and the facts behind it; a correction is a new version, the old one kept.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AssessmentRules::Table)
                    .col(integer(AssessmentRules::Id).primary_key())
                    .col(integer(AssessmentRules::Base))
                    .col(integer(AssessmentRules::CompletedOnTime))
                    .col(integer(AssessmentRules::CompletedLate))
                    .col(integer(AssessmentRules::PeriodOnTime))
                    .col(integer(AssessmentRules::PeriodLate))
                    .col(integer(AssessmentRules::PeriodMissed))
                    .col(integer(AssessmentRules::SignedLate))
                    .col(integer(AssessmentRules::Urged))
                    .col(integer(AssessmentRules::UrgingAnsweredLate))
                    .col(integer(AssessmentRules::CompletionReturned))
                    .col(string_len(AssessmentRules::JudgedOver, 16))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PublishedAssessment::Table)
                    .col(pk_auto(PublishedAssessment::Id))
                    .col(string_len(PublishedAssessment::Period, 16))
                    .col(integer_null(PublishedAssessment::DocumentId))
                    .col(integer(PublishedAssessment::Version))
                    .col(date(PublishedAssessment::JudgedOn))
                    .col(timestamp_with_time_zone(PublishedAssessment::PublishedAt))
                    .col(integer_null(PublishedAssessment::PublishedBy))
                    .col(text(PublishedAssessment::Payload))
                    .to_owned(),
            )
            .await?;
        // One row per version of a period's assessment, of one plan or of all (document 0).
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX \"idx-published_assessment-version\" ON published_assessment \
                 (period, COALESCE(document_id, 0), version)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(PublishedAssessment::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(AssessmentRules::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum AssessmentRules {
    Table,
    Id,
    Base,
    CompletedOnTime,
    CompletedLate,
    PeriodOnTime,
    PeriodLate,
    PeriodMissed,
    SignedLate,
    Urged,
    UrgingAnsweredLate,
    CompletionReturned,
    JudgedOver,
}

#[derive(DeriveIden)]
enum PublishedAssessment {
    Table,
    Id,
    Period,
    DocumentId,
    Version,
    JudgedOn,
    PublishedAt,
    PublishedBy,
    Payload,
}
