//! What happened to a synthetic task by "today": the follow-up loop played in memory, so that
//! a benchmark database holds the mix an office sees after years of use. Old plans are mostly
//! completed and archived, some overdue, a few returned or suspended; current plans are at work,
//! some units late to sign or to report, some extended, urged or instructed on. Pure: one
//! random stream in, the same story out.

use crate::domain::dates::add_working_days;
use crate::domain::follow_up::cadence::{self, ReportRule};
use chrono::{Days, NaiveDate};
use entity::{AssignmentState, CompletionDecision, ExtensionStatus, TaskStatus};
use rand::Rng;

/// Working days a unit has to sign (the default threshold).
const SIGN_WORKING_DAYS: i64 = 3;

/// One task's history.
#[derive(Debug, Clone)]
pub struct Story {
    pub status: TaskStatus,
    /// The due date before any extension.
    pub original_due: Option<NaiveDate>,
    /// The due date now.
    pub due: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
    pub archived_on: Option<NaiveDate>,
    pub state_reason: Option<String>,
    pub suspended_from: Option<TaskStatus>,
    /// Aligned with the task's units.
    pub parts: Vec<Part>,
    pub reports: Vec<Report>,
    pub extensions: Vec<Extension>,
    pub urgings: Vec<Urging>,
    pub instruction: Option<Instruction>,
    pub completions: Vec<Completion>,
}

/// One unit's part.
#[derive(Debug, Clone)]
pub struct Part {
    pub state: AssignmentState,
    pub sign_due: NaiveDate,
    pub signed_on: Option<NaiveDate>,
    pub next_report_due: Option<NaiveDate>,
    pub last_report_on: Option<NaiveDate>,
    pub last_report_late: bool,
    pub done_on: Option<NaiveDate>,
    /// A UNIT's part (groups and the catch-all take no part in the loop).
    pub followed: bool,
}

/// A progress report by the unit at `unit` (an index into the task's units).
#[derive(Debug, Clone)]
pub struct Report {
    pub unit: usize,
    pub percent: i32,
    pub reported_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub late: bool,
}

#[derive(Debug, Clone)]
pub struct Extension {
    pub asked_on: NaiveDate,
    pub current_due: NaiveDate,
    pub proposed: NaiveDate,
    pub status: ExtensionStatus,
    /// The decision's day and, for an approval, the date granted.
    pub decided: Option<(NaiveDate, Option<NaiveDate>)>,
}

/// An urging to the unit at `unit`.
#[derive(Debug, Clone)]
pub struct Urging {
    pub unit: usize,
    pub sent_on: NaiveDate,
    pub reply_by: NaiveDate,
    pub answered_on: Option<NaiveDate>,
}

/// A leader's instruction, answered by the lead or not.
#[derive(Debug, Clone)]
pub struct Instruction {
    pub written_on: NaiveDate,
    pub answered_on: Option<NaiveDate>,
}

/// A completion report by the lead and the office's decision.
#[derive(Debug, Clone)]
pub struct Completion {
    pub submitted_on: NaiveDate,
    pub decision: CompletionDecision,
    pub decided_on: Option<NaiveDate>,
}

/// Where a task's story ends up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    NotStarted,
    AtWork,
    PendingReview,
    Returned,
    Completed,
    Archived,
    Suspended,
}

/// What the story is told about.
#[derive(Debug)]
pub struct Setting<'a> {
    pub issued_on: NaiveDate,
    pub due: Option<NaiveDate>,
    pub rule: ReportRule,
    /// 持续实施 or recurring: no closing date, archived by decision only.
    pub ongoing: bool,
    pub today: NaiveDate,
    /// Per unit of the task, in plan order: whether it is a UNIT (groups and the catch-all
    /// take no part in the loop) and whether it leads.
    pub units: &'a [(bool, bool)],
}

fn days(date: NaiveDate, n: u64) -> NaiveDate {
    date.checked_add_days(Days::new(n)).unwrap_or(date)
}

fn days_before(date: NaiveDate, n: u64) -> NaiveDate {
    date.checked_sub_days(Days::new(n)).unwrap_or(date)
}

fn between(rng: &mut impl Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(0) as u64;
    days(from, rng.random_range(0..=span))
}

