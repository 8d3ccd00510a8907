//! The follow-up records on a task: urgings, instructions and responses, extension requests,
//! due date changes, completion reports. Each exposes its columns one by one, on purpose.

use super::super::enums::{
    CompletionDecision as DecisionEnum, DueDateCause as CauseEnum, ExtensionStatus as StatusEnum,
};
use super::super::{Department, User};
use crate::graphql::context;
use crate::graphql::loaders::load_failed;
use crate::graphql::scalars::{Date, DateTime};
use async_graphql::{Context, ID, Object, Result};
use entity::{completion_report, due_date_change, extension_request, instruction, instruction_response, urging};

async fn department(ctx: &Context<'_>, id: i32) -> Result<Option<Department>> {
    let dept = context::loaders(ctx).departments.load_one(id).await.map_err(load_failed)?;
    Ok(dept.map(Department::from))
}

async fn user(ctx: &Context<'_>, id: Option<i32>) -> Result<Option<User>> {
    let Some(id) = id else { return Ok(None) };
    Ok(context::loaders(ctx).users.load_one(id).await.map_err(load_failed)?.map(User))
}

fn id(n: i32) -> ID {
    ID(n.to_string())
}

pub struct Urging(pub urging::Model);

/// An urging notice (催办) to one unit about one task.
#[Object]
impl Urging {
    /// Stable identifier.
    async fn id(&self) -> ID {
        id(self.0.id)
    }

    /// The files of evidence (佐证材料) behind the unit's answer, oldest first.
    async fn answer_evidence(&self, ctx: &Context<'_>) -> Result<Vec<crate::graphql::types::evidence::Evidence>> {
        crate::graphql::types::evidence::behind(ctx, entity::EvidenceTarget::UrgingAnswer, self.0.id).await
    }
    /// The task it is about.
    async fn task_id(&self) -> ID {
        id(self.0.task_id)
    }
    /// The unit urged.
    async fn department(&self, ctx: &Context<'_>) -> Result<Option<Department>> {
        department(ctx, self.0.department_id).await
    }
    /// Who sent it.
    async fn sent_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        user(ctx, Some(self.0.sent_by)).await
    }
    /// What it says.
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// The answer is wanted by this day.
    async fn reply_by(&self) -> Option<Date> {
        self.0.reply_by.map(Date)
    }
    /// When it was sent.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// When the unit read it.
    async fn read_at(&self) -> Option<DateTime> {
        self.0.read_at.map(DateTime)
    }
    /// When the unit answered it.
    async fn answered_at(&self) -> Option<DateTime> {
        self.0.answered_at.map(DateTime)
    }
    /// The unit's answer: what it is doing.
    async fn answer(&self) -> Option<&str> {
        self.0.answer.as_deref()
    }
    /// When it was closed unanswered, because its task was closed (approved or archived): it no
    /// longer waits on the unit.
    async fn closed_at(&self) -> Option<DateTime> {
        self.0.closed_at.map(DateTime)
    }
}

pub struct Instruction(pub instruction::Model, pub Vec<instruction_response::Model>);

/// A leader's instruction on a task (领导批示), with the lead unit's responses.
#[Object]
impl Instruction {
    /// Stable identifier.
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    /// The task it is about.
    async fn task_id(&self) -> ID {
        id(self.0.task_id)
    }
    /// The leader who wrote it.
    async fn author(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        user(ctx, Some(self.0.author_id)).await
    }
    /// What it says.
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// When it was written.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// What the lead unit did about it (落实情况), oldest first.
    async fn responses(&self) -> Vec<InstructionResponse> {
        self.1.iter().cloned().map(InstructionResponse).collect()
    }
    /// True once the lead unit responded.
    async fn answered(&self) -> bool {
        !self.1.is_empty()
    }
}

pub struct InstructionResponse(pub instruction_response::Model);

/// A lead unit's response to an instruction.
#[Object]
impl InstructionResponse {
    /// Stable identifier.
    async fn id(&self) -> ID {
        id(self.0.id)
    }

