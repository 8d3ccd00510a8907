//! A task's timeline (时间轴): its audit entries in the words an office reads them ("县民政局
//! 签收", "延期至 2015-09-30 已批准"), for whoever may see the task. Entries that belong to
//! one unit and the office (an urging and its answer) show only to those who see that unit's
//! urgings, a progress report's only to those who may read the report
//! (`scope::visible_reports`); fields such as a contact number never reach the words.

use crate::domain::Caller;
use crate::domain::audit::{Action, Names, Operation, Table};
use crate::domain::tasks;
use crate::error::{AppError, AppResult};
use crate::policy::follow_up::{self as visibility, UnitItems};
use crate::policy::{Viewer, scope};
use entity::{audit_entry, department, progress_report};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// What a line tells, stable for clients (its spelling is the variant's in SCREAMING_SNAKE_CASE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum Code {
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

super::names::spelled!(Code);

/// One line of a timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub entry_id: i32,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_id: Option<i32>,
    /// The unit the line is about, when it is about one.
    pub department_id: Option<i32>,
    /// What the line tells.
    pub code: Code,
    pub text: String,
    /// How many files of evidence back what the line tells (a report, a completion report, an
    /// answer, a response); 0 for everything else.
    pub evidence: usize,
}

/// The timeline of a task the caller may see, oldest first; NOT_FOUND otherwise.
pub async fn of_task(db: &impl ConnectionTrait, caller: &Caller, task_id: i32) -> AppResult<Vec<Line>> {
    tasks::get(db, caller, task_id).await?.ok_or(AppError::NotFound("task"))?;
    let entries = audit_entry::Entity::find()
        .filter(audit_entry::Column::TaskId.eq(task_id))
        .order_by_asc(audit_entry::Column::Id)
        .all(db)
        .await?;
    let mut ids: Vec<i32> = entries.iter().filter_map(unit_of).collect();
    ids.sort_unstable();
    ids.dedup();
    let names: HashMap<i32, String> = department::Entity::find()
        .filter(department::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let private = visibility::visible_urgings(&caller.viewer);
    let reports = readable_reports(db, &caller.viewer, task_id).await?;
    let files = evidence_counts(&entries);
    let lines = entries.iter().filter(|e| readable(e, &reports)).filter_map(|entry| {
        let mut line = line(entry, &names, &private)?;
        if let Some(count) = backed(entry, &line).and_then(|key| files.get(&key)) {
            line.evidence = *count;
            line.text.push_str(&format!("(附佐证材料{count}件)"));
        }
        Some(line)
    });
    Ok(lines.collect())
}

/// How many files were attached to each report, answer or response, by the target's stored
/// kind and id (from the evidence rows' entries on the task's trail).
fn evidence_counts(entries: &[audit_entry::Model]) -> HashMap<(String, i64), usize> {
    let mut counts = HashMap::new();
    for entry in entries.iter().filter(|e| Table::parse(&e.entity) == Some(Table::Evidence)) {
        let after = json(&entry.after);
        if let (Some(kind), Some(id)) =
            (after.get("target").and_then(Value::as_str), after.get("target_id").and_then(Value::as_i64))
        {
            *counts.entry((kind.to_owned(), id)).or_insert(0) += 1;
        }
    }
    counts
}

/// What a line tells of that files may back, as `evidence_counts` keys it.
fn backed(entry: &audit_entry::Model, line: &Line) -> Option<(String, i64)> {
    let kind = match line.code {
        Code::Reported => "PROGRESS_REPORT",
        Code::CompletionSubmitted => "COMPLETION_REPORT",
        Code::UrgingAnswered => "URGING_ANSWER",
        Code::InstructionResponded => "INSTRUCTION_RESPONSE",
        _ => return None,
    };
    Some((kind.to_owned(), i64::from(entry.entity_id)))
}

/// Ids of the task's progress reports the viewer may read.
pub async fn readable_reports(db: &impl ConnectionTrait, viewer: &Viewer, task_id: i32) -> AppResult<HashSet<i32>> {
    let ids = progress_report::Entity::find()
        .select_only()
        .column(progress_report::Column::Id)
        .filter(progress_report::Column::TaskId.eq(task_id))
        .filter(scope::visible_reports(viewer))
        .into_tuple::<i32>()
        .all(db)
        .await?;
    Ok(ids.into_iter().collect())
}

/// Whether an entry tells only of rows the viewer may read: a progress report's entry only when
/// the report is among `reports` (see [`readable_reports`]).
pub fn readable(entry: &audit_entry::Model, reports: &HashSet<i32>) -> bool {
    Table::parse(&entry.entity) != Some(Table::ProgressReport) || reports.contains(&entry.entity_id)
}

fn json(text: &Option<String>) -> Value {
    text.as_deref().and_then(|t| serde_json::from_str(t).ok()).unwrap_or(Value::Null)
}

/// The unit an entry is about: the `department_id` of the row, before or after.
fn unit_of(entry: &audit_entry::Model) -> Option<i32> {
    let field = |v: Value| v.get("department_id").and_then(Value::as_i64).and_then(|n| i32::try_from(n).ok());
    field(json(&entry.after)).or_else(|| field(json(&entry.before)))
}

/// The line of one entry, or `None` when the entry is not shown (bookkeeping that another
/// line of the same operation already says, a unit's private item the viewer may not see, or
/// an entry under a name this duban does not know).
pub fn line(entry: &audit_entry::Model, names: &HashMap<i32, String>, private: &UnitItems) -> Option<Line> {
    let Names { table: Some(table), action: Some(action), operation: Some(operation) } = Names::of(entry) else {
        return None;
    };
    let after = json(&entry.after);
    let unit_id = unit_of(entry);
    let unit = unit_id.and_then(|id| names.get(&id)).map_or("", String::as_str);
    let text_of = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
    let changed = |key: &str| after.get(key).is_some();
    let (code, text): (Code, String) = match (table, action) {
        (Table::Task, Action::Create) => (Code::TaskCreated, "交办任务".into()),
        (Table::Task, Action::Update) => task_line(operation, &after, changed("status"))?,
        (Table::Task, Action::Delete) => (Code::TaskDeleted, "删除任务".into()),
        (Table::Assignment, Action::Create) => {
            let role = if text_of(&after, "role") == "LEAD" { "牵头" } else { "配合" };
            (Code::UnitAssigned, format!("交办 {unit}({role})"))
        }
        (Table::Assignment, Action::Delete) => (Code::UnitRemoved, format!("{unit} 不再承担本任务")),
        (Table::Assignment, Action::Update) => match operation {
            Operation::SignTask => (Code::Signed, format!("{unit} 签收")),
            Operation::FinishPart => (Code::PartFinished, format!("{unit} 完成本单位承担的工作")),
            Operation::SetTaskAssignments => (Code::UnitRoleChanged, format!("调整 {unit} 的职责")),
            _ => return None,
        },
        (Table::ProgressReport, Action::Create) => {
            let percent = after.get("percent").and_then(Value::as_i64).unwrap_or(0);
            let late = if after.get("late") == Some(&Value::Bool(true)) { ",逾期报送" } else { "" };
            let lowered = match after.get("lowered_reason").and_then(Value::as_str) {
                Some(reason) => format!(",较上次下调:{reason}"),
                None => String::new(),
            };
            (Code::Reported, format!("{unit} 报送进展({percent}%{late}{lowered})"))
        }
        (Table::ExtensionRequest, Action::Create) => {
            (Code::ExtensionRequested, format!("{unit} 申请延期至 {}", text_of(&after, "proposed_due")))
        }
        (Table::ExtensionRequest, Action::Update) => match text_of(&after, "status").as_str() {
            "APPROVED" => (Code::ExtensionApproved, format!("延期至 {} 已批准", text_of(&after, "decided_due"))),
            "REJECTED" => (Code::ExtensionRejected, format!("延期申请未获批准:{}", text_of(&after, "comment"))),
            "CLOSED" => (Code::ExtensionClosed, "任务已办结,延期申请不再审批".into()),
            _ => return None,
        },
        (Table::DueDateChange, Action::Create) if text_of(&after, "cause") != "EXTENSION" => {
            let (from, to) = (text_of(&after, "old_due"), text_of(&after, "new_due"));
            let to = if to.is_empty() { "未定".to_owned() } else { to };
            if text_of(&after, "cause") == "POLICY_DEFAULT" {
                (Code::DueDateSet, format!("上级政策出台,截止日期按默认期限定为 {to},待确认"))
            } else if from.is_empty() {
                (Code::DueDateSet, format!("截止日期定为 {to}"))
            } else {
                (Code::DueDateChanged, format!("截止日期由 {from} 改为 {to}"))
            }
        }
        (Table::Urging, _) if !unit_id.is_some_and(|u| private.includes(u)) => return None,
        (Table::Urging, Action::Create) => (Code::Urged, format!("催办 {unit}:{}", text_of(&after, "text"))),
        (Table::Urging, Action::Update) if changed("answered_at") => {
            (Code::UrgingAnswered, format!("{unit} 答复催办:{}", text_of(&after, "answer")))
        }
        (Table::Urging, Action::Update) if changed("closed_at") => {
            (Code::UrgingClosed, format!("任务已办结,对 {unit} 的催办随之关闭"))
        }
        (Table::Instruction, Action::Create) => (Code::Instructed, format!("领导批示:{}", text_of(&after, "text"))),
        (Table::InstructionResponse, Action::Create) => {
            (Code::InstructionResponded, format!("{unit} 落实批示:{}", text_of(&after, "text")))
        }
        (Table::CompletionReport, Action::Create) => (Code::CompletionSubmitted, format!("{unit} 提交办结报告")),
        (Table::CompletionReport, Action::Update) => match text_of(&after, "decision").as_str() {
            "APPROVED" => (Code::CompletionApproved, "办结审核通过".into()),
            "RETURNED" => (Code::CompletionReturned, format!("退回重办:{}", text_of(&after, "reason"))),
            "WITHDRAWN" => (Code::CompletionWithdrawn, format!("{unit} 撤回办结报告:{}", text_of(&after, "reason"))),
            _ => return None,
        },
        // Bookkeeping said by another line of the same operation, and rows outside a task.
        (
            Table::Task
            | Table::Assignment
            | Table::ProgressReport
            | Table::ExtensionRequest
            | Table::DueDateChange
            | Table::Urging
            | Table::Instruction
            | Table::InstructionResponse
            | Table::CompletionReport
            | Table::Evidence,
            _,
        )
        | (
            Table::Document
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
            | Table::AssessmentRules
            | Table::PublishedAssessment
            | Table::TaskFollow
            | Table::Database,
            _,
        ) => return None,
    };
    Some(Line {
        entry_id: entry.id,
        at: entry.at,
        actor_id: entry.actor_id,
        department_id: unit_id,
        code,
        text,
        evidence: 0,
    })
}

/// A task row's own changes: what the office did to it; status moves that a report, a review
/// or a withdrawal already tells are not said twice.
fn task_line(operation: Operation, after: &Value, status_changed: bool) -> Option<(Code, String)> {
    let text = |key: &str| after.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
    match operation {
        Operation::ArchiveTask => Some((Code::Archived, "销号".into())),
        Operation::SuspendTask => Some((Code::Suspended, format!("中止:{}", text("state_reason")))),
        Operation::ResumeTask => Some((Code::Resumed, "恢复办理".into())),
        Operation::UpdateTaskStatus if status_changed => {
            Some((Code::StatusChanged, format!("状态改为 {}", text("status"))))
        }
        Operation::SetTaskReportRule => Some((Code::ReportRuleChanged, "调整报送要求".into())),
        Operation::UpdateTask => Some((Code::TaskUpdated, "修改任务内容".into())),
        Operation::RecordPolicyEvent if after.get("due_date").is_some() => {
            Some((Code::DueDateSet, format!("上级政策出台,截止日期定为 {}", text("due_date"))))
        }
        // Said by the line of the row the operation is about (a report, a review, a unit's
        // part), or not a change of the task's own.
        Operation::UpdateTaskStatus
        | Operation::RecordPolicyEvent
        | Operation::Login
        | Operation::LogoutEverywhere
        | Operation::ChangePassword
        | Operation::ResetPassword
        | Operation::CreateUser
        | Operation::UpdateUser
        | Operation::DeactivateUser
        | Operation::CreateServiceToken
        | Operation::RevokeServiceToken
        | Operation::ImportPlan
        | Operation::CreateDocument
        | Operation::UpdateDocument
        | Operation::DeleteDocument
        | Operation::SetDocumentReportRule
        | Operation::CreateTask
        | Operation::DeleteTask
        | Operation::SetTaskAssignments
        | Operation::CreateDepartment
        | Operation::UpdateDepartment
        | Operation::AddDepartmentAlias
        | Operation::MergeDepartments
        | Operation::SetGroupMembers
        | Operation::SignTask
        | Operation::SubmitReport
        | Operation::FinishPart
        | Operation::SubmitCompletion
        | Operation::WithdrawCompletion
        | Operation::ReviewCompletion
        | Operation::RequestExtension
        | Operation::DecideExtension
        | Operation::Urge
        | Operation::MarkUrgingRead
        | Operation::AnswerUrging
        | Operation::Instruct
        | Operation::RespondToInstruction
        | Operation::SetCalendarDays
        | Operation::UpdateWarningSettings
        | Operation::UpdateAssessmentRules
        | Operation::PublishAssessment
        | Operation::FollowTask
        | Operation::UnfollowTask
        | Operation::MarkFollowedTaskSeen
        | Operation::CreateWebhook
        | Operation::DeleteWebhook
        | Operation::RedeliverWebhook
        | Operation::UploadEvidence
        | Operation::DiscardEvidence
        | Operation::SweepEvidence
        | Operation::SeedSynthetic => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(entity: Table, action: Action, operation: Operation, after: Value) -> audit_entry::Model {
        audit_entry::Model {
            id: 1,
            at: chrono::Utc::now(),
            actor_kind: crate::domain::audit::ActorKind::User.name().into(),
            actor_id: Some(2),
            service_token_id: None,
            client_address: None,
            operation: operation.name().into(),
            entity: entity.name().into(),
            entity_id: 5,
            task_id: Some(25),
            action: action.name().into(),
            before: None,
            after: Some(after.to_string()),
            prev_hash: String::new(),
            hash: String::new(),
            chain: None,
        }
    }

    #[test]
    fn entries_read_as_an_office_says_them() {
        let names = HashMap::from([(7, "县民政局".to_owned()), (8, "县卫生局".to_owned())]);
        let all = UnitItems::All;
        let say = |e: audit_entry::Model| line(&e, &names, &all).map(|l| (l.code, l.text));
        let signed = entry(
            Table::Assignment,
            Action::Update,
            Operation::SignTask,
            serde_json::json!({ "state": "SIGNED", "department_id": 7 }),
        );
        assert_eq!(say(signed), Some((Code::Signed, "县民政局 签收".into())));
        let approved = entry(
            Table::ExtensionRequest,
            Action::Update,
            Operation::DecideExtension,
            serde_json::json!({ "status": "APPROVED", "decided_due": "2015-09-30", "department_id": 7 }),
        );
        assert_eq!(say(approved), Some((Code::ExtensionApproved, "延期至 2015-09-30 已批准".into())));
        let report = entry(
            Table::ProgressReport,
            Action::Create,
            Operation::SubmitReport,
            serde_json::json!({ "percent": 40, "late": true, "department_id": 8 }),
        );
        assert_eq!(say(report), Some((Code::Reported, "县卫生局 报送进展(40%,逾期报送)".into())));
        let bookkeeping = entry(
            Table::Assignment,
            Action::Update,
            Operation::SubmitReport,
            serde_json::json!({ "next_report_due": "2015-01-25" }),
        );
        assert_eq!(say(bookkeeping), None, "said by the report line");
        let withdrawn = entry(
            Table::CompletionReport,
            Action::Update,
            Operation::WithdrawCompletion,
            serde_json::json!({ "decision": "WITHDRAWN", "reason": "数据有误", "department_id": 7 }),
        );
        assert_eq!(say(withdrawn), Some((Code::CompletionWithdrawn, "县民政局 撤回办结报告:数据有误".into())));
        let mut unknown = entry(Table::Task, Action::Update, Operation::ArchiveTask, serde_json::json!({}));
        unknown.operation = "renamedLongAgo".into();
        assert_eq!(say(unknown), None, "a name this duban does not know is shown by nobody");
    }

    #[test]
    fn an_urging_shows_only_to_those_who_see_that_units_urgings() {
        let names = HashMap::from([(7, "县民政局".to_owned())]);
        let urging = entry(
            Table::Urging,
            Action::Create,
            Operation::Urge,
            serde_json::json!({ "text": "请加快", "department_id": 7 }),
        );
        assert!(line(&urging, &names, &UnitItems::Of(vec![7])).is_some());
        assert!(line(&urging, &names, &UnitItems::Of(vec![8])).is_none());
    }
}
