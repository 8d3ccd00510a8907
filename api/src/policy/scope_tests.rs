//! The SQL form of who reads which progress reports (`scope::visible_reports`) agrees with the
//! rule as written in Rust (`rules::role_on_task` and `rules::visible_report_departments`), for
//! every kind of viewer on tasks whose units hold every mix of places.

use super::visible_reports;
use crate::policy::rules::{self, ReportScope};
use crate::policy::{Principal, Viewer};
use entity::{AssignmentRole, UserRole, assignment, department, document, progress_report, task, user};
use proptest::prelude::*;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ActiveModelTrait, DatabaseConnection, FromQueryResult, Set};

/// Units 1–6; a task held by some of them; one report from each of them.
const UNITS: i32 = 6;

async fn database() -> DatabaseConnection {
    let db = crate::db::connect("sqlite::memory:").await.unwrap();
    crate::db::migrate(&db).await.unwrap();
    let now = chrono::Utc::now();
    for id in 1..=UNITS {
        department::ActiveModel {
            id: Set(id),
            name: Set(format!("unit {id}")),
            kind: Set(entity::DepartmentKind::Unit),
            needs_review: Set(false),
            created_at: Set(now),
        }
        .insert(&db)
        .await
        .unwrap();
    }
    user::ActiveModel {
        id: Set(1),
        username: Set("writer".into()),
        password_hash: Set(String::new()),
        role: Set(UserRole::Admin),
        active: Set(true),
        token_version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    document::ActiveModel {
        id: Set(1),
        title: Set("plan".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    db
}

/// A task held by `places` (unit, role), with one report from every unit.
async fn task_with(db: &DatabaseConnection, seq: i32, places: &[(i32, AssignmentRole)]) -> i32 {
    let now = chrono::Utc::now();
    let task = task::ActiveModel {
        document_id: Set(1),
        seq: Set(seq),
        title: Set(format!("t{seq}")),
        measures: Set(String::new()),
        schedule_text: Set(String::new()),
        schedule_kind: Set(entity::ScheduleKind::Ongoing),
        ongoing: Set(true),
        status: Set(entity::TaskStatus::InProgress),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    for (position, (unit, role)) in places.iter().enumerate() {
        assignment::ActiveModel {
            task_id: Set(task.id),
            department_id: Set(*unit),
            role: Set(*role),
            position: Set(position as i32 + 1),
            task_document_id: Set(1),
            task_seq: Set(seq),
            state: Set(entity::AssignmentState::InProgress),
            last_report_late: Set(false),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    for unit in 1..=UNITS {
        progress_report::ActiveModel {
            task_id: Set(task.id),
            department_id: Set(unit),
            author_id: Set(1),
            text: Set(format!("from {unit}")),
            percent: Set(10),
            created_at: Set(now),
            late: Set(false),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    task.id
}

/// The units whose reports on `task` the viewer reads, by the SQL scope.
async fn by_sql(db: &DatabaseConnection, viewer: &Viewer, task: i32) -> Vec<i32> {
    #[derive(FromQueryResult)]
    struct Unit {
        department_id: i32,
    }
    let query = Query::select()
        .column((progress_report::Entity, progress_report::Column::DepartmentId))
        .from(progress_report::Entity)
        .and_where(Expr::col((progress_report::Entity, progress_report::Column::TaskId)).eq(task))
        .cond_where(visible_reports(viewer))
        .to_owned();
    let rows = Unit::find_by_statement(db.get_database_backend().build(&query)).all(db).await.unwrap();
    let mut units: Vec<i32> = rows.into_iter().map(|r| r.department_id).collect();
    units.sort_unstable();
    units
}

/// The units whose reports the viewer reads, by the rule in Rust.
fn by_rule(viewer: &Viewer, places: &[(i32, AssignmentRole)]) -> Vec<i32> {
    let role = viewer.principal().and_then(|p| rules::role_on_task(p, places));
    let leads: Vec<i32> = places.iter().filter(|(_, r)| *r == AssignmentRole::Lead).map(|(u, _)| *u).collect();
    match rules::visible_report_departments(viewer, role, &leads) {
        ReportScope::All => (1..=UNITS).collect(),
        ReportScope::Departments(ids) => (1..=UNITS).filter(|u| ids.contains(u)).collect(),
        ReportScope::None => Vec::new(),
    }
}

fn viewer_strategy() -> impl Strategy<Value = Viewer> {
    let unit = (
        prop_oneof![Just(UserRole::Department), Just(UserRole::Service)],
        prop::option::of(1..=UNITS),
        prop::collection::vec(1..=UNITS, 0..3),
    )
        .prop_map(|(role, department_id, group_ids)| {
            Viewer::User(Principal { user_id: 1, role, department_id, group_ids })
        });
    prop_oneof![
        Just(Viewer::Anonymous),
        Just(Viewer::System),
        Just(Viewer::User(Principal { user_id: 1, role: UserRole::Admin, department_id: None, group_ids: vec![] })),
        Just(Viewer::User(Principal { user_id: 1, role: UserRole::Leader, department_id: None, group_ids: vec![] })),
        unit.clone(),
        unit.clone(),
        unit,
    ]
}

fn places_strategy() -> impl Strategy<Value = Vec<(i32, AssignmentRole)>> {
    prop::collection::btree_map(1..=UNITS, prop::bool::ANY, 0..5).prop_map(|units| {
        units
            .into_iter()
            .map(|(unit, lead)| (unit, if lead { AssignmentRole::Lead } else { AssignmentRole::Supporting }))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]
    #[test]
    fn the_sql_scope_of_reports_agrees_with_the_rule(
        tasks in prop::collection::vec(places_strategy(), 6),
        viewers in prop::collection::vec(viewer_strategy(), 12),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let db = database().await;
            // Every task is in before any is checked: a scope that looked at another task's
            // places would be seen.
            let mut ids = Vec::new();
            for (seq, places) in tasks.iter().enumerate() {
                ids.push(task_with(&db, seq as i32 + 1, places).await);
            }
            for (task, places) in ids.into_iter().zip(&tasks) {
                for viewer in &viewers {
                    assert_eq!(by_sql(&db, viewer, task).await, by_rule(viewer, places), "{viewer:?} on {places:?}");
                }
            }
        });
    }
}
