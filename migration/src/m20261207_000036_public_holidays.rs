//! The State Council's public holidays (法定节假日) and make-up working days (调休) from 2014 to
//! 2026, as the office's calendar exceptions (`data/cn-public-holidays.csv`: weekdays off, and
//! weekend days worked). A day the office already marked keeps the office's mark; the office
//! edits any of them with `setCalendarDays`, and adds later years as they are announced.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::sea_query::OnConflict;

/// `day,working,note` lines, with a header.
const DAYS: &str = include_str!("../data/cn-public-holidays.csv");

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The shipped days: (day, working, note).
fn days() -> Result<Vec<(chrono::NaiveDate, bool, String)>, DbErr> {
    DAYS.lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let mut fields = line.splitn(3, ',');
            let (day, working, note) = (fields.next(), fields.next(), fields.next());
            match (day.map(str::parse::<chrono::NaiveDate>), working, note) {
                (Some(Ok(day)), Some("true" | "false"), Some(note)) => {
                    Ok((day, working == Some("true"), note.trim().to_owned()))
                }
                _ => Err(DbErr::Migration(format!("cn-public-holidays.csv: a bad line {line:?}"))),
            }
        })
        .collect()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut insert = Query::insert()
            .into_table(CalendarDay::Table)
            .columns([CalendarDay::Day, CalendarDay::Working, CalendarDay::Note])
            .on_conflict(OnConflict::column(CalendarDay::Day).do_nothing().to_owned())
            .to_owned();
        for (day, working, note) in days()? {
            insert.values_panic([day.into(), working.into(), note.into()]);
        }
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (day, working, _) in days()? {
            let delete = Query::delete()
                .from_table(CalendarDay::Table)
                .and_where(Expr::col(CalendarDay::Day).eq(day))
                .and_where(Expr::col(CalendarDay::Working).eq(working))
                .to_owned();
            manager.exec_stmt(delete).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum CalendarDay {
    Table,
    Day,
    Working,
    Note,
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shipped_days_read_and_are_exceptions_to_monday_to_friday() {
        use chrono::Datelike;
        let days = super::days().expect("the shipped file reads");
        assert!(days.len() > 300, "{}", days.len());
        for (day, working, note) in &days {
            let weekend = day.weekday().number_from_monday() > 5;
            assert_eq!(*working, weekend, "{day} {note}: a weekday off or a weekend day worked");
            assert!(!note.is_empty());
        }
        let qingming = chrono::NaiveDate::from_ymd_opt(2015, 4, 6).unwrap();
        assert!(days.iter().any(|(d, w, n)| *d == qingming && !w && n == "清明节"));
    }
}
