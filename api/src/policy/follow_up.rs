//! Who may act in the follow-up loop and what each viewer sees of it. Pure: the caller's
//! account, its unit's place on the task, and the task's assignments in; a decision out.
//!
//! A unit acts on its own place on a task: it signs, reports and finishes its part there; the
//! lead unit also hands in the completion report, asks for extensions and answers leaders'
//! instructions. A unit reaching a task only through a group (a town through 各镇人民政府) may
//! report on it but has no place of its own to sign. The office (admins) reviews, decides,
//! archives and suspends; leaders and admins urge and instruct.

use super::{Principal, Viewer};
use crate::error::{AppError, AppResult};
use entity::{AssignmentRole, EvidenceTarget, UserRole};

/// The unit account's own place on a task (`own_role`: the role of the assignment of its unit,
/// not of a group): its unit id, or FORBIDDEN.
pub fn own_place(principal: &Principal, own_role: Option<AssignmentRole>) -> AppResult<i32> {
    match (principal.is_unit_scoped(), own_role, principal.department_id) {
        (true, Some(_), Some(unit)) => Ok(unit),
        (true, None, _) => Err(AppError::Forbidden("the unit has no place of its own on this task")),
        _ => Err(AppError::Forbidden("only a unit assigned to the task may do this")),
    }
}

/// The lead unit's own place on a task, or FORBIDDEN.
pub fn lead_place(principal: &Principal, own_role: Option<AssignmentRole>) -> AppResult<i32> {
    let unit = own_place(principal, own_role)?;
    match own_role {
        Some(AssignmentRole::Lead) => Ok(unit),
        _ => Err(AppError::Forbidden("only the task's lead unit may do this")),
    }
}

/// The unit a unit's account (or a unit system's token) acts for, whatever the task: files of
/// evidence are its unit's. FORBIDDEN for admins and leaders, who write no reports.
pub fn own_unit(principal: &Principal) -> AppResult<i32> {
    match (principal.is_unit_scoped(), principal.department_id) {
        (true, Some(unit)) => Ok(unit),
        _ => Err(AppError::Forbidden("only a unit's account uploads evidence for its reports")),
    }
}

/// Whether a viewer who sees the task may read a file of evidence written by `author` that
/// backs `target`: whoever may read what it backs. A progress report's files as its report (a
/// supporting unit reads its own and the lead's, never another supporting unit's); an urging's
/// answer as the urging (the office, leaders and the urged unit); completion reports and
/// responses to instructions whoever sees the task.
pub fn may_read_evidence(
    viewer: &Viewer,
    role_on_task: Option<AssignmentRole>,
    leads: &[i32],
    target: EvidenceTarget,
    author: i32,
) -> bool {
    match target {
        EvidenceTarget::ProgressReport => match super::rules::visible_report_departments(viewer, role_on_task, leads) {
            super::rules::ReportScope::All => true,
            super::rules::ReportScope::Departments(units) => units.contains(&author),
            super::rules::ReportScope::None => false,
        },
        EvidenceTarget::UrgingAnswer => visible_urgings(viewer).includes(author),
        EvidenceTarget::CompletionReport | EvidenceTarget::InstructionResponse => {
            viewer.sees_everything() || viewer.principal().is_some()
        }
    }
}

/// Leaders and admins urge units (催办).
pub fn may_urge(principal: &Principal) -> AppResult<()> {
    match principal.role {
        UserRole::Admin | UserRole::Leader => Ok(()),
        _ => Err(AppError::Forbidden("only the office and leaders urge units")),
    }
}

/// Leaders and the office keep a watch list (关注) of tasks; units follow their own work anyway.
pub fn may_follow(principal: &Principal) -> AppResult<()> {
    may_urge(principal).map_err(|_| AppError::Forbidden("only leaders and the office keep a watch list"))
}

/// Leaders (and admins, writing down a leader's word) instruct on a task (领导批示).
pub fn may_instruct(principal: &Principal) -> AppResult<()> {
    may_urge(principal).map_err(|_| AppError::Forbidden("only leaders and the office write instructions"))
}

/// Which units' private items (urgings, sign-off contacts) a viewer sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitItems {
    /// Every unit's.
    All,
    /// These units' only.
    Of(Vec<i32>),
}

impl UnitItems {
    /// Whether `department` is among them.
    pub fn includes(&self, department: i32) -> bool {
        match self {
            UnitItems::All => true,
            UnitItems::Of(units) => units.contains(&department),
        }
    }
}

/// Urgings addressed to a unit are between the office and that unit: admins, leaders and the
/// console see all of them, a unit its own.
pub fn visible_urgings(viewer: &Viewer) -> UnitItems {
    match viewer.principal() {
        Some(p) if p.is_unit_scoped() => UnitItems::Of(p.department_id.into_iter().collect()),
        Some(_) => UnitItems::All,
        None if viewer.sees_everything() => UnitItems::All,
        None => UnitItems::Of(Vec::new()),
    }
}

