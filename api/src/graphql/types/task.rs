//! The `Task` type and its `Schedule` and `Assignment`.

use super::assignment::Assignment;
use super::enums::{AssignmentRole, PolicyLevel, ScheduleKind, TaskStatus};
use super::follow_up::settings::ReportRule;
use super::follow_up::{CompletionReport, DueDateChange, ExtensionRequest, Instruction, Urging, Warning};
use super::{Department, Document, ProgressReport};
use crate::domain::follow_up::parts;
use crate::domain::follow_up::warning::Facts;
use crate::domain::page::{Page, PageRequest};
use crate::domain::reports;
use crate::domain::tasks as domain;
use crate::error::IntoGql;
use crate::graphql::connection::{self, Conn, Total};
use crate::graphql::context;
use crate::graphql::fetch::{Part, Parts};
use crate::graphql::loaders::{load_failed, missing};
use crate::graphql::scalars::{Date, DateTime};
use crate::policy::rules;
use async_graphql::{Context, ID, Object, Result};
use entity::{progress_report, task};
use std::sync::Arc;

pub struct Task {
    row: Arc<task::Model>,
    /// The task's units with their departments, when they were read with the task (see
    /// `graphql::fetch`); otherwise they come through the request's loaders.
    parts: Option<Parts>,
    /// A page of its reports read with it, and the page it is.
    reports: Option<(PageRequest<i32>, Page<progress_report::Model>)>,
}

impl From<task::Model> for Task {
    fn from(row: task::Model) -> Self {
        Task { row: Arc::new(row), parts: None, reports: None }
    }
}

/// One numbered task of a plan.
#[Object]
impl Task {
    /// Stable identifier.
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    /// Number of the task within its plan (序号).
    async fn seq(&self) -> i32 {
        self.row.seq
    }

    /// The task (工作任务).
    async fn title(&self) -> &str {
        &self.row.title
    }

    /// The concrete measures (落实措施).
    async fn measures(&self) -> &str {
        &self.row.measures
    }

    /// The plan this task belongs to.
    async fn document(&self, ctx: &Context<'_>) -> Result<Document> {
        let loaded = context::loaders(ctx).documents.load_one(self.row.document_id).await.map_err(load_failed)?;
        loaded.map(Document).ok_or_else(|| missing("document"))
    }

    /// The (first) lead unit; null only if none could be named.
    async fn lead(&self, ctx: &Context<'_>) -> Result<Option<Department>> {
        let parts = self.parts(ctx).await?;
        let Some(lead) = parts.iter().find(|p| p.assignment.role == entity::AssignmentRole::Lead) else {
            return Ok(None);
        };
        if let Some(department) = &lead.department {
            return Ok(Some(Department::from(department.clone())));
        }
        let id = lead.assignment.department_id;
        let dept = context::loaders(ctx).departments.load_one(id).await.map_err(load_failed)?;
        Ok(dept.map(Department::from))
    }

    /// Every unit on the task, in the order the plan lists them; co-leads all have role LEAD.
    async fn assignments(&self, ctx: &Context<'_>) -> Result<Vec<Assignment>> {
        let parts = self.parts(ctx).await?;
        Ok((0..parts.len()).map(|index| Assignment::new(parts.clone(), index, self.row.clone())).collect())
    }

    /// The viewer's unit's role on this task, else null (always null for admins and leaders).
    async fn my_role(&self, ctx: &Context<'_>) -> Result<Option<AssignmentRole>> {
        let Some(principal) = context::caller(ctx).viewer.principal() else { return Ok(None) };
        let parts = self.parts(ctx).await?;
        let pairs: Vec<_> = parts.iter().map(|p| (p.assignment.department_id, p.assignment.role)).collect();
        Ok(rules::role_on_task(principal, &pairs).map(Into::into))
    }

