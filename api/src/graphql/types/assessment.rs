//! Assessment (考核) as GraphQL: scoring rules, each unit's score, rank and the facts behind
//! every point, and published versions.

use super::enums::{AssessmentFactKind, AssessmentPeriodKind};
use crate::domain::assessment::{self as domain, Assessed, ScoredFact, Span};
use crate::graphql::scalars::{Date, DateTime};
use async_graphql::{ID, InputObject, Object, SimpleObject};

/// The period an assessment judges: a year, with a month or a quarter of it (the whole year
/// when neither is given).
#[derive(InputObject, Debug, Clone, Copy)]
pub struct AssessmentPeriodInput {
    /// The year (2000 to 2100).
    pub year: i32,
    /// A month of it (1 to 12).
    pub month: Option<u32>,
    /// A quarter of it (1 to 4).
    pub quarter: Option<u32>,
}

impl AssessmentPeriodInput {
    /// The domain's span (BAD_USER_INPUT for one that names no period).
    pub fn into_domain(self) -> crate::error::AppResult<Span> {
        Span::named(self.year, self.month, self.quarter)
    }
}

/// Points per fact, and the period the office judges over by default. A unit's score is
/// `base` plus the points of each of its facts.
#[derive(SimpleObject, InputObject, Debug, Clone, Copy)]
#[graphql(input_name = "AssessmentRulesInput")]
pub struct AssessmentRules {
    /// Every unit's score before its facts count (0 to 1000).
    pub base: i32,
    /// A task the unit led, completed on time (points −100 to 100, as all below).
    pub completed_on_time: i32,
    /// A task the unit led, completed late; at most `completedOnTime`.
    pub completed_late: i32,
    /// A reporting period answered on time.
    pub period_on_time: i32,
    /// A reporting period answered late (补报); at most `periodOnTime`.
    pub period_late: i32,
    /// A reporting period missed; at most `periodLate`.
    pub period_missed: i32,
    /// A sign-off made after its deadline, or not made.
    pub signed_late: i32,
    /// An urging received.
    pub urged: i32,
    /// An urging answered after its reply-by day, or not answered.
    pub urging_answered_late: i32,
    /// A completion report returned (退回).
    pub completion_returned: i32,
    /// The period `assessment` judges when none is named.
    pub judged_over: AssessmentPeriodKind,
}

impl From<domain::Rules> for AssessmentRules {
    fn from(r: domain::Rules) -> Self {
        AssessmentRules {
            base: r.base,
            completed_on_time: r.completed_on_time,
            completed_late: r.completed_late,
            period_on_time: r.period_on_time,
            period_late: r.period_late,
            period_missed: r.period_missed,
            signed_late: r.signed_late,
            urged: r.urged,
            urging_answered_late: r.urging_answered_late,
            completion_returned: r.completion_returned,
            judged_over: r.judged_over.into(),
        }
    }
}

impl From<AssessmentRules> for domain::Rules {
    fn from(r: AssessmentRules) -> Self {
        domain::Rules {
            base: r.base,
            completed_on_time: r.completed_on_time,
            completed_late: r.completed_late,
            period_on_time: r.period_on_time,
            period_late: r.period_late,
            period_missed: r.period_missed,
            signed_late: r.signed_late,
            urged: r.urged,
            urging_answered_late: r.urging_answered_late,
            completion_returned: r.completion_returned,
            judged_over: r.judged_over.into(),
        }
    }
}

/// A unit's assessment for a period: its score, its rank, and the facts behind every point.
pub struct Assessment(pub domain::Assessment);

/// A period's assessment (考核): every unit the viewer may read, ranked, with its score and the
/// facts behind every point; computed from the record or as published.
#[Object]
impl Assessment {
    /// The period's key: `2015-03`, `2015-Q1` or `2015`.
    async fn period(&self) -> String {
        self.0.span.key()
    }

    /// Whether the period is a month, a quarter or a year.
    async fn period_kind(&self) -> AssessmentPeriodKind {
        self.0.span.kind.into()
    }

    /// The period's first day.
    async fn from(&self) -> Date {
        Date(self.0.span.first())
    }

    /// The period's last day.
    async fn to(&self) -> Date {
        Date(self.0.span.last())
    }

