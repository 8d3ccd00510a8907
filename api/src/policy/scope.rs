//! Query scopers: every root query starts from one of these, so rows outside the viewer's
//! view are never loaded in the first place.

use super::Principal;
use entity::{assignment, task};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Select};

/// Tasks the principal may see: all for admins and leaders; for a unit, the tasks it (or a
/// group it belongs to) is assigned to.
pub fn visible_tasks(principal: &Principal) -> Select<task::Entity> {
    let query = task::Entity::find();
    if !principal.is_unit_scoped() {
        return query;
    }
    let assigned = assignment::Entity::find()
        .select_only()
        .column(assignment::Column::TaskId)
        .filter(assignment::Column::DepartmentId.is_in(principal.acting_for()))
        .into_query();
    query.filter(task::Column::Id.in_subquery(assigned))
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
