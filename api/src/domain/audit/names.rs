//! The trail's names as types: the operation that made a change, the table of the changed row,
//! what happened to it and who did it. This is the one place where each meets the spelling the
//! trail stores (and clients read in `AuditEntry`): everything else matches on the types, so an
//! operation or a table that is not handled where it must be does not compile, and renaming a
//! mutation cannot silently leave the timeline, webhooks, subscriptions or caches behind.
//!
//! Stored spellings never change once written (the entries are hash-chained); an entry written
//! by an older duban under a name no longer here parses as `None` and is shown by nobody.

use entity::audit_entry;
use strum::{EnumString, IntoStaticStr, VariantArray};

/// The operation a change was made by: a mutation's name, or the command line's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumString, IntoStaticStr, VariantArray)]
#[strum(serialize_all = "camelCase")]
pub enum Operation {
    // Sessions and accounts.
    Login,
    LogoutEverywhere,
    ChangePassword,
    ResetPassword,
    CreateUser,
    UpdateUser,
    DeactivateUser,
    CreateServiceToken,
    RevokeServiceToken,
    // Plans, tasks and units.
    ImportPlan,
    CreateDocument,
    UpdateDocument,
    DeleteDocument,
    SetDocumentReportRule,
    CreateTask,
    UpdateTask,
    DeleteTask,
    SetTaskAssignments,
    SetTaskReportRule,
    UpdateTaskStatus,
    CreateDepartment,
    UpdateDepartment,
    AddDepartmentAlias,
    MergeDepartments,
    SetGroupMembers,
    RecordPolicyEvent,
    // The follow-up loop.
    SignTask,
    SubmitReport,
    FinishPart,
    SubmitCompletion,
    WithdrawCompletion,
    ReviewCompletion,
    ArchiveTask,
    SuspendTask,
    ResumeTask,
    RequestExtension,
    DecideExtension,
    Urge,
    MarkUrgingRead,
    AnswerUrging,
    Instruct,
    RespondToInstruction,
    FollowTask,
    UnfollowTask,
    MarkFollowedTaskSeen,
    SetCalendarDays,
    UpdateWarningSettings,
    // Assessment (考核).
    UpdateAssessmentRules,
    PublishAssessment,
    // Evidence (佐证材料).
    UploadEvidence,
    DiscardEvidence,
    /// The server's sweep of staged files never attached.
    #[strum(serialize = "system:sweep-evidence")]
    SweepEvidence,
    // Webhooks.
    CreateWebhook,
    DeleteWebhook,
    RedeliverWebhook,
    /// `duban seed-synthetic`.
    #[strum(serialize = "cli:seed-synthetic")]
    SeedSynthetic,
}

/// The table of a changed row (or, for rows without an id of their own, what the entry's
/// `entity_id` names: the group, the day as YYYYMMDD, 1 for the settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumString, IntoStaticStr, VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Table {
    Task,
    Assignment,
    ProgressReport,
    ExtensionRequest,
    DueDateChange,
    Urging,
    Instruction,
    InstructionResponse,
    CompletionReport,
    Document,
    Department,
    DepartmentAlias,
    GroupMember,
    AppUser,
    ServiceToken,
    PolicyEvent,
    Webhook,
    WebhookDelivery,
    CalendarDay,
    FollowUpSettings,
    Evidence,
    AssessmentRules,
    PublishedAssessment,
    /// A follower's watch-list row: `entity_id` is the followed task.
    TaskFollow,
    /// The database as a whole (`duban seed-synthetic`).
    Database,
}

/// What happened to the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumString, IntoStaticStr, VariantArray)]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum Action {
    Create,
    Update,
    Delete,
    /// A session began (login): no row changed, but who signed in from where is on the record.
    Login,
}

/// Who made the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumString, IntoStaticStr, VariantArray)]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum ActorKind {
    /// A person signed in.
    User,
    /// A unit's system, through a service token.
    Service,
    /// The command line and start-up work.
    Console,
    Anonymous,
}

