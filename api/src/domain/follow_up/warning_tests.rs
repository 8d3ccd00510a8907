//! The rules as a table of cases, and the check that the SQL reading of every rule agrees with
//! the Rust reading on many generated tasks (SQLite here; the suite runs the same rules through
//! PostgreSQL in its black-box tests).

use super::*;
use proptest::prelude::*;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect, QueryTrait, Set,
};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn judge(today: &str) -> Judge {
    Judge { today: d(today), thresholds: Thresholds::default() }
}

fn open(due: Option<&str>) -> Facts {
    Facts { open: true, due_date: due.map(d), assigned_on: Some(d("2015-01-01")), ..Facts::default() }
}

#[test]
fn each_rule_and_its_level() {
    let j = judge("2015-06-20");
    let cases: Vec<(&str, Facts, Vec<Reason>, Level)> = vec![
        ("no due date, nothing wrong", Facts { open: true, ..Facts::default() }, vec![], Level::Green),
        (
            "closed work",
            Facts { open: false, due_date: Some(d("2015-01-01")), ..Facts::default() },
            vec![],
            Level::None,
        ),
        ("overdue", Facts { latest_percent: Some(100), ..open(Some("2015-06-19")) }, vec![Reason::Overdue], Level::Red),
        (
            "due within 3 days",
            Facts { latest_percent: Some(100), ..open(Some("2015-06-23")) },
            vec![Reason::DueVerySoon],
            Level::Yellow,
        ),
        (
            "due within 7 days",
            Facts { latest_percent: Some(100), ..open(Some("2015-06-27")) },
            vec![Reason::DueSoon],
            Level::Blue,
        ),
        ("due later, on pace", Facts { latest_percent: Some(80), ..open(Some("2015-08-01")) }, vec![], Level::Green),
        // 170 of 212 days gone (80%): at 65% the task is 15 points behind, at 40% 40 points.
        (
            "behind pace",
            Facts { latest_percent: Some(65), ..open(Some("2015-08-01")) },
            vec![Reason::BehindPace],
            Level::Yellow,
        ),
        (
            "far behind pace",
            Facts { latest_percent: Some(40), ..open(Some("2015-08-01")) },
            vec![Reason::FarBehindPace],
            Level::Red,
        ),
        (
            "a report past due",
            Facts { report_due: Some(d("2015-06-19")), ..Facts { open: true, ..Facts::default() } },
            vec![Reason::ReportMissing],
            Level::Yellow,
        ),
        (
            "the last report late",
            Facts { late_reports: 1, ..Facts { open: true, ..Facts::default() } },
            vec![Reason::ReportLate],
            Level::Yellow,
        ),
        (
            "not signed in time",
            Facts { sign_due: Some(d("2015-06-19")), ..Facts { open: true, ..Facts::default() } },
            vec![Reason::NotSigned],
            Level::Yellow,
        ),
        (
            "sign-off not due yet",
            Facts { sign_due: Some(d("2015-06-20")), ..Facts { open: true, ..Facts::default() } },
            vec![],
            Level::Green,
        ),
        (
            "an urging unanswered",
            Facts { open_urgings: 2, ..Facts { open: true, ..Facts::default() } },
            vec![Reason::UrgingUnanswered],
            Level::Yellow,
        ),
        (
            "overdue, behind and urged",
            Facts { open_urgings: 1, latest_percent: Some(10), ..open(Some("2015-06-01")) },
            vec![Reason::Overdue, Reason::UrgingUnanswered],
            Level::Red,
        ),
    ];
    for (what, facts, reasons, level) in cases {
        assert_eq!(j.reasons(&facts), reasons, "{what}");
        assert_eq!(j.level(&facts), level, "{what}");
    }
}

#[test]
fn days_between_renders_each_backends_placeholders() {
    use sea_orm::sea_query::{PostgresQueryBuilder, Query, SqliteQueryBuilder};
    let expr = || days_between(Expr::value(d("2015-01-10")), Expr::col(task::Column::AssignedOn), DbBackend::Sqlite);
    let sqlite = Query::select().expr(expr()).to_string(SqliteQueryBuilder);
    assert!(sqlite.contains("julianday('2015-01-10') - julianday(\"assigned_on\")"), "{sqlite}");
    let pg = days_between(Expr::value(d("2015-01-10")), Expr::col(task::Column::AssignedOn), DbBackend::Postgres);
    let pg = Query::select().expr(pg).to_string(PostgresQueryBuilder);
    assert!(pg.contains("CAST('2015-01-10' AS date) - CAST(\"assigned_on\" AS date)"), "{pg}");
}

