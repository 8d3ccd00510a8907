//! What "now" and "today" mean: the county's calendar day (China Standard Time, UTC+8).
//!
//! The server reads one [`Clock`]; each request takes one reading of it ([`Instant`]) and
//! uses that for every rule it applies, so a request never straddles midnight. Tests and
//! demonstrations pin the clock to a date (`DUBAN_TODAY`, or [`Clock::set_today`] at run time).

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use std::sync::{Arc, RwLock};

/// China Standard Time.
pub fn cst() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

/// The county's calendar day of an instant (China Standard Time).
pub fn county_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&cst()).date_naive()
}

/// Today's date in China Standard Time, on the system clock.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&cst()).date_naive()
}

/// The server's clock: the system clock, or a date pinned by an operator or a test.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    pinned: Arc<RwLock<Option<NaiveDate>>>,
}

/// One reading of the clock, shared by everything a request does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instant {
    /// The moment, in UTC.
    pub now: DateTime<Utc>,
    /// The county's calendar day at that moment.
    pub today: NaiveDate,
}

impl Instant {
    /// A reading at `now`.
    pub fn at(now: DateTime<Utc>) -> Self {
        Instant { now, today: now.with_timezone(&cst()).date_naive() }
    }
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Clock::default()
    }

    /// A clock whose days are pinned to `today` (the time of day still runs).
    pub fn pinned(today: NaiveDate) -> Self {
        let clock = Clock::default();
        clock.set_today(Some(today));
        clock
    }

    /// Pins the clock to a day, or (with `None`) lets it follow the system clock again.
    pub fn set_today(&self, today: Option<NaiveDate>) {
        *self.pinned.write().unwrap_or_else(std::sync::PoisonError::into_inner) = today;
    }

    /// Reads the clock once.
    pub fn read(&self) -> Instant {
        let real = Utc::now();
        let pinned = *self.pinned.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        match pinned {
            None => Instant::at(real),
            Some(day) => {
                // The pinned day at the real time of day, so timestamps still order events.
                let time = real.with_timezone(&cst()).time();
                let local =
                    cst().from_local_datetime(&day.and_time(time)).single().expect("fixed offsets are unambiguous");
                Instant { now: local.with_timezone(&Utc), today: day }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_clock_reads_its_day_in_china_standard_time() {
        let day = NaiveDate::from_ymd_opt(2015, 1, 31).unwrap();
        let clock = Clock::pinned(day);
        let reading = clock.read();
        assert_eq!(reading.today, day);
        assert_eq!(reading.now.with_timezone(&cst()).date_naive(), day);
        clock.set_today(None);
        assert_eq!(clock.read().today, today());
    }

    #[test]
    fn the_county_day_starts_at_16_utc() {
        let late = Utc.with_ymd_and_hms(2014, 12, 31, 16, 30, 0).unwrap();
        assert_eq!(Instant::at(late).today, NaiveDate::from_ymd_opt(2015, 1, 1).unwrap());
    }
}
