//! Assessment (考核): each unit's score for a span (a month, quarter or year) of one plan or
//! all, from the facts on record ([`facts`]) and the office's scoring rules ([`rules`]),
//! ranked; and the assessments the office publishes, frozen as published ([`published`]).
//!
//! A unit's score is the rules' base plus the points of each of its facts; units are ranked by
//! score, equal scores sharing a rank (1, 1, 3). A unit reads only its own row, with its rank;
//! the office and leaders read every row.

pub mod facts;
pub mod period;
pub mod published;
pub mod ranking;
pub mod rules;

use crate::domain::Caller;
use crate::error::{AppError, AppResult};
use crate::policy::rules::{AssessedScope, assessed_scope};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;

pub use facts::{Fact, FactKind, TaskLabel, Unit};
pub use period::Span;
pub use rules::Rules;

/// One fact with its points and the task it is about.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ScoredFact {
    #[serde(flatten)]
    pub fact: Fact,
    pub points: i32,
    pub task: Option<TaskLabel>,
}

/// One unit's place in an assessment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Assessed {
    pub unit: Unit,
    pub rank: i32,
    pub score: i32,
    pub facts: Vec<ScoredFact>,
}

/// An assessment: computed now, or as published.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Assessment {
    pub span: Span,
    pub document_id: Option<i32>,
    /// The day its facts were judged as of.
    pub judged_on: NaiveDate,
    pub rules: Rules,
    /// Every unit judged, best first.
    pub units: Vec<Assessed>,
    /// Set when it is a published version.
    pub version: Option<i32>,
    pub published_at: Option<DateTime<Utc>>,
}

impl Assessment {
    /// The same assessment as `scope` may read it.
    pub fn seen_in(mut self, scope: AssessedScope) -> Assessment {
        if let AssessedScope::Unit(unit) = scope {
            self.units.retain(|u| u.unit.id == unit);
        }
        self
    }
}

/// Scores the facts on record for `span` as of `today`.
pub(crate) async fn compute(
    db: &impl ConnectionTrait,
    span: Span,
    document_id: Option<i32>,
    today: NaiveDate,
) -> AppResult<Assessment> {
    let rules = rules::load(db).await?;
    let record = facts::read(db, span, document_id, today).await?;
    Ok(Assessment {
        span,
        document_id,
        judged_on: today,
        rules,
        units: ranking::rank(&rules, record),
        version: None,
        published_at: None,
    })
}

/// Which assessment a reader asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The latest published version, or computed now when none is published.
    Latest,
    /// Computed now from the record as it stands, published or not.
    Live,
    /// One published version.
    Version(i32),
}

/// The assessment of `span` (the rules' span holding today when `None`) for one plan or all,
/// as the caller may read it.
pub async fn assessment(
    db: &impl ConnectionTrait,
    caller: &Caller,
    span: Option<Span>,
    document_id: Option<i32>,
    which: Which,
) -> AppResult<Assessment> {
    let scope = assessed_scope(&caller.viewer)?;
    let span = match span {
        Some(span) => span,
        None => Span::holding(rules::load(db).await?.judged_over, caller.today()),
    };
    if let Some(id) = document_id {
        crate::domain::documents::get(db, caller, id).await?.ok_or(AppError::NotFound("document"))?;
    }
    let found = match which {
        Which::Live => None,
        Which::Latest => published::latest(db, span, document_id).await?,
        Which::Version(version) => Some(published::version(db, span, document_id, version).await?),
    };
    let assessment = match found {
        Some(published) => published,
        None => compute(db, span, document_id, caller.today()).await?,
    };
    Ok(assessment.seen_in(scope))
}
