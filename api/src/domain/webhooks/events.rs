//! The events a webhook may want, read off audit trail entries.

use crate::domain::audit::{Action, Names, Table};
use entity::audit_entry;
use serde_json::Value;

/// A kind of event (stored and sent by its spelling, `TASK_ASSIGNED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum EventKind {
    /// A unit was handed a task (an assignment was created).
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

impl EventKind {
    /// Every kind, the most specific first: an entry is delivered once per webhook, as the
    /// first of these that it is and the webhook wants.
    pub const ALL: [EventKind; 8] = [
        EventKind::TaskAssigned,
        EventKind::Urged,
        EventKind::CompletionReturned,
        EventKind::CompletionApproved,
        EventKind::ExtensionDecided,
        EventKind::Instructed,
        EventKind::DocumentImported,
        EventKind::TaskChanged,
    ];

    /// The stored and sent spelling.
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// The kind a spelling names, if any.
    pub fn from_code(code: &str) -> Option<EventKind> {
        code.parse().ok()
    }
}

/// The stored list (`TASK_ASSIGNED,URGED`).
pub fn store(kinds: &[EventKind]) -> String {
    let mut codes: Vec<&str> = EventKind::ALL.into_iter().filter(|k| kinds.contains(k)).map(EventKind::code).collect();
    codes.dedup();
    codes.join(",")
}

/// Reads a stored list; unknown codes are skipped.
pub fn load(stored: &str) -> Vec<EventKind> {
    stored.split(',').filter_map(|code| EventKind::from_code(code.trim())).collect()
}

fn field(entry: &audit_entry::Model, key: &str) -> Option<Value> {
    let after: Value = entry.after.as_deref().and_then(|t| serde_json::from_str(t).ok())?;
    after.get(key).cloned()
}

/// What `entry` is, the most specific kind first (TASK_CHANGED last, for any task entry).
pub fn kinds_of(entry: &audit_entry::Model) -> Vec<EventKind> {
    let text = |key: &str| field(entry, key).and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    let mut kinds = Vec::new();
    let Names { table: Some(table), action: Some(action), .. } = Names::of(entry) else { return kinds };
    let specific = match (table, action) {
        (Table::Assignment, Action::Create) => Some(EventKind::TaskAssigned),
        (Table::Urging, Action::Create) => Some(EventKind::Urged),
        (Table::CompletionReport, Action::Update) => match text("decision").as_str() {
            "RETURNED" => Some(EventKind::CompletionReturned),
            "APPROVED" => Some(EventKind::CompletionApproved),
            _ => None,
        },
        (Table::ExtensionRequest, Action::Update) if matches!(text("status").as_str(), "APPROVED" | "REJECTED") => {
            Some(EventKind::ExtensionDecided)
        }
        (Table::Instruction, Action::Create) => Some(EventKind::Instructed),
        (Table::Document, Action::Create) => Some(EventKind::DocumentImported),
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
            | Table::Evidence
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
            | Table::AssessmentRules
            | Table::PublishedAssessment
            | Table::TaskFollow
            | Table::Database,
            _,
        ) => None,
    };
    kinds.extend(specific);
    if entry.task_id.is_some() {
        kinds.push(EventKind::TaskChanged);
    }
    kinds
}

/// The unit an entry is about (the row's `department_id`), if any.
pub fn unit_of(entry: &audit_entry::Model) -> Option<i32> {
    field(entry, "department_id")
        .or_else(|| {
            let before: Value = entry.before.as_deref().and_then(|t| serde_json::from_str(t).ok())?;
            before.get("department_id").cloned()
        })
        .and_then(|v| v.as_i64())
        .and_then(|id| i32::try_from(id).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_place_in_the_delivery_order() {
        use strum::VariantArray;
        for kind in EventKind::VARIANTS {
            assert_eq!(EventKind::ALL.iter().filter(|k| *k == kind).count(), 1, "{kind:?}");
            assert_eq!(EventKind::from_code(kind.code()), Some(*kind));
        }
        assert_eq!(EventKind::ALL.len(), EventKind::VARIANTS.len());
    }

    #[test]
    fn kinds_round_trip_and_an_urging_is_urged_before_it_is_a_change() {
        let stored = store(&[EventKind::TaskChanged, EventKind::Urged, EventKind::Urged]);
        assert_eq!(stored, "URGED,TASK_CHANGED");
        assert_eq!(load(&stored), vec![EventKind::Urged, EventKind::TaskChanged]);
        assert_eq!(load("URGED,NOPE"), vec![EventKind::Urged], "an unknown stored code is skipped");
        let entry = audit_entry::Model {
            id: 1,
            at: chrono::Utc::now(),
            actor_kind: crate::domain::audit::ActorKind::User.name().into(),
            actor_id: Some(1),
            service_token_id: None,
            client_address: None,
            operation: crate::domain::audit::Operation::Urge.name().into(),
            entity: Table::Urging.name().into(),
            entity_id: 4,
            task_id: Some(9),
            action: Action::Create.name().into(),
            before: None,
            after: Some("{\"department_id\":7,\"text\":\"请加快\"}".into()),
            prev_hash: String::new(),
            hash: String::new(),
            chain: None,
        };
        assert_eq!(kinds_of(&entry), vec![EventKind::Urged, EventKind::TaskChanged]);
        assert_eq!(unit_of(&entry), Some(7));
    }
}
