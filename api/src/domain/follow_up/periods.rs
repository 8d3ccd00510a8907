//! Reporting periods on record (报送周期). Each expected report of a unit's part is a period
//! with a due day, from the task's cadence (or its deadline when it has none), counted from
//! the day the unit was handed the work:
//! - a report answers the part's open period, on time (by the due day);
//! - a period whose due day passes without a report is recorded missed the next day; until
//!   the next period falls due, a report still answers it, late (补报), and the next period
//!   then opens the day after that report;
//! - a second report within a period (before the next one opens) updates nothing: it answers
//!   no second period;
//! - closing the part (finished, task completed) drops the period not yet due.
//!
//! [`Ledger`] is the rule, on a part's periods in memory; the functions below load, apply and
//! store it in the caller's transaction, and keep the part's `next_report_due` (the period
//! still to answer) and `last_report_late` (the last period closed was late or missed) in step,
//! so that the warnings and the to-do list read the part's row as before.

use super::cadence::{self, ReportRule};
use super::parts;
use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use entity::{
    AssignmentState, DepartmentKind, PeriodState, TaskStatus, assignment, department, document, report_period, task,
};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::HashMap;

/// One period of a part, as the ledger holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// The stored row (none for a period the ledger opened).
    pub id: Option<i32>,
    pub opens_on: NaiveDate,
    pub due_on: NaiveDate,
    pub state: PeriodState,
    pub answered_on: Option<NaiveDate>,
    pub report_id: Option<i32>,
    changed: bool,
}

impl Period {
    fn open(opens_on: NaiveDate, due_on: NaiveDate) -> Period {
        Period {
            id: None,
            opens_on,
            due_on,
            state: PeriodState::Due,
            answered_on: None,
            report_id: None,
            changed: true,
        }
    }

    fn from_row(row: &report_period::Model) -> Period {
        Period {
            id: Some(row.id),
            opens_on: row.opens_on,
            due_on: row.due_on,
            state: row.state,
            answered_on: row.answered_on,
            report_id: row.report_id,
            changed: false,
        }
    }
}

/// What a report did to its part's periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// It answered the period due on this day, late or not.
    Period { due_on: NaiveDate, late: bool },
    /// It answered no period: a second report within one, or nothing is expected.
    None,
}

/// A part's periods counted, as the part's row keeps them for figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub on_time: i32,
    pub late: i32,
    pub missed: i32,
    /// The due day of the period still open.
    pub due_on: Option<NaiveDate>,
    /// The due day of the oldest period missed since the last one answered, not counting the
    /// one a report may still answer late: the part's `REPORT_MISSED` to-do item.
    pub missed_since: Option<NaiveDate>,
}

impl Counts {
    /// The counts a part's row holds.
    pub fn of_part(part: &assignment::Model) -> Counts {
        Counts {
            on_time: part.periods_on_time,
            late: part.periods_late,
            missed: part.periods_missed,
            due_on: part.period_due_on,
            missed_since: part.missed_since,
        }
    }
}

/// A part's periods, oldest first, with the rule and deadline that lay out the next ones.
#[derive(Debug, Clone)]
pub struct Ledger {
    periods: Vec<Period>,
    dropped: Vec<i32>,
    rule: ReportRule,
    deadline: Option<NaiveDate>,
    /// Closed just now: nothing is owed, not even a missed period.
    closed: bool,
}

impl Ledger {
    /// A ledger over periods already recorded (in any order).
    pub fn new(mut periods: Vec<Period>, rule: ReportRule, deadline: Option<NaiveDate>) -> Ledger {
        periods.sort_by_key(|p| p.due_on);
        Ledger { periods, dropped: Vec::new(), rule, deadline, closed: false }
    }

    /// The periods, oldest first.
    pub fn periods(&self) -> &[Period] {
        &self.periods
    }

