//! Departments (units, groups, catch-alls), their aliases and group membership.

use crate::domain::Caller;
use crate::domain::audit;
use crate::domain::page::{Page, PageRequest};
use crate::domain::text::{contains_pattern, required_text};
use crate::error::{AppError, AppResult};
use crate::policy::rules;
use entity::{DepartmentKind, assignment, department, department_alias, group_member, progress_report, user};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Select, Set, TransactionTrait,
};
use std::collections::HashSet;

/// Filters for listing departments.
#[derive(Debug, Clone, Default)]
pub struct DepartmentFilter {
    pub kind: Option<DepartmentKind>,
    pub needs_review: Option<bool>,
    /// Substring of the name.
    pub search: Option<String>,
}

/// Fields of a department; `None` on update leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct DepartmentInput {
    pub name: Option<String>,
    pub kind: Option<DepartmentKind>,
    pub needs_review: Option<bool>,
}

/// One page of departments in id order (anyone signed in: units are public within duban).
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    filter: &DepartmentFilter,
    page: &PageRequest<i32>,
) -> AppResult<Page<department::Model>> {
    rules::signed_in(&caller.viewer)?;
    let mut query = filtered(filter).order_by_asc(department::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(department::Column::Id.gt(after));
    }
    let rows = query.limit(page.first + 1).all(db).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

/// How many departments match.
pub async fn count(db: &impl ConnectionTrait, caller: &Caller, filter: &DepartmentFilter) -> AppResult<u64> {
    rules::signed_in(&caller.viewer)?;
    Ok(filtered(filter).count(db).await?)
}

/// One department by id.
pub async fn get(db: &impl ConnectionTrait, caller: &Caller, id: i32) -> AppResult<Option<department::Model>> {
    rules::signed_in(&caller.viewer)?;
    Ok(department::Entity::find_by_id(id).one(db).await?)
}

fn filtered(filter: &DepartmentFilter) -> Select<department::Entity> {
    let mut query = department::Entity::find();
    if let Some(kind) = filter.kind {
        query = query.filter(department::Column::Kind.eq(kind));
    }
    if let Some(flag) = filter.needs_review {
        query = query.filter(department::Column::NeedsReview.eq(flag));
    }
    if let Some(text) = filter.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        query = query.filter(Expr::col(department::Column::Name).like(contains_pattern(text)));
    }
    query
}

/// Creates a department (admins); the name must be new (neither a name nor an alias).
pub async fn create(
    db: &impl TransactionTrait,
    caller: &Caller,
    input: DepartmentInput,
) -> AppResult<department::Model> {
    rules::admin(&caller.viewer)?;
    let txn = audit::begin(db, caller).await?;
    let model = insert(&txn, caller, input).await?;
    audit::commit(txn, caller, audit::Operation::CreateDepartment).await?;
    Ok(model)
}

/// Inserts a department inside the caller's transaction (admins; the importer too): the one
/// place a department row is made, so the name check always runs.
pub async fn insert(
    db: &impl ConnectionTrait,
    caller: &Caller,
    input: DepartmentInput,
) -> AppResult<department::Model> {
    rules::admin(&caller.viewer)?;
    let name = required_text(input.name.as_deref().unwrap_or_default(), "name")?;
    ensure_name_free(db, &name, None).await?;
    let model = department::ActiveModel {
        name: Set(name),
        kind: Set(input.kind.unwrap_or(DepartmentKind::Unit)),
        needs_review: Set(input.needs_review.unwrap_or(false)),
        created_at: Set(caller.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(caller, &model);
    Ok(model)
}

/// Renames, re-kinds or reviews a department (admins).
pub async fn update(
    db: &impl TransactionTrait,
    caller: &Caller,
    id: i32,
    input: DepartmentInput,
) -> AppResult<department::Model> {
    rules::admin(&caller.viewer)?;
    let txn = audit::begin(db, caller).await?;
    let current = department::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound("department"))?;
    let mut model: department::ActiveModel = current.clone().into();
    if let Some(name) = input.name {
        let name = required_text(&name, "name")?;
        ensure_name_free(&txn, &name, Some(id)).await?;
        model.name = Set(name);
    }
    if let Some(kind) = input.kind {
        model.kind = Set(kind);
    }
    if let Some(flag) = input.needs_review {
        model.needs_review = Set(flag);
    }
    let model = model.update(&txn).await?;
    audit::updated(caller, &current, &model);
    audit::commit(txn, caller, audit::Operation::UpdateDepartment).await?;
    Ok(model)
}

/// Adds another name for a department (admins).
pub async fn add_alias(
    db: &impl TransactionTrait,
    caller: &Caller,
    id: i32,
    alias: &str,
) -> AppResult<department::Model> {
    rules::admin(&caller.viewer)?;
    let txn = audit::begin(db, caller).await?;
    let target = department::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound("department"))?;
    let alias = required_text(alias, "alias")?;
    ensure_name_free(&txn, &alias, None).await?;
    write_alias(&txn, caller, id, &alias).await?;
    audit::commit(txn, caller, audit::Operation::AddDepartmentAlias).await?;
    Ok(target)
}