/// `name()` (the stored and published spelling) and `parse()` (the value of a spelling) for
/// enums whose spellings strum derives (`IntoStaticStr`, `EnumString`).
macro_rules! spelled {
    ($($name:ident),*) => {$(
        impl $name {
            /// The stored (and published) spelling.
            pub fn name(self) -> &'static str {
                self.into()
            }

            /// The value a stored spelling names, if any.
            pub fn parse(stored: &str) -> Option<$name> {
                stored.parse().ok()
            }
        }
    )*};
}

pub(crate) use spelled;

spelled!(Operation, Table, Action, ActorKind);

impl Table {
    /// Whether a change of such a row may change who a credential belongs to, whether it still
    /// works, or what its unit sees (the unit's groups, the unit itself): the account cache
    /// forgets, and a socket checks its credential again.
    pub fn touches_credentials(self) -> bool {
        match self {
            Table::AppUser | Table::ServiceToken | Table::GroupMember | Table::Department => true,
            Table::Task
            | Table::Assignment
            | Table::ProgressReport
            | Table::ExtensionRequest
            | Table::DueDateChange
            | Table::Urging
            | Table::Instruction
            | Table::InstructionResponse
            | Table::CompletionReport
            | Table::Document
            | Table::DepartmentAlias
            | Table::PolicyEvent
            | Table::Webhook
            | Table::WebhookDelivery
            | Table::CalendarDay
            | Table::FollowUpSettings
            | Table::Evidence
            | Table::AssessmentRules
            | Table::PublishedAssessment
            | Table::TaskFollow
            | Table::Database => false,
        }
    }
}

impl Table {
    /// Whether a change to a row of this table moves a part's own figures (its unanswered
    /// urgings, `follow_up::facts::refresh_parts`).
    pub fn shapes_part_figures(self) -> bool {
        matches!(self, Table::Assignment | Table::Urging)
    }

    /// Whether a change of such a row may change its task's warning facts (the units' report
    /// and sign-off dates, late reporters, open urgings, the lead's percent).
    pub fn shapes_warning_facts(self) -> bool {
        match self {
            Table::Task | Table::Assignment | Table::ProgressReport | Table::Urging => true,
            Table::ExtensionRequest
            | Table::DueDateChange
            | Table::Instruction
            | Table::InstructionResponse
            | Table::CompletionReport
            | Table::Document
            | Table::Department
            | Table::DepartmentAlias
            | Table::GroupMember
            | Table::AppUser
            | Table::ServiceToken
            | Table::PolicyEvent
            | Table::Webhook
            | Table::WebhookDelivery
            | Table::CalendarDay
            | Table::FollowUpSettings
            | Table::Evidence
            | Table::AssessmentRules
            | Table::PublishedAssessment
            | Table::TaskFollow
            | Table::Database => false,
        }
    }
}

/// A stored entry's names read back as types (`None` for a spelling this duban does not know).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Names {
    pub table: Option<Table>,
    pub action: Option<Action>,
    pub operation: Option<Operation>,
}

impl Names {
    pub fn of(entry: &audit_entry::Model) -> Names {
        Names {
            table: Table::parse(&entry.entity),
            action: Action::parse(&entry.action),
            operation: Operation::parse(&entry.operation),
        }
    }

    /// Whether the entry may have revoked or changed a credential (a sign-in never does).
    pub fn touch_credentials(self) -> bool {
        self.action != Some(Action::Login) && self.table.is_some_and(Table::touches_credentials)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_reads_back_as_itself() {
        for op in Operation::VARIANTS {
            assert_eq!(Operation::parse(op.name()), Some(*op));
        }
        for table in Table::VARIANTS {
            assert_eq!(Table::parse(table.name()), Some(*table));
        }
        assert_eq!(Operation::SignTask.name(), "signTask");
        assert_eq!(Operation::SeedSynthetic.name(), "cli:seed-synthetic");
        assert_eq!(Table::AppUser.name(), "app_user");
        assert_eq!(Action::Login.name(), "LOGIN");
        assert_eq!(ActorKind::Console.name(), "CONSOLE");
        assert_eq!(Operation::parse("renamedLongAgo"), None);
    }
}
