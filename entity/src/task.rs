//! One numbered task of a plan, with its schedule as written and as understood.

use crate::enums::{ScheduleKind, ScheduleSource, TaskStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "task")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub document_id: i32,
    pub seq: i32,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub measures: String,
    pub schedule_text: String,
    pub schedule_kind: ScheduleKind,
    pub due_date: Option<Date>,
    pub ongoing: bool,
    /// Comma-separated policy levels the task waits for (`NATIONAL,PROVINCIAL`).
    pub waiting_for: Option<String>,
    pub offset_months: Option<i32>,
    pub offset_days: Option<i32>,
    pub status: TaskStatus,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The day the task was handed out (the plan's issue date, or when it was created).
    pub assigned_on: Option<Date>,
    /// The due date before any extension: statistics judge punctuality against it.
    pub original_due_date: Option<Date>,
    pub completed_at: Option<DateTimeUtc>,
    pub archived_at: Option<DateTimeUtc>,
    /// Why the office returned or suspended the task (or archived an ongoing one).
    #[sea_orm(column_type = "Text", nullable)]
    pub state_reason: Option<String>,
    /// The status a suspended task resumes in.
    pub suspended_from: Option<TaskStatus>,
    /// The task's own reporting rule, overriding its plan's (`MONTHLY:25`, …).
    pub report_rule: Option<String>,
    /// Facts the warnings are computed from, kept current by the domain.
    pub latest_percent: Option<i32>,
    pub earliest_report_due: Option<Date>,
    pub earliest_sign_due: Option<Date>,
    pub late_report_units: i32,
    pub open_urgings: i32,
    /// The task this one is a sub-measure of (same plan).
    pub parent_id: Option<i32>,
    /// The plan's numbering as written (`一、(二)3`; the row number for a table).
    pub number: Option<String>,
    /// The person in charge (分管领导), name and title as written.
    pub leader: Option<String>,
    pub schedule_source: Option<ScheduleSource>,
    /// The plan's list of units ends with `等`: more units may be meant.
    pub units_not_exhaustive: bool,
    /// Earlier dates of a schedule naming several, ISO and comma-separated
    /// (`2022-09-30,2023-06-30`); the last date is `due_date`.
    pub milestones: Option<String>,
    /// When ongoing work starts (`2023年起`).
    pub starts_on: Option<Date>,
    /// The schedule's year was not written and was taken from the plan.
    pub year_inferred: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::document::Entity", from = "Column::DocumentId", to = "super::document::Column::Id")]
    Document,
    #[sea_orm(has_many = "super::assignment::Entity")]
    Assignment,
    #[sea_orm(has_many = "super::progress_report::Entity")]
    ProgressReport,
}

impl Related<super::document::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Document.def()
    }
}

impl Related<super::assignment::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Assignment.def()
    }
}

impl Related<super::progress_report::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProgressReport.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
