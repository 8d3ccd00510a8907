//! Pure authorization rules. No database, no GraphQL: plain inputs in, a decision out.

use super::{Principal, Viewer};
use crate::error::{AppError, AppResult};
use entity::{AssignmentRole, UserRole};

/// Anyone but an anonymous caller: reading the plans, the units and the documents.
pub fn signed_in(viewer: &Viewer) -> AppResult<()> {
    match viewer {
        Viewer::Anonymous => Err(AppError::Unauthenticated),
        Viewer::User(_) | Viewer::System => Ok(()),
    }
}

/// A signed-in account (what an author, a signer or a password needs); the console has none.
pub fn account(viewer: &Viewer) -> AppResult<&Principal> {
    match viewer {
        Viewer::User(principal) => Ok(principal),
        Viewer::Anonymous => Err(AppError::Unauthenticated),
        Viewer::System => Err(AppError::Forbidden("this needs a signed-in account")),
    }
}

/// Admins (and the console) only: imports, units, documents, tasks, accounts.
pub fn admin(viewer: &Viewer) -> AppResult<()> {
    match viewer {
        Viewer::System => Ok(()),
        Viewer::User(principal) if principal.role == UserRole::Admin => Ok(()),
        Viewer::User(_) => Err(AppError::Forbidden("admin only")),
        Viewer::Anonymous => Err(AppError::Unauthenticated),
    }
}

/// May this viewer run introspection (`__schema`, `__type`)? Signed-in accounts may, unless
/// the operator turned introspection off for everyone. Anonymous callers never may: the
/// schema would tell them what to try.
pub fn may_introspect(viewer: &Viewer, enabled: bool) -> AppResult<()> {
    match viewer {
        Viewer::Anonymous => Err(AppError::Unauthenticated),
        Viewer::User(_) | Viewer::System if enabled => Ok(()),
        Viewer::User(_) | Viewer::System => Err(AppError::Forbidden("introspection is turned off")),
    }
}

/// The viewer's role on a task, given the task's assignments as (department, role).
/// A direct assignment wins over one through a group; LEAD wins over SUPPORTING.
pub fn role_on_task(principal: &Principal, assignments: &[(i32, AssignmentRole)]) -> Option<AssignmentRole> {
    if !principal.is_unit_scoped() {
        return None;
    }
    let direct = principal.department_id;
    let pick = |only_direct: bool| {
        assignments
            .iter()
            .filter(|(dept, _)| if only_direct { Some(*dept) == direct } else { principal.group_ids.contains(dept) })
            .map(|(_, role)| *role)
            .min_by_key(|role| matches!(role, AssignmentRole::Supporting))
    };
    pick(true).or_else(|| pick(false))
}

/// May this viewer change a task's status? Admins, and the lead unit of the task.
pub fn may_update_status(principal: &Principal, role: Option<AssignmentRole>) -> AppResult<()> {
    match (principal.role, role) {
        (UserRole::Admin, _) => Ok(()),
        (UserRole::Department | UserRole::Service, Some(AssignmentRole::Lead)) => Ok(()),
        _ => Err(AppError::Forbidden("only the lead unit or an admin may change the status")),
    }
}

/// May this viewer report progress on a task? Any unit assigned to it.
pub fn may_submit_report(principal: &Principal, role: Option<AssignmentRole>) -> AppResult<i32> {
    match (principal.is_unit_scoped(), role, principal.department_id) {
        (true, Some(_), Some(unit)) => Ok(unit),
        _ => Err(AppError::Forbidden("only a unit assigned to the task may report on it")),
    }
}

/// Which reports of a task a viewer may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportScope {
    /// Every report.
    All,
    /// Reports by these departments only.
    Departments(Vec<i32>),
    /// None.
    None,
}

