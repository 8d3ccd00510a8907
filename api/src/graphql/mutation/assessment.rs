//! The office's assessment (考核) verbs: setting the scoring rules and publishing a period's
//! assessment.

use crate::domain::assessment;
use crate::error::IntoGql;
use crate::graphql::context::{self, parse_opt_id};
use crate::graphql::types::assessment::{Assessment, AssessmentPeriodInput, AssessmentRules};
use async_graphql::{Context, ID, Object, Result};

#[derive(Default)]
pub struct AssessmentMutation;

#[Object]
impl AssessmentMutation {
    /// Replaces the scoring rules (validated: lateness never scores above punctuality, nor
    /// silence above lateness). Published assessments keep the rules they were scored by.
    /// Admins.
    async fn update_assessment_rules(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new rules.")] input: AssessmentRules,
    ) -> Result<AssessmentRules> {
        let rules = assessment::rules::update(context::db(ctx), context::caller(ctx), input.into());
        Ok(rules.await.gql()?.into())
    }

    /// Publishes a period's assessment as it stands today: a snapshot that later reports do not
    /// move. Publishing the same period again is a correction, the next version; earlier ones
    /// stay readable. Admins.
    async fn publish_assessment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The period (begun by today).")] period: AssessmentPeriodInput,
        #[graphql(desc = "Only this plan's tasks (all plans when omitted).")] document_id: Option<ID>,
    ) -> Result<Assessment> {
        let span = period.into_domain().gql()?;
        let document_id = parse_opt_id(document_id.as_ref()).gql()?;
        let (db, caller) = (context::db(ctx), context::caller(ctx));
        crate::domain::follow_up::periods::catch_up_for(db, caller).await.gql()?;
        Ok(Assessment(assessment::published::publish(db, caller, span, document_id).await.gql()?))
    }
}
