//! What resolving each field of a task's selection reads of the rows behind it: the task's
//! columns, its units' places (and their columns), its plan, the units' aliases. Written once
//! per field, next to no resolver, and checked against the schema as served by a test: a field
//! added or renamed without a line here fails it; a line that reads too little fails the
//! black-box test that compares each field asked alone with the same field asked among all
//! (`tests/tests/api/projection.rs`).

use crate::domain::follow_up::warning::Facts;
use entity::assignment::Column as A;
use entity::department::Column as D;
use entity::task::Column as T;

/// What a field reads.
#[derive(Debug, Clone, Copy)]
pub struct Reads {
    /// Columns of the task row (the columns every read takes, ids and order, aside).
    pub task: &'static [T],
    /// For a field of `Task`: the task's units are read, with these columns of their places.
    /// For a field of `Assignment`: these columns of the unit's place.
    pub parts: Option<&'static [A]>,
    /// The type of the field's own selection, whose fields add what they read.
    pub nested: Nested,
    /// The task's plan (document) is read.
    pub document: bool,
    /// Columns of the units (their ids aside).
    pub units: &'static [D],
    /// Departments are read with their aliases.
    pub aliases: bool,
    /// A page of the task's progress reports, as the field's arguments say.
    pub reports: bool,
}

/// Object types whose fields read rows of the task they hang off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nested {
    /// A leaf, or an object read from rows of its own (documents, reports, warnings …).
    No,
    Schedule,
    Assignment,
    Department,
}

/// Reads these task columns.
const fn task(columns: &'static [T]) -> Reads {
    Reads {
        task: columns,
        parts: None,
        nested: Nested::No,
        document: false,
        units: &[],
        aliases: false,
        reports: false,
    }
}

/// Reads nothing beyond the task's ids (loaders by task id, or nothing at all).
const NOTHING: Reads = task(&[]);

/// Reads the task's units, with these columns of their places.
const fn parts(columns: &'static [A]) -> Reads {
    Reads {
        task: &[],
        parts: Some(columns),
        nested: Nested::No,
        document: false,
        units: &[],
        aliases: false,
        reports: false,
    }
}

impl Reads {
    /// … and the field's selection is of type `nested`.
    const fn nested(mut self, nested: Nested) -> Reads {
        self.nested = nested;
        self
    }
}

/// `Task`.
pub const TASK: &[(&str, Reads)] = &[
    ("archivedAt", task(&[T::ArchivedAt])),
    ("assignedOn", task(&[T::AssignedOn])),
    ("assignments", parts(&[]).nested(Nested::Assignment)),
    ("completedAt", task(&[T::CompletedAt])),
    ("completionReports", NOTHING),
    ("createdAt", task(&[T::CreatedAt])),
    ("document", Reads { document: true, ..NOTHING }),
    ("dueDate", task(&[T::DueDate])),
    ("dueDateHistory", NOTHING),
    ("dueDateToConfirm", NOTHING),
    ("extensionRequests", NOTHING),
    ("hasOwnReportRule", task(&[T::ReportRule])),
    ("id", NOTHING),
    ("instructions", NOTHING),
    ("lead", parts(&[]).nested(Nested::Department)),
    ("leader", task(&[T::Leader])),
    ("measures", task(&[T::Measures])),
    ("myRole", parts(&[])),
    ("number", task(&[T::Number])),
    ("originalDueDate", task(&[T::OriginalDueDate])),
    ("overdue", task(&[T::Status, T::DueDate])),
    ("parent", task(&[T::ParentId])),
    ("reportRule", Reads { document: true, ..task(&[T::ReportRule]) }),
    ("reports", Reads { reports: true, ..NOTHING }),
    ("schedule", NOTHING.nested(Nested::Schedule)),
    ("scheduleSource", task(&[T::ScheduleSource])),
    ("seq", NOTHING),
    ("stateReason", task(&[T::StateReason])),
    ("status", task(&[T::Status])),
    ("timeline", NOTHING),
    ("title", task(&[T::Title])),
    ("unitsNotExhaustive", task(&[T::UnitsNotExhaustive])),
    ("updatedAt", task(&[T::UpdatedAt])),
    ("urgings", NOTHING),
    ("version", task(&[T::Version])),
    ("warning", task(Facts::TASK_COLUMNS)),
];

