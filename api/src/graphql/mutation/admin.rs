//! Admin writes: departments, documents, tasks and assignments. Every one requires ADMIN.

use crate::domain::tasks::{AssignmentSpec, NewTask, ScheduleFields, TaskChanges};
use crate::domain::{departments, documents, tasks};
use crate::error::IntoGql;
use crate::graphql::context::{self, parse_id, parse_ids};
use crate::graphql::scalars::Date;
use crate::graphql::types::enums::{AssignmentRole, DepartmentKind, ScheduleKind, TaskStatus};
use crate::graphql::types::{Department, Document, Task};
use async_graphql::{Context, ID, InputObject, Object, Result};

#[derive(Default)]
pub struct AdminMutation;

/// Fields of a department.
#[derive(InputObject)]
pub struct DepartmentInput {
    /// Canonical name; must not be another department's name or alias.
    pub name: Option<String>,
    /// Unit (default), group or catch-all.
    pub kind: Option<DepartmentKind>,
    /// Set to false once an admin has reviewed an imported unit.
    pub needs_review: Option<bool>,
}

impl From<DepartmentInput> for departments::DepartmentInput {
    fn from(i: DepartmentInput) -> Self {
        departments::DepartmentInput { name: i.name, kind: i.kind.map(Into::into), needs_review: i.needs_review }
    }
}

/// Fields of a document.
#[derive(InputObject)]
pub struct DocumentInput {
    /// Document number (文号); unique when present.
    pub doc_number: Option<String>,
    /// Title of the plan.
    pub title: Option<String>,
    /// Issuing office.
    pub issuer: Option<String>,
    /// Issue date.
    pub issued_on: Option<Date>,
}

impl From<DocumentInput> for documents::DocumentInput {
    fn from(i: DocumentInput) -> Self {
        documents::DocumentInput {
            doc_number: i.doc_number,
            title: i.title,
            issuer: i.issuer,
            issued_on: i.issued_on.map(|d| d.0),
            source_text: None,
            report_rule: None,
        }
    }
}

/// A schedule as an admin sets it by hand.
#[derive(InputObject)]
pub struct ScheduleInput {
    /// The text as written.
    pub text: String,
    /// How it is to be understood.
    pub kind: ScheduleKind,
    /// Deadline, when there is one.
    pub due_date: Option<Date>,
    /// Work continues after the deadline.
    #[graphql(default)]
    pub ongoing: bool,
    /// Levels waited for, comma-separated (`NATIONAL,PROVINCIAL`).
    pub waiting_for: Option<String>,
    /// Months after the policy's issue date.
    pub offset_months: Option<i32>,
}

impl From<ScheduleInput> for ScheduleFields {
    fn from(i: ScheduleInput) -> Self {
        ScheduleFields {
            text: i.text,
            kind: i.kind.into(),
            due_date: i.due_date.map(|d| d.0),
            ongoing: i.ongoing,
            waiting_for: i.waiting_for,
            offset_months: i.offset_months,
            offset_days: None,
            milestones: Vec::new(),
            starts_on: None,
            year_inferred: false,
        }
    }
}

/// A new task.
#[derive(InputObject)]
pub struct CreateTaskInput {
    /// The plan it belongs to.
    pub document_id: ID,
    /// Number within the plan; unique per document.
    pub seq: i32,
    /// The task.
    pub title: String,
    /// The measures.
    #[graphql(default)]
    pub measures: String,
    /// The schedule.
    pub schedule: ScheduleInput,
}

/// Changes to a task; omitted fields stay as they are.
#[derive(InputObject, Default)]
pub struct UpdateTaskInput {
    /// New number within the plan.
    pub seq: Option<i32>,
    /// New title.
    pub title: Option<String>,
    /// New measures.
    pub measures: Option<String>,
    /// New schedule.
    pub schedule: Option<ScheduleInput>,
    /// New status.
    pub status: Option<TaskStatus>,
}

/// One unit on a task.
#[derive(InputObject)]
pub struct AssignmentInput {
    /// The unit.
    pub department_id: ID,
    /// Lead or supporting.
    pub role: AssignmentRole,
}

/// Admin mutations.
#[Object]
impl AdminMutation {
    /// Creates a department.
    async fn create_department(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new department.")] input: DepartmentInput,
    ) -> Result<Department> {
        Ok(Department::from(departments::create(context::db(ctx), context::caller(ctx), input.into()).await.gql()?))
    }

    /// Renames, re-kinds or reviews a department.
    async fn update_department(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The department.")] id: ID,
        #[graphql(desc = "The department's new fields.")] input: DepartmentInput,
    ) -> Result<Department> {
        let id = parse_id(&id).gql()?;
        Ok(Department::from(departments::update(context::db(ctx), context::caller(ctx), id, input.into()).await.gql()?))
    }