    /// The files of evidence (佐证材料) behind the response, oldest first.
    async fn evidence(&self, ctx: &Context<'_>) -> Result<Vec<crate::graphql::types::evidence::Evidence>> {
        crate::graphql::types::evidence::behind(ctx, entity::EvidenceTarget::InstructionResponse, self.0.id).await
    }
    /// The unit that responded.
    async fn department(&self, ctx: &Context<'_>) -> Result<Option<Department>> {
        department(ctx, self.0.department_id).await
    }
    /// The account that wrote it.
    async fn author(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        user(ctx, Some(self.0.author_id)).await
    }
    /// What was done.
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// When it was written.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

pub struct ExtensionRequest(pub extension_request::Model);

/// A lead unit's request to move a task's due date (延期申请) and the office's decision.
#[Object]
impl ExtensionRequest {
    /// Stable identifier.
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    /// The task it is about.
    async fn task_id(&self) -> ID {
        id(self.0.task_id)
    }
    /// The unit that asked (the lead).
    async fn department(&self, ctx: &Context<'_>) -> Result<Option<Department>> {
        department(ctx, self.0.department_id).await
    }
    /// The account that asked.
    async fn requested_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        user(ctx, Some(self.0.requested_by)).await
    }
    /// Why more time is needed.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// The progress so far.
    async fn progress(&self) -> &str {
        &self.0.progress
    }
    /// The due date when the request was made.
    async fn current_due_date(&self) -> Option<Date> {
        self.0.current_due.map(Date)
    }
    /// The date asked for.
    async fn proposed_due_date(&self) -> Date {
        Date(self.0.proposed_due)
    }
    /// Pending, approved or rejected.
    async fn status(&self) -> StatusEnum {
        self.0.status.into()
    }
    /// The due date an approval set.
    async fn decided_due_date(&self) -> Option<Date> {
        self.0.decided_due.map(Date)
    }
    /// The office's comment.
    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }
    /// Who decided.
    async fn decided_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        user(ctx, self.0.decided_by).await
    }
    /// When it was asked.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// When it was decided.
    async fn decided_at(&self) -> Option<DateTime> {
        self.0.decided_at.map(DateTime)
    }
}

pub struct DueDateChange(pub due_date_change::Model);

/// One change of a task's due date.
#[Object]
impl DueDateChange {
    /// The due date before.
    async fn from(&self) -> Option<Date> {
        self.0.old_due.map(Date)
    }
    /// The due date after.
    async fn to(&self) -> Option<Date> {
        self.0.new_due.map(Date)
    }
    /// Why it changed.
    async fn cause(&self) -> CauseEnum {
        self.0.cause.into()
    }
    /// The extension request an approval came from.
    async fn extension_request_id(&self) -> Option<ID> {
        self.0.extension_request_id.map(id)
    }
    /// Who changed it (none for the console).
    async fn changed_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        user(ctx, self.0.changed_by).await
    }
    /// When.
    async fn changed_at(&self) -> DateTime {
        DateTime(self.0.changed_at)
    }
}

pub struct CompletionReport(pub completion_report::Model);

/// A lead unit's completion report (办结报告) and the office's review.
#[Object]
impl CompletionReport {
    /// Stable identifier.
    async fn id(&self) -> ID {
        id(self.0.id)
    }

    /// The files of evidence (佐证材料) behind the completion report, oldest first.
    async fn evidence(&self, ctx: &Context<'_>) -> Result<Vec<crate::graphql::types::evidence::Evidence>> {
        crate::graphql::types::evidence::behind(ctx, entity::EvidenceTarget::CompletionReport, self.0.id).await
    }
    /// The task it is about.
    async fn task_id(&self) -> ID {
        id(self.0.task_id)
    }
    /// The lead unit.
    async fn department(&self, ctx: &Context<'_>) -> Result<Option<Department>> {
        department(ctx, self.0.department_id).await
    }
    /// The account that wrote it.
    async fn author(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        user(ctx, Some(self.0.author_id)).await
    }
    /// What was done.
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// When it was handed in.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// Pending, approved or returned.
    async fn decision(&self) -> DecisionEnum {
        self.0.decision.into()
    }
    /// Why the office returned it.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    /// Who reviewed it.
    async fn decided_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        user(ctx, self.0.decided_by).await
    }
    /// When it was reviewed.
    async fn decided_at(&self) -> Option<DateTime> {
        self.0.decided_at.map(DateTime)
    }
}
