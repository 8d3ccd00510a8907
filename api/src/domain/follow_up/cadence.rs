//! Report cadence (进展报送): when a unit's progress reports fall due.
//!
//! A plan has a default rule, a task may override it: weekly on a weekday (`每周五`), monthly by
//! a day (`每月25日前`), quarterly a number of days after the quarter ends (`每季度结束后5日内`;
//! 0 is the quarter's last day, `每季度末`), yearly by a date (`年底前报告全年`), or none. Items with
//! a deadline report by that deadline at the latest. Stored as text: `WEEKLY:5`, `MONTHLY:25`,
//! `QUARTERLY:5`, `YEARLY:12-31`, `NONE`.

use crate::error::{AppError, AppResult};
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// When reports fall due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportRule {
    /// No periodic report (a deadline still asks for one by the deadline).
    None,
    /// Every week by this weekday (1 = Monday … 7 = Sunday).
    Weekly { weekday: u32 },
    /// Every month by this day (a day past the month's end means its last day).
    Monthly { day: u32 },
    /// Every quarter, this many days after it ends (0: the quarter's last day).
    Quarterly { days_after: u32 },
    /// Every year by this date.
    Yearly { month: u32, day: u32 },
}

impl ReportRule {
    /// Checks the numbers of a rule.
    pub fn new_checked(self) -> AppResult<Self> {
        let ok = match self {
            ReportRule::None => true,
            ReportRule::Weekly { weekday } => (1..=7).contains(&weekday),
            ReportRule::Monthly { day } => (1..=31).contains(&day),
            ReportRule::Quarterly { days_after } => days_after <= 60,
            ReportRule::Yearly { month, day } => NaiveDate::from_ymd_opt(2024, month, day).is_some(),
        };
        if ok { Ok(self) } else { Err(AppError::bad_input(format!("not a valid report rule: {}", self.to_stored()))) }
    }

    /// The stored spelling.
    pub fn to_stored(self) -> String {
        match self {
            ReportRule::None => "NONE".into(),
            ReportRule::Weekly { weekday } => format!("WEEKLY:{weekday}"),
            ReportRule::Monthly { day } => format!("MONTHLY:{day}"),
            ReportRule::Quarterly { days_after } => format!("QUARTERLY:{days_after}"),
            ReportRule::Yearly { month, day } => format!("YEARLY:{month}-{day}"),
        }
    }

    /// Reads a stored rule; anything unreadable counts as no rule.
    pub fn from_stored(stored: Option<&str>) -> ReportRule {
        let Some(stored) = stored else { return ReportRule::None };
        let (kind, value) = stored.split_once(':').unwrap_or((stored, ""));
        let number = |v: &str| v.parse::<u32>().ok();
        let rule = match kind {
            "WEEKLY" => number(value).map(|weekday| ReportRule::Weekly { weekday }),
            "MONTHLY" => number(value).map(|day| ReportRule::Monthly { day }),
            "QUARTERLY" => number(value).map(|days_after| ReportRule::Quarterly { days_after }),
            "YEARLY" => {
                value.split_once('-').and_then(|(m, d)| Some(ReportRule::Yearly { month: number(m)?, day: number(d)? }))
            }
            _ => None,
        };
        rule.and_then(|r| r.new_checked().ok()).unwrap_or(ReportRule::None)
    }

    /// The first due date of the rule on or after `date`.
    pub fn first_due_on_or_after(self, date: NaiveDate) -> Option<NaiveDate> {
        match self {
            ReportRule::None => None,
            ReportRule::Weekly { weekday } => {
                let target = Weekday::try_from(u8::try_from(weekday - 1).ok()?).ok()?;
                let ahead = (7 + target.num_days_from_monday() - date.weekday().num_days_from_monday()) % 7;
                date.checked_add_days(Days::new(u64::from(ahead)))
            }
            ReportRule::Monthly { day } => {
                let this_month = month_day(date.year(), date.month(), day)?;
                if this_month >= date { Some(this_month) } else { month_day_after(this_month, 1, day) }
            }
            ReportRule::Quarterly { days_after } => {
                let quarter_start_month = (date.month() - 1) / 3 * 3 + 1;
                let start = NaiveDate::from_ymd_opt(date.year(), quarter_start_month, 1)?;
                // The due date of the quarter before this one may still lie ahead (days after its end).
                (-1..=1).filter_map(|q: i32| quarter_due(start, q, days_after)).find(|due| *due >= date)
            }
            ReportRule::Yearly { month, day } => {
                let this_year = NaiveDate::from_ymd_opt(date.year(), month, day)?;
                if this_year >= date { Some(this_year) } else { NaiveDate::from_ymd_opt(date.year() + 1, month, day) }
            }
        }
    }
}