/// Adds aliases to a department inside the caller's transaction (admins; the seed catalog of
/// the importer); each must be a free name.
pub async fn insert_aliases(
    db: &impl ConnectionTrait,
    caller: &Caller,
    department_id: i32,
    aliases: &[&str],
) -> AppResult<()> {
    rules::admin(&caller.viewer)?;
    for alias in aliases {
        let alias = required_text(alias, "alias")?;
        ensure_name_free(db, &alias, None).await?;
        write_alias(db, caller, department_id, &alias).await?;
    }
    Ok(())
}

async fn write_alias(db: &impl ConnectionTrait, caller: &Caller, department_id: i32, alias: &str) -> AppResult<()> {
    let written = department_alias::ActiveModel {
        alias: Set(alias.to_owned()),
        department_id: Set(department_id),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::created(caller, &written);
    Ok(())
}

/// Merges `from` into `into`: assignments, aliases, members, reports and accounts move; the
/// old name becomes an alias; `from` is deleted. One transaction.
pub async fn merge(db: &impl TransactionTrait, caller: &Caller, from: i32, into: i32) -> AppResult<department::Model> {
    rules::admin(&caller.viewer)?;
    if from == into {
        return Err(AppError::bad_input("cannot merge a department into itself"));
    }
    let txn = audit::begin(db, caller).await?;
    let source = department::Entity::find_by_id(from).one(&txn).await?.ok_or(AppError::NotFound("department"))?;
    let target = department::Entity::find_by_id(into).one(&txn).await?.ok_or(AppError::NotFound("department"))?;
    move_assignments(&txn, caller, from, into).await?;
    move_group_links(&txn, caller, from, into).await?;
    for alias in
        department_alias::Entity::find().filter(department_alias::Column::DepartmentId.eq(from)).all(&txn).await?
    {
        audit::updated(caller, &alias, &department_alias::Model { department_id: into, ..alias.clone() });
    }
    department_alias::Entity::update_many()
        .col_expr(department_alias::Column::DepartmentId, Expr::value(into))
        .filter(department_alias::Column::DepartmentId.eq(from))
        .exec(&txn)
        .await?;
    for report in
        progress_report::Entity::find().filter(progress_report::Column::DepartmentId.eq(from)).all(&txn).await?
    {
        audit::updated(caller, &report, &progress_report::Model { department_id: into, ..report.clone() });
    }
    progress_report::Entity::update_many()
        .col_expr(progress_report::Column::DepartmentId, Expr::value(into))
        .filter(progress_report::Column::DepartmentId.eq(from))
        .exec(&txn)
        .await?;
    for account in user::Entity::find().filter(user::Column::DepartmentId.eq(from)).all(&txn).await? {
        audit::updated(caller, &account, &user::Model { department_id: Some(into), ..account.clone() });
    }
    user::Entity::update_many()
        .col_expr(user::Column::DepartmentId, Expr::value(into))
        .filter(user::Column::DepartmentId.eq(from))
        .exec(&txn)
        .await?;
    department::Entity::delete_by_id(from).exec(&txn).await?;
    audit::deleted(caller, &source);
    write_alias(&txn, caller, into, &source.name).await?;
    audit::commit(txn, caller, audit::Operation::MergeDepartments).await?;
    Ok(target)
}

/// Moves assignments; where both were on one task, the stronger role stays on `into`.
async fn move_assignments(db: &impl ConnectionTrait, caller: &Caller, from: i32, into: i32) -> AppResult<()> {
    let on_target: HashSet<i32> = assignment::Entity::find()
        .filter(assignment::Column::DepartmentId.eq(into))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.task_id)
        .collect();
    for row in assignment::Entity::find().filter(assignment::Column::DepartmentId.eq(from)).all(db).await? {
        if on_target.contains(&row.task_id) {
            if row.role == entity::AssignmentRole::Lead {
                let kept = assignment::Entity::find()
                    .filter(assignment::Column::TaskId.eq(row.task_id))
                    .filter(assignment::Column::DepartmentId.eq(into))
                    .one(db)
                    .await?;
                if let Some(kept) = kept.filter(|k| k.role != entity::AssignmentRole::Lead) {
                    let mut model: assignment::ActiveModel = kept.clone().into();
                    model.role = Set(entity::AssignmentRole::Lead);
                    let after = model.update(db).await?;
                    audit::updated(caller, &kept, &after);
                }
            }
            assignment::Entity::delete_by_id(row.id).exec(db).await?;
            audit::deleted(caller, &row);
        } else {
            let mut model: assignment::ActiveModel = row.clone().into();
            model.department_id = Set(into);
            let after = model.update(db).await?;
            audit::updated(caller, &row, &after);
        }
    }
    Ok(())
}

