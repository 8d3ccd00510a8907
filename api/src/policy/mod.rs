//! Who may see and do what: every rule of authorization lives in this module.
//!
//! [`rules`] holds pure functions over a [`Viewer`] (unit-tested without a database);
//! [`scope`] holds the query scopers every root query starts from, so a child field can never
//! widen what its parent could see. Domain functions ask these before they touch the database.

pub mod follow_up;
pub mod rules;
pub mod scope;

use entity::UserRole;

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    /// No token: may log in and nothing else.
    Anonymous,
    /// A verified account.
    User(Principal),
    /// The operator at the server's console (command line, first start): an admin's rights,
    /// but no account, so nothing that needs an author (reports, instructions) is open to it.
    System,
}

/// A verified account and the units it acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: i32,
    pub role: UserRole,
    /// The unit a DEPARTMENT or SERVICE account acts for.
    pub department_id: Option<i32>,
    /// Groups that unit belongs to (a town government is in 各镇人民政府): tasks assigned to
    /// such a group are the unit's tasks too.
    pub group_ids: Vec<i32>,
}

impl Principal {
    /// True for accounts that see only their own unit's tasks.
    pub fn is_unit_scoped(&self) -> bool {
        matches!(self.role, UserRole::Department | UserRole::Service)
    }

    /// The departments whose assignments count as this account's: its unit and the unit's groups.
    pub fn acting_for(&self) -> Vec<i32> {
        self.department_id.into_iter().chain(self.group_ids.iter().copied()).collect()
    }
}

impl Viewer {
    /// The account, when the viewer is one.
    pub fn principal(&self) -> Option<&Principal> {
        match self {
            Viewer::User(principal) => Some(principal),
            Viewer::Anonymous | Viewer::System => None,
        }
    }

    /// True for the viewers that see every task: admins, leaders and the console.
    pub fn sees_everything(&self) -> bool {
        match self {
            Viewer::User(principal) => !principal.is_unit_scoped(),
            Viewer::System => true,
            Viewer::Anonymous => false,
        }
    }
}
