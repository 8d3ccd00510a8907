//! Root queries. Each starts from the viewer's scope (see `policy::scope`).

use crate::domain::{assessment, departments, documents, follow_up, policy_events, tasks, users};
use crate::error::{AppError, IntoGql};
use crate::graphql::connection::{self, Conn, Total};
use crate::graphql::context::{self, parse_id, parse_opt_id};
use crate::graphql::fetch;
use crate::graphql::scalars::Date;
use crate::graphql::types::assessment::{Assessment, AssessmentPeriodInput, AssessmentRules, AssessmentVersion};
use crate::graphql::types::department::{ordered_task_connection, task_connection};
use crate::graphql::types::enums::{AssignmentRole, DepartmentKind, ScheduleKind, TaskStatus};
use crate::graphql::types::follow_up::WarningLevel;
use crate::graphql::types::follow_up::settings::{CalendarDay, WarningSettings};
use crate::graphql::types::follow_up::statistics::{Statistics, StatisticsFilter};
use crate::graphql::types::follow_up::timeline::AuditEntry;
use crate::graphql::types::follow_up::todo::Todo;
use crate::graphql::types::follow_up::worklist::{FollowedTask, UrgeList, UrgeReason};
use crate::graphql::types::policy::PolicyEvent;
use crate::graphql::types::{Department, Document, Task, User};
use async_graphql::{Context, ID, InputObject, Object, Result};

#[derive(Default)]
pub struct Query;

/// Which audit entries.
#[derive(InputObject, Default)]
pub struct AuditLogFilter {
    /// The table of the changed rows: `task`, `assignment`, `progress_report`, `app_user`, …
    pub entity: Option<String>,
    /// One row of that table.
    pub entity_id: Option<ID>,
    /// Changes made by this account.
    pub actor_id: Option<ID>,
    /// Changes on this task (its timeline, unabridged).
    pub task_id: Option<ID>,
    /// Made at or after this instant.
    pub from: Option<crate::graphql::scalars::DateTime>,
    /// … at or before this instant.
    pub to: Option<crate::graphql::scalars::DateTime>,
}

/// Filters on `tasks`; all optional, combined with AND.
#[derive(InputObject, Default)]
pub struct TaskFilter {
    /// Only tasks of this document.
    pub document_id: Option<ID>,
    /// Only tasks this department is assigned to (directly or through a group it belongs to).
    pub department_id: Option<ID>,
    /// Only where that department (or, without `departmentId`, the viewer's unit) has this role.
    pub role: Option<AssignmentRole>,
    /// Only overdue (true) or not overdue (false) tasks.
    pub overdue: Option<bool>,
    /// Text contained in the title or the measures (Traditional input matches too).
    pub search: Option<String>,
    /// Only schedules of this kind.
    pub schedule_kind: Option<ScheduleKind>,
    /// Only tasks in this status.
    pub status: Option<TaskStatus>,
    /// Only tasks whose computed warning is at this level (RED: overdue or far behind …).
    pub warning: Option<WarningLevel>,
    /// Only tasks with (true) or without (false) files of evidence (佐证材料) behind their
    /// reports, completion reports, answers or responses; with `status: COMPLETED`, false lists
    /// the tasks completed without evidence.
    pub has_evidence: Option<bool>,
}

impl TaskFilter {
    fn into_domain(self) -> crate::error::AppResult<tasks::TaskFilter> {
        Ok(tasks::TaskFilter {
            document_id: parse_opt_id(self.document_id.as_ref())?,
            department_id: parse_opt_id(self.department_id.as_ref())?,
            role: self.role.map(Into::into),
            overdue: self.overdue,
            search: self.search,
            schedule_kind: self.schedule_kind.map(Into::into),
            status: self.status.map(Into::into),
            warning: self.warning.map(Into::into),
            has_evidence: self.has_evidence,
        })
    }
}

pub use crate::graphql::types::enums::TaskOrder;

/// Filters on `departments`.
#[derive(InputObject, Default)]
pub struct DepartmentFilter {
    /// Only this kind.
    pub kind: Option<DepartmentKind>,
    /// Only departments flagged (or not) for an admin's review.
    pub needs_review: Option<bool>,
    /// Text contained in the name.
    pub search: Option<String>,
}

