//! The office's and leaders' verbs of the follow-up loop: reviewing, archiving, suspending,
//! deciding extensions, urging, instructing, and the settings the loop runs on.

use crate::domain::follow_up::completion::{self, Review};
use crate::domain::follow_up::worklist::UrgeFilter;
use crate::domain::follow_up::{calendar, extensions, instructions, reporting, settings, urgings, watch};
use crate::error::{AppError, IntoGql};
use crate::graphql::context::{self, parse_id, parse_ids, parse_opt_id};
use crate::graphql::scalars::Date;
use crate::graphql::types::follow_up::settings::{CalendarDayInput, ReportRule, WarningSettings, WarningSettingsInput};
use crate::graphql::types::follow_up::worklist::FollowedTask;
use crate::graphql::types::follow_up::{ExtensionRequest, Instruction, Urging};
use crate::graphql::types::{Document, Task};
use async_graphql::{Context, Enum, ID, InputObject, Object, Result};

#[derive(Default)]
pub struct OfficeMutation;

/// The office's decision on a completion report.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewDecision {
    /// The work is done: the task is completed (办结).
    Approve,
    /// Not done yet: returned for more work (退回重办), with the reason.
    Return,
}

/// The office's decision on an extension request.
#[derive(InputObject)]
pub struct ExtensionDecisionInput {
    /// True to approve.
    pub approve: bool,
    /// The new due date of an approval; the proposed one when omitted.
    pub new_due_date: Option<Date>,
    /// Why; required for a rejection.
    pub comment: Option<String>,
}

/// Whom to urge and what to say.
#[derive(InputObject)]
pub struct UrgeInput {
    /// These tasks …
    #[graphql(default)]
    pub task_ids: Vec<ID>,
    /// … these of their units (the tasks' lead units when empty).
    #[graphql(default)]
    pub department_ids: Vec<ID>,
    /// Or every overdue open task's lead units (of `documentId`, when given), in one go.
    #[graphql(default)]
    pub overdue: bool,
    /// Or every unit on the office's list of what to urge (`urgeList`, of `documentId` when
    /// given), each once per task.
    #[graphql(default)]
    pub worklist: bool,
    /// Or these units of these tasks, pair by pair (a selection of `urgeList`).
    #[graphql(default)]
    pub items: Vec<UrgeTarget>,
    /// With `overdue` or `worklist`: only this plan.
    pub document_id: Option<ID>,
    /// The notice.
    pub text: String,
    /// The answer is wanted by this day.
    pub reply_by: Option<Date>,
}

/// One unit of one task to urge.
#[derive(InputObject)]
pub struct UrgeTarget {
    /// The task.
    pub task_id: ID,
    /// The unit (a unit working on the task).
    pub department_id: ID,
}

