//! Query scopers: every root query starts from one of these, so rows outside the viewer's
//! view are never loaded in the first place.

use super::Viewer;
use entity::{assignment, task};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Select};

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