    /// The periods counted by state (the open one by its due day).
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for period in &self.periods {
            match period.state {
                PeriodState::OnTime => counts.on_time += 1,
                PeriodState::Late => counts.late += 1,
                PeriodState::Missed => counts.missed += 1,
                PeriodState::Due => counts.due_on = Some(counts.due_on.map_or(period.due_on, |d| d.max(period.due_on))),
            }
        }
        counts.missed_since = self.missed_since();
        counts
    }

    /// The due day of the oldest period missed since the last one answered, not counting the
    /// one a report may still answer late (none once the part is closed: nothing is owed).
    pub fn missed_since(&self) -> Option<NaiveDate> {
        if self.closed {
            return None;
        }
        let answerable = self.next_report_due();
        let after_answered = self
            .periods
            .iter()
            .rposition(|p| matches!(p.state, PeriodState::OnTime | PeriodState::Late))
            .map_or(0, |i| i + 1);
        self.periods[after_answered..]
            .iter()
            .find(|p| p.state == PeriodState::Missed && Some(p.due_on) != answerable)
            .map(|p| p.due_on)
    }

    fn current_index(&self) -> Option<usize> {
        self.periods.iter().rposition(|p| p.state == PeriodState::Due)
    }

    /// Opens the first period of a part handed out on `start`, when none is recorded.
    pub fn start(&mut self, start: NaiveDate) {
        if self.periods.is_empty()
            && let Some(due) = cadence::next_due(self.rule, self.deadline, start)
        {
            self.periods.push(Period::open(start, due));
        }
    }

    /// Records every open period whose due day is before `today` as missed, opening the ones
    /// after it, up to the period `today` falls in.
    pub fn catch_up(&mut self, today: NaiveDate) {
        while let Some(i) = self.current_index() {
            let current = &mut self.periods[i];
            if current.due_on >= today {
                break;
            }
            current.state = PeriodState::Missed;
            current.changed = true;
            let missed = current.due_on;
            let from = missed.succ_opt().unwrap_or(missed);
            match cadence::next_due(self.rule, self.deadline, from) {
                Some(due) if due > missed => self.periods.push(Period::open(from, due)),
                _ => break,
            }
        }
    }

    /// A report sent on `day`: which period it answers (see the module's rules).
    pub fn answer(&mut self, day: NaiveDate, report_id: Option<i32>) -> Answer {
        self.catch_up(day);
        let current = self.current_index();
        let before = match current {
            Some(i) => i.checked_sub(1),
            None => self.periods.len().checked_sub(1),
        };
        if let Some(i) = current
            && day < self.periods[i].opens_on
        {
            return Answer::None;
        }
        let next_due = current.map(|i| self.periods[i].due_on);
        if let Some(b) = before
            && self.periods[b].state == PeriodState::Missed
            && next_due.is_none_or(|due| day < due)
        {
            let missed = &mut self.periods[b];
            missed.state = PeriodState::Late;
            missed.answered_on = Some(day);
            missed.report_id = report_id;
            missed.changed = true;
            let due_on = missed.due_on;
            if let Some(i) = current {
                let next = &mut self.periods[i];
                next.opens_on = next.opens_on.max(day.succ_opt().unwrap_or(day));
                next.changed = true;
            }
            return Answer::Period { due_on, late: true };
        }
        let Some(i) = current else { return Answer::None };
        let period = &mut self.periods[i];
        period.state = PeriodState::OnTime;
        period.answered_on = Some(day);
        period.report_id = report_id;
        period.changed = true;
        let due_on = period.due_on;
        let from = due_on.succ_opt().unwrap_or(due_on);
        if let Some(due) = cadence::next_due(self.rule, self.deadline, from).filter(|d| *d > due_on) {
            self.periods.push(Period::open(from, due));
        }
        Answer::Period { due_on, late: false }
    }

    /// The rule or the deadline changed on `today`: the open period falls due by the new ones,
    /// counted from when it opened (not before `today`, so that no period is missed on the day
    /// it is laid out); a part with no open period gets one when the new rule asks for it.
    pub fn reschedule(&mut self, rule: ReportRule, deadline: Option<NaiveDate>, today: NaiveDate) {
        self.catch_up(today);
        self.rule = rule;
        self.deadline = deadline;
        match self.current_index() {
            Some(i) => {
                let from = self.periods[i].opens_on.max(today);
                match cadence::next_due(rule, deadline, from) {
                    Some(due) if due != self.periods[i].due_on => {
                        self.periods[i].due_on = due;
                        self.periods[i].changed = true;
                    }
                    Some(_) => {}
                    None => self.drop_period(i),
                }
            }
            None => self.reopen(today),
        }
    }

    /// The part is open again from `today` (a returned task): it owes the next period.
    pub fn reopen(&mut self, today: NaiveDate) {
        self.closed = false;
        if self.current_index().is_some() {
            return;
        }
        let after_last = self.periods.last().map(|p| p.due_on.max(p.answered_on.unwrap_or(p.due_on)));
        let from = after_last.and_then(|d| d.succ_opt()).map_or(today, |d| d.max(today));
        if let Some(due) = cadence::next_due(self.rule, self.deadline, from)
            && self.periods.iter().all(|p| p.due_on != due)
        {
            self.periods.push(Period::open(from, due));
        }
    }

    /// The part goes on after its deadline was met (an approved task whose work continues): it
    /// owes the cadence's next period, not the deadline's.
    pub fn reopen_past_deadline(&mut self, today: NaiveDate) {
        let deadline = self.deadline.take();
        self.reopen(today);
        self.deadline = deadline;
    }

    /// The part is closed on `today` (finished, the task completed, the unit gone): what fell
    /// due before is recorded first, then nothing more falls due.
    pub fn close(&mut self, today: NaiveDate) {
        self.catch_up(today);
        while let Some(i) = self.current_index() {
            self.drop_period(i);
        }
        self.closed = true;
    }

    fn drop_period(&mut self, i: usize) {
        let period = self.periods.remove(i);
        if let Some(id) = period.id {
            self.dropped.push(id);
        }
    }

    /// The due day of the period the part should answer next: a missed period that a report
    /// may still answer late, else the open one.
    pub fn next_report_due(&self) -> Option<NaiveDate> {
        if self.closed {
            return None;
        }
        let current = self.current_index();
        let before = match current {
            Some(i) => i.checked_sub(1),
            None => self.periods.len().checked_sub(1),
        };
        match before.map(|b| &self.periods[b]) {
            Some(missed) if missed.state == PeriodState::Missed => Some(missed.due_on),
            _ => current.map(|i| self.periods[i].due_on),
        }
    }

    /// Whether the last period closed was answered late or missed.
    pub fn last_closed_late(&self) -> bool {
        self.periods
            .iter()
            .rev()
            .find(|p| p.state != PeriodState::Due)
            .is_some_and(|p| matches!(p.state, PeriodState::Late | PeriodState::Missed))
    }
}

