//! The readable summary `duban import` prints.

use super::ImportOutcome;
use std::fmt::Write;

/// Renders tasks, units created and warnings as plain text.
pub fn render(outcome: &ImportOutcome, dry_run: bool) -> String {
    let mut out = String::new();
    let doc = &outcome.document;
    let verb = if dry_run { "Would import (dry run, nothing written)" } else { "Imported" };
    let _ = writeln!(out, "{verb}: {} {}", doc.doc_number.as_deref().unwrap_or("(no number)"), doc.title);
    if let Some(date) = doc.issued_on {
        let _ = writeln!(out, "Issued {date} by {}", doc.issuer.as_deref().unwrap_or("?"));
    }
    let _ = writeln!(out, "\nTasks: {}", outcome.tasks.len());
    for task in &outcome.tasks {
        let lead = outcome
            .assignments
            .iter()
            .find(|a| a.task_id == task.id && a.role == entity::AssignmentRole::Lead)
            .and_then(|a| outcome.departments.iter().find(|(d, _)| d.id == a.department_id))
            .map_or("(no lead)", |(d, _)| d.name.as_str());
        let units = outcome.assignments.iter().filter(|a| a.task_id == task.id).count();
        let due = task.due_date.map_or_else(|| "-".to_owned(), |d| d.to_string());
        let _ = writeln!(
            out,
            "  {:>3}. {} | lead {lead} (+{} units) | {:?} due {due}",
            task.seq,
            truncate(&task.title, 30),
            units.saturating_sub(1),
            task.schedule_kind
        );
    }
    let _ = writeln!(out, "\nUnits created: {}", outcome.created_departments.len());
    for dept in &outcome.created_departments {
        let review = if dept.needs_review { " (needs review)" } else { "" };
        let _ = writeln!(out, "  {} [{:?}]{review}", dept.name, dept.kind);
    }
    let _ = writeln!(out, "\nWarnings: {}", outcome.warnings.len());
    for w in &outcome.warnings {
        let line = w.line.map_or_else(String::new, |l| format!("line {l}: "));
        let _ = writeln!(out, "  {line}{} {}", w.code, w.message);
    }
    out
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{cut}…")
}
