//! The span an assessment judges: a calendar month, quarter or year, named by a key
//! (`2015-03`, `2015-Q1`, `2015`) and bounded by its first and last day (China Standard Time).

use crate::domain::clock::cst;
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use entity::AssessmentPeriodKind as Kind;

/// One month, quarter or year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Span {
    pub kind: Kind,
    pub year: i32,
    /// The month (1–12) or quarter (1–4); 1 for a year.
    pub number: u32,
}

impl Span {
    /// The span of `kind` that holds `day`.
    pub fn holding(kind: Kind, day: NaiveDate) -> Span {
        let number = match kind {
            Kind::Month => day.month(),
            Kind::Quarter => (day.month() - 1) / 3 + 1,
            Kind::Year => 1,
        };
        Span { kind, year: day.year(), number }
    }

    /// The span a client names: a year with at most one of a month and a quarter.
    pub fn named(year: i32, month: Option<u32>, quarter: Option<u32>) -> AppResult<Span> {
        if !(2000..=2100).contains(&year) {
            return Err(AppError::bad_input("year must be between 2000 and 2100"));
        }
        match (month, quarter) {
            (Some(_), Some(_)) => Err(AppError::bad_input("name a month or a quarter, not both")),
            (Some(m), None) if (1..=12).contains(&m) => Ok(Span { kind: Kind::Month, year, number: m }),
            (None, Some(q)) if (1..=4).contains(&q) => Ok(Span { kind: Kind::Quarter, year, number: q }),
            (None, None) => Ok(Span { kind: Kind::Year, year, number: 1 }),
            (Some(_), None) => Err(AppError::bad_input("month must be between 1 and 12")),
            (None, Some(_)) => Err(AppError::bad_input("quarter must be between 1 and 4")),
        }
    }

    /// The month a key such as `2015-03` names.
    pub fn parse_month(key: &str) -> Option<Span> {
        let (year, month) = key.split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        Span::named(year.parse().ok()?, Some(month.parse().ok()?), None).ok()
    }

    /// Its key: `2015-03`, `2015-Q1`, `2015`.
    pub fn key(self) -> String {
        match self.kind {
            Kind::Month => format!("{}-{:02}", self.year, self.number),
            Kind::Quarter => format!("{}-Q{}", self.year, self.number),
            Kind::Year => format!("{}", self.year),
        }
    }

    /// Its first day.
    pub fn first(self) -> NaiveDate {
        let month = match self.kind {
            Kind::Month => self.number,
            Kind::Quarter => (self.number - 1) * 3 + 1,
            Kind::Year => 1,
        };
        NaiveDate::from_ymd_opt(self.year, month, 1).expect("a valid first day")
    }

    /// The first day after it.
    fn end(self) -> NaiveDate {
        let months = match self.kind {
            Kind::Month => 1,
            Kind::Quarter => 3,
            Kind::Year => 12,
        };
        self.first().checked_add_months(chrono::Months::new(months)).expect("a valid day")
    }

    /// Its last day.
    pub fn last(self) -> NaiveDate {
        self.end().pred_opt().expect("a valid day")
    }

    /// Whether `day` lies in it.
    pub fn holds(self, day: NaiveDate) -> bool {
        self.first() <= day && day <= self.last()
    }

    /// Its first and after-last instants, for timestamps: from midnight China Standard Time.
    pub fn instants(self) -> (DateTime<Utc>, DateTime<Utc>) {
        let midnight = |day: NaiveDate| {
            cst().from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight")).unwrap().with_timezone(&Utc)
        };
        (midnight(self.first()), midnight(self.end()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::county_day;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn spans_are_named_and_bounded_by_their_days() {
        let feb = Span::named(2016, Some(2), None).unwrap();
        assert_eq!((feb.key(), feb.first(), feb.last()), ("2016-02".to_owned(), day(2016, 2, 1), day(2016, 2, 29)));
        let q4 = Span::named(2014, None, Some(4)).unwrap();
        assert_eq!((q4.key(), q4.first(), q4.last()), ("2014-Q4".to_owned(), day(2014, 10, 1), day(2014, 12, 31)));
        let year = Span::named(2015, None, None).unwrap();
        assert_eq!((year.key(), year.first(), year.last()), ("2015".to_owned(), day(2015, 1, 1), day(2015, 12, 31)));
        assert_eq!(Span::holding(Kind::Quarter, day(2015, 3, 31)).key(), "2015-Q1");
        assert_eq!(Span::holding(Kind::Month, day(2015, 3, 31)).key(), "2015-03");
        assert_eq!(Span::parse_month("2015-03"), Some(Span { kind: Kind::Month, year: 2015, number: 3 }));
        for bad in ["2015-3", "2015-13", "15-03", "2015-03-01", "2015"] {
            assert_eq!(Span::parse_month(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_span_starts_at_midnight_in_china() {
        let (from, to) = Span::named(2015, Some(3), None).unwrap().instants();
        assert_eq!(from.to_rfc3339(), "2015-02-28T16:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2015-03-31T16:00:00+00:00");
        assert_eq!(county_day(from), day(2015, 3, 1));
    }

    #[test]
    fn spans_a_client_cannot_mean_are_bad_input() {
        for (year, month, quarter) in
            [(2015, Some(13), None), (2015, None, Some(5)), (2015, Some(1), Some(1)), (1999, None, None)]
        {
            let refused = Span::named(year, month, quarter).unwrap_err();
            assert_eq!(refused.code(), "BAD_USER_INPUT", "{year} {month:?} {quarter:?}");
        }
    }
}
