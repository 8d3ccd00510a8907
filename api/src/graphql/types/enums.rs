//! GraphQL enums, mirrored from the stored enums so the schema stays an explicit contract.

use async_graphql::Enum;

macro_rules! mirror_enum {
    ($(#[$meta:meta])* $name:ident => $entity:path { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl From<$entity> for $name {
            fn from(value: $entity) -> Self {
                use $entity as E;
                match value { $(E::$variant => $name::$variant),+ }
            }
        }

        impl From<$name> for $entity {
            fn from(value: $name) -> Self {
                use $entity as E;
                match value { $($name::$variant => E::$variant),+ }
            }
        }
    };
}

mirror_enum!(
    /// A unit's role on a task.
    AssignmentRole => entity::AssignmentRole {
        /// Lead unit (牵头单位): reports for the task and may change its status.
        Lead,
        /// Supporting unit (配合单位).
        Supporting,
    }
);

mirror_enum!(
    /// Where a reporting period (报送周期) stands.
    ReportPeriodState => entity::PeriodState {
        /// Its due day has not passed and no report answered it yet.
        Due,
        /// A report answered it by its due day.
        OnTime,
        /// Recorded missed the day after its due day, then answered late (补报) before the
        /// next period fell due.
        Late,
        /// Its due day passed without a report (未报送).
        Missed,
    }
);

mirror_enum!(
    /// What a department row stands for.
    DepartmentKind => entity::DepartmentKind {
        /// One agency; accounts can act for it.
        Unit,
        /// A known set of units, such as 各镇人民政府.
        Group,
        /// Names no one in particular, such as 县政府其他有关部门; no account acts for it.
        CatchAll,
    }
);

mirror_enum!(
    /// How a schedule text was understood.
    ScheduleKind => entity::ScheduleKind {
        /// A fixed date, possibly followed by continuing work (`ongoing`).
        Deadline,
        /// No date until a higher-level policy is issued (`waitingFor`), then that date plus `offsetMonths`.
        AfterPolicy,
        /// No closing date; progress is reported periodically.
        Ongoing,
        /// Recurring work with no closing date: every year (`逐年落实`, `每年`), quarter (`每季度末`) or
        /// month (`每月`), as `text` says.
        Recurring,
        /// Not understood: only the text is kept.
        Unparsed,
    }
);

mirror_enum!(
    /// Where a task stands in the follow-up loop.
    TaskStatus => entity::TaskStatus {
        /// Handed out (交办), nothing reported yet.
        NotStarted,
        /// Work under way: a unit reported.
        InProgress,
        /// The lead unit submitted its completion report (办结报告); the office reviews it.
        PendingReview,
        /// The office returned the completion report (退回重办); work goes on.
        Returned,
        /// The office approved the completion report (办结).
        Completed,
        /// Closed and filed (销号).
        Archived,
        /// Stopped by the office (中止).
        Suspended,
    }
);

mirror_enum!(
    /// Where one unit stands on one task.
    AssignmentState => entity::AssignmentState {
        /// Handed the task (交办), not signed for yet.
        Assigned,
        /// Signed for it (签收), naming the person responsible.
        Signed,
        /// Reported at least once.
        InProgress,
        /// Its part is finished.
        Done,
    }
);

mirror_enum!(
    /// Where an extension request stands.
    ExtensionStatus => entity::ExtensionStatus {
        /// Waiting for the office.
        Pending,
        /// Approved: the due date moved.
        Approved,
        /// Rejected: the due date stays.
        Rejected,
        /// Never decided: the task was closed (approved or archived) first.
        Closed,
    }
);

mirror_enum!(
    /// The office's decision on a completion report.
    CompletionDecision => entity::CompletionDecision {
        /// Not reviewed yet.
        Pending,
        /// Approved: the task is completed.
        Approved,
        /// Returned for more work (退回重办).
        Returned,
        /// Taken back by the lead unit before the office reviewed it (撤回).
        Withdrawn,
    }
);

mirror_enum!(
    /// Why a task's due date changed.
    DueDateCause => entity::DueDateCause {
        /// An approved extension request.
        Extension,
        /// An admin edited the schedule.
        Edit,
        /// The higher-level policy the task waited for was issued.
        Policy,
        /// The policy was issued but the task names no period (or one already past): the
        /// office's default period applied, to be confirmed (`Task.dueDateToConfirm`).
        PolicyDefault,
    }
);

