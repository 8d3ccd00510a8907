//! Synthetic plans in memory: tasks and their units, drawn from one random stream so that a
//! seed always gives the same data (what happened to them since is [`super::story`]).

use super::names;
use crate::domain::policy_events::format_levels;
use crate::domain::tasks::ScheduleFields;
use crate::import::parse::schedule::{self, ParsedSchedule};
use chrono::NaiveDate;
use entity::{AssignmentRole, PolicyLevel, ScheduleKind};
use rand::Rng;
use rand::seq::index;

/// Tasks per plan, like the reference plan.
pub const TASKS_PER_PLAN: i32 = 26;

/// Departments a task can be assigned to: UNIT ids, and the group and catch-all.
#[derive(Debug, Clone)]
pub struct Roster {
    pub units: Vec<i32>,
    pub towns_group: i32,
    pub catch_all: i32,
}

/// One task as it will be written.
#[derive(Debug, Clone)]
pub struct TaskDraft {
    pub seq: i32,
    pub title: String,
    pub measures: String,
    pub schedule: ScheduleFields,
    /// Departments in plan order; leads first.
    pub units: Vec<(i32, AssignmentRole)>,
}

/// The 26 tasks of a plan issued on `issued_on`.
pub fn draft_tasks(rng: &mut impl Rng, roster: &Roster, issued_on: NaiveDate) -> Vec<TaskDraft> {
    (1..=TASKS_PER_PLAN).map(|seq| draft_task(rng, roster, issued_on, seq)).collect()
}

fn draft_task(rng: &mut impl Rng, roster: &Roster, issued_on: NaiveDate, seq: i32) -> TaskDraft {
    use chrono::Datelike;
    let text = names::schedule(rng, issued_on.year());
    let schedule = schedule_fields(&text, schedule::parse_schedule(&text, Some(issued_on)));
    let units = draw_units(rng, roster);
    TaskDraft { seq, title: names::title(rng), measures: names::measures(rng), schedule, units }
}

/// ≈5 departments: one lead (two on one task in five), three or four supporting units, and on
/// one task in four the towns group or the catch-all, as the reference plan lists them.
fn draw_units(rng: &mut impl Rng, roster: &Roster) -> Vec<(i32, AssignmentRole)> {
    let leads = if rng.random_bool(0.2) { 2 } else { 1 };
    let supporting = rng.random_range(3..=4);
    let count = (leads + supporting).min(roster.units.len());
    let mut units: Vec<(i32, AssignmentRole)> = index::sample(rng, roster.units.len(), count)
        .iter()
        .enumerate()
        .map(|(i, at)| (roster.units[at], if i < leads { AssignmentRole::Lead } else { AssignmentRole::Supporting }))
        .collect();
    if rng.random_bool(0.25) {
        let extra = if rng.random_bool(0.5) { roster.towns_group } else { roster.catch_all };
        units.push((extra, AssignmentRole::Supporting));
    }
    units
}

/// The parsed schedule as stored task fields (the importer's mapping).
fn schedule_fields(text: &str, parsed: ParsedSchedule) -> ScheduleFields {
    use schedule::{PolicyLevel as Level, ScheduleKind as Kind};
    let levels: Vec<PolicyLevel> = parsed
        .waiting_for
        .iter()
        .map(|level| match level {
            Level::National => PolicyLevel::National,
            Level::Provincial => PolicyLevel::Provincial,
            Level::Municipal => PolicyLevel::Municipal,
        })
        .collect();
    ScheduleFields {
        text: text.to_owned(),
        kind: match parsed.kind {
            Kind::Deadline => ScheduleKind::Deadline,
            Kind::AfterPolicy => ScheduleKind::AfterPolicy,
            Kind::Ongoing => ScheduleKind::Ongoing,
            Kind::Recurring => ScheduleKind::Recurring,
            Kind::Unparsed => ScheduleKind::Unparsed,
        },
        due_date: parsed.due_date,
        ongoing: parsed.ongoing,
        waiting_for: format_levels(&levels),
        offset_months: parsed.offset_months,
        offset_days: parsed.offset_days,
        milestones: parsed.milestones,
        starts_on: parsed.starts_on,
        year_inferred: parsed.year_inferred,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn roster() -> Roster {
        Roster { units: (1..=30).collect(), towns_group: 31, catch_all: 32 }
    }

    #[test]
    fn a_plan_has_26_tasks_with_leads_first_and_reports_by_units() {
        let issued = NaiveDate::from_ymd_opt(2014, 11, 13).unwrap();
        let tasks = draft_tasks(&mut StdRng::seed_from_u64(1), &roster(), issued);
        assert_eq!(tasks.len(), 26);
        for task in &tasks {
            assert_eq!(task.units[0].1, AssignmentRole::Lead);
            assert!((4..=7).contains(&task.units.len()));
            assert_ne!(task.schedule.kind, ScheduleKind::Unparsed);
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_plan() {
        let issued = NaiveDate::from_ymd_opt(2020, 1, 2).unwrap();
        let a = draft_tasks(&mut StdRng::seed_from_u64(9), &roster(), issued);
        let b = draft_tasks(&mut StdRng::seed_from_u64(9), &roster(), issued);
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }
}
