//! `ReportPeriod`: one expected progress report of a unit's part, on time, late or missed.

use crate::graphql::scalars::Date;
use crate::graphql::types::enums::ReportPeriodState;
use async_graphql::{ID, Object};
use entity::report_period;

pub struct ReportPeriod(pub report_period::Model);

/// One expected progress report of a unit's part (报送周期), from the task's cadence or its
/// deadline, counted from the day the unit was handed the work. A report answers the open
/// period; a period not answered by its due day is recorded missed the next day and may still be
/// answered late (补报) until the next period falls due.
#[Object]
impl ReportPeriod {
    /// The period's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The first day a report answers this period.
    async fn opens_on(&self) -> Date {
        Date(self.0.opens_on)
    }
    /// The day the report is due by.
    async fn due_on(&self) -> Date {
        Date(self.0.due_on)
    }
    /// Where it stands.
    async fn state(&self) -> ReportPeriodState {
        self.0.state.into()
    }
    /// The day the answering report was sent (null while unanswered).
    async fn answered_on(&self) -> Option<Date> {
        self.0.answered_on.map(Date)
    }
}
