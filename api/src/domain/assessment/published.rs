//! Published assessments (考核结果): the office freezes a span's assessment as it stands; later
//! reports, urgings or rule changes do not move it. Publishing again is a correction: the next
//! version, with every earlier one kept and readable.

use super::period::Span;
use super::{Assessment, compute};
use crate::domain::Caller;
use crate::domain::audit;
use crate::error::{AppError, AppResult};
use crate::policy::rules;
use entity::published_assessment::{self, Column};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

fn of(span: Span, document_id: Option<i32>) -> sea_orm::Select<published_assessment::Entity> {
    let plan = match document_id {
        Some(id) => Column::DocumentId.eq(id),
        None => Column::DocumentId.is_null(),
    };
    published_assessment::Entity::find().filter(Column::Period.eq(span.key())).filter(plan)
}

fn read(row: published_assessment::Model) -> AppResult<Assessment> {
    let mut assessment: Assessment = serde_json::from_str(&row.payload)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("published assessment {} unreadable: {e}", row.id)))?;
    assessment.version = Some(row.version);
    assessment.published_at = Some(row.published_at);
    Ok(assessment)
}

/// The latest published version, if any.
pub(super) async fn latest(
    db: &impl ConnectionTrait,
    span: Span,
    document_id: Option<i32>,
) -> AppResult<Option<Assessment>> {
    of(span, document_id).order_by_desc(Column::Version).one(db).await?.map(read).transpose()
}

/// The latest published version as the caller may read it, if any.
pub async fn latest_for(
    db: &impl ConnectionTrait,
    caller: &Caller,
    span: Span,
    document_id: Option<i32>,
) -> AppResult<Option<Assessment>> {
    let scope = crate::policy::rules::assessed_scope(&caller.viewer)?;
    Ok(latest(db, span, document_id).await?.map(|a| a.seen_in(scope)))
}

/// One published version (`NOT_FOUND` when there is no such version).
pub(super) async fn version(
    db: &impl ConnectionTrait,
    span: Span,
    document_id: Option<i32>,
    version: i32,
) -> AppResult<Assessment> {
    let row = of(span, document_id).filter(Column::Version.eq(version)).one(db).await?;
    read(row.ok_or(AppError::NotFound("published assessment"))?)
}

/// Every published version of the span's assessment, newest first: (version, when).
pub async fn versions(
    db: &impl ConnectionTrait,
    caller: &Caller,
    span: Span,
    document_id: Option<i32>,
) -> AppResult<Vec<(i32, chrono::DateTime<chrono::Utc>)>> {
    rules::signed_in(&caller.viewer)?;
    let rows = of(span, document_id).order_by_desc(Column::Version).all(db).await?;
    Ok(rows.into_iter().map(|r| (r.version, r.published_at)).collect())
}

/// Publishes the span's assessment as it stands today (admins): the next version.
pub async fn publish(
    db: &impl TransactionTrait,
    caller: &Caller,
    span: Span,
    document_id: Option<i32>,
) -> AppResult<Assessment> {
    rules::admin(&caller.viewer)?;
    if span.first() > caller.today() {
        return Err(AppError::bad_input("the period has not begun"));
    }
    let txn = audit::begin(db, caller).await?;
    if let Some(id) = document_id {
        crate::domain::documents::get(&txn, caller, id).await?.ok_or(AppError::NotFound("document"))?;
    }
    let assessment = compute(&txn, span, document_id, caller.today()).await?;
    let previous = of(span, document_id).order_by_desc(Column::Version).one(&txn).await?;
    let version = previous.map_or(1, |row| row.version + 1);
    let payload = serde_json::to_string(&assessment).map_err(|e| AppError::Internal(e.into()))?;
    let row = published_assessment::ActiveModel {
        period: Set(span.key()),
        document_id: Set(document_id),
        version: Set(version),
        judged_on: Set(assessment.judged_on),
        published_at: Set(caller.at.now),
        published_by: Set(caller.viewer.principal().map(|p| p.user_id)),
        payload: Set(payload),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // The trail records what was published (each unit's score and rank), not every fact.
    let summary = serde_json::json!({
        "period": row.period,
        "documentId": row.document_id,
        "version": row.version,
        "judgedOn": row.judged_on,
        "scores": assessment.units.iter().map(|u| serde_json::json!({
            "unitId": u.unit.id, "score": u.score, "rank": u.rank,
        })).collect::<Vec<_>>(),
    });
    caller.record(audit::keyed(audit::Table::PublishedAssessment, row.id, audit::Action::Create, None, Some(summary)));
    audit::commit(txn, caller, audit::Operation::PublishAssessment).await?;
    read(row)
}
