//! The office's working-day calendar: Monday to Friday, except the days an admin marks
//! otherwise (法定节假日 off, 调休 make-up working days on a weekend). Sign-off deadlines and
//! schedules counted in working days (`30个工作日内`) use it.

use crate::domain::Caller;
use crate::domain::audit;
use crate::error::{AppError, AppResult};
use crate::policy::rules;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use entity::calendar_day;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait};
use std::collections::BTreeMap;

/// Working days with the admin's exceptions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    exceptions: BTreeMap<NaiveDate, bool>,
}

impl Calendar {
    /// A calendar with these exceptions (`true`: a working day).
    pub fn with_exceptions(exceptions: impl IntoIterator<Item = (NaiveDate, bool)>) -> Self {
        Calendar { exceptions: exceptions.into_iter().collect() }
    }

    /// Whether `day` is a working day.
    pub fn is_working(&self, day: NaiveDate) -> bool {
        self.exceptions.get(&day).copied().unwrap_or(!matches!(day.weekday(), Weekday::Sat | Weekday::Sun))
    }

    /// The day `n` working days after `start` (`start` itself not counted; 0 gives `start`).
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut day = start;
        let mut left = n;
        while left > 0 {
            match day.checked_add_days(Days::new(1)) {
                Some(next) => day = next,
                None => return day,
            }
            if self.is_working(day) {
                left -= 1;
            }
        }
        day
    }
}

/// The calendar around `start`, enough to count `n` working days from it (holidays never take
/// more than a few weeks in a row).
pub async fn around(db: &impl ConnectionTrait, start: NaiveDate, n: u32) -> AppResult<Calendar> {
    let end = start.checked_add_days(Days::new(u64::from(n) * 2 + 60)).unwrap_or(start);
    let rows = calendar_day::Entity::find()
        .filter(calendar_day::Column::Day.gt(start))
        .filter(calendar_day::Column::Day.lte(end))
        .all(db)
        .await?;
    Ok(Calendar::with_exceptions(rows.into_iter().map(|r| (r.day, r.working))))
}

/// The day `n` working days after `start` on the office's calendar.
pub async fn working_days_after(db: &impl ConnectionTrait, start: NaiveDate, n: u32) -> AppResult<NaiveDate> {
    Ok(around(db, start, n).await?.add_working_days(start, n))
}

/// A day an admin marks as off or as a working day.
#[derive(Debug, Clone)]
pub struct CalendarDayInput {
    pub day: NaiveDate,
    /// `None` takes the exception away (the day is ordinary again).
    pub working: Option<bool>,
    pub note: Option<String>,
}

/// The exceptions between two days (anyone signed in: it decides everyone's deadlines).
pub async fn exceptions(
    db: &impl ConnectionTrait,
    caller: &Caller,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<calendar_day::Model>> {
    rules::signed_in(&caller.viewer)?;
    if to < from || (to - from).num_days() > 3660 {
        return Err(AppError::bad_input("ask for at most ten years of the calendar, from before to"));
    }
    let query = calendar_day::Entity::find()
        .filter(calendar_day::Column::Day.gte(from))
        .filter(calendar_day::Column::Day.lte(to))
        .order_by_asc(calendar_day::Column::Day);
    Ok(query.all(db).await?)
}

/// Marks days as holidays or make-up working days, or clears them (admins), in one transaction.
pub async fn set_days(db: &impl TransactionTrait, caller: &Caller, days: Vec<CalendarDayInput>) -> AppResult<()> {
    rules::admin(&caller.viewer)?;
    if days.len() > 1000 {
        return Err(AppError::bad_input("set at most 1,000 days at a time"));
    }
    let txn = audit::begin(db, caller).await?;
    for input in days {
        // A day is named in the trail as YYYYMMDD.
        let key = input.day.format("%Y%m%d").to_string().parse().unwrap_or(0);
        match input.working {
            None => {
                let removed = calendar_day::Entity::delete_by_id(input.day).exec(&txn).await?;
                if removed.rows_affected > 0 {
                    let day = serde_json::json!({ "day": input.day });
                    caller.record(audit::keyed(audit::Table::CalendarDay, key, audit::Action::Delete, Some(day), None));
                }
            }
            Some(working) => {
                let note = input.note.map(|n| n.trim().chars().take(100).collect::<String>()).filter(|n| !n.is_empty());
                let after = serde_json::json!({ "day": input.day, "working": working, "note": note });
                let row = calendar_day::ActiveModel { day: Set(input.day), working: Set(working), note: Set(note) };
                let upsert = OnConflict::column(calendar_day::Column::Day)
                    .update_columns([calendar_day::Column::Working, calendar_day::Column::Note])
                    .to_owned();
                calendar_day::Entity::insert(row).on_conflict(upsert).exec(&txn).await?;
                caller.record(audit::keyed(audit::Table::CalendarDay, key, audit::Action::Update, None, Some(after)));
            }
        }
    }
    audit::commit(txn, caller, audit::Operation::SetCalendarDays).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weekends_are_off_and_exceptions_win() {
        let plain = Calendar::default();
        assert!(plain.is_working(d("2026-12-04")), "a Friday");
        assert!(!plain.is_working(d("2026-12-05")), "a Saturday");
        // National Day 2026: Oct 1–7 off, Sat Oct 10 a make-up working day.
        let holidays = (1..=7).map(|n| (d(&format!("2026-10-0{n}")), false)).chain([(d("2026-10-10"), true)]);
        let office = Calendar::with_exceptions(holidays);
        assert!(!office.is_working(d("2026-10-01")));
        assert!(office.is_working(d("2026-10-10")));
    }

    #[test]
    fn working_days_are_counted_past_weekends_and_holidays() {
        let plain = Calendar::default();
        assert_eq!(plain.add_working_days(d("2026-12-03"), 3), d("2026-12-08"), "Thu + 3 working days is Tue");
        assert_eq!(plain.add_working_days(d("2026-12-03"), 0), d("2026-12-03"));
        let office = Calendar::with_exceptions(
            (1..=7).map(|n| (d(&format!("2026-10-0{n}")), false)).chain([(d("2026-10-10"), true)]),
        );
        // Sep 30 (Wed) + 3 working days: Oct 8 (Thu), Oct 9 (Fri), Oct 10 (the make-up Saturday).
        assert_eq!(office.add_working_days(d("2026-09-30"), 3), d("2026-10-10"));
    }
}