/// Loads a part's ledger (its task's rule and current deadline).
pub async fn load(db: &impl ConnectionTrait, part: &assignment::Model, task: &task::Model) -> AppResult<Ledger> {
    let rule = parts::load_rule(db, task).await?;
    load_with(db, part, rule, task.due_date).await
}

async fn load_with(
    db: &impl ConnectionTrait,
    part: &assignment::Model,
    rule: ReportRule,
    deadline: Option<NaiveDate>,
) -> AppResult<Ledger> {
    let rows = report_period::Entity::find()
        .filter(report_period::Column::AssignmentId.eq(part.id))
        .order_by_asc(report_period::Column::DueOn)
        .all(db)
        .await?;
    Ok(Ledger::new(rows.iter().map(Period::from_row).collect(), rule, deadline))
}

/// Whether a part is followed up (a UNIT's own place: groups and catch-alls report through
/// their members or not at all).
async fn followed(db: &impl ConnectionTrait, part: &assignment::Model) -> AppResult<bool> {
    let unit = department::Entity::find_by_id(part.department_id).one(db).await?;
    Ok(unit.is_some_and(|u| u.kind == DepartmentKind::Unit))
}

/// Writes what the ledger changed, and the part's `next_report_due`, `last_report_late` and
/// period counts with it; returns the part as stored.
pub async fn store(
    db: &impl ConnectionTrait,
    part: &assignment::Model,
    ledger: Ledger,
) -> AppResult<assignment::Model> {
    if !ledger.dropped.is_empty() {
        report_period::Entity::delete_many()
            .filter(report_period::Column::Id.is_in(ledger.dropped.clone()))
            .exec(db)
            .await?;
    }
    for period in ledger.periods.iter().filter(|p| p.changed) {
        let mut row = report_period::ActiveModel {
            assignment_id: Set(part.id),
            task_id: Set(part.task_id),
            department_id: Set(part.department_id),
            opens_on: Set(period.opens_on),
            due_on: Set(period.due_on),
            state: Set(period.state),
            answered_on: Set(period.answered_on),
            report_id: Set(period.report_id),
            ..Default::default()
        };
        match period.id {
            Some(id) => {
                row.id = Set(id);
                row.update(db).await?;
            }
            None => {
                report_period::Entity::insert(row)
                    .on_conflict_do_nothing_on([report_period::Column::AssignmentId, report_period::Column::DueOn])
                    .exec(db)
                    .await?;
            }
        }
    }
    let next = ledger.next_report_due();
    let late = ledger.last_closed_late();
    let counts = ledger.counts();
    if part.next_report_due == next && part.last_report_late == late && Counts::of_part(part) == counts {
        return Ok(part.clone());
    }
    assignment::Entity::update_many()
        .col_expr(assignment::Column::NextReportDue, Expr::value(next))
        .col_expr(assignment::Column::LastReportLate, Expr::value(late))
        .col_expr(assignment::Column::PeriodsOnTime, Expr::value(counts.on_time))
        .col_expr(assignment::Column::PeriodsLate, Expr::value(counts.late))
        .col_expr(assignment::Column::PeriodsMissed, Expr::value(counts.missed))
        .col_expr(assignment::Column::PeriodDueOn, Expr::value(counts.due_on))
        .col_expr(assignment::Column::MissedSince, Expr::value(counts.missed_since))
        .filter(assignment::Column::Id.eq(part.id))
        .exec(db)
        .await?;
    Ok(assignment::Model {
        next_report_due: next,
        last_report_late: late,
        periods_on_time: counts.on_time,
        periods_late: counts.late,
        periods_missed: counts.missed,
        period_due_on: counts.due_on,
        missed_since: counts.missed_since,
        ..part.clone()
    })
}