async fn move_group_links(db: &impl ConnectionTrait, caller: &Caller, from: i32, into: i32) -> AppResult<()> {
    let links = group_member::Entity::find()
        .filter(group_member::Column::GroupId.eq(from).or(group_member::Column::MemberId.eq(from)))
        .all(db)
        .await?;
    group_member::Entity::delete_many()
        .filter(group_member::Column::GroupId.eq(from).or(group_member::Column::MemberId.eq(from)))
        .exec(db)
        .await?;
    for link in links {
        let (group, member) = (
            if link.group_id == from { into } else { link.group_id },
            if link.member_id == from { into } else { link.member_id },
        );
        let before = serde_json::json!({ "group_id": link.group_id, "member_id": link.member_id });
        let after = (group != member).then(|| serde_json::json!({ "group_id": group, "member_id": member }));
        let action = if after.is_some() { audit::Action::Update } else { audit::Action::Delete };
        caller.record(audit::keyed(audit::Table::GroupMember, link.group_id, action, Some(before), after));
        if group != member {
            add_member(db, group, member).await?;
        }
    }
    Ok(())
}

/// Sets the units a group stands for, replacing the old list (admins).
pub async fn set_members(
    db: &impl TransactionTrait,
    caller: &Caller,
    group_id: i32,
    member_ids: &[i32],
) -> AppResult<()> {
    rules::admin(&caller.viewer)?;
    let txn = audit::begin(db, caller).await?;
    let group = department::Entity::find_by_id(group_id).one(&txn).await?.ok_or(AppError::NotFound("department"))?;
    if group.kind != DepartmentKind::Group {
        return Err(AppError::bad_input("only a GROUP department has members"));
    }
    let unique: HashSet<i32> = member_ids.iter().copied().collect();
    let found = department::Entity::find()
        .filter(department::Column::Id.is_in(unique.iter().copied()))
        .filter(department::Column::Kind.eq(DepartmentKind::Unit))
        .count(&txn)
        .await?;
    if found != unique.len() as u64 {
        return Err(AppError::bad_input("every member must be an existing UNIT department"));
    }
    let mut before: Vec<i32> = group_member::Entity::find()
        .filter(group_member::Column::GroupId.eq(group_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| m.member_id)
        .collect();
    before.sort_unstable();
    group_member::Entity::delete_many().filter(group_member::Column::GroupId.eq(group_id)).exec(&txn).await?;
    let mut after: Vec<i32> = unique.iter().copied().collect();
    after.sort_unstable();
    for member in unique {
        add_member(&txn, group_id, member).await?;
    }
    crate::domain::follow_up::members::follow_group(&txn, caller, group_id).await?;
    let (old, new) = (serde_json::json!({ "member_ids": before }), serde_json::json!({ "member_ids": after }));
    if old != new {
        caller.record(audit::keyed(audit::Table::GroupMember, group_id, audit::Action::Update, Some(old), Some(new)));
    }
    audit::commit(txn, caller, audit::Operation::SetGroupMembers).await?;
    Ok(())
}

async fn add_member(db: &impl ConnectionTrait, group_id: i32, member_id: i32) -> AppResult<()> {
    let exists = group_member::Entity::find_by_id((group_id, member_id)).one(db).await?.is_some();
    if !exists {
        group_member::ActiveModel { group_id: Set(group_id), member_id: Set(member_id) }.insert(db).await?;
    }
    Ok(())
}

/// Refuses a name that is already some department's name or alias.
async fn ensure_name_free(db: &impl ConnectionTrait, name: &str, except: Option<i32>) -> AppResult<()> {
    let mut by_name = department::Entity::find().filter(department::Column::Name.eq(name));
    if let Some(id) = except {
        by_name = by_name.filter(department::Column::Id.ne(id));
    }
    let taken = by_name.count(db).await? > 0
        || department_alias::Entity::find().filter(department_alias::Column::Alias.eq(name)).count(db).await? > 0;
    if taken {
        return Err(AppError::Conflict(format!("the name {name} is already in use")));
    }
    Ok(())
}

/// The department with this name or alias (Traditional input is folded to Simplified).
pub async fn find_by_name(
    db: &impl ConnectionTrait,
    caller: &Caller,
    name: &str,
) -> AppResult<Option<department::Model>> {
    rules::signed_in(&caller.viewer)?;
    let name = zhconv::zhconv(name.trim(), zhconv::Variant::ZhHans);
    if let Some(found) = department::Entity::find().filter(department::Column::Name.eq(&name)).one(db).await? {
        return Ok(Some(found));
    }
    let alias = department_alias::Entity::find().filter(department_alias::Column::Alias.eq(&name)).one(db).await?;
    match alias {
        Some(alias) => get(db, caller, alias.department_id).await,
        None => Ok(None),
    }
}

/// Every department with its aliases (admins and the console: the importer's name lookup).
pub async fn all_with_aliases(
    db: &impl ConnectionTrait,
    caller: &Caller,
) -> AppResult<Vec<(department::Model, Vec<department_alias::Model>)>> {
    rules::admin(&caller.viewer)?;
    Ok(department::Entity::find().find_with_related(department_alias::Entity).all(db).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::{refused_before_any_statement, unit_caller};

    #[tokio::test]
    async fn non_admins_are_refused_before_any_statement() {
        let db = sea_orm::DatabaseConnection::default();
        for caller in unit_caller() {
            let input = || DepartmentInput { name: Some("县审计局".into()), ..Default::default() };
            refused_before_any_statement(create(&db, &caller, input()).await);
            refused_before_any_statement(insert(&db, &caller, input()).await);
            refused_before_any_statement(update(&db, &caller, 1, input()).await);
            refused_before_any_statement(add_alias(&db, &caller, 1, "审计局").await);
            refused_before_any_statement(insert_aliases(&db, &caller, 1, &["审计局"]).await);
            refused_before_any_statement(merge(&db, &caller, 1, 2).await);
            refused_before_any_statement(set_members(&db, &caller, 1, &[2]).await);
            refused_before_any_statement(all_with_aliases(&db, &caller).await);
        }
    }

    #[tokio::test]
    async fn anonymous_callers_cannot_read_units() {
        let db = sea_orm::DatabaseConnection::default();
        let caller = &unit_caller()[0];
        refused_before_any_statement(
            list(&db, caller, &DepartmentFilter::default(), &PageRequest::new(None, None).unwrap()).await,
        );
        refused_before_any_statement(get(&db, caller, 1).await);
        refused_before_any_statement(find_by_name(&db, caller, "县民政局").await);
    }
}