/// The root query: plans, tasks, units and accounts as the viewer may see them, the to-do list,
/// statistics and the audit trail.
#[Object]
impl Query {
    /// The signed-in account; null when anonymous.
    async fn viewer(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        Ok(users::me(context::reads(ctx), context::caller(ctx)).await.gql()?.map(User))
    }

    /// Tasks the viewer may see, in plan (document, seq) order, or by warning (most urgent
    /// first) or due date (soonest first). `first` defaults to 20, at most 100.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn tasks(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which tasks to list (all the viewer may see when omitted).")] filter: Option<TaskFilter>,
        #[graphql(desc = "Page size, at most 100 (20 when omitted).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(default, desc = "The order of the list (plan order when omitted).")] order_by: TaskOrder,
    ) -> Result<Conn<Task>> {
        let filter = filter.unwrap_or_default().into_domain().gql()?;
        match order_by {
            TaskOrder::Plan => task_connection(ctx, filter, first, after).await,
            other => ordered_task_connection(ctx, filter, other.into(), first, after).await,
        }
    }

    /// What waits on the viewer (我的待办), soonest first, with counts per kind for badges. With
    /// `since`, only what came onto the list at or after that instant (`TodoItem.arrivedAt`): a
    /// system that reconnects catches up on what it missed.
    async fn todo(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50, desc = "How many items to list, at most 100.")] first: i32,
        #[graphql(desc = "Only what came onto the list at or after this instant.")] since: Option<
            crate::graphql::scalars::DateTime,
        >,
    ) -> Result<Todo> {
        let page = crate::domain::page::PageRequest::<i32>::new(Some(first), None).gql()?;
        let since = since.map(|s| s.0);
        follow_up::periods::catch_up_for(context::db(ctx), context::caller(ctx)).await.gql()?;
        let list = follow_up::todo::todo(context::reads(ctx), context::caller(ctx), page.first, since).await.gql()?;
        Ok(Todo(list))
    }

    /// The office's list of what to urge (待催办), longest waiting first: sign-offs past their
    /// deadline, reporting periods missed, overdue tasks whose lead was not urged lately, urgings
    /// not answered by their reply-by day. `urge(input: { worklist: true })` urges it all at
    /// once; `items` a selection. The office and leaders.
    async fn urge_list(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only this plan's tasks (all plans when omitted).")] document_id: Option<ID>,
        #[graphql(default, desc = "Only these reasons (all when empty).")] reasons: Vec<UrgeReason>,
        #[graphql(default = 50, desc = "How many items to list, at most 500.")] first: i32,
    ) -> Result<UrgeList> {
        if !(1..=500).contains(&first) {
            return Err(AppError::bad_input("first must be between 1 and 500")).gql();
        }
        let filter = follow_up::worklist::UrgeFilter {
            document_id: parse_opt_id(document_id.as_ref()).gql()?,
            reasons: reasons.into_iter().map(Into::into).collect(),
        };
        let caller = context::caller(ctx);
        follow_up::periods::catch_up_for(context::db(ctx), caller).await.gql()?;
        let items = follow_up::worklist::urge_list(context::reads(ctx), caller, &filter).await.gql()?;
        Ok(UrgeList { items, first: first as usize, today: caller.today() })
    }

    /// The viewer's watch list (关注), most recently followed first. Leaders and the office.
    async fn watch_list(&self, ctx: &Context<'_>) -> Result<Vec<FollowedTask>> {
        let listed = follow_up::watch::list(context::reads(ctx), context::caller(ctx)).await.gql()?;
        Ok(listed.into_iter().map(FollowedTask).collect())
    }

    /// Statistics (统计考核) overall, by plan and by unit, of the tasks the viewer may see.
    async fn statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which tasks to count (all the viewer may see when omitted).")] filter: Option<
            StatisticsFilter,
        >,
    ) -> Result<Statistics> {
        let filter = filter.unwrap_or_default().into_domain().gql()?;
        // Only the figures the selection asks for are computed.
        let asked = crate::graphql::types::follow_up::statistics::asked(ctx);
        follow_up::periods::catch_up_for(context::db(ctx), context::caller(ctx)).await.gql()?;
        let figures =
            follow_up::statistics::statistics(context::reads(ctx), context::caller(ctx), &filter, asked).await.gql()?;
        Ok(Statistics(figures))
    }

    /// Assessment (考核) of a period, for one plan or all: each unit's score, rank and the facts
    /// behind every point. The latest published version when there is one, else computed from
    /// the record as it stands. Units read only their own row; the office and leaders all.
    async fn assessment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The period (the rules' `judgedOver` period holding today when omitted).")] period: Option<
            AssessmentPeriodInput,
        >,
        #[graphql(desc = "Only this plan's tasks (all plans when omitted).")] document_id: Option<ID>,
        #[graphql(desc = "One published version (not with `live`).")] version: Option<i32>,
        #[graphql(default, desc = "Computed from the record as it stands, even when published.")] live: bool,
    ) -> Result<Assessment> {
        let span = period.map(AssessmentPeriodInput::into_domain).transpose().gql()?;
        let document_id = parse_opt_id(document_id.as_ref()).gql()?;
        let which = match (version, live) {
            (Some(_), true) => return Err(AppError::bad_input("ask for a version or for live, not both")).gql(),
            (Some(v), false) => assessment::Which::Version(v),
            (None, true) => assessment::Which::Live,
            (None, false) => assessment::Which::Latest,
        };
        follow_up::periods::catch_up_for(context::db(ctx), context::caller(ctx)).await.gql()?;
        let found = assessment::assessment(context::reads(ctx), context::caller(ctx), span, document_id, which);
        Ok(Assessment(found.await.gql()?))
    }

    /// The published versions of a period's assessment, newest first.
    async fn assessment_versions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The period.")] period: AssessmentPeriodInput,
        #[graphql(desc = "Only this plan (all plans when omitted).")] document_id: Option<ID>,
    ) -> Result<Vec<AssessmentVersion>> {
        let span = period.into_domain().gql()?;
        let document_id = parse_opt_id(document_id.as_ref()).gql()?;
        let versions = assessment::published::versions(context::reads(ctx), context::caller(ctx), span, document_id);
        let versions = versions.await.gql()?;
        Ok(versions
            .into_iter()
            .map(|(version, at)| AssessmentVersion { version, published_at: crate::graphql::scalars::DateTime(at) })
            .collect())
    }

    /// The office's scoring rules for assessment.
    async fn assessment_rules(&self, ctx: &Context<'_>) -> Result<AssessmentRules> {
        Ok(assessment::rules::get(context::reads(ctx), context::caller(ctx)).await.gql()?.into())
    }

    /// The office's warning thresholds.
    async fn warning_settings(&self, ctx: &Context<'_>) -> Result<WarningSettings> {
        Ok(follow_up::settings::get(context::reads(ctx), context::caller(ctx)).await.gql()?.into())
    }

    /// The days between `from` and `to` that differ from Monday to Friday in the office's
    /// calendar (holidays, make-up working days); at most ten years.
    async fn calendar(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The first day of the range.")] from: Date,
        #[graphql(desc = "The last day of the range.")] to: Date,
    ) -> Result<Vec<CalendarDay>> {
        let days =
            follow_up::calendar::exceptions(context::reads(ctx), context::caller(ctx), from.0, to.0).await.gql()?;
        Ok(days.into_iter().map(CalendarDay::from).collect())
    }

    /// One task; null when it does not exist or the viewer may not see it.
    async fn task(&self, ctx: &Context<'_>, #[graphql(desc = "The task.")] id: ID) -> Result<Option<Task>> {
        let id = parse_id(&id).gql()?;
        // The task, its plan and its units as the selection asks, in one statement.
        fetch::task(ctx, id).await
    }

    /// Registered documents (plans), oldest first.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn documents(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, at most 100 (20 when omitted).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> Result<Conn<Document>> {
        let has_previous = after.is_some();
        let page = connection::id_page("doc", first, after).gql()?;
        let rows = documents::list(context::reads(ctx), context::caller(ctx), &page).await.gql()?;
        Ok(connection::connection(rows, Total::Documents, has_previous, |d| format!("doc:{}", d.id), Document))
    }

    /// One document.
    async fn document(&self, ctx: &Context<'_>, #[graphql(desc = "The document.")] id: ID) -> Result<Option<Document>> {
        let id = parse_id(&id).gql()?;
        Ok(documents::get(context::reads(ctx), context::caller(ctx), id).await.gql()?.map(Document))
    }

    /// Departments (units, groups, catch-alls) in id order.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn departments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which departments to list (all when omitted).")] filter: Option<DepartmentFilter>,
        #[graphql(desc = "Page size, at most 100 (20 when omitted).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> Result<Conn<Department>> {
        let filter = filter.unwrap_or_default();
        let filter = departments::DepartmentFilter {
            kind: filter.kind.map(Into::into),
            needs_review: filter.needs_review,
            search: filter.search,
        };
        let has_previous = after.is_some();
        let page = connection::id_page("dept", first, after).gql()?;
        let rows = departments::list(context::reads(ctx), context::caller(ctx), &filter, &page).await.gql()?;
        let total = Total::Departments { filter };
        Ok(connection::connection(rows, total, has_previous, |d| format!("dept:{}", d.id), Department::from))
    }

    /// The audit trail, newest first (admins): every change, who made it, from where, and the
    /// fields before and after.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which entries to list (all when omitted).")] filter: Option<AuditLogFilter>,
        #[graphql(desc = "Page size, at most 100 (20 when omitted).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> Result<Conn<AuditEntry>> {
        let filter = filter.unwrap_or_default();
        let filter = crate::domain::audit::log::LogFilter {
            entity: filter.entity,
            entity_id: context::parse_opt_id(filter.entity_id.as_ref()).gql()?,
            actor_id: context::parse_opt_id(filter.actor_id.as_ref()).gql()?,
            task_id: context::parse_opt_id(filter.task_id.as_ref()).gql()?,
            from: filter.from.map(|d| d.0),
            to: filter.to.map(|d| d.0),
        };
        let has_previous = after.is_some();
        let page = connection::id_page("audit", first, after).gql()?;
        let rows =
            crate::domain::audit::log::list(context::reads(ctx), context::caller(ctx), &filter, &page).await.gql()?;
        let total = Total::Audit { filter };
        Ok(connection::connection(rows, total, has_previous, |e| format!("audit:{}", e.id), AuditEntry))
    }

    /// The webhooks the viewer manages (all for admins; its own and its unit's service accounts'
    /// for others), in id order.
    async fn webhooks(&self, ctx: &Context<'_>) -> Result<Vec<crate::graphql::types::webhook::Webhook>> {
        let hooks = crate::domain::webhooks::list(context::reads(ctx), context::caller(ctx)).await.gql()?;
        Ok(hooks.into_iter().map(crate::graphql::types::webhook::Webhook).collect())
    }

    /// A webhook's delivery log, newest first: `first` deliveries (20 by default, at most 100)
    /// older than delivery `before` (the newest when omitted).
    async fn webhook_deliveries(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The webhook.")] webhook_id: ID,
        #[graphql(desc = "How many deliveries to list, at most 100 (20 when omitted).")] first: Option<i32>,
        #[graphql(desc = "List the deliveries older than this one (from the newest when omitted).")] before: Option<ID>,
    ) -> Result<Vec<crate::graphql::types::webhook::WebhookDelivery>> {
        let id = parse_id(&webhook_id).gql()?;
        let page = crate::domain::page::PageRequest::new(first, parse_opt_id(before.as_ref()).gql()?).gql()?;
        let rows =
            crate::domain::webhooks::deliveries(context::reads(ctx), context::caller(ctx), id, &page).await.gql()?;
        Ok(rows.items.into_iter().map(crate::graphql::types::webhook::WebhookDelivery).collect())
    }

    /// Recorded higher-level policies, newest first.
    async fn policy_events(&self, ctx: &Context<'_>) -> Result<Vec<PolicyEvent>> {
        let events = policy_events::list(context::reads(ctx), context::caller(ctx)).await.gql()?;
        Ok(events.into_iter().map(PolicyEvent).collect())
    }

    /// Every account (admin).
    async fn users(&self, ctx: &Context<'_>) -> Result<Vec<User>> {
        Ok(users::list(context::reads(ctx), context::caller(ctx)).await.gql()?.into_iter().map(User).collect())
    }

    /// One department.
    async fn department(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The department.")] id: ID,
    ) -> Result<Option<Department>> {
        let id = parse_id(&id).gql()?;
        Ok(departments::get(context::reads(ctx), context::caller(ctx), id).await.gql()?.map(Department::from))
    }
}