    /// The schedule as written and as understood.
    async fn schedule(&self) -> Schedule<'_> {
        Schedule(&self.row)
    }

    /// Due date; null while unknown (ongoing, or waiting for a policy).
    async fn due_date(&self) -> Option<Date> {
        self.row.due_date.map(Date)
    }

    /// True when the due date has passed and the task is not completed.
    async fn overdue(&self, ctx: &Context<'_>) -> bool {
        domain::is_overdue(&self.row, context::caller(ctx).today())
    }

    /// Where the task stands in the follow-up loop.
    async fn status(&self) -> TaskStatus {
        self.row.status.into()
    }

    /// How urgent the task is, and why (computed for "today"; never stored).
    async fn warning(&self, ctx: &Context<'_>) -> Result<Warning> {
        let judge = context::loaders(ctx).judge().await?;
        let facts = Facts::of_task(&self.row);
        Ok(Warning::new(judge.level(&facts), judge.reasons(&facts)))
    }

    /// The due date before any extension (statistics judge punctuality against it).
    async fn original_due_date(&self) -> Option<Date> {
        self.row.original_due_date.map(Date)
    }

    /// What happened to the task, oldest first (时间轴): hand-out, sign-offs, reports,
    /// extensions, urgings (those the viewer may see), instructions, reviews, archive.
    async fn timeline(&self, ctx: &Context<'_>) -> Result<Vec<super::follow_up::timeline::TimelineEntry>> {
        let lines = crate::domain::audit::timeline::of_task(context::reads(ctx), context::caller(ctx), self.row.id)
            .await
            .gql()?;
        Ok(lines.into_iter().map(super::follow_up::timeline::TimelineEntry).collect())
    }

    /// Every change of the due date, oldest first (extensions, edits, policies issued).
    async fn due_date_history(&self, ctx: &Context<'_>) -> Result<Vec<DueDateChange>> {
        let rows = context::loaders(ctx).due_dates.load_one(self.row.id).await.map_err(load_failed)?;
        Ok(rows.unwrap_or_default().into_iter().map(DueDateChange).collect())
    }

    /// Whether the due date waits for the office to confirm it: set from the office's default
    /// period after a higher-level policy, for a task that names no period of its own (or set
    /// to the day the policy was recorded, when its period had passed). Editing the schedule
    /// confirms it.
    async fn due_date_to_confirm(&self, ctx: &Context<'_>) -> Result<bool> {
        let rows = context::loaders(ctx).due_dates.load_one(self.row.id).await.map_err(load_failed)?;
        let last = rows.unwrap_or_default().into_iter().last();
        Ok(last.is_some_and(|change| change.cause == entity::DueDateCause::PolicyDefault))
    }

    /// The day the task was handed out (the plan's issue date, or when it was created; for a
    /// task that waited for a higher-level policy, that policy's issue date).
    async fn assigned_on(&self) -> Option<Date> {
        self.row.assigned_on.map(Date)
    }

    /// When the office approved its completion report.
    async fn completed_at(&self) -> Option<DateTime> {
        self.row.completed_at.map(DateTime)
    }

    /// When it was archived (销号).
    async fn archived_at(&self) -> Option<DateTime> {
        self.row.archived_at.map(DateTime)
    }

    /// Why the office returned or suspended it (or archived it, being ongoing).
    async fn state_reason(&self) -> Option<&str> {
        self.row.state_reason.as_deref()
    }

    /// When progress reports fall due: the task's own rule, else its plan's.
    async fn report_rule(&self, ctx: &Context<'_>) -> Result<ReportRule> {
        let document = context::loaders(ctx).documents.load_one(self.row.document_id).await.map_err(load_failed)?;
        Ok(parts::rule_of(&self.row, document.as_ref()).into())
    }

    /// True when the task has a reporting rule of its own (not its plan's).
    async fn has_own_report_rule(&self) -> bool {
        self.row.report_rule.is_some()
    }

    /// Leaders' instructions on the task (领导批示) with the lead unit's responses, oldest first.
    async fn instructions(&self, ctx: &Context<'_>) -> Result<Vec<Instruction>> {
        let rows = context::loaders(ctx).instructions.load_one(self.row.id).await.map_err(load_failed)?;
        Ok(rows.unwrap_or_default().into_iter().map(|(i, r)| Instruction(i, r)).collect())
    }

    /// Urgings about the task (催办), newest first: all of them for the office and leaders, a
    /// unit's own for a unit.
    async fn urgings(&self, ctx: &Context<'_>) -> Result<Vec<Urging>> {
        let rows = context::loaders(ctx).urgings.load_one(self.row.id).await.map_err(load_failed)?;
        Ok(rows.unwrap_or_default().into_iter().map(Urging).collect())
    }

    /// Extension requests (延期申请), newest first.
    async fn extension_requests(&self, ctx: &Context<'_>) -> Result<Vec<ExtensionRequest>> {
        let rows = context::loaders(ctx).extensions.load_one(self.row.id).await.map_err(load_failed)?;
        Ok(rows.unwrap_or_default().into_iter().map(ExtensionRequest).collect())
    }

    /// Completion reports (办结报告) and their reviews, newest first.
    async fn completion_reports(&self, ctx: &Context<'_>) -> Result<Vec<CompletionReport>> {
        let rows = context::loaders(ctx).completions.load_one(self.row.id).await.map_err(load_failed)?;
        Ok(rows.unwrap_or_default().into_iter().map(CompletionReport).collect())
    }

    /// Progress reports, newest first: all of them for admins, leaders and the lead unit; a
    /// supporting unit sees its own and the lead unit's.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn reports(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (20 when omitted).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> Result<Conn<ProgressReport>> {
        let has_previous = after.is_some();
        let page = connection::id_page("rep", first, after).gql()?;
        let rows = match &self.reports {
            Some((read, rows)) if *read == page => rows.clone(),
            _ => reports::visible(context::reads(ctx), context::caller(ctx), self.row.id, &page).await.gql()?,
        };
        let total = Total::Reports { task_id: self.row.id };
        Ok(connection::connection(rows, total, has_previous, |r| format!("rep:{}", r.id), ProgressReport))
    }

    /// Incremented on every change; pass it back to `updateTask` as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.row.version
    }

    /// When the task was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.row.created_at)
    }

    /// When the task last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.row.updated_at)
    }

    // The plan's outline (numbering, parent, person in charge, where the schedule was found).

    /// The plan's numbering as written (`一、(二)3`; a table's row number), else `seq`.
    async fn number(&self) -> String {
        self.row.number.clone().unwrap_or_else(|| self.row.seq.to_string())
    }

    /// The task this one is a sub-measure of (same plan); null for a top-level task, and when
    /// the viewer may not see the parent.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Task>> {
        let Some(parent_id) = self.row.parent_id else { return Ok(None) };
        let parent =
            context::loaders(ctx).tasks.load_one(parent_id).await.map_err(crate::graphql::loaders::load_failed)?;
        Ok(parent.map(Task::from))
    }

    /// The person in charge (分管领导, 责任领导), name and title as the plan writes them.
    async fn leader(&self) -> Option<&str> {
        self.row.leader.as_deref()
    }

    /// Where the importer found the schedule; null for tasks not imported from a plan.
    async fn schedule_source(&self) -> Option<super::enums::ScheduleSource> {
        self.row.schedule_source.map(Into::into)
    }

    /// True when the plan's list of units ends with 等: more units may be meant than are assigned.
    async fn units_not_exhaustive(&self) -> bool {
        self.row.units_not_exhaustive
    }
}

