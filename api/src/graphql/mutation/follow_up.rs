//! The units' verbs of the follow-up loop: signing, reporting, finishing a part, the lead's
//! completion report (and taking it back) and extension request, answering urgings and instructions.

use crate::domain::follow_up::{completion, extensions, instructions, urgings, work};
use crate::error::IntoGql;
use crate::graphql::context::{self, parse_id, parse_ids};
use crate::graphql::scalars::Date;
use crate::graphql::types::assignment::Assignment;
use crate::graphql::types::enums::TaskStatus;
use crate::graphql::types::follow_up::{CompletionReport, ExtensionRequest, InstructionResponse, Urging};
use crate::graphql::types::{ProgressReport, Task};
use async_graphql::{Context, ID, InputObject, Object, Result};

#[derive(Default)]
pub struct FollowUpMutation;

/// Who signs for a unit.
#[derive(InputObject)]
pub struct SignInput {
    /// The person responsible (承办人), at most 100 characters.
    pub responsible_person: String,
    /// How to reach them (phone, extension), at most 100 characters.
    pub contact: String,
}

/// What the lead unit asks for.
#[derive(InputObject)]
pub struct ExtensionInput {
    /// Why more time is needed.
    pub reason: String,
    /// The progress so far.
    pub progress: String,
    /// The date asked for: after the current due date.
    pub proposed_due_date: Date,
}

/// Mutations of the units working on tasks.
#[Object]
impl FollowUpMutation {
    /// The caller's unit signs for a task (签收), naming the person responsible and a contact:
    /// its part goes from ASSIGNED to SIGNED. Only for the unit's own place on the task.
    async fn sign_task(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The task.")] task_id: ID,
        #[graphql(desc = "Who signs for the unit.")] input: SignInput,
    ) -> Result<Assignment> {
        let task_id = parse_id(&task_id).gql()?;
        let signature = work::Signature { responsible_person: input.responsible_person, contact: input.contact };
        let (db, caller) = (context::db(ctx), context::caller(ctx));
        let part = work::sign(db, caller, task_id, signature).await.gql()?;
        assignment_of(ctx, part).await
    }