/// `day` of a month, the month's last day when it has fewer days.
fn month_day(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let last = first.checked_add_months(Months::new(1))?.pred_opt()?;
    Some(if day > last.day() { last } else { first.with_day(day)? })
}

fn month_day_after(date: NaiveDate, months: u32, day: u32) -> Option<NaiveDate> {
    let next = NaiveDate::from_ymd_opt(date.year(), date.month(), 1)?.checked_add_months(Months::new(months))?;
    month_day(next.year(), next.month(), day)
}

/// The due date of the quarter `offset` quarters from the one starting on `start`.
fn quarter_due(start: NaiveDate, offset: i32, days_after: u32) -> Option<NaiveDate> {
    let quarter = if offset < 0 {
        start.checked_sub_months(Months::new(3))?
    } else {
        start.checked_add_months(Months::new(3 * offset as u32))?
    };
    let last_day = quarter.checked_add_months(Months::new(3))?.pred_opt()?;
    last_day.checked_add_days(Days::new(u64::from(days_after)))
}

/// When a unit's next report is due, counting from `from`: the rule's next due date, or the
/// task's deadline when that comes first (and is not past `from`).
pub fn next_due(rule: ReportRule, deadline: Option<NaiveDate>, from: NaiveDate) -> Option<NaiveDate> {
    let cadence = rule.first_due_on_or_after(from);
    match (cadence, deadline.filter(|d| *d >= from)) {
        (Some(c), Some(d)) => Some(c.min(d)),
        (c, d) => c.or(d),
    }
}

/// What a report sent on `reported_on` does to a unit whose next report was due `due`:
/// the due date it answers (`None` for an extra report within a period already reported on),
/// whether it is late, and the unit's next due date.
pub fn after_report(
    rule: ReportRule,
    deadline: Option<NaiveDate>,
    due: Option<NaiveDate>,
    reported_on: NaiveDate,
) -> (Option<NaiveDate>, bool, Option<NaiveDate>) {
    let day_after = |d: NaiveDate| d.succ_opt().unwrap_or(d);
    let Some(due) = due else {
        return (None, false, next_due(rule, deadline, day_after(reported_on)));
    };
    let period = next_due(rule, deadline, reported_on);
    if period.is_some_and(|p| p < due) {
        return (None, false, Some(due));
    }
    (Some(due), reported_on > due, next_due(rule, deadline, day_after(reported_on.max(due))))
}