/// Mutations of the office (admins) and of leaders.
#[Object]
impl OfficeMutation {
    /// Approves the pending completion report (the task is COMPLETED, every unit's part DONE) or
    /// returns it with the reason (RETURNED; the lead reports again). Admins. A task with a
    /// leader's instruction still unanswered cannot be approved (INVALID_STATE).
    async fn review_completion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The task.")] task_id: ID,
        #[graphql(desc = "Approve, or return for more work.")] decision: ReviewDecision,
        #[graphql(desc = "Why; required when returning.")] reason: Option<String>,
        #[graphql(desc = "The task's current `version`; CONFLICT when it has changed.")] expected_version: i32,
    ) -> Result<Task> {
        let task_id = parse_id(&task_id).gql()?;
        let decision = match decision {
            ReviewDecision::Approve => Review::Approve,
            ReviewDecision::Return => Review::Return,
        };
        let caller = context::caller(ctx);
        let task = completion::review(context::db(ctx), caller, task_id, decision, reason.as_deref(), expected_version)
            .await
            .gql()?;
        Ok(Task::from(task))
    }

    /// Files a completed task (销号, ARCHIVED); an ongoing task is archived by decision, with
    /// the reason. Admins.
    async fn archive_task(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The task.")] task_id: ID,
        #[graphql(desc = "Why; required for an ongoing task.")] reason: Option<String>,
        #[graphql(desc = "The task's current `version`; CONFLICT when it has changed.")] expected_version: i32,
    ) -> Result<Task> {
        let task_id = parse_id(&task_id).gql()?;
        let caller = context::caller(ctx);
        Ok(Task::from(
            completion::archive(context::db(ctx), caller, task_id, reason.as_deref(), expected_version).await.gql()?,
        ))
    }

    /// Stops a task (中止, SUSPENDED), with the reason. Admins.
    async fn suspend_task(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The task.")] task_id: ID,
        #[graphql(desc = "Why the task is stopped.")] reason: String,
        #[graphql(desc = "The task's current `version`; CONFLICT when it has changed.")] expected_version: i32,
    ) -> Result<Task> {
        let task_id = parse_id(&task_id).gql()?;
        Ok(Task::from(
            completion::suspend(context::db(ctx), context::caller(ctx), task_id, &reason, expected_version)
                .await
                .gql()?,
        ))
    }

    /// Lets a suspended task go on in the state it was suspended in. Admins.
    async fn resume_task(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The task.")] task_id: ID,
        #[graphql(desc = "The task's current `version`; CONFLICT when it has changed.")] expected_version: i32,
    ) -> Result<Task> {
        let task_id = parse_id(&task_id).gql()?;
        Ok(Task::from(
            completion::resume(context::db(ctx), context::caller(ctx), task_id, expected_version).await.gql()?,
        ))
    }

    /// Decides an extension request; an approval moves the task's due date (the original one
    /// stays in `originalDueDate` and `dueDateHistory`). Admins.
    async fn decide_extension(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The extension request.")] request_id: ID,
        #[graphql(desc = "The decision.")] input: ExtensionDecisionInput,
    ) -> Result<ExtensionRequest> {
        let id = parse_id(&request_id).gql()?;
        let decision = extensions::Decision {
            approve: input.approve,
            new_due: input.new_due_date.map(|d| d.0),
            comment: input.comment,
        };
        let (request, _) = extensions::decide(context::db(ctx), context::caller(ctx), id, decision).await.gql()?;
        Ok(ExtensionRequest(request))
    }

    /// Sends urging notices (催办): to units of named tasks, to chosen units of chosen tasks, to
    /// the lead units of every overdue task, or to everyone on the office's list of what to urge
    /// (`urgeList`); all or none, in one transaction. Name one of these ways. Leaders and
    /// admins.
    async fn urge(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Whom to urge and what to say.")] input: UrgeInput,
    ) -> Result<Vec<Urging>> {
        let ways = [!input.task_ids.is_empty(), !input.items.is_empty(), input.overdue, input.worklist];
        if ways.iter().filter(|w| **w).count() > 1 {
            return Err(AppError::bad_input(
                "name one way to choose whom to urge: taskIds, items, overdue or worklist",
            ))
            .gql();
        }
        let document_id = parse_opt_id(input.document_id.as_ref()).gql()?;
        let targets = if input.overdue {
            urgings::Targets::Overdue { document_id }
        } else if input.worklist {
            urgings::Targets::Worklist(UrgeFilter { document_id, reasons: Vec::new() })
        } else if !input.items.is_empty() {
            let pairs = input
                .items
                .iter()
                .map(|item| Ok((parse_id(&item.task_id)?, parse_id(&item.department_id)?)))
                .collect::<crate::error::AppResult<Vec<_>>>()
                .gql()?;
            urgings::Targets::Pairs(pairs)
        } else {
            urgings::Targets::Tasks {
                task_ids: parse_ids(&input.task_ids).gql()?,
                units: parse_ids(&input.department_ids).gql()?,
            }
        };
        let new = urgings::NewUrging { targets, text: input.text, reply_by: input.reply_by.map(|d| d.0) };
        let sent = urgings::urge(context::db(ctx), context::caller(ctx), new).await.gql()?;
        Ok(sent.into_iter().map(Urging).collect())
    }

    /// Follows a task (关注): its changes by others reach the follower's to-do list
    /// (`FOLLOWED_CHANGED`) and `myTodoChanged`. Following it again changes nothing. Leaders
    /// and admins.
    async fn follow_task(&self, ctx: &Context<'_>, #[graphql(desc = "The task.")] task_id: ID) -> Result<FollowedTask> {
        let task_id = parse_id(&task_id).gql()?;
        let (db, caller) = (context::db(ctx), context::caller(ctx));
        let follow = watch::follow(db, caller, task_id).await.gql()?;
        Ok(FollowedTask(watch::Followed { follow, unseen_since: None }))
    }

    /// Stops following a task; whether it was followed. Leaders and admins.
    async fn unfollow_task(&self, ctx: &Context<'_>, #[graphql(desc = "The task.")] task_id: ID) -> Result<bool> {
        let task_id = parse_id(&task_id).gql()?;
        watch::unfollow(context::db(ctx), context::caller(ctx), task_id).await.gql()
    }

    /// Marks a followed task's changes so far seen: it leaves the to-do list until the next
    /// change (NOT_FOUND when not followed). Leaders and admins.
    async fn mark_followed_task_seen(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The task.")] task_id: ID,
    ) -> Result<FollowedTask> {
        let task_id = parse_id(&task_id).gql()?;
        let follow = watch::mark_seen(context::db(ctx), context::caller(ctx), task_id).await.gql()?;
        Ok(FollowedTask(watch::Followed { follow, unseen_since: None }))
    }

    /// Writes a leader's instruction on a task (领导批示); the lead unit responds. Leaders and
    /// admins.
    async fn instruct(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The task.")] task_id: ID,
        #[graphql(desc = "The instruction.")] text: String,
    ) -> Result<Instruction> {
        let task_id = parse_id(&task_id).gql()?;
        let written = instructions::instruct(context::db(ctx), context::caller(ctx), task_id, &text).await.gql()?;
        Ok(Instruction(written, Vec::new()))
    }

    /// Marks days as holidays or make-up working days (or clears them), in one go. Admins.
    async fn set_calendar_days(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The days to mark or clear.")] days: Vec<CalendarDayInput>,
    ) -> Result<bool> {
        let days = days
            .into_iter()
            .map(|d| calendar::CalendarDayInput { day: d.day.0, working: d.working, note: d.note })
            .collect();
        calendar::set_days(context::db(ctx), context::caller(ctx), days).await.gql()?;
        Ok(true)
    }

    /// Replaces the warning thresholds (validated). Admins.
    async fn update_warning_settings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new thresholds.")] input: WarningSettingsInput,
    ) -> Result<WarningSettings> {
        let (db, caller) = (context::db(ctx), context::caller(ctx));
        let current = settings::get(db, caller).await.gql()?;
        Ok(settings::update(db, caller, input.over(current)).await.gql()?.into())
    }

    /// Sets a plan's default reporting rule; the due dates of its units' next reports move.
    /// Admins.
    async fn set_document_report_rule(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The document (plan).")] document_id: ID,
        #[graphql(desc = "The plan's new reporting rule.")] rule: ReportRule,
    ) -> Result<Document> {
        let id = parse_id(&document_id).gql()?;
        Ok(Document(
            reporting::set_document_rule(context::db(ctx), context::caller(ctx), id, rule.to_rule()).await.gql()?,
        ))
    }

    /// Sets a task's own reporting rule, or with null lets it follow its plan's again. Admins.
    async fn set_task_report_rule(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The task.")] task_id: ID,
        #[graphql(desc = "The task's own reporting rule; null to follow its plan's.")] rule: Option<ReportRule>,
        #[graphql(desc = "The task's current `version`; CONFLICT when it has changed.")] expected_version: i32,
    ) -> Result<Task> {
        let id = parse_id(&task_id).gql()?;
        let rule = rule.map(ReportRule::to_rule);
        let caller = context::caller(ctx);
        Ok(Task::from(reporting::set_task_rule(context::db(ctx), caller, id, rule, expected_version).await.gql()?))
    }
}