    /// Reports progress on a task; any unit assigned to it (lead or supporting, or through a
    /// group) may. A unit with its own place must have signed first; a report after the unit's
    /// report due date is marked late. The lead's report may consolidate (汇总) supporting
    /// units' reports on the same task (`consolidates`). A percent below the unit's last report
    /// on the task needs `percentLoweredReason` (BAD_USER_INPUT without it). `evidence` attaches
    /// files the unit staged with `uploadEvidence` (see there for the reasons a set is refused:
    /// EVIDENCE_UNAVAILABLE, TOO_MANY_FILES, FILES_TOO_LARGE).
    #[expect(clippy::too_many_arguments, reason = "the arguments are submitReport's, as clients send them")]
    async fn submit_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The task.")] task_id: ID,
        #[graphql(desc = "What was done, in words.")] text: String,
        #[graphql(desc = "How far along the work is, 0 to 100.")] percent: i32,
        #[graphql(
            default,
            desc = "Ids of supporting units' reports on the same task that this lead report consolidates."
        )]
        consolidates: Vec<ID>,
        #[graphql(desc = "Why the percent is below the unit's last report; required then.")]
        percent_lowered_reason: Option<String>,
        #[graphql(default, desc = "Ids of files staged with `uploadEvidence` to attach.")] evidence: Vec<ID>,
    ) -> Result<ProgressReport> {
        let task_id = parse_id(&task_id).gql()?;
        let new = work::NewReport {
            text,
            percent,
            consolidates: parse_ids(&consolidates).gql()?,
            lowered_reason: percent_lowered_reason,
            evidence: backing(ctx, &evidence)?,
        };
        let report = work::report(context::db(ctx), context::caller(ctx), task_id, new).await.gql()?;
        Ok(ProgressReport(report))
    }

    /// The caller's unit says its part of the task is finished (IN_PROGRESS → DONE).
    async fn finish_part(&self, ctx: &Context<'_>, #[graphql(desc = "The task.")] task_id: ID) -> Result<Assignment> {
        let task_id = parse_id(&task_id).gql()?;
        let part = work::finish_part(context::db(ctx), context::caller(ctx), task_id).await.gql()?;
        assignment_of(ctx, part).await
    }

    /// The lead unit hands in its completion report (办结报告): the task waits for the office's
    /// review (PENDING_REVIEW). Not for ongoing tasks, which the office archives. `evidence`
    /// attaches files staged with `uploadEvidence`.
    async fn submit_completion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The task.")] task_id: ID,
        #[graphql(desc = "The completion report, in words.")] text: String,
        #[graphql(desc = "The task's current `version`; CONFLICT when it has changed.")] expected_version: i32,
        #[graphql(default, desc = "Ids of files staged with `uploadEvidence` to attach.")] evidence: Vec<ID>,
    ) -> Result<CompletionReport> {
        let task_id = parse_id(&task_id).gql()?;
        let caller = context::caller(ctx);
        let backing = backing(ctx, &evidence)?;
        let db = context::db(ctx);
        let report = completion::submit(db, caller, task_id, &text, expected_version, &backing).await.gql()?;
        Ok(CompletionReport(report))
    }

    /// The lead unit takes back its completion report before the office has reviewed it (撤回),
    /// saying why: the report is WITHDRAWN, the task is IN_PROGRESS again and the lead's part
    /// open, its next report due from today. A report already reviewed cannot be taken back
    /// (INVALID_STATE).
    async fn withdraw_completion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The task.")] task_id: ID,
        #[graphql(desc = "Why the report is taken back.")] reason: String,
        #[graphql(desc = "The task's current `version`; CONFLICT when it has changed.")] expected_version: i32,
    ) -> Result<Task> {
        let task_id = parse_id(&task_id).gql()?;
        let caller = context::caller(ctx);
        let task = completion::withdraw(context::db(ctx), caller, task_id, &reason, expected_version).await.gql()?;
        Ok(Task::from(task))
    }

    /// The lead unit asks to move the task's due date (延期申请), before it passes. One open
    /// request per task (a second is CONFLICT).
    async fn request_extension(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The task.")] task_id: ID,
        #[graphql(desc = "The reason, the progress so far and the date asked for.")] input: ExtensionInput,
    ) -> Result<ExtensionRequest> {
        let task_id = parse_id(&task_id).gql()?;
        let new = extensions::NewRequest {
            reason: input.reason,
            progress: input.progress,
            proposed_due: input.proposed_due_date.0,
        };
        Ok(ExtensionRequest(extensions::request(context::db(ctx), context::caller(ctx), task_id, new).await.gql()?))
    }

    /// The urged unit marks an urging read.
    async fn mark_urging_read(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The urging.")] urging_id: ID,
    ) -> Result<Urging> {
        let id = parse_id(&urging_id).gql()?;
        Ok(Urging(urgings::mark_read(context::db(ctx), context::caller(ctx), id).await.gql()?))
    }

    /// The urged unit answers an urging with what it is doing; `evidence` attaches files staged
    /// with `uploadEvidence`.
    async fn answer_urging(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The urging.")] urging_id: ID,
        #[graphql(desc = "The answer: what the unit is doing.")] text: String,
        #[graphql(default, desc = "Ids of files staged with `uploadEvidence` to attach.")] evidence: Vec<ID>,
    ) -> Result<Urging> {
        let id = parse_id(&urging_id).gql()?;
        let backing = backing(ctx, &evidence)?;
        Ok(Urging(urgings::answer(context::db(ctx), context::caller(ctx), id, &text, &backing).await.gql()?))
    }

    /// The lead unit responds to a leader's instruction with what it did (落实情况); `evidence`
    /// attaches files staged with `uploadEvidence`.
    async fn respond_to_instruction(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The leader's instruction.")] instruction_id: ID,
        #[graphql(desc = "What the unit did, in words.")] text: String,
        #[graphql(default, desc = "Ids of files staged with `uploadEvidence` to attach.")] evidence: Vec<ID>,
    ) -> Result<InstructionResponse> {
        let id = parse_id(&instruction_id).gql()?;
        let backing = backing(ctx, &evidence)?;
        let (db, caller) = (context::db(ctx), context::caller(ctx));
        let response = instructions::respond(db, caller, id, &text, &backing).await.gql()?;
        Ok(InstructionResponse(response))
    }

    /// Starts work on a task (NOT_STARTED → IN_PROGRESS): its lead unit or an admin.
    /// `expectedVersion` must be the task's current version, otherwise CONFLICT.
    #[graphql(
        deprecation = "a task's status follows the loop: submitReport, submitCompletion, reviewCompletion, archiveTask"
    )]
    async fn update_task_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The task.")] task_id: ID,
        #[graphql(desc = "The new status (only IN_PROGRESS is accepted).")] status: TaskStatus,
        #[graphql(desc = "The task's current `version`; CONFLICT when it has changed.")] expected_version: i32,
    ) -> Result<Task> {
        let task_id = parse_id(&task_id).gql()?;
        let caller = context::caller(ctx);
        let task = work::start(context::db(ctx), caller, task_id, status.into(), expected_version).await.gql()?;
        Ok(Task::from(task))
    }
}

/// The staged files a verb attaches, under the server's limits.
fn backing(ctx: &Context<'_>, ids: &[ID]) -> Result<crate::domain::evidence::Backing> {
    Ok(context::files(ctx).backing(parse_ids(ids).gql()?))
}

/// The `Assignment` of a part just written, with its task.
async fn assignment_of(ctx: &Context<'_>, part: entity::assignment::Model) -> Result<Assignment> {
    let task = crate::domain::tasks::get(context::db(ctx), context::caller(ctx), part.task_id).await.gql()?;
    let task = task.ok_or_else(|| async_graphql::ErrorExtensions::extend(&crate::error::AppError::NotFound("task")))?;
    let loaded = context::loaders(ctx).assignments.load_one(part.task_id).await;
    let others = loaded.map_err(crate::graphql::loaders::load_failed)?.unwrap_or_default();
    Ok(Assignment::written(task, part, others))
}
