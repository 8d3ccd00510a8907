//! A group on a task stands for each of its members (各镇人民政府 → every town): each member
//! unit gets a part of its own, in the group's role, held `via_group_id` — it signs, reports on
//! its own periods, is warned, urged and counted like any unit. The group's own part stays as
//! the plan names it and is not followed up itself.
//!
//! Membership moves parts from the day it changes: a unit that joins the group gets its parts
//! on the group's tasks that day (its clocks start then); a unit that leaves has its open parts
//! closed that day, their periods and reports kept. A unit the plan names on the task itself
//! keeps that part and gets no second one.

use super::{parts, periods};
use crate::domain::Caller;
use crate::domain::audit;
use crate::error::{AppError, AppResult};
use entity::{AssignmentState, TaskStatus, assignment, group_member, task};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::{HashMap, HashSet};

/// Brings the member parts of every task `group_id` is on in line with its members.
pub async fn follow_group(db: &impl ConnectionTrait, caller: &Caller, group_id: i32) -> AppResult<()> {
    let task_ids: Vec<i32> = assignment::Entity::find()
        .filter(assignment::Column::DepartmentId.eq(group_id))
        .filter(assignment::Column::ViaGroupId.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.task_id)
        .collect();
    follow_tasks(db, caller, &task_ids).await
}

/// Brings the member parts of the groups on `task_ids` in line with the groups' members (tasks
/// just handed out, or whose units changed).
pub async fn follow_tasks(db: &impl ConnectionTrait, caller: &Caller, task_ids: &[i32]) -> AppResult<()> {
    for chunk in task_ids.chunks(500) {
        let all_parts = assignment::Entity::find()
            .filter(assignment::Column::TaskId.is_in(chunk.to_vec()))
            .order_by_asc(assignment::Column::Position)
            .all(db)
            .await?;
        let group_ids: HashSet<i32> = all_parts.iter().filter_map(|a| a.via_group_id).collect();
        let named: Vec<i32> = all_parts.iter().filter(|a| a.via_group_id.is_none()).map(|a| a.department_id).collect();
        let mut members: HashMap<i32, Vec<i32>> = HashMap::new();
        for link in group_member::Entity::find()
            .filter(group_member::Column::GroupId.is_in(named.iter().copied().chain(group_ids)))
            .order_by_asc(group_member::Column::MemberId)
            .all(db)
            .await?
        {
            members.entry(link.group_id).or_default().push(link.member_id);
        }
        let mut by_task: HashMap<i32, Vec<assignment::Model>> = HashMap::new();
        for part in all_parts {
            by_task.entry(part.task_id).or_default().push(part);
        }
        for (task_id, task_parts) in by_task {
            let concerned =
                task_parts.iter().any(|a| a.via_group_id.is_some() || members.contains_key(&a.department_id));
            if concerned {
                follow_task(db, caller, task_id, &task_parts, &members).await?;
            }
        }
    }
    Ok(())
}

async fn follow_task(
    db: &impl ConnectionTrait,
    caller: &Caller,
    task_id: i32,
    task_parts: &[assignment::Model],
    members: &HashMap<i32, Vec<i32>>,
) -> AppResult<()> {
    let task = task::Entity::find_by_id(task_id).one(db).await?.ok_or(AppError::NotFound("task"))?;
    let followed = match task.status {
        TaskStatus::Archived => false,
        TaskStatus::Completed => super::completion::continues_after_deadline(&task),
        _ => true,
    };
    if !followed {
        return Ok(());
    }
    let groups: Vec<&assignment::Model> =
        task_parts.iter().filter(|a| a.via_group_id.is_none() && members.contains_key(&a.department_id)).collect();
    let standing: HashSet<(i32, i32)> =
        groups.iter().flat_map(|g| members[&g.department_id].iter().map(move |m| (g.department_id, *m))).collect();
    // Members who left: their open parts close today.
    for part in task_parts.iter().filter(|a| a.state != AssignmentState::Done) {
        let Some(group) = part.via_group_id else { continue };
        if standing.contains(&(group, part.department_id)) {
            continue;
        }
        let mut model: assignment::ActiveModel = part.clone().into();
        model.state = Set(AssignmentState::Done);
        model.done_at = Set(Some(caller.now()));
        let closed = model.update(db).await?;
        let (closed, _) = periods::apply(db, &closed, &task, |ledger| ledger.close(caller.today())).await?;
        audit::updated(caller, part, &closed);
    }
    // Members without a part of their own: one, in the group's role, handed out today.
    let held: HashSet<i32> = task_parts.iter().map(|a| a.department_id).collect();
    let mut position = task_parts.iter().map(|a| a.position).max().unwrap_or(0);
    let mut planned = None;
    let mut fresh = Vec::new();
    for group in groups {
        for member in &members[&group.department_id] {
            if held.contains(member) || fresh.iter().any(|(m, _): &(i32, _)| m == member) {
                continue;
            }
            if planned.is_none() {
                let planner = parts::PartPlanner::new(db, caller.today()).await?;
                planned = Some(planner.plan(&task, parts::load_rule(db, &task).await?));
            }
            let start = planned.expect("planned above");
            position += 1;
            let row = assignment::ActiveModel {
                task_id: Set(task.id),
                department_id: Set(*member),
                role: Set(group.role),
                position: Set(position),
                task_document_id: Set(task.document_id),
                task_seq: Set(task.seq),
                state: Set(AssignmentState::Assigned),
                assigned_on: Set(Some(start.assigned_on)),
                sign_due: Set(Some(start.sign_due)),
                next_report_due: Set(start.next_report_due),
                last_report_late: Set(false),
                via_group_id: Set(Some(group.department_id)),
                ..Default::default()
            };
            fresh.push((*member, row));
        }
    }
    if fresh.is_empty() {
        return Ok(());
    }
    let rows: Vec<assignment::ActiveModel> = fresh.into_iter().map(|(_, row)| row).collect();
    for created in assignment::Entity::insert_many(rows).exec_with_returning(db).await? {
        audit::created(caller, &created);
    }
    periods::open_first(db, &[task.id]).await
}