/// The person responsible and the contact a unit named when signing: the office, leaders, the
/// unit itself, the task's lead unit (which gathers its supporting units' input) and, for the
/// lead's own, the supporting units (which send their input to it). `leads` are the task's
/// lead units.
pub fn visible_contacts(viewer: &Viewer, role_on_task: Option<AssignmentRole>, leads: &[i32]) -> UnitItems {
    match (viewer.principal(), role_on_task) {
        (Some(p), Some(AssignmentRole::Lead)) if p.is_unit_scoped() => UnitItems::All,
        (Some(p), Some(AssignmentRole::Supporting)) if p.is_unit_scoped() => {
            UnitItems::Of(p.department_id.into_iter().chain(leads.iter().copied()).collect())
        }
        _ => visible_urgings(viewer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AssignmentRole::{Lead, Supporting};

    fn principal(role: UserRole, dept: Option<i32>) -> Principal {
        Principal { user_id: 1, role, department_id: dept, group_ids: vec![] }
    }

    #[test]
    fn own_and_lead_places_table() {
        let cases = [
            (UserRole::Department, Some(Lead), Ok(3), Ok(3)),
            (UserRole::Department, Some(Supporting), Ok(3), Err("FORBIDDEN")),
            (UserRole::Department, None, Err("FORBIDDEN"), Err("FORBIDDEN")),
            (UserRole::Service, Some(Lead), Ok(3), Ok(3)),
            (UserRole::Admin, Some(Lead), Err("FORBIDDEN"), Err("FORBIDDEN")),
            (UserRole::Leader, None, Err("FORBIDDEN"), Err("FORBIDDEN")),
        ];
        for (role, on_task, own, lead) in cases {
            let p = principal(role, Some(3));
            assert_eq!(own_place(&p, on_task).map_err(|e| e.code()), own, "{role:?} {on_task:?}");
            assert_eq!(lead_place(&p, on_task).map_err(|e| e.code()), lead, "{role:?} {on_task:?}");
        }
    }

    #[test]
    fn evidence_is_read_as_what_it_backs() {
        use EvidenceTarget::{CompletionReport, InstructionResponse, ProgressReport, UrgingAnswer};
        // Task: lead 5, supporting 3 and 4. Files written by the lead (5) and by unit 4.
        let unit = |dept| Viewer::User(principal(UserRole::Department, Some(dept)));
        let leader = Viewer::User(principal(UserRole::Leader, None));
        let cases = [
            (unit(5), Some(Lead), ProgressReport, 4, true),
            (unit(3), Some(Supporting), ProgressReport, 5, true),
            (unit(3), Some(Supporting), ProgressReport, 4, false),
            (unit(4), Some(Supporting), ProgressReport, 4, true),
            (unit(3), Some(Supporting), UrgingAnswer, 4, false),
            (unit(5), Some(Lead), UrgingAnswer, 4, false),
            (unit(4), Some(Supporting), UrgingAnswer, 4, true),
            (unit(3), Some(Supporting), CompletionReport, 5, true),
            (unit(3), Some(Supporting), InstructionResponse, 5, true),
            (leader.clone(), None, ProgressReport, 4, true),
            (leader, None, UrgingAnswer, 4, true),
            (Viewer::System, None, UrgingAnswer, 4, true),
            (Viewer::Anonymous, None, CompletionReport, 5, false),
        ];
        for (viewer, role, target, author, allowed) in cases {
            assert_eq!(
                may_read_evidence(&viewer, role, &[5], target, author),
                allowed,
                "{viewer:?} {target:?} {author}"
            );
        }
        assert_eq!(own_unit(&principal(UserRole::Department, Some(3))).ok(), Some(3));
        assert_eq!(own_unit(&principal(UserRole::Service, Some(3))).ok(), Some(3));
        assert!(own_unit(&principal(UserRole::Admin, Some(3))).is_err());
        assert!(own_unit(&principal(UserRole::Department, None)).is_err());
    }

    #[test]
    fn leaders_and_admins_urge_and_instruct() {
        for (role, allowed) in [
            (UserRole::Admin, true),
            (UserRole::Leader, true),
            (UserRole::Department, false),
            (UserRole::Service, false),
        ] {
            assert_eq!(may_urge(&principal(role, None)).is_ok(), allowed, "{role:?}");
            assert_eq!(may_instruct(&principal(role, None)).is_ok(), allowed, "{role:?}");
        }
    }

    #[test]
    fn a_unit_sees_its_own_urgings_and_the_lead_sees_every_contact() {
        let unit = Viewer::User(principal(UserRole::Department, Some(3)));
        assert_eq!(visible_urgings(&unit), UnitItems::Of(vec![3]));
        let supporting = visible_contacts(&unit, Some(Supporting), &[5]);
        assert!(supporting.includes(3) && supporting.includes(5), "its own and the lead's");
        assert!(!supporting.includes(4), "not another supporting unit's");
        assert_eq!(visible_contacts(&unit, Some(Lead), &[3]), UnitItems::All);
        assert_eq!(visible_contacts(&unit, None, &[5]), UnitItems::Of(vec![3]));
        let leader = Viewer::User(principal(UserRole::Leader, None));
        assert_eq!(visible_urgings(&leader), UnitItems::All);
        assert_eq!(visible_urgings(&Viewer::Anonymous), UnitItems::Of(vec![]));
        assert!(UnitItems::All.includes(9) && !UnitItems::Of(vec![3]).includes(9));
    }
}
