//! The two state machines of the follow-up loop, as pure functions: one for the task, one for
//! each unit on it (a unit signs, reports and finishes its own part). Each transition either
//! names the state it leads to or is refused with `INVALID_STATE`; the tables at the bottom
//! list every allowed and refused case.

use crate::error::{AppError, AppResult};
use entity::{AssignmentState, TaskStatus};

/// What happens to a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskEvent {
    /// A unit reported progress.
    Report,
    /// The lead unit submitted its completion report.
    SubmitCompletion,
    /// The lead unit took its completion report back before the review (撤回).
    WithdrawCompletion,
    /// The office approved the completion report.
    Approve,
    /// The office returned it for more work.
    Return,
    /// The office filed a completed task (销号).
    Archive,
    /// The office closed an ongoing task (no closing date) by decision.
    ArchiveOngoing,
    /// The office stopped the task.
    Suspend,
    /// The office let a suspended task go on (to the state it was suspended in).
    Resume(TaskStatus),
}

/// The task's state after `event`, or `INVALID_STATE`.
pub fn next_task_status(current: TaskStatus, event: TaskEvent) -> AppResult<TaskStatus> {
    use TaskStatus::*;
    let next = match (current, event) {
        (NotStarted | InProgress | Returned, TaskEvent::Report) => Some(InProgress),
        (InProgress | Returned, TaskEvent::SubmitCompletion) => Some(PendingReview),
        (PendingReview, TaskEvent::WithdrawCompletion) => Some(InProgress),
        (PendingReview, TaskEvent::Approve) => Some(Completed),
        (PendingReview, TaskEvent::Return) => Some(Returned),
        (Completed, TaskEvent::Archive) => Some(Archived),
        (NotStarted | InProgress | Returned | Completed, TaskEvent::ArchiveOngoing) => Some(Archived),
        (NotStarted | InProgress | PendingReview | Returned, TaskEvent::Suspend) => Some(Suspended),
        (Suspended, TaskEvent::Resume(to)) if matches!(to, NotStarted | InProgress | PendingReview | Returned) => {
            Some(to)
        }
        _ => None,
    };
    next.ok_or_else(|| AppError::InvalidState(refusal(current, event)))
}

fn refusal(current: TaskStatus, event: TaskEvent) -> String {
    let what = match event {
        TaskEvent::Report => "take a progress report",
        TaskEvent::SubmitCompletion => "take a completion report",
        TaskEvent::WithdrawCompletion => "have a completion report withdrawn (only one waiting for review is)",
        TaskEvent::Approve | TaskEvent::Return => "be reviewed",
        TaskEvent::Archive => "be archived (only a completed task is)",
        TaskEvent::ArchiveOngoing => "be archived",
        TaskEvent::Suspend => "be suspended",
        TaskEvent::Resume(_) => "be resumed (only a suspended task is)",
    };
    format!("a task that is {} cannot {what}", status_name(current))
}

fn status_name(status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::NotStarted => "not started",
        TaskStatus::InProgress => "in progress",
        TaskStatus::PendingReview => "pending review",
        TaskStatus::Returned => "returned",
        TaskStatus::Completed => "completed",
        TaskStatus::Archived => "archived",
        TaskStatus::Suspended => "suspended",
    }
}

/// Whether work on the task is open: units report, warnings apply, due dates run.
pub fn is_open(status: TaskStatus) -> bool {
    matches!(status, TaskStatus::NotStarted | TaskStatus::InProgress | TaskStatus::Returned)
}

/// What happens to one unit's part of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartEvent {
    /// The unit signs for the task (签收).
    Sign,
    /// The unit reports progress.
    Report,
    /// The unit says its part is finished.
    Finish,
    /// The task was completed: every part is finished.
    TaskCompleted,
    /// The task was returned: the lead's part is open again.
    Reopen,
}

