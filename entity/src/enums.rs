//! Enumerations stored as short upper-case strings, identical on SQLite and PostgreSQL.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What a department row stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum DepartmentKind {
    /// One agency that accounts can act for.
    #[sea_orm(string_value = "UNIT")]
    Unit,
    /// A known set of units, such as 各镇人民政府.
    #[sea_orm(string_value = "GROUP")]
    Group,
    /// Names no one in particular, such as 县政府其他有关部门.
    #[sea_orm(string_value = "CATCH_ALL")]
    CatchAll,
}

/// A unit's role on one task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum AssignmentRole {
    /// 牵头单位.
    #[sea_orm(string_value = "LEAD")]
    Lead,
    /// 配合单位.
    #[sea_orm(string_value = "SUPPORTING")]
    Supporting,
}

/// How a schedule text was understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ScheduleKind {
    /// A fixed date (possibly followed by continuing work).
    #[sea_orm(string_value = "DEADLINE")]
    Deadline,
    /// Due only after a higher-level policy is issued.
    #[sea_orm(string_value = "AFTER_POLICY")]
    AfterPolicy,
    /// No closing date.
    #[sea_orm(string_value = "ONGOING")]
    Ongoing,
    /// Every year.
    #[sea_orm(string_value = "RECURRING")]
    Recurring,
    /// Kept as text; not understood.
    #[sea_orm(string_value = "UNPARSED")]
    Unparsed,
}

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum TaskStatus {
    #[sea_orm(string_value = "NOT_STARTED")]
    NotStarted,
    #[sea_orm(string_value = "IN_PROGRESS")]
    InProgress,
    #[sea_orm(string_value = "COMPLETED")]
    Completed,
}

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum UserRole {
    #[sea_orm(string_value = "ADMIN")]
    Admin,
    #[sea_orm(string_value = "LEADER")]
    Leader,
    #[sea_orm(string_value = "DEPARTMENT")]
    Department,
    #[sea_orm(string_value = "SERVICE")]
    Service,
}

/// Level of government that issues a higher-level policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum PolicyLevel {
    #[sea_orm(string_value = "NATIONAL")]
    National,
    #[sea_orm(string_value = "PROVINCIAL")]
    Provincial,
    #[sea_orm(string_value = "MUNICIPAL")]
    Municipal,
}
