//! The hot rows read by position (`domain::rows`, unchecked on PostgreSQL) equal the same rows
//! read by sea-orm by name, on data where every column kind holds values and NULLs.

use duban::domain::rows::{assignment_row, department_row, task_row};
use duban_tests::scratch_database;
use entity::{assignment, department, task};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder, QueryTrait};

#[tokio::test]
async fn rows_read_by_position_equal_rows_read_by_name() {
    let scratch = scratch_database().await;
    let db = duban::db::connect(&scratch.url).await.expect("connect");
    duban::db::migrate(&db).await.expect("migrate");
    let console = duban::domain::Caller::system(duban::domain::clock::Clock::system().read());
    duban::synthetic::seed(&db, &console, 1, 42).await.expect("seed");
    let reads = duban::db::Reader::open(&db, &scratch.url, 2, None).expect("reader");

    let by_name: Vec<(assignment::Model, Option<department::Model>)> = assignment::Entity::find()
        .order_by_asc(assignment::Column::Id)
        .find_also_related(department::Entity)
        .all(&db)
        .await
        .unwrap();
    let mut query = assignment::Entity::find().order_by_asc(assignment::Column::Id).into_query();
    query.clear_selects();
    assignment_row::select(&mut query, assignment::Entity);
    department_row::select(&mut query, department::Entity);
    query.left_join(
        department::Entity,
        Expr::col((department::Entity, department::Column::Id))
            .equals((assignment::Entity, assignment::Column::DepartmentId)),
    );
    let rows = reads.query_all(&query).await.unwrap();
    let by_position: Vec<(assignment::Model, Option<department::Model>)> = rows
        .iter()
        .map(|row| {
            let mut at = 0;
            (assignment_row::read(row, &mut at).unwrap(), department_row::read_optional(row, &mut at).unwrap())
        })
        .collect();
    assert_eq!(by_position, by_name);
    // The seeded story signs, reports and finishes parts: dates, instants and texts are there.
    assert!(by_name.iter().any(|(a, _)| a.signed_at.is_some() && a.responsible_person.is_some()));
    assert!(by_name.iter().any(|(a, _)| a.signed_at.is_none()));

    let tasks_by_name = task::Entity::find().order_by_asc(task::Column::Id).all(&db).await.unwrap();
    let mut query = task::Entity::find().order_by_asc(task::Column::Id).into_query();
    query.clear_selects();
    task_row::select(&mut query, task::Entity);
    let rows = reads.query_all(&query).await.unwrap();
    let tasks_by_position: Vec<task::Model> = rows.iter().map(|row| task_row::read(row, &mut 0).unwrap()).collect();
    assert_eq!(tasks_by_position, tasks_by_name);
    assert!(tasks_by_name.iter().any(|t| t.due_date.is_some() && t.latest_percent.is_some()));
    assert!(tasks_by_name.iter().any(|t| t.due_date.is_none()));
}
