//! Enumerations stored as short upper-case strings, identical on SQLite and PostgreSQL.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What a department row stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
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
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
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
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
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

/// Where a task stands in the follow-up loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum TaskStatus {
    /// Handed out, nothing reported yet.
    #[sea_orm(string_value = "NOT_STARTED")]
    NotStarted,
    /// Work under way (a report came in).
    #[sea_orm(string_value = "IN_PROGRESS")]
    InProgress,
    /// The lead unit submitted its completion report (办结报告); the office reviews it.
    #[sea_orm(string_value = "PENDING_REVIEW")]
    PendingReview,
    /// The office returned the completion report (退回重办); work goes on.
    #[sea_orm(string_value = "RETURNED")]
    Returned,
    /// The office approved the completion report (办结).
    #[sea_orm(string_value = "COMPLETED")]
    Completed,
    /// Closed and filed (销号).
    #[sea_orm(string_value = "ARCHIVED")]
    Archived,
    /// Stopped by the office (中止), with a reason.
    #[sea_orm(string_value = "SUSPENDED")]
    Suspended,
}

/// Where one unit stands on one task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum AssignmentState {
    /// Handed the task (交办), not signed yet.
    #[sea_orm(string_value = "ASSIGNED")]
    Assigned,
    /// Signed for it (签收), naming the person responsible.
    #[sea_orm(string_value = "SIGNED")]
    Signed,
    /// Reported at least once.
    #[sea_orm(string_value = "IN_PROGRESS")]
    InProgress,
    /// Its part is finished.
    #[sea_orm(string_value = "DONE")]
    Done,
}

/// Where an extension request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ExtensionStatus {
    #[sea_orm(string_value = "PENDING")]
    Pending,
    #[sea_orm(string_value = "APPROVED")]
    Approved,
    #[sea_orm(string_value = "REJECTED")]
    Rejected,
    /// Never decided: the task was closed (approved or archived) first.
    #[sea_orm(string_value = "CLOSED")]
    Closed,
}

/// The office's decision on a completion report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum CompletionDecision {
    #[sea_orm(string_value = "PENDING")]
    Pending,
    #[sea_orm(string_value = "APPROVED")]
    Approved,
    #[sea_orm(string_value = "RETURNED")]
    Returned,
    /// Taken back by the lead unit before the office reviewed it (撤回).
    #[sea_orm(string_value = "WITHDRAWN")]
    Withdrawn,
}

/// Why a task's due date changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum DueDateCause {
    /// An approved extension request.
    #[sea_orm(string_value = "EXTENSION")]
    Extension,
    /// An admin edited the schedule.
    #[sea_orm(string_value = "EDIT")]
    Edit,
    /// The higher-level policy the task waited for was issued.
    #[sea_orm(string_value = "POLICY")]
    Policy,
    /// The policy was issued, but the task names no period (or one already past): the office's
    /// default period applied, for the office to confirm.
    #[sea_orm(string_value = "POLICY_DEFAULT")]
    PolicyDefault,
}

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
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
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum PolicyLevel {
    #[sea_orm(string_value = "NATIONAL")]
    National,
    #[sea_orm(string_value = "PROVINCIAL")]
    Provincial,
    #[sea_orm(string_value = "MUNICIPAL")]
    Municipal,
}

/// Which text of the plan a task's schedule was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ScheduleSource {
    /// A schedule column (时间进度) or label (`完成时限:`).
    #[sea_orm(string_value = "CELL")]
    Cell,
    /// The parenthetical that names the units (`(省直各部门分别负责,年内完成)`).
    #[sea_orm(string_value = "PARENTHETICAL")]
    Parenthetical,
    /// The task's title (`2022年6月底前修订…`).
    #[sea_orm(string_value = "TITLE")]
    Title,
    /// The measures (`在5月底前出台办法,年内持续推进`).
    #[sea_orm(string_value = "MEASURES")]
    Measures,
    /// No schedule was found.
    #[sea_orm(string_value = "NONE")]
    None,
}

/// What a file of evidence (佐证材料) backs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
pub enum EvidenceTarget {
    /// A progress report (`progress_report`).
    #[sea_orm(string_value = "PROGRESS_REPORT")]
    ProgressReport,
    /// A completion report (`completion_report`).
    #[sea_orm(string_value = "COMPLETION_REPORT")]
    CompletionReport,
    /// The answer to an urging (`urging`).
    #[sea_orm(string_value = "URGING_ANSWER")]
    UrgingAnswer,
    /// A response to a leader's instruction (`instruction_response`).
    #[sea_orm(string_value = "INSTRUCTION_RESPONSE")]
    InstructionResponse,
}

/// Where a reporting period (报送周期) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum PeriodState {
    /// Its due day has not passed and no report answered it yet.
    #[sea_orm(string_value = "DUE")]
    Due,
    /// A report answered it by its due day.
    #[sea_orm(string_value = "ON_TIME")]
    OnTime,
    /// Recorded missed the day after its due day, then answered late (补报) before the next
    /// period fell due.
    #[sea_orm(string_value = "LATE")]
    Late,
    /// Its due day passed without a report.
    #[sea_orm(string_value = "MISSED")]
    Missed,
}

/// The span an assessment (考核) judges: a calendar month, quarter or year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum AssessmentPeriodKind {
    #[sea_orm(string_value = "MONTH")]
    Month,
    #[sea_orm(string_value = "QUARTER")]
    Quarter,
    #[sea_orm(string_value = "YEAR")]
    Year,
}