/// Applies `change` to the ledger of a followed-up part and stores it; other parts are left
/// as they are. Returns the part as stored and what `change` gave.
pub async fn apply<T>(
    db: &impl ConnectionTrait,
    part: &assignment::Model,
    task: &task::Model,
    change: impl FnOnce(&mut Ledger) -> T,
) -> AppResult<(assignment::Model, Option<T>)> {
    if !followed(db, part).await? {
        return Ok((part.clone(), None));
    }
    let mut ledger = load(db, part, task).await?;
    if let Some(start) = part.assigned_on {
        ledger.start(start);
    }
    let out = change(&mut ledger);
    Ok((store(db, part, ledger).await?, Some(out)))
}

/// The periods of parts the caller has seen, oldest first.
pub async fn of_parts(db: &impl ConnectionTrait, part_ids: &[i32]) -> AppResult<Vec<report_period::Model>> {
    Ok(report_period::Entity::find()
        .filter(report_period::Column::AssignmentId.is_in(part_ids.to_vec()))
        .order_by_asc(report_period::Column::DueOn)
        .all(db)
        .await?)
}

/// Opens the first period of every followed-up part of `task_ids` that has none (parts just
/// handed out), as their `next_report_due` says.
pub async fn open_first(db: &impl ConnectionTrait, task_ids: &[i32]) -> AppResult<()> {
    use sea_orm::sea_query::ExprTrait as _;
    for chunk in task_ids.chunks(1000) {
        let recorded = Query::select()
            .expr(Expr::val(1))
            .from(report_period::Entity)
            .and_where(
                Expr::col((report_period::Entity, report_period::Column::AssignmentId))
                    .equals((assignment::Entity, assignment::Column::Id)),
            )
            .to_owned();
        let parts: Vec<assignment::Model> = assignment::Entity::find()
            .inner_join(department::Entity)
            .filter(department::Column::Kind.eq(DepartmentKind::Unit))
            .filter(assignment::Column::TaskId.is_in(chunk.to_vec()))
            .filter(assignment::Column::NextReportDue.is_not_null())
            .filter(assignment::Column::State.ne(AssignmentState::Done))
            .filter(Expr::exists(recorded).not())
            .all(db)
            .await?;
        let rows: Vec<report_period::ActiveModel> = parts
            .iter()
            .filter_map(|p| {
                let due = p.next_report_due?;
                Some(report_period::ActiveModel {
                    assignment_id: Set(p.id),
                    task_id: Set(p.task_id),
                    department_id: Set(p.department_id),
                    opens_on: Set(std::cmp::min(p.assigned_on.unwrap_or(due), due)),
                    due_on: Set(due),
                    state: Set(PeriodState::Due),
                    ..Default::default()
                })
            })
            .collect();
        if !rows.is_empty() {
            report_period::Entity::insert_many(rows).exec(db).await?;
            assignment::Entity::update_many()
                .col_expr(assignment::Column::PeriodDueOn, Expr::col(assignment::Column::NextReportDue))
                .filter(assignment::Column::Id.is_in(parts.iter().map(|p| p.id)))
                .exec(db)
                .await?;
        }
    }
    Ok(())
}

