//! Which text a task's schedule comes from: its own cell or label first, then the parenthetical
//! that names its units, then its title, then its measures.

use super::super::schedule::find_schedule;
use super::ScheduleSource;

/// The schedule text and where it was found; `("", None)` when there is none.
pub(super) fn pick_schedule(cell: &str, paren: &str, title: &str, measures: &str) -> (String, ScheduleSource) {
    if !cell.trim().is_empty() {
        return (cell.trim().to_string(), ScheduleSource::Cell);
    }
    let texts =
        [(paren, ScheduleSource::Parenthetical), (title, ScheduleSource::Title), (measures, ScheduleSource::Measures)];
    for (text, source) in texts {
        if let Some(found) = find_schedule(text) {
            return (found, source);
        }
    }
    (String::new(), ScheduleSource::None)
}
