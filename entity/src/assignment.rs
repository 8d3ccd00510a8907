//! A unit's place on a task: lead or supporting, in the order the plan lists it.

use crate::enums::{AssignmentRole, AssignmentState};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "assignment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub task_id: i32,
    pub department_id: i32,
    pub role: AssignmentRole,
    pub position: i32,
    /// The task's `document_id`, kept equal by a cascading foreign key: with `task_seq` it
    /// orders a unit's tasks straight off an index.
    pub task_document_id: i32,
    /// The task's `seq`, kept equal by the same foreign key.
    pub task_seq: i32,
    pub state: AssignmentState,
    /// When the unit was handed the task.
    pub assigned_on: Option<Date>,
    /// By when it must sign (a number of working days after `assigned_on`).
    pub sign_due: Option<Date>,
    pub signed_at: Option<DateTimeUtc>,
    /// 承办人 named when signing.
    pub responsible_person: Option<String>,
    pub contact: Option<String>,
    /// When its next progress report is due (none when nothing is due).
    pub next_report_due: Option<Date>,
    pub last_report_on: Option<Date>,
    pub last_report_late: bool,
    pub done_at: Option<DateTimeUtc>,
    /// The group (各镇人民政府) this member unit's part stands in for; none for a unit the plan
    /// names itself.
    pub via_group_id: Option<i32>,
    /// Its reporting periods answered on time, answered late (补报) and missed, as recorded;
    /// kept by the writes that move a period, so figures add parts up instead of periods.
    pub periods_on_time: i32,
    pub periods_late: i32,
    pub periods_missed: i32,
    /// The due day of its period still open (none when it owes nothing); past it, the period
    /// counts as missed before the catch-up records it.
    pub period_due_on: Option<Date>,
    /// The due day of the oldest period missed since the last one answered, not counting the
    /// one a report may still answer late (补报).
    pub missed_since: Option<Date>,
    /// Urgings sent to this unit on this task and not yet answered or closed.
    pub open_urgings: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::task::Entity", from = "Column::TaskId", to = "super::task::Column::Id")]
    Task,
    #[sea_orm(
        belongs_to = "super::department::Entity",
        from = "Column::DepartmentId",
        to = "super::department::Column::Id"
    )]
    Department,
}

impl Related<super::task::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Task.def()
    }
}

impl Related<super::department::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Department.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
