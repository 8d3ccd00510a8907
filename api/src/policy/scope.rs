//! Query scopers: every root query starts from one of these, so rows outside the viewer's
//! view are never loaded in the first place.

use super::Viewer;
use entity::{AssignmentRole, assignment, progress_report, task};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Select};

/// Tasks the viewer may see: all for admins, leaders and the console; for a unit, the tasks it
/// (or a group it belongs to) is assigned to; none for anonymous callers.
pub fn visible_tasks(viewer: &Viewer) -> Select<task::Entity> {
    let query = task::Entity::find();
    match task_owners(viewer) {
        None => query,
        Some(units) => query.filter(task::Column::Id.in_subquery(tasks_of(units))),
    }
}

/// Ids of the tasks the viewer may see, as a subquery (for rows that hang off a task).
pub fn visible_task_ids(viewer: &Viewer) -> Option<SelectStatement> {
    task_owners(viewer).map(tasks_of)
}

/// The units whose assignments bound what the viewer sees: `None` when nothing bounds it
/// (admins, leaders, the console); for a unit account, its unit and the unit's groups (none
/// without a unit); for anonymous callers, no unit at all.
pub fn task_owners(viewer: &Viewer) -> Option<Vec<i32>> {
    if viewer.sees_everything() {
        return None;
    }
    Some(viewer.principal().map(|p| p.acting_for()).unwrap_or_default())
}

/// Ids of the tasks any of `units` is assigned to.
pub fn tasks_of(units: Vec<i32>) -> SelectStatement {
    assignment::Entity::find()
        .select_only()
        .column(assignment::Column::TaskId)
        .filter(assignment::Column::DepartmentId.is_in(units))
        .into_query()
}

/// Progress reports the viewer may read, as a condition on `progress_report` rows: everything
/// for admins, leaders and the console; for a unit, by its role on each report's task, worked
/// out in the statement (`rules::role_on_task`): the lead unit reads all of the task's reports,
/// a supporting unit its own and the lead units'; nothing for anonymous callers. The SQL form of
/// `rules::visible_report_departments` (a test checks both agree on every kind of viewer and
/// task), so a task's reports come in the statement that reads the task.
pub fn visible_reports(viewer: &Viewer) -> Condition {
    let Some(principal) = viewer.principal().filter(|p| p.is_unit_scoped()) else {
        return if viewer.sees_everything() { Condition::all() } else { Condition::all().add(Expr::val(1).eq(2)) };
    };
    let direct: Vec<i32> = principal.department_id.into_iter().collect();
    let leads_directly = place_on_report_task(&direct, true);
    let holds_directly = place_on_report_task(&direct, false);
    let leads_through_group = place_on_report_task(&principal.group_ids, true);
    let holds_through_group = place_on_report_task(&principal.group_ids, false);
    // Its own places decide its role; its groups' only when it holds none of its own.
    let lead = leads_directly.or(holds_directly.clone().not().and(leads_through_group));
    let on_task = holds_directly.or(holds_through_group);
    let lead_units = Query::select()
        .column((assignment::Entity, assignment::Column::DepartmentId))
        .from(assignment::Entity)
        .and_where(
            Expr::col((assignment::Entity, assignment::Column::TaskId))
                .equals((progress_report::Entity, progress_report::Column::TaskId)),
        )
        .and_where(Expr::col((assignment::Entity, assignment::Column::Role)).eq(AssignmentRole::Lead))
        .to_owned();
    let own_or_leads = Expr::col((progress_report::Entity, progress_report::Column::DepartmentId))
        .is_in(direct)
        .or(Expr::col((progress_report::Entity, progress_report::Column::DepartmentId)).in_subquery(lead_units));
    Condition::any().add(lead).add(on_task.and(own_or_leads))
}

/// Whether one of `units` holds a place (a lead's, with `lead`) on the task of the
/// `progress_report` row the condition is about.
fn place_on_report_task(units: &[i32], lead: bool) -> SimpleExpr {
    let mut places = Query::select()
        .expr(Expr::val(1))
        .from(assignment::Entity)
        .and_where(
            Expr::col((assignment::Entity, assignment::Column::TaskId))
                .equals((progress_report::Entity, progress_report::Column::TaskId)),
        )
        .and_where(Expr::col((assignment::Entity, assignment::Column::DepartmentId)).is_in(units.to_vec()))
        .to_owned();
    if lead {
        places.and_where(Expr::col((assignment::Entity, assignment::Column::Role)).eq(AssignmentRole::Lead));
    }
    Expr::exists(places)
}

#[cfg(test)]
#[path = "scope_tests.rs"]
mod reports_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Principal;
    use entity::UserRole;
    use sea_orm::{DbBackend, QueryTrait};

    fn sql(viewer: &Viewer) -> String {
        visible_tasks(viewer).build(DbBackend::Postgres).to_string()
    }

    fn user(role: UserRole, department_id: Option<i32>, group_ids: Vec<i32>) -> Viewer {
        Viewer::User(Principal { user_id: 1, role, department_id, group_ids })
    }

    #[test]
    fn admins_leaders_and_the_console_are_not_filtered() {
        for viewer in [user(UserRole::Admin, None, vec![]), user(UserRole::Leader, None, vec![]), Viewer::System] {
            assert!(!sql(&viewer).contains("WHERE"), "{viewer:?}");
        }
    }

    #[test]
    fn units_see_only_their_own_and_their_groups_tasks() {
        let sql = sql(&user(UserRole::Department, Some(5), vec![9]));
        assert!(sql.contains(r#""department_id" IN (5, 9)"#), "{sql}");
        // A unit account with no unit, and an anonymous caller, match no row.
        for viewer in [user(UserRole::Service, None, vec![]), Viewer::Anonymous] {
            let none = super::visible_tasks(&viewer).build(DbBackend::Postgres).to_string();
            assert!(none.contains("1 = 2") || none.contains("IN ()"), "{none}");
        }
    }
}
