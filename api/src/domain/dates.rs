//! Pure date rules shared by the importer and the domain: calendar months, working days and
//! the due date of a task that waits for a higher-level policy.
//!
//! Working days here are Monday to Friday. Public holidays and make-up working days (调休) are
//! not known to these functions; a holiday calendar can build on them by skipping its own days.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// `date` moved by `months` calendar months, clamped to the end of a shorter month
/// (2015-08-31 + 6 months is 2016-02-29); `None` outside chrono's range.
pub fn add_months(date: NaiveDate, months: i32) -> Option<NaiveDate> {
    let shift = Months::new(months.unsigned_abs());
    if months >= 0 { date.checked_add_months(shift) } else { date.checked_sub_months(shift) }
}

/// Whether `date` is Monday to Friday.
pub fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// `from` moved by `n` working days (Mon–Fri); the result is a working day unless `n == 0`.
/// `None` outside chrono's range.
pub fn add_working_days(from: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n == 0 {
        return Some(from);
    }
    let back = n < 0;
    let count = n.unsigned_abs();
    // Any 7 consecutive days hold 5 working days; keep 1..=5 to walk so we end on a working day.
    let weeks = (count - 1) / 5;
    let mut left = count - weeks * 5;
    let mut date = shift_days(from, weeks.checked_mul(7)?, back)?;
    while left > 0 {
        date = shift_days(date, 1, back)?;
        if is_working_day(date) {
            left -= 1;
        }
    }
    Some(date)
}

fn shift_days(date: NaiveDate, days: u64, back: bool) -> Option<NaiveDate> {
    if back { date.checked_sub_days(Days::new(days)) } else { date.checked_add_days(Days::new(days)) }
}

/// The due date of an AFTER_POLICY task once its policies are issued: `issued` (the latest issue
/// date when it waits for several) plus `offset_months` calendar months (clamped to the month's
/// end) plus `offset_days` working days (Mon–Fri). Saturates at chrono's range, so a stored
/// offset that is absurdly large never fails a write.
pub fn due_after_policy(issued: NaiveDate, offset_months: Option<i32>, offset_days: Option<i32>) -> NaiveDate {
    let months = offset_months.unwrap_or(0);
    let days = offset_days.unwrap_or(0);
    match add_months(issued, months).and_then(|date| add_working_days(date, i64::from(days))) {
        Some(due) => due,
        None if months < 0 || days < 0 => NaiveDate::MIN,
        None => NaiveDate::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    #[test]
    fn months_clamp_to_the_end_of_a_short_month() {
        assert_eq!(add_months(ymd(2015, 8, 31), 6), Some(ymd(2016, 2, 29)));
        assert_eq!(add_months(ymd(2015, 8, 31), 3), Some(ymd(2015, 11, 30)));
        assert_eq!(add_months(ymd(2015, 3, 31), -1), Some(ymd(2015, 2, 28)));
        assert_eq!(add_months(NaiveDate::MAX, 1), None);
    }

    #[test]
    fn working_days_skip_weekends_both_ways() {
        // Friday 2015-09-04 + 1 working day is Monday 2015-09-07.
        assert_eq!(add_working_days(ymd(2015, 9, 4), 1), Some(ymd(2015, 9, 7)));
        // Saturday + 5 working days is the next Friday.
        assert_eq!(add_working_days(ymd(2015, 9, 5), 5), Some(ymd(2015, 9, 11)));
        assert_eq!(add_working_days(ymd(2015, 9, 7), -1), Some(ymd(2015, 9, 4)));
        // 2014-11-13 is a Thursday; 30 working days later is Thursday 2014-12-25.
        assert_eq!(add_working_days(ymd(2014, 11, 13), 30), Some(ymd(2014, 12, 25)));
        assert_eq!(add_working_days(ymd(2014, 11, 15), 0), Some(ymd(2014, 11, 15)));
        assert!(is_working_day(ymd(2014, 11, 13)) && !is_working_day(ymd(2014, 11, 15)));
    }

    #[test]
    fn due_after_policy_adds_months_then_working_days() {
        let issued = ymd(2015, 8, 31);
        assert_eq!(due_after_policy(issued, None, None), issued);
        assert_eq!(due_after_policy(issued, Some(6), None), ymd(2016, 2, 29));
        assert_eq!(due_after_policy(issued, Some(3), None), ymd(2015, 11, 30));
        assert_eq!(due_after_policy(ymd(2015, 9, 4), None, Some(1)), ymd(2015, 9, 7));
        assert_eq!(due_after_policy(issued, Some(i32::MAX), None), NaiveDate::MAX);
        assert_eq!(due_after_policy(issued, None, Some(i32::MIN)), NaiveDate::MIN);
    }

    proptest! {
        #[test]
        fn due_after_policy_never_panics(
            days in any::<i32>(), months in any::<Option<i32>>(), offset in any::<Option<i32>>(),
        ) {
            let issued = NaiveDate::MIN
                .checked_add_days(Days::new(u64::from(days.unsigned_abs())))
                .unwrap_or(NaiveDate::MAX);
            let _ = due_after_policy(issued, months, offset);
        }
    }
}