/// Draws where the task ends up from its age and schedule.
fn fate(rng: &mut impl Rng, s: &Setting<'_>) -> Fate {
    use Fate::*;
    let age = (s.today - s.issued_on).num_days();
    if age < 7 {
        return if rng.random_bool(0.6) { NotStarted } else { AtWork };
    }
    let weighted: &[(Fate, u32)] = match s.due {
        _ if s.ongoing => &[(AtWork, 75), (Archived, 15), (NotStarted, 6), (Suspended, 4)],
        due if due.is_some_and(|d| d < s.today) || age > 730 => &[
            (Archived, 52),
            (Completed, 20),
            (AtWork, 17),
            (PendingReview, 3),
            (Returned, 2),
            (Suspended, 2),
            (NotStarted, 4),
        ],
        _ => &[
            (AtWork, 60),
            (NotStarted, 14),
            (PendingReview, 8),
            (Returned, 4),
            (Completed, 8),
            (Suspended, 2),
            (Archived, 4),
        ],
    };
    let total: u32 = weighted.iter().map(|(_, w)| w).sum();
    let mut pick = rng.random_range(0..total);
    for (fate, weight) in weighted {
        if pick < *weight {
            return *fate;
        }
        pick -= weight;
    }
    AtWork
}

/// Tells the story of one task.
pub fn tell(rng: &mut impl Rng, s: &Setting<'_>) -> Story {
    let fate = fate(rng, s);
    let issued = s.issued_on.min(s.today);
    let sign_due = add_working_days(issued, SIGN_WORKING_DAYS).unwrap_or(issued);
    let mut story = Story {
        status: TaskStatus::NotStarted,
        original_due: s.due,
        due: s.due,
        completed_on: None,
        archived_on: None,
        state_reason: None,
        suspended_from: None,
        parts: Vec::new(),
        reports: Vec::new(),
        extensions: Vec::new(),
        urgings: Vec::new(),
        instruction: None,
        completions: Vec::new(),
    };
    extend(rng, s, fate, &mut story);

    // The day work stops: the completion report, the suspension, or today.
    let (stop, status) = match fate {
        Fate::NotStarted => (s.today, TaskStatus::NotStarted),
        Fate::AtWork => (s.today, TaskStatus::InProgress),
        Fate::Suspended => {
            let on = between(rng, days(issued, 30).min(s.today), s.today);
            story.state_reason = Some("上级政策调整,暂缓实施".into());
            story.suspended_from = Some(TaskStatus::InProgress);
            (on, TaskStatus::Suspended)
        }
        Fate::PendingReview | Fate::Returned => {
            (days_before(s.today, rng.random_range(1..=15)).max(issued), s_status(fate))
        }
        Fate::Completed | Fate::Archived => (finish_day(rng, s, &story), s_status(fate)),
    };
    let stop = stop.max(days(issued, 1)).min(s.today);
    story.status = status;

    let ongoing_archive = fate == Fate::Archived && s.ongoing;
    let closes = matches!(fate, Fate::Completed | Fate::Archived) && !ongoing_archive;
    for (index, &(is_unit, leads)) in s.units.iter().enumerate() {
        let part = play_part(rng, s, fate, &mut story, (index, is_unit, leads), sign_due, stop);
        story.parts.push(part);
    }
    if fate != Fate::NotStarted && !story.reports.iter().any(|r| s.units[r.unit].1) {
        // Nobody reported yet: the task has not started, whatever was drawn.
        if matches!(fate, Fate::AtWork) {
            story.status = TaskStatus::NotStarted;
        }
    }
    if matches!(fate, Fate::PendingReview | Fate::Returned | Fate::Completed | Fate::Archived) && !ongoing_archive {
        complete(rng, fate, stop, s.today, &mut story);
    }
    if fate == Fate::Archived {
        let from = story.completions.last().and_then(|c| c.decided_on).unwrap_or(stop);
        story.archived_on = Some(between(rng, from, days(from, 30).min(s.today).max(from)));
        if ongoing_archive {
            story.state_reason = Some("已形成长效机制,经审定销号".into());
            for part in &mut story.parts {
                part.state = AssignmentState::Done;
                part.done_on = story.archived_on;
                part.next_report_due = None;
            }
        }
    }
    if closes || ongoing_archive {
        story.completed_on = if closes { story.completions.last().and_then(|c| c.decided_on) } else { None };
    }
    urge(rng, s, &mut story);
    instruct(rng, s, issued, stop, closes || ongoing_archive, &mut story);
    story
}

fn s_status(fate: Fate) -> TaskStatus {
    match fate {
        Fate::NotStarted => TaskStatus::NotStarted,
        Fate::AtWork => TaskStatus::InProgress,
        Fate::PendingReview => TaskStatus::PendingReview,
        Fate::Returned => TaskStatus::Returned,
        Fate::Completed => TaskStatus::Completed,
        Fate::Archived => TaskStatus::Archived,
        Fate::Suspended => TaskStatus::Suspended,
    }
}