/// Records the periods missed by `today` across every part (the day after a due day passes),
/// opening the next ones, and moves the parts' warning facts with them. Cheap when nothing fell
/// due since the last run (one index range read); run before lists that show periods, and by
/// the server once an hour (figures and to-do lists count a period past due as missed before
/// it is recorded). Two runs at once agree: a period is opened once.
pub async fn catch_up(db: &sea_orm::DatabaseConnection, today: NaiveDate) -> AppResult<usize> {
    // One catch-up at a time in this process: reads that find the same stale periods wait for
    // the first to record them instead of each writing them again (and then find none).
    static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _turn = ONE_AT_A_TIME.lock().await;
    // Work in hand only (a completed task's parts are finished unless its work continues): a
    // suspended task's periods wait for it to resume.
    let open = Query::select()
        .column(task::Column::Id)
        .from(task::Entity)
        .and_where(task::Column::Status.is_in([
            TaskStatus::NotStarted,
            TaskStatus::InProgress,
            TaskStatus::Returned,
            TaskStatus::PendingReview,
            TaskStatus::Completed,
        ]))
        .to_owned();
    let stale: Vec<i32> = report_period::Entity::find()
        .select_only()
        .column(report_period::Column::AssignmentId)
        .filter(report_period::Column::State.eq(PeriodState::Due))
        .filter(report_period::Column::DueOn.lt(today))
        .filter(report_period::Column::TaskId.in_subquery(open))
        .into_tuple()
        .all(db)
        .await?;
    if stale.is_empty() {
        return Ok(0);
    }
    let txn = crate::db::begin_write(db).await?;
    let parts = assignment::Entity::find().filter(assignment::Column::Id.is_in(stale)).all(&txn).await?;
    let task_ids: Vec<i32> = parts.iter().map(|p| p.task_id).collect();
    let tasks: HashMap<i32, task::Model> = task::Entity::find()
        .filter(task::Column::Id.is_in(task_ids.clone()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let document_ids: Vec<i32> = tasks.values().map(|t| t.document_id).collect();
    let documents: HashMap<i32, document::Model> = document::Entity::find()
        .filter(document::Column::Id.is_in(document_ids))
        .all(&txn)
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    for part in &parts {
        let task = tasks.get(&part.task_id).ok_or(AppError::NotFound("task"))?;
        let rule = parts::rule_of(task, documents.get(&task.document_id));
        let mut ledger = load_with(&txn, part, rule, task.due_date).await?;
        ledger.catch_up(today);
        store(&txn, part, ledger).await?;
    }
    let mut moved = task_ids;
    moved.sort_unstable();
    moved.dedup();
    super::facts::refresh(&txn, &moved).await?;
    txn.commit().await?;
    Ok(parts.len())
}

/// [`catch_up`] to the caller's today, before a read that counts periods (anyone signed in).
pub async fn catch_up_for(db: &sea_orm::DatabaseConnection, caller: &crate::domain::Caller) -> AppResult<()> {
    crate::policy::rules::signed_in(&caller.viewer)?;
    catch_up(db, caller.today()).await.map(|_| ())
}

/// How often the server records missed periods on its own (reads that count periods also do
/// it first, so a figure is never behind the clock).
const EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Starts the hourly catch-up in the background.
pub fn start(db: sea_orm::DatabaseConnection, clock: crate::domain::clock::Clock) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let today = crate::domain::Caller::system(clock.read()).today();
            match catch_up(&db, today).await {
                Ok(0) => {}
                Ok(parts) => tracing::info!(parts, "missed reporting periods recorded"),
                Err(error) => tracing::warn!(error = %error, "recording missed periods failed; it runs again later"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use PeriodState::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn monthly(start: &str, deadline: Option<&str>) -> Ledger {
        let mut ledger = Ledger::new(Vec::new(), ReportRule::Monthly { day: 25 }, deadline.map(d));
        ledger.start(d(start));
        ledger
    }

    fn states(ledger: &Ledger) -> Vec<(String, PeriodState, Option<String>)> {
        ledger.periods().iter().map(|p| (p.due_on.to_string(), p.state, p.answered_on.map(|a| a.to_string()))).collect()
    }

    fn row(due: &str, state: PeriodState, answered: Option<&str>) -> (String, PeriodState, Option<String>) {
        (due.to_owned(), state, answered.map(str::to_owned))
    }

    #[test]
    fn misses_since_the_last_answer_date_from_the_oldest_and_clear_with_an_answer() {
        let mut ledger = monthly("2014-11-18", None);
        ledger.catch_up(d("2015-02-26"));
        // 11-25, 12-25, 01-25 missed for good; 02-25 missed but answerable until 03-25.
        assert_eq!(ledger.next_report_due(), Some(d("2015-02-25")));
        assert_eq!(ledger.missed_since(), Some(d("2014-11-25")));
        let counts = ledger.counts();
        assert_eq!((counts.on_time, counts.late, counts.missed, counts.due_on), (0, 0, 4, Some(d("2015-03-25"))));
        // A late answer to February: what came before it is history, nothing is listed.
        assert_eq!(ledger.answer(d("2015-03-01"), Some(1)), Answer::Period { due_on: d("2015-02-25"), late: true });
        assert_eq!(ledger.missed_since(), None);
        assert_eq!(ledger.counts().late, 1);
        // March and April missed, May's due day passed too: listed from March, May may still be
        // answered.
        ledger.catch_up(d("2015-05-26"));
        assert_eq!(ledger.next_report_due(), Some(d("2015-05-25")));
        assert_eq!(ledger.missed_since(), Some(d("2015-03-25")));
        ledger.close(d("2015-05-27"));
        assert_eq!(ledger.missed_since(), None, "a closed part owes nothing");
    }

    #[test]
    fn a_second_report_on_the_day_of_a_late_one_answers_no_second_period() {
        let mut ledger = monthly("2014-11-18", None);
        assert_eq!(ledger.next_report_due(), Some(d("2014-11-25")));
        assert_eq!(ledger.answer(d("2014-11-26"), Some(1)), Answer::Period { due_on: d("2014-11-25"), late: true });
        assert_eq!(ledger.answer(d("2014-11-26"), Some(2)), Answer::None, "the same period, not December's");
        assert_eq!(ledger.next_report_due(), Some(d("2014-12-25")));
        assert!(ledger.last_closed_late(), "REPORT_LATE stays until a period is answered on time");
        assert_eq!(ledger.answer(d("2014-12-10"), Some(3)), Answer::Period { due_on: d("2014-12-25"), late: false });
        assert!(!ledger.last_closed_late());
        assert_eq!(
            states(&ledger),
            vec![
                row("2014-11-25", Late, Some("2014-11-26")),
                row("2014-12-25", OnTime, Some("2014-12-10")),
                row("2015-01-25", Due, None)
            ]
        );
    }

    #[test]
    fn months_of_silence_are_recorded_missed_not_skipped() {
        let mut ledger = monthly("2014-11-18", Some("2015-03-31"));
        for (day, report) in [("2014-11-20", 1), ("2014-12-24", 2)] {
            assert!(matches!(ledger.answer(d(day), Some(report)), Answer::Period { late: false, .. }));
        }
        ledger.catch_up(d("2015-01-26"));
        assert_eq!(ledger.next_report_due(), Some(d("2015-01-25")), "January can still be answered late");
        ledger.catch_up(d("2015-03-10"));
        assert_eq!(ledger.next_report_due(), Some(d("2015-02-25")), "only the latest missed period");
        assert_eq!(ledger.answer(d("2015-03-25"), Some(3)), Answer::Period { due_on: d("2015-03-25"), late: false });
        assert_eq!(
            states(&ledger)[2..],
            [
                row("2015-01-25", Missed, None),
                row("2015-02-25", Missed, None),
                row("2015-03-25", OnTime, Some("2015-03-25")),
                row("2015-03-31", Due, None)
            ]
        );
        assert!(!ledger.last_closed_late());
    }

    #[test]
    fn a_late_answer_moves_the_opening_of_the_next_period() {
        let mut ledger = monthly("2014-11-18", None);
        ledger.catch_up(d("2014-12-01"));
        assert_eq!(ledger.answer(d("2014-12-20"), Some(1)), Answer::Period { due_on: d("2014-11-25"), late: true });
        assert_eq!(ledger.answer(d("2014-12-20"), Some(2)), Answer::None);
        assert_eq!(ledger.answer(d("2014-12-21"), Some(3)), Answer::Period { due_on: d("2014-12-25"), late: false });
        // On the next period's due day a report answers that period, not the missed one.
        let mut ledger = monthly("2014-11-18", None);
        assert_eq!(ledger.answer(d("2014-12-25"), Some(1)), Answer::Period { due_on: d("2014-12-25"), late: false });
        assert_eq!(ledger.periods()[0].state, Missed);
    }

    #[test]
    fn a_deadline_without_a_cadence_is_one_period_answerable_late_for_ever() {
        let mut ledger = Ledger::new(Vec::new(), ReportRule::None, Some(d("2014-12-31")));
        ledger.start(d("2014-11-18"));
        ledger.catch_up(d("2015-02-01"));
        assert_eq!(ledger.next_report_due(), Some(d("2014-12-31")));
        assert_eq!(ledger.answer(d("2015-02-03"), Some(1)), Answer::Period { due_on: d("2014-12-31"), late: true });
        assert_eq!(ledger.answer(d("2015-02-04"), Some(2)), Answer::None);
        assert_eq!(ledger.next_report_due(), None);
    }

    #[test]
    fn rescheduling_and_closing() {
        let mut ledger = monthly("2014-11-18", Some("2015-06-30"));
        ledger.reschedule(ReportRule::Quarterly { days_after: 5 }, Some(d("2015-06-30")), d("2014-11-20"));
        assert_eq!(ledger.next_report_due(), Some(d("2015-01-05")));
        ledger.reschedule(ReportRule::None, Some(d("2014-12-15")), d("2014-11-20"));
        assert_eq!(ledger.next_report_due(), Some(d("2014-12-15")), "the deadline asks for a report");
        ledger.close(d("2014-11-20"));
        assert_eq!(ledger.next_report_due(), None);
        assert!(ledger.periods().is_empty());
        ledger.reopen(d("2014-12-01"));
        assert_eq!(ledger.next_report_due(), Some(d("2014-12-15")));
    }

    mod property {
        use super::*;
        use proptest::prelude::*;

        fn rule() -> impl Strategy<Value = ReportRule> {
            prop_oneof![
                Just(ReportRule::None),
                (1u32..=7).prop_map(|weekday| ReportRule::Weekly { weekday }),
                (1u32..=31).prop_map(|day| ReportRule::Monthly { day }),
                (0u32..=10).prop_map(|days_after| ReportRule::Quarterly { days_after }),
            ]
        }

        proptest! {
            /// For any rule, deadline and days of reports: the periods are the rule's due days
            /// one after another with none skipped; each report answers at most one period, on
            /// time inside its window or late after its due day; only the last period is open,
            /// and not yet due.
            #[test]
            fn no_period_is_skipped_and_each_report_answers_at_most_one(
                rule in rule(),
                deadline in proptest::option::of(10u64..500),
                mut reports in proptest::collection::vec(0u64..480, 0..30),
            ) {
                let start = d("2026-01-05");
                let day = |n: u64| start.checked_add_days(chrono::Days::new(n)).unwrap();
                let deadline = deadline.map(day);
                reports.sort_unstable();
                let mut ledger = Ledger::new(Vec::new(), rule, deadline);
                ledger.start(start);
                let mut answered = 0;
                for (n, offset) in reports.iter().enumerate() {
                    match ledger.answer(day(*offset), Some(n as i32)) {
                        Answer::Period { due_on, late } => {
                            answered += 1;
                            prop_assert_eq!(late, day(*offset) > due_on);
                        }
                        Answer::None => {}
                    }
                }
                let today = day(500);
                ledger.catch_up(today);
                let periods = ledger.periods();
                let mut expected = cadence::next_due(rule, deadline, start);
                for (i, period) in periods.iter().enumerate() {
                    prop_assert_eq!(Some(period.due_on), expected, "period {} follows the rule", i);
                    expected = cadence::next_due(rule, deadline, period.due_on.succ_opt().unwrap())
                        .filter(|next| *next > period.due_on);
                    if i > 0 {
                        prop_assert!(period.opens_on > periods[i - 1].due_on);
                    }
                    match period.state {
                        PeriodState::Due => {
                            prop_assert_eq!(i, periods.len() - 1);
                            prop_assert!(period.due_on >= today);
                        }
                        PeriodState::OnTime => {
                            let on = period.answered_on.unwrap();
                            prop_assert!(on >= period.opens_on && on <= period.due_on);
                        }
                        PeriodState::Late => prop_assert!(period.answered_on.unwrap() > period.due_on),
                        PeriodState::Missed => prop_assert!(period.answered_on.is_none()),
                    }
                }
                if periods.last().is_some_and(|p| p.state != PeriodState::Due) {
                    prop_assert!(expected.is_none(), "a period the rule still asks for is open");
                }
                let closed = periods.iter().filter(|p| matches!(p.state, PeriodState::OnTime | PeriodState::Late)).count();
                prop_assert_eq!(closed, answered);
            }
        }
    }
}