mirror_enum!(
    /// What an account may do.
    UserRole => entity::UserRole {
        /// The county government office: everything.
        Admin,
        /// County leadership: reads everything.
        Leader,
        /// Staff acting for one unit.
        Department,
        /// A unit's own software, integrating through the API.
        Service,
    }
);

mirror_enum!(
    /// Level of government issuing a higher-level policy.
    PolicyLevel => entity::PolicyLevel {
        /// 国家 / 中央.
        National,
        /// 省.
        Provincial,
        /// 市.
        Municipal,
    }
);

mirror_enum!(
    /// Where the importer found a task's schedule in the plan.
    ScheduleSource => entity::ScheduleSource {
        /// A schedule column (时间进度) or label (`完成时限:`).
        Cell,
        /// The parenthetical that names the units (`(省直各部门分别负责,年内完成)`).
        Parenthetical,
        /// The task's title (`2022年6月底前修订…`).
        Title,
        /// The measures (`在5月底前出台办法,年内持续推进`).
        Measures,
        /// No schedule was found.
        None,
    }
);

mirror_enum!(
    /// What happened to an audited row.
    AuditAction => crate::domain::audit::Action {
        /// The row was created.
        Create,
        /// Some of its fields changed (`before` and `after` hold those).
        Update,
        /// The row was deleted.
        Delete,
        /// An account signed in (no row changed).
        Login,
    }
);

mirror_enum!(
    /// Who made an audited change.
    ActorKind => crate::domain::audit::ActorKind {
        /// A person signed in.
        User,
        /// A unit's system, through a service token.
        Service,
        /// The command line and start-up work.
        Console,
        /// Nobody signed in.
        Anonymous,
    }
);

mirror_enum!(
    /// A kind of event a webhook receives.
    WebhookEvent => crate::domain::webhooks::events::EventKind {
        /// A unit was handed a task.
        TaskAssigned,
        /// A unit was urged (催办).
        Urged,
        /// The office returned a completion report (退回重办).
        CompletionReturned,
        /// The office approved a completion report.
        CompletionApproved,
        /// An extension request was approved or rejected.
        ExtensionDecided,
        /// A leader instructed on a task (领导批示).
        Instructed,
        /// Anything else that happened to a task the owner may see (its timeline grew).
        TaskChanged,
        /// A plan was imported or created.
        DocumentImported,
    }
);

mirror_enum!(
    /// Where a webhook delivery stands.
    DeliveryStatus => crate::domain::webhooks::dispatch::Status {
        /// To send, or to retry.
        Pending,
        /// The endpoint answered 2xx.
        Delivered,
        /// Given up.
        Failed,
    }
);

mirror_enum!(
    /// What a timeline line tells.
    TimelineCode => crate::domain::audit::timeline::Code {
        /// The office handed the task out (交办).
        TaskCreated,
        /// The task's text or schedule was edited.
        TaskUpdated,
        /// The task was deleted.
        TaskDeleted,
        /// A unit was given a part of the task.
        UnitAssigned,
        /// A unit no longer works on the task.
        UnitRemoved,
        /// A unit's role changed.
        UnitRoleChanged,
        /// A unit signed for its part (签收).
        Signed,
        /// A unit finished its part.
        PartFinished,
        /// A unit reported progress.
        Reported,
        /// The lead asked for more time.
        ExtensionRequested,
        /// The office granted the extension.
        ExtensionApproved,
        /// The office refused the extension.
        ExtensionRejected,
        /// An undecided extension request was closed with its task.
        ExtensionClosed,
        /// The task got a due date.
        DueDateSet,
        /// The due date moved.
        DueDateChanged,
        /// The office or a leader urged a unit (催办).
        Urged,
        /// The urged unit answered.
        UrgingAnswered,
        /// An unanswered urging was closed with its task.
        UrgingClosed,
        /// A leader's instruction (领导批示).
        Instructed,
        /// The lead responded to an instruction.
        InstructionResponded,
        /// The lead handed in its completion report (办结报告).
        CompletionSubmitted,
        /// The lead took its completion report back before the review (撤回).
        CompletionWithdrawn,
        /// The office approved the completion report.
        CompletionApproved,
        /// The office returned it for more work (退回重办).
        CompletionReturned,
        /// The office filed the task (销号).
        Archived,
        /// The office stopped the task (中止).
        Suspended,
        /// The task goes on again.
        Resumed,
        /// The task's status was set by hand.
        StatusChanged,
        /// How often units report changed.
        ReportRuleChanged,
    }
);