/// The day a closed task's lead handed in its completion report: three in four on time.
fn finish_day(rng: &mut impl Rng, s: &Setting<'_>, story: &Story) -> NaiveDate {
    let issued = s.issued_on;
    let due = story.due.unwrap_or_else(|| days(issued, 365));
    let earliest = days(issued, 20);
    let day = if rng.random_bool(0.75) || due >= s.today {
        between(rng, earliest.min(due), due)
    } else {
        between(rng, days(due, 1), days(due, 90))
    };
    day.min(days_before(s.today, 2)).max(earliest.min(s.today))
}

/// About one extension in eight on dated work: mostly approved, some rejected, a few waiting.
fn extend(rng: &mut impl Rng, s: &Setting<'_>, fate: Fate, story: &mut Story) {
    let Some(due) = story.due else { return };
    if fate == Fate::NotStarted {
        return;
    }
    let proposed = crate::domain::dates::add_months(due, 3).unwrap_or(due);
    let roll = rng.random_range(0..100);
    if roll < 6 && fate == Fate::AtWork && due >= s.today {
        let asked_on = days_before(s.today, rng.random_range(0..=10)).max(s.issued_on);
        story.extensions.push(Extension {
            asked_on,
            current_due: due,
            proposed,
            status: ExtensionStatus::Pending,
            decided: None,
        });
        return;
    }
    let asked_on = days_before(due, rng.random_range(5..=30)).max(days(s.issued_on, 10));
    if asked_on > s.today || asked_on > due {
        return;
    }
    let decided_on = days(asked_on, rng.random_range(1..=5)).min(s.today);
    if roll < 12 {
        let granted =
            if rng.random_bool(0.8) { proposed } else { crate::domain::dates::add_months(due, 2).unwrap_or(due) };
        story.extensions.push(Extension {
            asked_on,
            current_due: due,
            proposed,
            status: ExtensionStatus::Approved,
            decided: Some((decided_on, Some(granted))),
        });
        story.due = Some(granted);
    } else if roll < 14 {
        story.extensions.push(Extension {
            asked_on,
            current_due: due,
            proposed,
            status: ExtensionStatus::Rejected,
            decided: Some((decided_on, None)),
        });
    }
}

/// A unit's part: when it signed, its reports up to `stop`, where its next report falls due.
fn play_part(
    rng: &mut impl Rng,
    s: &Setting<'_>,
    fate: Fate,
    story: &mut Story,
    (index, is_unit, leads): (usize, bool, bool),
    sign_due: NaiveDate,
    stop: NaiveDate,
) -> Part {
    let issued = s.issued_on.min(s.today);
    let first_due = cadence::next_due(s.rule, story.due, issued);
    let mut part = Part {
        state: AssignmentState::Assigned,
        sign_due,
        signed_on: None,
        next_report_due: first_due,
        last_report_on: None,
        last_report_late: false,
        done_on: None,
        followed: is_unit,
    };
    if !is_unit {
        return part;
    }
    // Nine in ten sign within the time; the rest a few days late, or (not started) not yet.
    let signed_on = if rng.random_bool(0.9) {
        between(rng, issued, sign_due)
    } else {
        between(rng, days(sign_due, 1), days(sign_due, 6))
    };
    if signed_on > s.today || (fate == Fate::NotStarted && rng.random_bool(0.5)) {
        return part;
    }
    part.state = AssignmentState::Signed;
    part.signed_on = Some(signed_on);
    if fate == Fate::NotStarted || !(leads || rng.random_bool(0.6)) {
        return part;
    }
    // The dues from the first one to `stop`; a unit answers the last one to three of them, and
    // one in five stopped a period early (its report is missing).
    let mut dues = Vec::new();
    let mut next = first_due;
    while let Some(due) = next.filter(|d| *d <= stop) {
        dues.push(due);
        next = cadence::next_due(s.rule, story.due, days(due, 1));
        if dues.len() > 400 {
            break;
        }
    }
    if rng.random_bool(0.2) {
        dues.pop();
    }
    let answered: Vec<NaiveDate> = dues.iter().rev().take(rng.random_range(1..=3)).rev().copied().collect();
    if answered.is_empty() {
        return part;
    }
    let span = story.due.map_or(365, |d| (d - issued).num_days().max(1));
    for due in &answered {
        let reported_on = if rng.random_bool(0.85) {
            between(rng, days_before(*due, 6).max(signed_on), *due)
        } else {
            between(rng, days(*due, 1), days(*due, 7)).min(stop.max(*due))
        };
        let reported_on = reported_on.max(signed_on).min(s.today);
        // The percent follows the time elapsed, some units ahead of it and some behind.
        let elapsed = (reported_on - issued).num_days() as f64 / span as f64;
        let percent = ((elapsed * rng.random_range(0.5..1.2)).min(0.95) * 100.0).round() as i32;
        story.reports.push(Report {
            unit: index,
            percent: percent.clamp(5, 95),
            reported_on,
            due_on: Some(*due),
            late: reported_on > *due,
        });
        part.last_report_on = Some(reported_on);
        part.last_report_late = reported_on > *due;
    }
    part.state = AssignmentState::InProgress;
    let last_due = *answered.last().unwrap_or(&issued);
    let after = part.last_report_on.map_or(last_due, |r| r.max(last_due));
    part.next_report_due = cadence::next_due(s.rule, story.due, days(after, 1));
    part
}

