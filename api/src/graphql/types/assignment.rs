//! `Assignment`: a unit's place on a task, and its own part of the follow-up.

use super::Department;
use super::enums::{AssignmentRole, AssignmentState};
use super::follow_up::Warning;
use crate::domain::follow_up::warning::{Facts, Level};
use crate::graphql::context;
use crate::graphql::fetch::{Part, Parts};
use crate::graphql::loaders::{load_failed, missing};
use crate::graphql::scalars::{Date, DateTime};
use crate::policy::{follow_up, rules};
use async_graphql::{Context, Object, Result};
use entity::{assignment, task};
use std::sync::Arc;

/// How the member units' parts of a group on a task stand (the group's part rolled up).
#[derive(async_graphql::SimpleObject)]
pub struct MemberRollUp {
    /// Member units with a part on the task (those that left included, their parts closed).
    pub members: i32,
    /// Parts not signed for yet.
    pub not_signed: i32,
    /// Parts signed for, with no report yet.
    pub signed: i32,
    /// Parts reported on.
    pub in_progress: i32,
    /// Parts finished or closed.
    pub done: i32,
    /// Open parts with a report past its due day.
    pub reports_missing: i32,
}

pub struct Assignment {
    /// Every unit's place on the task (this one at `index`), as the task's statement read them.
    parts: Parts,
    index: usize,
    task: Arc<task::Model>,
}

impl Assignment {
    /// The place at `index` among the task's `parts`.
    pub fn new(parts: Parts, index: usize, task: Arc<task::Model>) -> Assignment {
        Assignment { parts, index, task }
    }

    /// A place just written, among the task's other places (whole rows).
    pub fn written(task: task::Model, part: assignment::Model, others: Vec<assignment::Model>) -> Assignment {
        let mut places = others;
        let index = match places.iter().position(|a| a.id == part.id) {
            Some(index) => {
                places[index] = part;
                index
            }
            None => {
                places.push(part);
                places.len() - 1
            }
        };
        let parts: Parts = places.into_iter().map(|assignment| Part { assignment, department: None }).collect();
        Assignment { parts, index, task: Arc::new(task) }
    }

    fn part(&self) -> &assignment::Model {
        &self.parts[self.index].assignment
    }

    /// The kind of the part's department, through the loader (a department read with the task
    /// carries only the columns its selection asked for).
    async fn kind(&self, ctx: &Context<'_>) -> Result<entity::DepartmentKind> {
        let dept = context::loaders(ctx).departments.load_one(self.part().department_id).await.map_err(load_failed)?;
        dept.map(|(d, _)| d.kind).ok_or_else(|| missing("department"))
    }

    /// Whether the viewer may read this unit's sign-off contact: the office, leaders, the unit
    /// itself, the task's lead unit, and the supporting units for the lead's.
    fn contact_visible(&self, ctx: &Context<'_>) -> bool {
        let caller = context::caller(ctx);
        let pairs: Vec<_> = self.parts.iter().map(|p| (p.assignment.department_id, p.assignment.role)).collect();
        let role = caller.viewer.principal().and_then(|p| rules::role_on_task(p, &pairs));
        let leads: Vec<i32> =
            pairs.iter().filter(|(_, role)| *role == entity::AssignmentRole::Lead).map(|(unit, _)| *unit).collect();
        follow_up::visible_contacts(&caller.viewer, role, &leads).includes(self.part().department_id)
    }
}

/// A unit's place on a task, and where its part stands.
#[Object]
impl Assignment {
    /// The unit.
    async fn department(&self, ctx: &Context<'_>) -> Result<Department> {
        if let Some(department) = &self.parts[self.index].department {
            return Ok(Department::from(department.clone()));
        }
        let dept = context::loaders(ctx).departments.load_one(self.part().department_id).await.map_err(load_failed)?;
        dept.map(Department::from).ok_or_else(|| missing("department"))
    }

    /// The group (such as 各镇人民政府) this member unit's part stands in for: a group on a task
    /// gives each of its members a part of its own, from the day it joined (null for a unit the
    /// plan names itself).
    async fn via_group(&self, ctx: &Context<'_>) -> Result<Option<Department>> {
        let Some(group) = self.part().via_group_id else { return Ok(None) };
        let dept = context::loaders(ctx).departments.load_one(group).await.map_err(load_failed)?;
        Ok(dept.map(Department::from))
    }