    /// The plan judged; null for all plans.
    async fn document_id(&self) -> Option<ID> {
        self.0.document_id.map(ID::from)
    }

    /// The day its facts were judged as of (a period still running is judged so far).
    async fn judged_on(&self) -> Date {
        Date(self.0.judged_on)
    }

    /// The rules it was scored by.
    async fn rules(&self) -> AssessmentRules {
        self.0.rules.into()
    }

    /// Its published version; null when computed from the record as it stands.
    async fn version(&self) -> Option<i32> {
        self.0.version
    }

    /// When that version was published.
    async fn published_at(&self) -> Option<DateTime> {
        self.0.published_at.map(DateTime)
    }

    /// The units judged, best first (a unit's viewer sees only its own row, with its rank).
    async fn units(&self) -> Vec<AssessedUnit<'_>> {
        self.0.units.iter().map(AssessedUnit).collect()
    }
}

/// One unit's place in an assessment.
pub struct AssessedUnit<'a>(&'a Assessed);

/// One unit's place in an assessment: rank, score, and the facts behind it.
#[Object]
impl AssessedUnit<'_> {
    /// The unit's id.
    async fn unit_id(&self) -> ID {
        ID::from(self.0.unit.id)
    }

    /// The unit's name (as it was when judged).
    async fn unit_name(&self) -> &str {
        &self.0.unit.name
    }

    /// 1 for the best score; equal scores share a rank (1, 1, 3).
    async fn rank(&self) -> i32 {
        self.0.rank
    }

    /// The rules' base plus the points of every fact.
    async fn score(&self) -> i32 {
        self.0.score
    }

    /// How many facts of each kind (kinds without a fact left out).
    async fn counts(&self) -> Vec<AssessmentCount> {
        let mut counts: std::collections::BTreeMap<domain::FactKind, (i32, i32)> = Default::default();
        for fact in &self.0.facts {
            let entry = counts.entry(fact.fact.kind).or_default();
            entry.0 += 1;
            entry.1 += fact.points;
        }
        counts.into_iter().map(|(kind, (count, points))| AssessmentCount { kind: kind.into(), count, points }).collect()
    }

    /// Every fact behind the score, by day: why each point was gained or lost.
    async fn facts(&self) -> Vec<AssessmentFact<'_>> {
        self.0.facts.iter().map(AssessmentFact).collect()
    }
}

/// How many facts of one kind a unit has, and what they are worth together.
#[derive(SimpleObject)]
pub struct AssessmentCount {
    /// The kind of fact.
    pub kind: AssessmentFactKind,
    /// How many facts of that kind.
    pub count: i32,
    /// Their points together.
    pub points: i32,
}

/// One fact behind a score.
pub struct AssessmentFact<'a>(&'a ScoredFact);

/// One fact behind a score: what happened, on which task and day, and its points.
#[Object]
impl AssessmentFact<'_> {
    /// The rule it counts under.
    async fn kind(&self) -> AssessmentFactKind {
        self.0.fact.kind.into()
    }

    /// Its points under the rules the assessment was scored by.
    async fn points(&self) -> i32 {
        self.0.points
    }

    /// The day it happened on: the completion's approval, the period's or deadline's due day,
    /// the urging's sending, the return.
    async fn on(&self) -> Date {
        Date(self.0.fact.on)
    }

    /// The due day it was judged against, when there was one.
    async fn due_on(&self) -> Option<Date> {
        self.0.fact.due_on.map(Date)
    }

    /// The task it is about.
    async fn task_id(&self) -> ID {
        ID::from(self.0.fact.task_id)
    }

    /// The task's number in its plan (as it was when judged).
    async fn task_seq(&self) -> Option<i32> {
        self.0.task.as_ref().map(|t| t.seq)
    }

    /// The task's title (as it was when judged).
    async fn task_title(&self) -> Option<&str> {
        self.0.task.as_ref().map(|t| t.title.as_str())
    }
}

/// A published version of an assessment.
#[derive(SimpleObject)]
pub struct AssessmentVersion {
    /// 1 for the first publication, then 2, 3, … for corrections.
    pub version: i32,
    /// When it was published.
    pub published_at: DateTime,
}