/// Everything for admins, leaders and the lead unit; a supporting unit sees its own and the
/// lead units' reports, never another supporting unit's.
pub fn visible_report_departments(
    viewer: &Viewer,
    role: Option<AssignmentRole>,
    lead_departments: &[i32],
) -> ReportScope {
    let Some(principal) = viewer.principal() else {
        return if viewer.sees_everything() { ReportScope::All } else { ReportScope::None };
    };
    match (principal.role, role) {
        (UserRole::Admin | UserRole::Leader, _) => ReportScope::All,
        (_, Some(AssignmentRole::Lead)) => ReportScope::All,
        (_, Some(AssignmentRole::Supporting)) => ReportScope::Departments(
            principal.department_id.into_iter().chain(lead_departments.iter().copied()).collect(),
        ),
        _ => ReportScope::None,
    }
}

/// The monthly bulletin (督查通报) is the office's and leaders' (and the console's): it names
/// every unit's shortfalls, which units read in their own assessment instead.
pub fn reads_bulletin(viewer: &Viewer) -> AppResult<()> {
    match viewer {
        Viewer::System => Ok(()),
        Viewer::User(principal) if matches!(principal.role, UserRole::Admin | UserRole::Leader) => Ok(()),
        Viewer::User(_) => Err(AppError::Forbidden("the bulletin is the office's and leaders'")),
        Viewer::Anonymous => Err(AppError::Unauthenticated),
    }
}

/// Whose assessment (考核) a viewer may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessedScope {
    /// Every unit's, ranked (the office, leaders, the console).
    All,
    /// Its own unit's only: its score, rank and facts, no other unit's.
    Unit(i32),
}