/// `Schedule` (of a task).
pub const SCHEDULE: &[(&str, Reads)] = &[
    ("dueDate", task(&[T::DueDate])),
    ("kind", task(&[T::ScheduleKind])),
    ("milestones", task(&[T::Milestones])),
    ("offsetDays", task(&[T::OffsetDays])),
    ("offsetMonths", task(&[T::OffsetMonths])),
    ("ongoing", task(&[T::Ongoing])),
    ("startsOn", task(&[T::StartsOn])),
    ("text", task(&[T::ScheduleText])),
    ("waitingFor", task(&[T::WaitingFor])),
    ("waitingForLevels", task(&[T::WaitingFor])),
    ("yearInferred", task(&[T::YearInferred])),
];

/// `Assignment` (a unit's place on the task; its id, task, unit, role and position always come).
pub const ASSIGNMENT: &[(&str, Reads)] = &[
    ("assignedOn", parts(&[A::AssignedOn])),
    ("contact", parts(&[A::Contact])),
    ("department", parts(&[]).nested(Nested::Department)),
    ("doneAt", parts(&[A::DoneAt])),
    ("followedUp", parts(&[])),
    ("lastReportLate", parts(&[A::LastReportLate])),
    ("lastReportOn", parts(&[A::LastReportOn])),
    ("memberRollUp", parts(&[A::ViaGroupId, A::State, A::NextReportDue])),
    ("nextReportDue", parts(&[A::NextReportDue])),
    ("periods", parts(&[])),
    ("position", parts(&[])),
    ("responsiblePerson", parts(&[A::ResponsiblePerson])),
    ("role", parts(&[])),
    ("signDue", parts(&[A::SignDue])),
    ("signedAt", parts(&[A::SignedAt])),
    ("state", parts(&[A::State])),
    ("viaGroup", parts(&[A::ViaGroupId])),
    ("warning", Reads { task: Facts::PART_TASK_COLUMNS, ..parts(Facts::PART_COLUMNS) }),
];

/// `Department` (a unit read with the task).
pub const DEPARTMENT: &[(&str, Reads)] = &[
    ("aliases", Reads { aliases: true, ..NOTHING }),
    ("id", NOTHING),
    ("kind", Reads { units: &[D::Kind], ..NOTHING }),
    ("name", Reads { units: &[D::Name], ..NOTHING }),
    ("needsReview", Reads { units: &[D::NeedsReview], ..NOTHING }),
    ("tasks", NOTHING),
];

/// The types above by their schema names, for the test that checks them against the schema.
pub const TYPES: &[(&str, &[(&str, Reads)])] =
    &[("Task", TASK), ("Schedule", SCHEDULE), ("Assignment", ASSIGNMENT), ("Department", DEPARTMENT)];

/// Where a task connection's nodes are: `nodes { … }` and `edges { node { … } }`.
pub const CONNECTION_NODES: (&str, &str) = ("TaskConnection", "nodes");
pub const CONNECTION_EDGES: (&str, &str) = ("TaskConnection", "edges");
pub const EDGE_NODE: (&str, &str) = ("TaskEdge", "node");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_of_the_task_types_says_what_it_reads_and_nothing_else_is_listed() {
        let types = crate::graphql::served_fields();
        for (ty, table) in TYPES {
            let mut served = types.get(*ty).unwrap_or_else(|| panic!("type {ty} is not in the schema")).clone();
            let mut listed: Vec<String> = table.iter().map(|(name, _)| (*name).to_owned()).collect();
            served.sort();
            listed.sort();
            assert_eq!(listed, served, "{ty}: graphql/fetch/reads.rs must list exactly the fields of the schema");
        }
        for (ty, field) in [CONNECTION_NODES, CONNECTION_EDGES, EDGE_NODE] {
            assert!(types[ty].iter().any(|f| f == field), "{ty}.{field} is not in the schema: rename it here too");
        }
    }
}