#[test]
fn thresholds_move_the_rules() {
    let strict = Judge {
        today: d("2015-06-20"),
        thresholds: Thresholds { approaching_days: 30, urgent_days: 10, ..Default::default() },
    };
    assert_eq!(strict.reasons(&Facts { latest_percent: Some(100), ..open(Some("2015-07-10")) }), vec![Reason::DueSoon]);
    assert_eq!(
        strict.reasons(&Facts { latest_percent: Some(100), ..open(Some("2015-06-29")) }),
        vec![Reason::DueVerySoon]
    );
}

/// A task row with these facts (the other columns are filler).
fn row(document_id: i32, seq: i32, status: TaskStatus, f: &Facts) -> task::ActiveModel {
    let now = chrono::Utc::now();
    task::ActiveModel {
        document_id: Set(document_id),
        seq: Set(seq),
        title: Set(format!("t{seq}")),
        measures: Set(String::new()),
        schedule_text: Set(String::new()),
        schedule_kind: Set(entity::ScheduleKind::Deadline),
        due_date: Set(f.due_date),
        ongoing: Set(false),
        status: Set(status),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        assigned_on: Set(f.assigned_on),
        latest_percent: Set(f.latest_percent),
        earliest_report_due: Set(f.report_due),
        earliest_sign_due: Set(f.sign_due),
        late_report_units: Set(f.late_reports),
        open_urgings: Set(f.open_urgings),
        ..Default::default()
    }
}

fn day_strategy() -> impl Strategy<Value = Option<NaiveDate>> {
    prop::option::of((0i64..400).prop_map(|n| d("2015-01-01") + chrono::Duration::days(n)))
}

fn facts_strategy() -> impl Strategy<Value = (bool, Facts)> {
    (
        any::<bool>(),
        day_strategy(),
        day_strategy(),
        prop::option::of(0i32..=100),
        day_strategy(),
        day_strategy(),
        0i32..3,
        0i32..3,
    )
        .prop_map(
            |(open, due_date, assigned_on, latest_percent, report_due, sign_due, late_reports, open_urgings)| {
                (
                    open,
                    Facts {
                        open,
                        due_date,
                        assigned_on,
                        latest_percent,
                        report_due,
                        sign_due,
                        late_reports,
                        open_urgings,
                    },
                )
            },
        )
}

#[derive(Debug, FromQueryResult)]
struct Judged {
    seq: i32,
    level: i32,
}

async fn sql_levels(db: &sea_orm::DatabaseConnection, judge: &Judge) -> Vec<(i32, i32)> {
    let query = task::Entity::find()
        .select_only()
        .column(task::Column::Seq)
        .expr_as(judge.sql_level(DbBackend::Sqlite), "level")
        .into_query();
    let rows = Judged::find_by_statement(DbBackend::Sqlite.build(&query)).all(db).await.unwrap();
    let mut levels: Vec<(i32, i32)> = rows.into_iter().map(|r| (r.seq, r.level)).collect();
    levels.sort_unstable();
    levels
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    #[test]
    fn the_sql_and_the_rust_readings_agree(tasks in prop::collection::vec(facts_strategy(), 40), today in 0i64..400) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let db = crate::db::connect("sqlite::memory:").await.unwrap();
            crate::db::migrate(&db).await.unwrap();
            db.execute_unprepared("INSERT INTO document (id, title, created_at, updated_at) VALUES (1, 'p', '2015-01-01 00:00:00+00:00', '2015-01-01 00:00:00+00:00')").await.unwrap();
            for (seq, (open, facts)) in tasks.iter().enumerate() {
                let status = if *open { TaskStatus::InProgress } else { TaskStatus::Completed };
                row(1, seq as i32 + 1, status, facts).insert(&db).await.unwrap();
            }
            let judge = Judge { today: d("2015-01-01") + chrono::Duration::days(today), thresholds: Thresholds::default() };
            let expected: Vec<(i32, i32)> =
                tasks.iter().enumerate().map(|(seq, (_, f))| (seq as i32 + 1, judge.level(f).rank())).collect();
            let got = sql_levels(&db, &judge).await;
            for ((seq, level), (_, want)) in got.iter().zip(&expected) {
                let facts = &tasks[*seq as usize - 1].1;
                assert_eq!(level, want, "task {seq} on {}: {facts:?}, reasons {:?}", judge.today, judge.reasons(facts));
            }
            for reason in Reason::ALL {
                let query = task::Entity::find().select_only().column(task::Column::Seq).filter(judge.sql_reason(reason, DbBackend::Sqlite)).into_query();
                #[derive(FromQueryResult)]
                struct Seq { seq: i32 }
                let mut got: Vec<i32> = Seq::find_by_statement(DbBackend::Sqlite.build(&query)).all(&db).await.unwrap().into_iter().map(|s| s.seq).collect();
                got.sort_unstable();
                let want: Vec<i32> = tasks.iter().enumerate().filter(|(_, (_, f))| judge.reasons(f).contains(&reason)).map(|(seq, _)| seq as i32 + 1).collect();
                assert_eq!(got, want, "{reason:?}");
            }
        });
    }
}