/// The office and leaders read every unit's assessment; a unit (or its system) only its own.
pub fn assessed_scope(viewer: &Viewer) -> AppResult<AssessedScope> {
    signed_in(viewer)?;
    let Some(principal) = viewer.principal() else { return Ok(AssessedScope::All) };
    match (principal.role, principal.department_id) {
        (UserRole::Admin | UserRole::Leader, _) => Ok(AssessedScope::All),
        (UserRole::Department | UserRole::Service, Some(unit)) => Ok(AssessedScope::Unit(unit)),
        (UserRole::Department | UserRole::Service, None) => Err(AppError::Forbidden("the account acts for no unit")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AssignmentRole::{Lead, Supporting};

    fn principal(role: UserRole, dept: Option<i32>, groups: &[i32]) -> Principal {
        Principal { user_id: 1, role, department_id: dept, group_ids: groups.to_vec() }
    }

    #[test]
    fn units_read_only_their_own_assessment() {
        assert_eq!(assessed_scope(&Viewer::Anonymous).unwrap_err().code(), "UNAUTHENTICATED");
        assert_eq!(assessed_scope(&Viewer::System).unwrap(), AssessedScope::All);
        for role in [UserRole::Admin, UserRole::Leader] {
            assert_eq!(assessed_scope(&Viewer::User(principal(role, None, &[]))).unwrap(), AssessedScope::All);
        }
        for role in [UserRole::Department, UserRole::Service] {
            let viewer = Viewer::User(principal(role, Some(7), &[3]));
            assert_eq!(assessed_scope(&viewer).unwrap(), AssessedScope::Unit(7), "{role:?}");
        }
    }

    #[test]
    fn anonymous_is_unauthenticated_and_non_admins_are_forbidden() {
        assert_eq!(signed_in(&Viewer::Anonymous).unwrap_err().code(), "UNAUTHENTICATED");
        assert_eq!(admin(&Viewer::Anonymous).unwrap_err().code(), "UNAUTHENTICATED");
        for role in [UserRole::Leader, UserRole::Department, UserRole::Service] {
            let viewer = Viewer::User(principal(role, Some(1), &[]));
            assert_eq!(admin(&viewer).unwrap_err().code(), "FORBIDDEN", "{role:?}");
        }
        assert!(admin(&Viewer::User(principal(UserRole::Admin, None, &[]))).is_ok());
        assert!(admin(&Viewer::System).is_ok(), "the console acts as an admin");
    }

    #[test]
    fn the_console_has_an_admins_rights_but_no_account() {
        assert!(signed_in(&Viewer::System).is_ok());
        assert_eq!(account(&Viewer::System).unwrap_err().code(), "FORBIDDEN");
        assert_eq!(account(&Viewer::Anonymous).unwrap_err().code(), "UNAUTHENTICATED");
        let leader = Viewer::User(principal(UserRole::Leader, None, &[]));
        assert_eq!(account(&leader).unwrap().role, UserRole::Leader);
    }

    #[test]
    fn introspection_needs_a_signed_in_caller_and_the_setting() {
        let leader = Viewer::User(principal(UserRole::Leader, None, &[]));
        assert!(may_introspect(&leader, true).is_ok());
        assert_eq!(may_introspect(&leader, false).unwrap_err().code(), "FORBIDDEN");
        assert_eq!(may_introspect(&Viewer::Anonymous, true).unwrap_err().code(), "UNAUTHENTICATED");
    }

    #[test]
    fn role_on_task_prefers_direct_and_lead() {
        let unit = principal(UserRole::Department, Some(7), &[90]);
        assert_eq!(role_on_task(&unit, &[(1, Lead), (7, Supporting)]), Some(Supporting));
        assert_eq!(role_on_task(&unit, &[(7, Lead), (90, Supporting)]), Some(Lead));
        assert_eq!(role_on_task(&unit, &[(1, Lead), (90, Supporting)]), Some(Supporting));
        assert_eq!(role_on_task(&unit, &[(1, Lead), (2, Supporting)]), None);
        let leader = principal(UserRole::Leader, None, &[]);
        assert_eq!(role_on_task(&leader, &[(1, Lead)]), None);
    }

    #[test]
    fn status_changes_table() {
        let cases = [
            (UserRole::Admin, None, true),
            (UserRole::Leader, None, false),
            (UserRole::Department, Some(Lead), true),
            (UserRole::Department, Some(Supporting), false),
            (UserRole::Department, None, false),
            (UserRole::Service, Some(Lead), true),
            (UserRole::Service, Some(Supporting), false),
        ];
        for (role, on_task, allowed) in cases {
            let p = principal(role, Some(3), &[]);
            assert_eq!(may_update_status(&p, on_task).is_ok(), allowed, "{role:?} {on_task:?}");
        }
    }

    #[test]
    fn submit_report_table() {
        let cases = [
            (UserRole::Department, Some(Lead), true),
            (UserRole::Department, Some(Supporting), true),
            (UserRole::Department, None, false),
            (UserRole::Service, Some(Supporting), true),
            (UserRole::Admin, Some(Lead), false),
            (UserRole::Leader, None, false),
        ];
        for (role, on_task, allowed) in cases {
            let p = principal(role, Some(3), &[]);
            assert_eq!(may_submit_report(&p, on_task).is_ok(), allowed, "{role:?} {on_task:?}");
        }
    }

    #[test]
    fn supporting_units_see_own_and_lead_reports_only() {
        let leads = [1];
        let supporting = Viewer::User(principal(UserRole::Department, Some(3), &[]));
        assert_eq!(
            visible_report_departments(&supporting, Some(Supporting), &leads),
            ReportScope::Departments(vec![3, 1])
        );
        let lead = Viewer::User(principal(UserRole::Department, Some(1), &[]));
        assert_eq!(visible_report_departments(&lead, Some(Lead), &leads), ReportScope::All);
        let leader = Viewer::User(principal(UserRole::Leader, None, &[]));
        assert_eq!(visible_report_departments(&leader, None, &leads), ReportScope::All);
        assert_eq!(visible_report_departments(&supporting, None, &leads), ReportScope::None);
        assert_eq!(visible_report_departments(&Viewer::System, None, &leads), ReportScope::All);
        assert_eq!(visible_report_departments(&Viewer::Anonymous, None, &leads), ReportScope::None);
    }
}