mirror_enum!(
    /// What kind of thing waits.
    TodoKind => crate::domain::follow_up::todo::TodoKind {
        /// A task the unit must sign for (签收); `date` is the sign-off deadline.
        Sign,
        /// A progress report due soon; `date` is its due date.
        ReportDue,
        /// A progress report past its due date that may still be sent (补报, until the next
        /// period falls due); `date` is the due date it answers.
        ReportLate,
        /// Reporting periods recorded missed (未报送) since the unit's last answered one on a task
        /// it signed for, no longer answerable: one item per task; `date` is the oldest such
        /// period's due date and `refId` the task. It leaves the list when a report answers the
        /// unit's next period (the periods themselves stay on `Assignment.periods`).
        ReportMissed,
        /// An urging to answer; `refId` is the urging.
        Urging,
        /// A leader's instruction the lead unit has not responded to; `refId` is the instruction.
        Instruction,
        /// A completion report the office returned (退回重办).
        Returned,
        /// A completion report to review (the office); `refId` is the report.
        ReviewCompletion,
        /// An extension request to decide (the office); `refId` is the request.
        DecideExtension,
        /// A task in red (leaders).
        RedTask,
        /// One's own instruction still without a response (leaders); `refId` is the instruction.
        UnansweredInstruction,
        /// A task one follows (关注) changed since one last marked it seen (leaders and the
        /// office); dated by the latest change.
        FollowedChanged,
    }
);

mirror_enum!(
    /// How urgent a piece of work is (红黄绿灯): computed at each request, never stored.
    WarningLevel => crate::domain::follow_up::warning::Level {
        /// Not open work (under review, completed, archived, suspended): nothing to warn about.
        None,
        /// Open work on track.
        Green,
        /// The due date approaches.
        Blue,
        /// Urgent or behind: due very soon, behind the expected pace, a report missing or late,
        /// not signed in time, an urging unanswered.
        Yellow,
        /// Overdue, or far behind the expected pace.
        Red,
    }
);

mirror_enum!(
    /// How a task list is ordered.
    TaskOrder => crate::domain::tasks::TaskOrder {
        /// Plan order: document, then number.
        Plan,
        /// Most urgent warning first (RED, YELLOW, BLUE, GREEN, NONE), then soonest due date.
        Warning,
        /// Soonest due date first; tasks without one last.
        DueDate,
    }
);

impl Default for TaskOrder {
    fn default() -> Self {
        crate::domain::tasks::TaskOrder::default().into()
    }
}

mirror_enum!(
    /// The span an assessment (考核) judges.
    AssessmentPeriodKind => entity::AssessmentPeriodKind {
        /// A calendar month.
        Month,
        /// A calendar quarter.
        Quarter,
        /// A calendar year.
        Year,
    }
);

mirror_enum!(
    /// What an assessment fact was: the scoring rule it counts under.
    AssessmentFactKind => crate::domain::assessment::FactKind {
        /// A task the unit led, completed (approved) in the period, handed in by its due date.
        CompletedOnTime,
        /// A task the unit led, completed (approved) in the period, handed in after its due date.
        CompletedLate,
        /// A reporting period due in the period, answered by its due day.
        PeriodOnTime,
        /// A reporting period due in the period, answered late (补报).
        PeriodLate,
        /// A reporting period due in the period, not answered (未报送).
        PeriodMissed,
        /// A sign-off due in the period, made after its deadline or not made.
        SignedLate,
        /// An urging (催办) the unit received in the period.
        Urged,
        /// An urging whose reply-by day fell in the period, answered after it or not at all.
        UrgingAnsweredLate,
        /// A completion report of the unit's returned (退回) in the period.
        CompletionReturned,
    }
);

mirror_enum!(
    /// Why a unit is on the office's list of what to urge (待催办).
    UrgeReason => crate::domain::follow_up::worklist::UrgeReason {
        /// It has not signed for the task, and its sign-off deadline has passed.
        SignOverdue,
        /// It missed a reporting period and has not answered it (补报) yet.
        PeriodMissed,
        /// It leads an overdue task and was not urged on it in the last `urgeAgainDays` days.
        OverdueNotUrged,
        /// It has not answered an urging by its reply-by day.
        UrgingUnanswered,
    }
);
