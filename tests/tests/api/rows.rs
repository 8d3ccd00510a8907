//! The hot rows read by position (`domain::rows`, unchecked on PostgreSQL) equal the same rows
//! read by sea-orm by name, on data where every column holds at least two different values
//! (checked), NULLs where a column may hold them, and a joined row that is missing.

use duban::domain::rows::{assignment_row, department_row, report_row, task_row};
use duban_tests::scratch_database;
use entity::{assignment, department, progress_report, task};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QueryTrait};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Values for the columns the synthetic story leaves empty or the same everywhere (the plan's
/// outline, a task's own reporting rule, days after a policy, units not listed in full,
/// milestones, a start, an inferred year, a suspension, units to review, a lowered percent's
/// reason), on some rows.
async fn vary(db: &DatabaseConnection) {
    for sql in [
        "UPDATE task SET number = '(' || seq || ')', leader = '王芳(县委常委、副县长)', units_not_exhaustive = true, \
         schedule_source = 'TITLE', report_rule = 'MONTHLY:10', offset_days = 30, milestones = '2022-09-30', \
         starts_on = due_date, year_inferred = true WHERE id % 3 = 0",
        "UPDATE task SET schedule_source = 'CELL' WHERE id % 3 = 1",
        "UPDATE task SET suspended_from = status, status = 'SUSPENDED' WHERE id % 11 = 0",
        "UPDATE task SET parent_id = (SELECT MIN(id) FROM task) WHERE id % 5 = 0 AND id <> (SELECT MIN(id) FROM task)",
        "UPDATE progress_report SET lowered_reason = '方案调整' WHERE id % 4 = 0",
        "UPDATE assignment SET via_group_id = department_id WHERE id % 4 = 0",
    ] {
        db.execute_unprepared(sql).await.expect(sql);
    }
    // Units created a day earlier (the story creates every unit in one transaction).
    let earlier = chrono::Utc::now() - chrono::Duration::days(1);
    department::Entity::update_many()
        .col_expr(department::Column::NeedsReview, Expr::value(true))
        .col_expr(department::Column::CreatedAt, Expr::value(earlier))
        .filter(Expr::cust("id % 2 = 0"))
        .exec(db)
        .await
        .expect("vary the units");
}

/// Every column of `rows` holds at least two different values, except those named.
fn assert_varied<T: serde::Serialize>(what: &str, rows: &[T], constant: &[&str]) {
    let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for row in rows {
        let Value::Object(fields) = serde_json::to_value(row).expect("a row as JSON") else { panic!("an object") };
        for (column, value) in fields {
            seen.entry(column).or_default().insert(value.to_string());
        }
    }
    let same: Vec<&String> = seen.iter().filter(|(_, values)| values.len() < 2).map(|(column, _)| column).collect();
    let expected: Vec<&str> = constant.to_vec();
    assert_eq!(same, expected, "{what}: columns holding one value only");
}

#[tokio::test]
async fn rows_read_by_position_equal_rows_read_by_name() {
    let scratch = scratch_database().await;
    let db = duban::db::connect(&scratch.url).await.expect("connect");
    duban::db::migrate(&db).await.expect("migrate");
    let console = duban::domain::Caller::system(duban::domain::clock::Clock::system().read());
    duban::synthetic::seed(&db, &console, 2, 42).await.expect("seed");
    vary(&db).await;
    let reads = duban::db::Reader::open(&db, &scratch.url, 2, None).expect("reader");

    // Assignments with their unit; the unit only when it is a group, so most are missing.
    let by_name: Vec<(assignment::Model, Option<department::Model>)> = assignment::Entity::find()
        .order_by_asc(assignment::Column::Id)
        .find_also_related(department::Entity)
        .all(&db)
        .await
        .unwrap();
    let groups_only: Vec<(assignment::Model, Option<department::Model>)> = by_name
        .iter()
        .map(|(a, d)| (a.clone(), d.clone().filter(|d| d.kind == entity::DepartmentKind::Group)))
        .collect();
    for (expected, only_groups) in [(&by_name, false), (&groups_only, true)] {
        let mut query = assignment::Entity::find().order_by_asc(assignment::Column::Id).into_query();
        query.clear_selects();
        assignment_row::select(&mut query, assignment::Entity);
        department_row::select(&mut query, department::Entity);
        let mut on = Expr::col((department::Entity, department::Column::Id))
            .equals((assignment::Entity, assignment::Column::DepartmentId));
        if only_groups {
            on = on.and(Expr::col((department::Entity, department::Column::Kind)).eq(entity::DepartmentKind::Group));
        }
        query.left_join(department::Entity, on);
        let rows = reads.query_all(&query).await.unwrap();
        let by_position: Vec<(assignment::Model, Option<department::Model>)> = rows
            .iter()
            .map(|row| {
                let mut at = 0;
                (assignment_row::read(row, &mut at).unwrap(), department_row::read_optional(row, &mut at).unwrap())
            })
            .collect();
        assert_eq!(&by_position, expected, "groups only: {only_groups}");
    }
    assert!(groups_only.iter().any(|(_, d)| d.is_some()) && groups_only.iter().any(|(_, d)| d.is_none()));
    let assignments: Vec<&assignment::Model> = by_name.iter().map(|(a, _)| a).collect();
    assert_varied("assignment", &assignments, &[]);
    let departments: Vec<&department::Model> = by_name.iter().filter_map(|(_, d)| d.as_ref()).collect();
    assert_varied("department", &departments, &[]);

    let tasks_by_name = task::Entity::find().order_by_asc(task::Column::Id).all(&db).await.unwrap();
    let mut query = task::Entity::find().order_by_asc(task::Column::Id).into_query();
    query.clear_selects();
    task_row::select(&mut query, task::Entity);
    let rows = reads.query_all(&query).await.unwrap();
    let tasks_by_position: Vec<task::Model> = rows.iter().map(|row| task_row::read(row, &mut 0).unwrap()).collect();
    assert_eq!(tasks_by_position, tasks_by_name);
    assert_varied("task", &tasks_by_name, &[]);

    let reports_by_name =
        progress_report::Entity::find().order_by_asc(progress_report::Column::Id).all(&db).await.unwrap();
    let mut query = progress_report::Entity::find().order_by_asc(progress_report::Column::Id).into_query();
    query.clear_selects();
    report_row::select(&mut query, progress_report::Entity);
    let rows = reads.query_all(&query).await.unwrap();
    let reports_by_position: Vec<progress_report::Model> =
        rows.iter().map(|row| report_row::read(row, &mut 0).unwrap()).collect();
    assert_eq!(reports_by_position, reports_by_name);
    assert_varied("progress_report", &reports_by_name, &[]);
}