/// A rule written in a notice: `每月25日前报送`, `每季度结束后5日内`, `每季度末`, `每周五`,
/// `年底前报告全年`. The first one found wins.
pub fn rule_in_text(text: &str) -> Option<ReportRule> {
    use regex::Regex;
    use std::sync::LazyLock;
    static MONTHLY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"每月(\d{1,2})[日号]前?").expect("valid"));
    static QUARTER_AFTER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"每(?:个)?季度(?:结束后|末后)(\d{1,2})(?:个工作日|日|天)内?").expect("valid"));
    static QUARTER_END: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"每(?:个)?季度末").expect("valid"));
    static WEEKLY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"每周([一二三四五六日天])").expect("valid"));
    static YEARLY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:每年|年底前|年终)[^。]{0,8}报").expect("valid"));
    let reporting = |m: &regex::Match| text[m.end()..].chars().take(12).collect::<String>().contains('报');
    if let Some(c) = MONTHLY.captures(text).filter(|c| reporting(&c.get(0).expect("whole match"))) {
        return ReportRule::Monthly { day: c[1].parse().ok()? }.new_checked().ok();
    }
    if let Some(c) = QUARTER_AFTER.captures(text) {
        return ReportRule::Quarterly { days_after: c[1].parse().ok()? }.new_checked().ok();
    }
    if QUARTER_END.find(text).is_some_and(|m| reporting(&m)) {
        return Some(ReportRule::Quarterly { days_after: 0 });
    }
    if let Some(c) = WEEKLY.captures(text).filter(|c| reporting(&c.get(0).expect("whole match"))) {
        let weekday = "一二三四五六日".chars().position(|d| c[1].starts_with(d)).map_or(7, |p| p as u32 + 1);
        return Some(ReportRule::Weekly { weekday });
    }
    YEARLY.is_match(text).then_some(ReportRule::Yearly { month: 12, day: 31 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn rules_round_trip_through_their_stored_spelling() {
        for rule in [
            ReportRule::None,
            ReportRule::Weekly { weekday: 5 },
            ReportRule::Monthly { day: 25 },
            ReportRule::Quarterly { days_after: 5 },
            ReportRule::Yearly { month: 12, day: 31 },
        ] {
            assert_eq!(ReportRule::from_stored(Some(&rule.to_stored())), rule);
        }
        assert_eq!(ReportRule::from_stored(Some("MONTHLY:40")), ReportRule::None);
        assert_eq!(ReportRule::from_stored(None), ReportRule::None);
        assert!(ReportRule::Weekly { weekday: 8 }.new_checked().is_err());
    }

    #[test]
    fn due_dates_of_each_rule() {
        let monthly = ReportRule::Monthly { day: 25 };
        assert_eq!(monthly.first_due_on_or_after(d("2014-11-13")), Some(d("2014-11-25")));
        assert_eq!(monthly.first_due_on_or_after(d("2014-11-26")), Some(d("2014-12-25")));
        assert_eq!(ReportRule::Monthly { day: 31 }.first_due_on_or_after(d("2015-02-01")), Some(d("2015-02-28")));
        let quarterly = ReportRule::Quarterly { days_after: 5 };
        assert_eq!(quarterly.first_due_on_or_after(d("2014-11-13")), Some(d("2015-01-05")));
        assert_eq!(quarterly.first_due_on_or_after(d("2015-01-03")), Some(d("2015-01-05")));
        assert_eq!(quarterly.first_due_on_or_after(d("2015-01-06")), Some(d("2015-04-05")));
        assert_eq!(
            ReportRule::Quarterly { days_after: 0 }.first_due_on_or_after(d("2014-11-13")),
            Some(d("2014-12-31"))
        );
        let friday = ReportRule::Weekly { weekday: 5 };
        assert_eq!(friday.first_due_on_or_after(d("2026-12-01")), Some(d("2026-12-04")));
        assert_eq!(friday.first_due_on_or_after(d("2026-12-04")), Some(d("2026-12-04")));
        let yearly = ReportRule::Yearly { month: 12, day: 31 };
        assert_eq!(yearly.first_due_on_or_after(d("2015-01-01")), Some(d("2015-12-31")));
        assert_eq!(ReportRule::None.first_due_on_or_after(d("2015-01-01")), None);
    }

    #[test]
    fn a_deadline_asks_for_a_report_by_the_deadline_at_the_latest() {
        let monthly = ReportRule::Monthly { day: 25 };
        assert_eq!(next_due(monthly, Some(d("2014-12-31")), d("2014-12-26")), Some(d("2014-12-31")));
        assert_eq!(next_due(ReportRule::None, Some(d("2015-06-30")), d("2014-11-13")), Some(d("2015-06-30")));
        assert_eq!(next_due(ReportRule::None, Some(d("2015-06-30")), d("2015-07-01")), None, "past the deadline");
        assert_eq!(
            next_due(monthly, Some(d("2015-06-30")), d("2015-07-01")),
            Some(d("2015-07-25")),
            "ongoing after it"
        );
    }

    #[test]
    fn a_report_answers_its_due_date_once_and_late_reports_are_marked() {
        let monthly = ReportRule::Monthly { day: 25 };
        // On time: answers Nov 25, next Dec 25.
        assert_eq!(
            after_report(monthly, None, Some(d("2014-11-25")), d("2014-11-20")),
            (Some(d("2014-11-25")), false, Some(d("2014-12-25")))
        );
        // A second report in November answers nothing: December is still due.
        assert_eq!(
            after_report(monthly, None, Some(d("2014-12-25")), d("2014-11-22")),
            (None, false, Some(d("2014-12-25")))
        );
        // Late: answers Nov 25 late, next Dec 25.
        assert_eq!(
            after_report(monthly, None, Some(d("2014-11-25")), d("2014-11-27")),
            (Some(d("2014-11-25")), true, Some(d("2014-12-25")))
        );
        // Months late: the next due date comes after the report.
        assert_eq!(after_report(monthly, None, Some(d("2014-11-25")), d("2015-01-03")).2, Some(d("2015-01-25")));
        // Nothing due (ongoing task, no rule): never late.
        assert_eq!(after_report(ReportRule::None, None, None, d("2015-01-03")), (None, false, None));
    }

    #[test]
    fn rules_are_read_from_a_notice() {
        assert_eq!(rule_in_text("请各单位于每月25日前报送工作进展情况"), Some(ReportRule::Monthly { day: 25 }));
        assert_eq!(rule_in_text("每季度结束后5日内报送"), Some(ReportRule::Quarterly { days_after: 5 }));
        assert_eq!(rule_in_text("每季度末报送一次进展"), Some(ReportRule::Quarterly { days_after: 0 }));
        assert_eq!(rule_in_text("每周五下班前报送"), Some(ReportRule::Weekly { weekday: 5 }));
        assert_eq!(rule_in_text("年底前报告全年工作情况"), Some(ReportRule::Yearly { month: 12, day: 31 }));
        assert_eq!(rule_in_text("每月1日起施行"), None);
        assert_eq!(rule_in_text("持续实施"), None);
    }
}