/// The completion reports and the office's decisions for a task the lead handed in on `stop`.
fn complete(rng: &mut impl Rng, fate: Fate, stop: NaiveDate, today: NaiveDate, story: &mut Story) {
    let lead = story.parts.iter().position(|p| p.state != AssignmentState::Assigned).unwrap_or(0);
    // One closed task in five was returned once before.
    if matches!(fate, Fate::Completed | Fate::Archived) && rng.random_bool(0.2) {
        let first = days_before(stop, rng.random_range(10..=30));
        story.completions.push(Completion {
            submitted_on: first,
            decision: CompletionDecision::Returned,
            decided_on: Some(days(first, 2)),
        });
    }
    let decided_on = days(stop, rng.random_range(1..=5)).min(today);
    let (decision, decided) = match fate {
        Fate::PendingReview => (CompletionDecision::Pending, None),
        Fate::Returned => (CompletionDecision::Returned, Some(decided_on)),
        _ => (CompletionDecision::Approved, Some(decided_on)),
    };
    story.completions.push(Completion { submitted_on: stop, decision, decided_on: decided });
    if let Some(report) = story.reports.iter_mut().rev().find(|r| r.unit == lead) {
        report.percent = if fate == Fate::Returned { 90 } else { 100 };
    }
    for (index, part) in story.parts.iter_mut().enumerate() {
        let closed = matches!(fate, Fate::Completed | Fate::Archived);
        let lead_handed_in = index == lead && fate == Fate::PendingReview;
        if closed || lead_handed_in {
            part.state = AssignmentState::Done;
            part.done_on = if closed { decided } else { Some(stop) };
            part.next_report_due = None;
        }
    }
    if fate == Fate::Returned {
        story.state_reason = Some("材料不全,请补充佐证材料后重新报送".into());
    }
}

/// Open overdue work is urged (four in ten), some of the rest too (one in twenty); about half
/// the urgings are answered.
fn urge(rng: &mut impl Rng, s: &Setting<'_>, story: &mut Story) {
    let open = matches!(story.status, TaskStatus::NotStarted | TaskStatus::InProgress | TaskStatus::Returned);
    if !open {
        return;
    }
    let overdue = story.due.is_some_and(|d| d < s.today);
    if !rng.random_bool(if overdue { 0.4 } else { 0.05 }) {
        return;
    }
    let tracked: Vec<usize> = (0..s.units.len()).filter(|i| s.units[*i].0).collect();
    let Some(&unit) = (if overdue { tracked.first() } else { tracked.get(rng.random_range(0..tracked.len().max(1))) })
    else {
        return;
    };
    let sent_on = days_before(s.today, rng.random_range(1..=20)).max(s.issued_on);
    let answered_on = rng.random_bool(0.5).then(|| between(rng, sent_on, days(sent_on, 5).min(s.today)));
    story.urgings.push(Urging { unit, sent_on, reply_by: days(sent_on, 5), answered_on });
}

