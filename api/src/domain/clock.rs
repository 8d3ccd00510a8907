//! What "today" means for deadlines: the county's calendar day (China Standard Time, UTC+8).

use chrono::{FixedOffset, NaiveDate, Utc};

/// Today's date in China Standard Time.
pub fn today() -> NaiveDate {
    let cst = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    Utc::now().with_timezone(&cst).date_naive()
}
