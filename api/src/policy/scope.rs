//! Query scopers: every root query starts from one of these, so rows outside the viewer's
//! view are never loaded in the first place.

use super::Principal;
use entity::{assignment, task};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Select};

/// Tasks the principal may see: all for admins and leaders; for a unit, the tasks it (or a
/// group it belongs to) is assigned to.
pub fn visible_tasks(principal: &Principal) -> Select<task::Entity> {
    let query = task::Entity::find();
    match task_owners(principal) {
        None => query,
        Some(units) => query.filter(task::Column::Id.in_subquery(tasks_of(units))),
    }
}

/// The units whose assignments bound what the principal sees: `None` when nothing bounds it
/// (admins, leaders); for a unit account, its unit and the unit's groups (none without a unit).
pub fn task_owners(principal: &Principal) -> Option<Vec<i32>> {
    principal.is_unit_scoped().then(|| principal.acting_for())
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
    use entity::UserRole;
    use sea_orm::{DbBackend, QueryTrait};

    fn sql(principal: &Principal) -> String {
        visible_tasks(principal).build(DbBackend::Postgres).to_string()
    }

    #[test]
    fn admins_and_leaders_are_not_filtered() {
        for role in [UserRole::Admin, UserRole::Leader] {
            let p = Principal { user_id: 1, role, department_id: None, group_ids: vec![] };
            assert!(!sql(&p).contains("WHERE"), "{role:?}");
        }
    }

    #[test]
    fn units_see_only_their_own_and_their_groups_tasks() {
        let p = Principal { user_id: 1, role: UserRole::Department, department_id: Some(5), group_ids: vec![9] };
        let sql = sql(&p);
        assert!(sql.contains(r#""department_id" IN (5, 9)"#), "{sql}");
        let lone = Principal { user_id: 1, role: UserRole::Service, department_id: None, group_ids: vec![] };
        let none = super::visible_tasks(&lone).build(DbBackend::Postgres).to_string();
        // A unit account with no unit matches no row.
        assert!(none.contains("1 = 2") || none.contains("IN ()"), "{none}");
    }
}