    /// For a group's part (such as 各镇人民政府): how its members' parts on this task stand (null
    /// for a unit's part, and for a group with no member parts).
    async fn member_roll_up(&self, ctx: &Context<'_>) -> Result<Option<MemberRollUp>> {
        let group = self.part().department_id;
        let members: Vec<&assignment::Model> =
            self.parts.iter().map(|p| &p.assignment).filter(|a| a.via_group_id == Some(group)).collect();
        if members.is_empty() {
            return Ok(None);
        }
        let today = context::loaders(ctx).judge().await?.today;
        let count = |state: entity::AssignmentState| members.iter().filter(|a| a.state == state).count() as i32;
        Ok(Some(MemberRollUp {
            members: members.len() as i32,
            not_signed: count(entity::AssignmentState::Assigned),
            signed: count(entity::AssignmentState::Signed),
            in_progress: count(entity::AssignmentState::InProgress),
            done: count(entity::AssignmentState::Done),
            reports_missing: members.iter().filter(|a| a.next_report_due.is_some_and(|due| due < today)).count() as i32,
        }))
    }

    /// Lead or supporting.
    async fn role(&self) -> AssignmentRole {
        self.part().role.into()
    }

    /// Position in the plan's list, from 1.
    async fn position(&self) -> i32 {
        self.part().position
    }

    /// Where the unit's part stands: ASSIGNED → SIGNED → IN_PROGRESS → DONE.
    async fn state(&self) -> AssignmentState {
        self.part().state.into()
    }

    /// Whether duban follows this part up (sign-off, reports, warnings): a unit's part is; a
    /// group's or a catch-all's (`县政府其他有关部门`) is not, as no account acts for it.
    async fn followed_up(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(self.kind(ctx).await? == entity::DepartmentKind::Unit)
    }

    /// How urgent the unit's own part is: the task's time and pace, the unit's reports and
    /// sign-off, and the unanswered urgings to it that the viewer may see. NONE for a part that
    /// is not followed up (`followedUp`): nobody could clear its warning.
    async fn warning(&self, ctx: &Context<'_>) -> Result<Warning> {
        if self.kind(ctx).await? != entity::DepartmentKind::Unit {
            return Ok(Warning::new(Level::None, Vec::new()));
        }
        let loaders = context::loaders(ctx);
        let judge = loaders.judge().await?;
        let urgings = loaders.urgings.load_one(self.part().task_id).await.map_err(load_failed)?.unwrap_or_default();
        let open = urgings
            .iter()
            .filter(|u| {
                u.department_id == self.part().department_id && u.answered_at.is_none() && u.closed_at.is_none()
            })
            .count();
        let facts = Facts::of_part(&self.task, self.part(), open as i32);
        Ok(Warning::new(judge.level(&facts), judge.reasons(&facts)))
    }

    /// The day the unit was handed the task.
    async fn assigned_on(&self) -> Option<Date> {
        self.part().assigned_on.map(Date)
    }

    /// By when it must sign (working days from the office's calendar).
    async fn sign_due(&self) -> Option<Date> {
        self.part().sign_due.map(Date)
    }

    /// When it signed (签收).
    async fn signed_at(&self) -> Option<DateTime> {
        self.part().signed_at.map(DateTime)
    }

    /// The person responsible it named when signing (承办人); null for viewers other than the
    /// office, leaders, the unit itself, the task's lead unit and, on a lead's part, the task's
    /// supporting units (they send their input to the lead).
    async fn responsible_person(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let visible = self.contact_visible(ctx);
        Ok(self.part().responsible_person.clone().filter(|_| visible))
    }

    /// How to reach that person; shown to the same viewers.
    async fn contact(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let visible = self.contact_visible(ctx);
        Ok(self.part().contact.clone().filter(|_| visible))
    }

    /// When its next progress report is due (null when none is).
    async fn next_report_due(&self) -> Option<Date> {
        self.part().next_report_due.map(Date)
    }

    /// The day of its last progress report.
    async fn last_report_on(&self) -> Option<Date> {
        self.part().last_report_on.map(Date)
    }

    /// Its last reporting period closed was answered late or missed (逾期报送 or 未报送).
    async fn last_report_late(&self) -> bool {
        self.part().last_report_late
    }

    /// Its reporting periods (报送周期), oldest first: each expected report, on time, late or
    /// missed. Shown to the office, leaders, the unit itself, the task's lead unit, and the
    /// supporting units for the lead's part (null for anyone else).
    async fn periods(&self, ctx: &Context<'_>) -> Result<Option<Vec<super::follow_up::ReportPeriod>>> {
        if !self.contact_visible(ctx) {
            return Ok(None);
        }
        let loaders = context::loaders(ctx);
        loaders.catch_up_periods(context::db(ctx)).await?;
        let rows = loaders.periods.load_one(self.part().id).await.map_err(load_failed)?;
        Ok(Some(rows.unwrap_or_default().into_iter().map(super::follow_up::ReportPeriod).collect()))
    }

    /// When its part was finished.
    async fn done_at(&self) -> Option<DateTime> {
        self.part().done_at.map(DateTime)
    }
}