    /// Adds another name for a department.
    async fn add_department_alias(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The department.")] id: ID,
        #[graphql(desc = "The other name.")] alias: String,
    ) -> Result<Department> {
        let id = parse_id(&id).gql()?;
        Ok(Department::from(departments::add_alias(context::db(ctx), context::caller(ctx), id, &alias).await.gql()?))
    }

    /// Merges one department into another: its assignments, aliases, reports and accounts
    /// move, its name becomes an alias, and it is deleted. One transaction.
    async fn merge_departments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The department merged away (deleted).")] from_id: ID,
        #[graphql(desc = "The department that remains.")] into_id: ID,
    ) -> Result<Department> {
        let (from, into) = (parse_id(&from_id).gql()?, parse_id(&into_id).gql()?);
        Ok(Department::from(departments::merge(context::db(ctx), context::caller(ctx), from, into).await.gql()?))
    }

    /// Sets which units a group (such as 各镇人民政府) stands for.
    async fn set_group_members(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The group.")] group_id: ID,
        #[graphql(desc = "The units it stands for (replacing the current ones).")] member_ids: Vec<ID>,
    ) -> Result<Department> {
        let group = parse_id(&group_id).gql()?;
        let members = parse_ids(&member_ids).gql()?;
        let (db, caller) = (context::db(ctx), context::caller(ctx));
        departments::set_members(db, caller, group, &members).await.gql()?;
        let dept = departments::get(db, caller, group).await.gql()?;
        dept.map(Department::from)
            .ok_or_else(|| async_graphql::ErrorExtensions::extend(&crate::error::AppError::NotFound("department")))
    }

    /// Registers a document by hand (imports create documents too).
    async fn create_document(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new document.")] input: DocumentInput,
    ) -> Result<Document> {
        Ok(Document(documents::create(context::db(ctx), context::caller(ctx), input.into()).await.gql()?))
    }

    /// Changes a document's metadata.
    async fn update_document(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The document.")] id: ID,
        #[graphql(desc = "The document's new metadata.")] input: DocumentInput,
    ) -> Result<Document> {
        let id = parse_id(&id).gql()?;
        Ok(Document(documents::update(context::db(ctx), context::caller(ctx), id, input.into()).await.gql()?))
    }

    /// Deletes a document with all its tasks, assignments and reports.
    async fn delete_document(&self, ctx: &Context<'_>, #[graphql(desc = "The document.")] id: ID) -> Result<bool> {
        documents::delete(context::db(ctx), context::caller(ctx), parse_id(&id).gql()?).await.gql()?;
        Ok(true)
    }

    /// Creates a task (assign units with `setTaskAssignments`).
    async fn create_task(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new task.")] input: CreateTaskInput,
    ) -> Result<Task> {
        let new = NewTask {
            document_id: parse_id(&input.document_id).gql()?,
            seq: input.seq,
            title: input.title,
            measures: input.measures,
            schedule: input.schedule.into(),
            outline: Default::default(),
        };
        Ok(Task::from(tasks::create(context::db(ctx), context::caller(ctx), new).await.gql()?))
    }

    /// Changes a task if `expectedVersion` is its current version; otherwise fails with
    /// CONFLICT and changes nothing.
    async fn update_task(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The task.")] id: ID,
        #[graphql(desc = "The task's current `version`; CONFLICT when it has changed.")] expected_version: i32,
        #[graphql(desc = "The changes; omitted fields stay as they are.")] input: UpdateTaskInput,
    ) -> Result<Task> {
        let changes = TaskChanges {
            seq: input.seq,
            title: input.title,
            measures: input.measures,
            schedule: input.schedule.map(Into::into),
            status: input.status.map(Into::into),
        };
        let id = parse_id(&id).gql()?;
        Ok(Task::from(
            tasks::update(context::db(ctx), context::caller(ctx), id, expected_version, changes).await.gql()?,
        ))
    }

    /// Deletes a task with its assignments and reports.
    async fn delete_task(&self, ctx: &Context<'_>, #[graphql(desc = "The task.")] id: ID) -> Result<bool> {
        tasks::delete(context::db(ctx), context::caller(ctx), parse_id(&id).gql()?).await.gql()?;
        Ok(true)
    }

    /// Replaces a task's units, in plan order. A unit may appear once (not both lead and
    /// supporting).
    async fn set_task_assignments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The task.")] task_id: ID,
        #[graphql(desc = "The task's units, in plan order (replacing the current ones).")] assignments: Vec<
            AssignmentInput,
        >,
    ) -> Result<Task> {
        let task_id = parse_id(&task_id).gql()?;
        let specs = assignments
            .iter()
            .map(|a| Ok(AssignmentSpec { department_id: parse_id(&a.department_id)?, role: a.role.into() }))
            .collect::<crate::error::AppResult<Vec<_>>>()
            .gql()?;
        Ok(Task::from(tasks::set_assignments(context::db(ctx), context::caller(ctx), task_id, &specs).await.gql()?))
    }
}
