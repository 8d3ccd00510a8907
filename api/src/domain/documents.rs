//! Documents (notices carrying a plan).

use crate::domain::Caller;
use crate::domain::audit;
use crate::domain::page::{Page, PageRequest};
use crate::domain::text::required_text;
use crate::error::{AppError, AppResult};
use crate::policy::rules;
use entity::{document, document_source};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Set, TransactionTrait,
};

/// Fields of a document; `None` on update leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct DocumentInput {
    pub doc_number: Option<String>,
    pub title: Option<String>,
    pub issuer: Option<String>,
    pub issued_on: Option<chrono::NaiveDate>,
    pub source_text: Option<String>,
    /// The plan's default reporting rule, stored spelling (`MONTHLY:25`).
    pub report_rule: Option<String>,
}

/// One page of documents in id order (anyone signed in: the plans themselves are public
/// notices; which of their tasks a viewer sees is decided per task).
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    page: &PageRequest<i32>,
) -> AppResult<Page<document::Model>> {
    rules::signed_in(&caller.viewer)?;
    let mut query = document::Entity::find().order_by_asc(document::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(document::Column::Id.gt(after));
    }
    let rows = query.limit(page.first + 1).all(db).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

/// How many documents there are.
pub async fn count(db: &impl ConnectionTrait, caller: &Caller) -> AppResult<u64> {
    rules::signed_in(&caller.viewer)?;
    Ok(document::Entity::find().count(db).await?)
}

/// One document by id.
pub async fn get(db: &impl ConnectionTrait, caller: &Caller, id: i32) -> AppResult<Option<document::Model>> {
    rules::signed_in(&caller.viewer)?;
    Ok(document::Entity::find_by_id(id).one(db).await?)
}

/// The document with this number, if any.
pub async fn find_by_number(
    db: &impl ConnectionTrait,
    caller: &Caller,
    number: &str,
) -> AppResult<Option<document::Model>> {
    rules::signed_in(&caller.viewer)?;
    by_number(db, number).await
}

async fn by_number(db: &impl ConnectionTrait, number: &str) -> AppResult<Option<document::Model>> {
    Ok(document::Entity::find().filter(document::Column::DocNumber.eq(number)).one(db).await?)
}

/// Creates a document (admins).
pub async fn create(db: &impl TransactionTrait, caller: &Caller, input: DocumentInput) -> AppResult<document::Model> {
    rules::admin(&caller.viewer)?;
    let txn = audit::begin(db, caller).await?;
    let model = insert(&txn, caller, input).await?;
    audit::commit(txn, caller, audit::Operation::CreateDocument).await?;
    Ok(model)
}

/// Inserts a document inside the caller's transaction (admins; the importer too).
pub async fn insert(db: &impl ConnectionTrait, caller: &Caller, input: DocumentInput) -> AppResult<document::Model> {
    rules::admin(&caller.viewer)?;
    let title = required_text(input.title.as_deref().unwrap_or_default(), "title")?;
    let doc_number = normalized_number(input.doc_number);
    if let Some(number) = &doc_number
        && by_number(db, number).await?.is_some()
    {
        return Err(AppError::Conflict(format!("document {number} already exists")));
    }
    let now = caller.now();
    let model = document::ActiveModel {
        doc_number: Set(doc_number),
        title: Set(title),
        issuer: Set(input.issuer.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())),
        issued_on: Set(input.issued_on),
        report_rule: Set(input.report_rule),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let model = model.insert(db).await?;
    let mut change = audit::Change::created(&model);
    if let Some(text) = input.source_text {
        // The pasted text itself is kept beside the document, not repeated in the trail.
        if let Some(serde_json::Value::Object(after)) = change.after.as_mut() {
            after.insert("source_text_chars".into(), serde_json::json!(text.chars().count()));
        }
        document_source::ActiveModel { document_id: Set(model.id), text: Set(text) }.insert(db).await?;
    }
    caller.record(change);
    Ok(model)
}

/// Updates a document's metadata (admins).
pub async fn update(
    db: &impl TransactionTrait,
    caller: &Caller,
    id: i32,
    input: DocumentInput,
) -> AppResult<document::Model> {
    rules::admin(&caller.viewer)?;
    let txn = audit::begin(db, caller).await?;
    let current = document::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound("document"))?;
    let mut model: document::ActiveModel = current.clone().into();
    if let Some(title) = input.title {
        model.title = Set(required_text(&title, "title")?);
    }
    if input.doc_number.is_some() {
        let number = normalized_number(input.doc_number);
        if let Some(n) = &number
            && by_number(&txn, n).await?.is_some_and(|d| d.id != id)
        {
            return Err(AppError::Conflict(format!("document {n} already exists")));
        }
        model.doc_number = Set(number);
    }
    if let Some(issuer) = input.issuer {
        model.issuer = Set(Some(issuer.trim().to_owned()).filter(|s| !s.is_empty()));
    }
    if let Some(date) = input.issued_on {
        model.issued_on = Set(Some(date));
    }
    model.updated_at = Set(caller.now());
    let model = model.update(&txn).await?;
    audit::updated(caller, &current, &model);
    audit::commit(txn, caller, audit::Operation::UpdateDocument).await?;
    Ok(model)
}

/// Deletes a document with all its tasks (admins).
pub async fn delete(db: &impl TransactionTrait, caller: &Caller, id: i32) -> AppResult<()> {
    rules::admin(&caller.viewer)?;
    let txn = audit::begin(db, caller).await?;
    remove(&txn, caller, id).await?;
    audit::commit(txn, caller, audit::Operation::DeleteDocument).await?;
    Ok(())
}

/// Deletes a document inside the caller's transaction (admins; the importer's `replace`).
pub async fn remove(db: &impl ConnectionTrait, caller: &Caller, id: i32) -> AppResult<()> {
    rules::admin(&caller.viewer)?;
    let document = document::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound("document"))?;
    // Its tasks go with it (and their units' parts and reports with them).
    let tasks = entity::task::Entity::find().filter(entity::task::Column::DocumentId.eq(id)).all(db).await?;
    document::Entity::delete_by_id(id).exec(db).await?;
    for task in &tasks {
        audit::deleted(caller, task);
    }
    audit::deleted(caller, &document);
    Ok(())
}

fn normalized_number(number: Option<String>) -> Option<String> {
    number.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::{refused_before_any_statement, unit_caller};

    #[tokio::test]
    async fn non_admins_are_refused_before_any_statement() {
        let db = sea_orm::DatabaseConnection::default();
        for caller in unit_caller() {
            let input = || DocumentInput { title: Some("x".into()), ..Default::default() };
            refused_before_any_statement(create(&db, &caller, input()).await);
            refused_before_any_statement(insert(&db, &caller, input()).await);
            refused_before_any_statement(update(&db, &caller, 1, input()).await);
            refused_before_any_statement(delete(&db, &caller, 1).await);
            refused_before_any_statement(remove(&db, &caller, 1).await);
        }
        let anonymous = &unit_caller()[0];
        refused_before_any_statement(list(&db, anonymous, &PageRequest::new(None, None).unwrap()).await);
        refused_before_any_statement(get(&db, anonymous, 1).await);
    }
}
