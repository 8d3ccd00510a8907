//! Helpers for the domain's unit tests: callers of every kind but admin, and the check that a
//! refusal came from policy before any statement (the test database is disconnected, so a
//! statement would have failed as INTERNAL instead).

use crate::domain::Caller;
use crate::domain::clock::Clock;
use crate::error::AppResult;
use crate::policy::{Principal, Viewer};
use entity::UserRole;

/// An anonymous caller, a leader, a unit's staff and a unit's system.
pub fn unit_caller() -> Vec<Caller> {
    let at = Clock::system().read();
    let user = |role, department_id| Viewer::User(Principal { user_id: 7, role, department_id, group_ids: vec![] });
    [
        Viewer::Anonymous,
        user(UserRole::Leader, None),
        user(UserRole::Department, Some(3)),
        user(UserRole::Service, Some(3)),
    ]
    .into_iter()
    .map(|viewer| Caller::new(viewer, None, at))
    .collect()
}

/// Asserts that `result` is a refusal (UNAUTHENTICATED or FORBIDDEN), not a database error.
pub fn refused_before_any_statement<T: std::fmt::Debug>(result: AppResult<T>) {
    let error = result.expect_err("a non-admin caller must be refused");
    assert!(matches!(error.code(), "UNAUTHENTICATED" | "FORBIDDEN"), "refused too late: {error:?}");
}