impl Task {
    /// The task with its units as its statement read them.
    #[must_use]
    pub fn with_parts(mut self, parts: Parts) -> Task {
        self.parts = Some(parts);
        self
    }

    /// The task with the reports `page` its statement read.
    #[must_use]
    pub fn with_reports(mut self, page: PageRequest<i32>, rows: Page<progress_report::Model>) -> Task {
        self.reports = Some((page, rows));
        self
    }

    /// The task's row.
    pub fn row(&self) -> &task::Model {
        &self.row
    }

    /// The task's units: as read with the task, or (whole rows) through the request's loader.
    async fn parts(&self, ctx: &Context<'_>) -> Result<Parts> {
        if let Some(parts) = &self.parts {
            return Ok(parts.clone());
        }
        let loaded = context::loaders(ctx).assignments.load_one(self.row.id).await.map_err(load_failed)?;
        Ok(loaded.unwrap_or_default().into_iter().map(|assignment| Part { assignment, department: None }).collect())
    }
}

pub struct Schedule<'a>(&'a task::Model);

/// A schedule: the text as written in the plan (时间进度) and what duban understood.
#[Object]
impl Schedule<'_> {
    /// The text as written.
    async fn text(&self) -> &str {
        &self.0.schedule_text
    }

    /// How the text was understood.
    async fn kind(&self) -> ScheduleKind {
        self.0.schedule_kind.into()
    }

    /// The deadline, when known.
    async fn due_date(&self) -> Option<Date> {
        self.0.due_date.map(Date)
    }

    /// Work continues after the deadline (持续实施, 逐步推行).
    async fn ongoing(&self) -> bool {
        self.0.ongoing
    }

    /// Earlier dates of a schedule naming several (`2022年9月底前出台…,2023年底前全面推开`), in
    /// order; the last date is `dueDate`. Empty for most schedules.
    async fn milestones(&self) -> Vec<Date> {
        crate::domain::tasks::parse_milestones(self.0.milestones.as_deref()).into_iter().map(Date).collect()
    }

    /// When ongoing work starts (`2023年起全面实施`); null when the plan names no start.
    async fn starts_on(&self) -> Option<Date> {
        self.0.starts_on.map(Date)
    }

    /// The year was not written (`9月底前`) and was taken from the plan (its issue date,
    /// number or title), so the office should confirm the date.
    async fn year_inferred(&self) -> bool {
        self.0.year_inferred
    }

    /// For AFTER_POLICY: the levels whose policy the task waits for, comma-separated
    /// (`PROVINCIAL`, `NATIONAL,PROVINCIAL`).
    async fn waiting_for(&self) -> Option<&str> {
        self.0.waiting_for.as_deref()
    }

    /// The same levels as a list.
    async fn waiting_for_levels(&self) -> Vec<PolicyLevel> {
        crate::domain::policy_events::parse_levels(self.0.waiting_for.as_deref()).into_iter().map(Into::into).collect()
    }

    /// Months after the policy's issue date (`6个月内` → 6).
    async fn offset_months(&self) -> Option<i32> {
        self.0.offset_months
    }

    /// Days after the start date, when the plan counts days (`30个工作日内`).
    async fn offset_days(&self) -> Option<i32> {
        self.0.offset_days
    }
}