/// The unit's state after `event`, or `INVALID_STATE`.
pub fn next_part_state(current: AssignmentState, event: PartEvent) -> AppResult<AssignmentState> {
    use AssignmentState::*;
    let next = match (current, event) {
        (Assigned, PartEvent::Sign) => Some(Signed),
        (Signed | InProgress, PartEvent::Report) => Some(InProgress),
        (InProgress, PartEvent::Finish) => Some(Done),
        (_, PartEvent::TaskCompleted) => Some(Done),
        (Done, PartEvent::Reopen) => Some(InProgress),
        (state, PartEvent::Reopen) => Some(state),
        _ => None,
    };
    next.ok_or_else(|| {
        AppError::InvalidState(match (current, event) {
            (Assigned, PartEvent::Report | PartEvent::Finish) => {
                "sign for the task (signTask) before reporting on it".into()
            }
            (_, PartEvent::Sign) => "the unit has already signed for this task".into(),
            (Done, _) => "the unit's part of this task is finished".into(),
            _ => "the unit has not reported on this task yet".into(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use AssignmentState as A;
    use TaskStatus as T;

    const ALL: [T; 7] =
        [T::NotStarted, T::InProgress, T::PendingReview, T::Returned, T::Completed, T::Archived, T::Suspended];

    /// Every (state, event) → allowed next state; everything else must be refused.
    #[test]
    fn task_transitions_table() {
        let allowed: &[(T, TaskEvent, T)] = &[
            (T::NotStarted, TaskEvent::Report, T::InProgress),
            (T::InProgress, TaskEvent::Report, T::InProgress),
            (T::Returned, TaskEvent::Report, T::InProgress),
            (T::InProgress, TaskEvent::SubmitCompletion, T::PendingReview),
            (T::Returned, TaskEvent::SubmitCompletion, T::PendingReview),
            (T::PendingReview, TaskEvent::Approve, T::Completed),
            (T::PendingReview, TaskEvent::Return, T::Returned),
            (T::Completed, TaskEvent::Archive, T::Archived),
            (T::NotStarted, TaskEvent::ArchiveOngoing, T::Archived),
            (T::InProgress, TaskEvent::ArchiveOngoing, T::Archived),
            (T::Returned, TaskEvent::ArchiveOngoing, T::Archived),
            (T::Completed, TaskEvent::ArchiveOngoing, T::Archived),
            (T::NotStarted, TaskEvent::Suspend, T::Suspended),
            (T::InProgress, TaskEvent::Suspend, T::Suspended),
            (T::PendingReview, TaskEvent::Suspend, T::Suspended),
            (T::Returned, TaskEvent::Suspend, T::Suspended),
            (T::Suspended, TaskEvent::Resume(T::InProgress), T::InProgress),
            (T::Suspended, TaskEvent::Resume(T::NotStarted), T::NotStarted),
            (T::Suspended, TaskEvent::Resume(T::PendingReview), T::PendingReview),
            (T::Suspended, TaskEvent::Resume(T::Returned), T::Returned),
        ];
        let events = [
            TaskEvent::Report,
            TaskEvent::SubmitCompletion,
            TaskEvent::Approve,
            TaskEvent::Return,
            TaskEvent::Archive,
            TaskEvent::ArchiveOngoing,
            TaskEvent::Suspend,
            TaskEvent::Resume(T::InProgress),
            TaskEvent::Resume(T::NotStarted),
            TaskEvent::Resume(T::PendingReview),
            TaskEvent::Resume(T::Returned),
            TaskEvent::Resume(T::Completed),
        ];
        for state in ALL {
            for event in events {
                let expected = allowed.iter().find(|(s, e, _)| *s == state && *e == event).map(|(_, _, n)| *n);
                match (next_task_status(state, event), expected) {
                    (Ok(next), Some(want)) => assert_eq!(next, want, "{state:?} + {event:?}"),
                    (Err(error), None) => assert_eq!(error.code(), "INVALID_STATE", "{state:?} + {event:?}"),
                    (got, want) => panic!("{state:?} + {event:?}: got {got:?}, want {want:?}"),
                }
            }
        }
    }

    #[test]
    fn only_not_started_in_progress_and_returned_tasks_are_open() {
        let open: Vec<T> = ALL.into_iter().filter(|s| is_open(*s)).collect();
        assert_eq!(open, [T::NotStarted, T::InProgress, T::Returned]);
    }

    #[test]
    fn part_transitions_table() {
        let all = [A::Assigned, A::Signed, A::InProgress, A::Done];
        let allowed: &[(A, PartEvent, A)] = &[
            (A::Assigned, PartEvent::Sign, A::Signed),
            (A::Signed, PartEvent::Report, A::InProgress),
            (A::InProgress, PartEvent::Report, A::InProgress),
            (A::InProgress, PartEvent::Finish, A::Done),
            (A::Assigned, PartEvent::TaskCompleted, A::Done),
            (A::Signed, PartEvent::TaskCompleted, A::Done),
            (A::InProgress, PartEvent::TaskCompleted, A::Done),
            (A::Done, PartEvent::TaskCompleted, A::Done),
            (A::Done, PartEvent::Reopen, A::InProgress),
            (A::Assigned, PartEvent::Reopen, A::Assigned),
            (A::Signed, PartEvent::Reopen, A::Signed),
            (A::InProgress, PartEvent::Reopen, A::InProgress),
        ];
        let events =
            [PartEvent::Sign, PartEvent::Report, PartEvent::Finish, PartEvent::TaskCompleted, PartEvent::Reopen];
        for state in all {
            for event in events {
                let expected = allowed.iter().find(|(s, e, _)| *s == state && *e == event).map(|(_, _, n)| *n);
                match (next_part_state(state, event), expected) {
                    (Ok(next), Some(want)) => assert_eq!(next, want, "{state:?} + {event:?}"),
                    (Err(error), None) => assert_eq!(error.code(), "INVALID_STATE", "{state:?} + {event:?}"),
                    (got, want) => panic!("{state:?} + {event:?}: got {got:?}, want {want:?}"),
                }
            }
        }
    }
}