/// One task in twenty-five carries a leader's instruction; closed work had it answered.
fn instruct(rng: &mut impl Rng, s: &Setting<'_>, issued: NaiveDate, stop: NaiveDate, closed: bool, story: &mut Story) {
    if !rng.random_bool(0.04) {
        return;
    }
    let written_on = between(rng, days(issued, 5).min(stop), stop);
    let answered = closed || rng.random_bool(0.7);
    let answered_on = answered.then(|| between(rng, written_on, days(written_on, 10).min(s.today).max(written_on)));
    story.instruction = Some(Instruction { written_on, answered_on });
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use std::collections::BTreeMap;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const UNITS: [(bool, bool); 5] = [(true, true), (true, false), (true, false), (true, false), (false, false)];

    fn stories(seed: u64, n: usize) -> Vec<(Setting<'static>, Story)> {
        let mut rng = StdRng::seed_from_u64(seed);
        let today = d("2026-12-01");
        (0..n)
            .map(|i| {
                // Plans of twelve years, one in three from the last year (current work).
                let issued_on = match i % 3 {
                    0 => days_before(today, (i as u64 * 13) % 400),
                    _ => days(d("2014-01-06"), (i as u64 * 37) % 4500),
                };
                let due = match i % 5 {
                    0 => None,
                    k => Some(days(issued_on, 90 * k as u64)),
                };
                let ongoing = due.is_none() && i % 2 == 0;
                let rule = ReportRule::Monthly { day: 25 };
                let setting = Setting { issued_on, due, rule, ongoing, today, units: &UNITS };
                let story = tell(&mut rng, &setting);
                (setting, story)
            })
            .collect()
    }

    #[test]
    fn the_mix_holds_every_state_of_the_loop() {
        let all = stories(1, 3000);
        let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
        let mut parts: BTreeMap<String, usize> = BTreeMap::new();
        for (_, story) in &all {
            *statuses.entry(format!("{:?}", story.status)).or_default() += 1;
            for part in &story.parts {
                *parts.entry(format!("{:?}", part.state)).or_default() += 1;
            }
        }
        for status in ["NotStarted", "InProgress", "PendingReview", "Returned", "Completed", "Archived", "Suspended"] {
            assert!(statuses.get(status).copied().unwrap_or(0) >= 20, "{status}: {statuses:?}");
        }
        for state in ["Assigned", "Signed", "InProgress", "Done"] {
            assert!(parts.get(state).copied().unwrap_or(0) >= 100, "{state}: {parts:?}");
        }
        let count = |f: &dyn Fn(&Story) -> bool| all.iter().filter(|(_, s)| f(s)).count();
        assert!(count(&|s| s.reports.iter().any(|r| r.late)) > 50, "late reports");
        assert!(count(&|s| s.extensions.iter().any(|e| e.status == ExtensionStatus::Approved)) > 50);
        assert!(count(&|s| s.extensions.iter().any(|e| e.status == ExtensionStatus::Pending)) >= 3);
        assert!(count(&|s| s.urgings.iter().any(|u| u.answered_on.is_none())) > 20, "open urgings");
        assert!(count(&|s| s.instruction.as_ref().is_some_and(|i| i.answered_on.is_none())) > 5);
        assert!(
            count(&|s| s.parts.iter().any(|p| p.signed_on.is_some_and(|on| on > p.sign_due))) > 50,
            "late sign-offs"
        );
    }

    #[test]
    fn every_story_keeps_the_loops_rules() {
        for (setting, story) in stories(2, 3000) {
            let open = matches!(story.status, TaskStatus::NotStarted | TaskStatus::InProgress | TaskStatus::Returned);
            for report in &story.reports {
                assert!(report.reported_on <= setting.today && report.reported_on >= setting.issued_on, "{story:?}");
                let part = &story.parts[report.unit];
                assert!(part.signed_on.is_some_and(|on| on <= report.reported_on), "a unit signs before it reports");
                assert_eq!(report.late, report.due_on.is_some_and(|due| report.reported_on > due));
            }
            if matches!(story.status, TaskStatus::Completed | TaskStatus::Archived) && !setting.ongoing {
                assert!(story.parts.iter().all(|p| p.state == AssignmentState::Done), "{story:?}");
                assert_eq!(story.completions.last().map(|c| c.decision), Some(CompletionDecision::Approved));
                assert!(story.instruction.as_ref().is_none_or(|i| i.answered_on.is_some()), "closed work answered");
            }
            if story.status == TaskStatus::PendingReview {
                assert_eq!(story.completions.last().map(|c| c.decision), Some(CompletionDecision::Pending));
            }
            if !open {
                assert!(story.urgings.is_empty(), "only open work is urged");
            }
            assert!(story.extensions.iter().filter(|e| e.status == ExtensionStatus::Pending).count() <= 1);
            if story.extensions.iter().any(|e| e.status == ExtensionStatus::Approved) {
                assert!(story.due > story.original_due);
            }
        }
    }

    #[test]
    fn the_same_seed_tells_the_same_story() {
        assert_eq!(format!("{:?}", stories(5, 200)), format!("{:?}", stories(5, 200)));
    }
}
