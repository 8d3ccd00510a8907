//! Webhooks for unit systems: an endpoint registered for an account (a unit's SERVICE account,
//! or the office), the event kinds it wants, and a secret that signs each delivery. Events are
//! audit trail entries seen through the owner's eyes (what its account may see, nothing more);
//! the trail is the outbox ([`dispatch`]), so nothing committed is lost if the process dies.
//!
//! Who registers: an admin, for any active account; a DEPARTMENT account, for a SERVICE account
//! of its own unit; a SERVICE account, for itself. Those same read the delivery log and ask for
//! a redelivery.

pub mod destination;
pub mod dispatch;
pub mod events;
pub mod signature;

use crate::domain::page::{Page, PageRequest};
use crate::domain::{Caller, audit};
use crate::error::{AppError, AppResult};
use crate::policy::rules;
use destination::Destinations;
use entity::{UserRole, user, webhook, webhook_delivery};
use events::EventKind;
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};

/// Most webhooks one account may have.
const MAX_PER_OWNER: u64 = 20;

/// A webhook being registered.
#[derive(Debug, Clone)]
pub struct NewWebhook {
    pub url: String,
    pub events: Vec<EventKind>,
    /// The account whose view the deliveries follow; the caller's own account when `None`.
    pub owner_id: Option<i32>,
}

/// Checks an endpoint: an absolute `http://` or `https://` URL with a host, no credentials.
pub fn check_url(url: &str) -> AppResult<String> {
    let parsed = reqwest::Url::parse(url.trim()).map_err(|_| AppError::bad_input("url is not an absolute URL"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(AppError::bad_input("url must be http:// or https://"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(AppError::bad_input("url has no host"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(AppError::bad_input("url must not carry credentials; deliveries are signed instead"));
    }
    Ok(parsed.to_string())
}

/// Who may register or read webhooks of `owner`: admins for any account; a DEPARTMENT account
/// for a SERVICE account of its own unit; a SERVICE account (a unit's system) for itself.
fn may_manage(caller: &Caller, owner: &user::Model) -> AppResult<()> {
    let principal = rules::account(&caller.viewer)?;
    let own_units_system = owner.role == UserRole::Service
        && owner.department_id.is_some()
        && owner.department_id == principal.department_id;
    let allowed = match principal.role {
        UserRole::Admin => true,
        UserRole::Department => own_units_system,
        UserRole::Service => principal.user_id == owner.id,
        UserRole::Leader => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden("only the office or the account's own unit manages its webhooks"))
    }
}

/// A fresh signing secret (shown once).
fn new_secret() -> String {
    let mut bytes = [0_u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("whsec_{}", hex::encode(bytes))
}

/// Registers a webhook; returns it with its secret (shown this once). An endpoint at an
/// address webhooks may not reach (see [`destination`]) is refused.
pub async fn create(
    db: &impl TransactionTrait,
    caller: &Caller,
    destinations: &Destinations,
    new: NewWebhook,
) -> AppResult<(webhook::Model, String)> {
    let principal = rules::account(&caller.viewer)?;
    let url = check_url(&new.url)?;
    destinations.check_registration(&url).await?;
    if new.events.is_empty() {
        return Err(AppError::bad_input("name at least one event"));
    }
    let txn = audit::begin(db, caller).await?;
    let owner_id = new.owner_id.unwrap_or(principal.user_id);
    let owner = user::Entity::find_by_id(owner_id).one(&txn).await?.ok_or(AppError::NotFound("user"))?;
    may_manage(caller, &owner)?;
    if !owner.active {
        return Err(AppError::bad_input("the account is deactivated"));
    }
    let existing =
        webhook::Entity::find().filter(webhook::Column::OwnerId.eq(owner_id)).select_only().column(webhook::Column::Id);
    if existing.into_tuple::<i32>().all(&txn).await?.len() as u64 >= MAX_PER_OWNER {
        return Err(AppError::bad_input(format!("an account has at most {MAX_PER_OWNER} webhooks")));
    }
    let secret = new_secret();
    let created = webhook::ActiveModel {
        owner_id: Set(owner_id),
        url: Set(url),
        events: Set(events::store(&new.events)),
        secret: Set(secret.clone()),
        active: Set(true),
        created_at: Set(caller.now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::created(caller, &created);
    audit::commit(txn, caller, audit::Operation::CreateWebhook).await?;
    Ok((created, secret))
}

/// Removes a webhook (its deliveries go with it).
pub async fn delete(db: &impl TransactionTrait, caller: &Caller, id: i32) -> AppResult<()> {
    let txn = audit::begin(db, caller).await?;
    let (hook, _) = owned(&txn, caller, id).await?;
    webhook::Entity::delete_by_id(id).exec(&txn).await?;
    audit::deleted(caller, &hook);
    audit::commit(txn, caller, audit::Operation::DeleteWebhook).await
}

/// A webhook the caller may manage, with its owner; NOT_FOUND otherwise (a unit does not learn
/// of other units' webhooks).
async fn owned(db: &impl ConnectionTrait, caller: &Caller, id: i32) -> AppResult<(webhook::Model, user::Model)> {
    rules::account(&caller.viewer)?;
    let hook = webhook::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound("webhook"))?;
    let owner = user::Entity::find_by_id(hook.owner_id).one(db).await?.ok_or(AppError::NotFound("webhook"))?;
    may_manage(caller, &owner).map_err(|_| AppError::NotFound("webhook"))?;
    Ok((hook, owner))
}

/// The webhooks the caller manages, in id order: all for admins, its own and its unit's service
/// accounts' for others.
pub async fn list(db: &impl ConnectionTrait, caller: &Caller) -> AppResult<Vec<webhook::Model>> {
    let principal = rules::account(&caller.viewer)?;
    let mut query = webhook::Entity::find().order_by_asc(webhook::Column::Id);
    if principal.role != UserRole::Admin {
        let mut owners = vec![principal.user_id];
        if principal.role == UserRole::Department
            && let Some(unit) = principal.department_id
        {
            owners.extend(
                user::Entity::find()
                    .filter(user::Column::Role.eq(UserRole::Service))
                    .filter(user::Column::DepartmentId.eq(unit))
                    .select_only()
                    .column(user::Column::Id)
                    .into_tuple::<i32>()
                    .all(db)
                    .await?,
            );
        }
        query = query.filter(webhook::Column::OwnerId.is_in(owners));
    }
    Ok(query.all(db).await?)
}

/// A page of a webhook's delivery log, newest first.
pub async fn deliveries(
    db: &impl ConnectionTrait,
    caller: &Caller,
    webhook_id: i32,
    page: &PageRequest<i32>,
) -> AppResult<Page<webhook_delivery::Model>> {
    owned(db, caller, webhook_id).await?;
    let mut query = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::WebhookId.eq(webhook_id))
        .order_by_desc(webhook_delivery::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(webhook_delivery::Column::Id.lt(after));
    }
    Ok(Page::from_overfetch(query.limit(page.first + 1).all(db).await?, page.first))
}

/// Sends one delivery again, now (its attempts count on).
pub async fn redeliver(
    db: &impl TransactionTrait,
    caller: &Caller,
    delivery_id: i32,
) -> AppResult<webhook_delivery::Model> {
    rules::account(&caller.viewer)?;
    let txn = audit::begin(db, caller).await?;
    let delivery =
        webhook_delivery::Entity::find_by_id(delivery_id).one(&txn).await?.ok_or(AppError::NotFound("delivery"))?;
    owned(&txn, caller, delivery.webhook_id).await.map_err(|_| AppError::NotFound("delivery"))?;
    let mut model: webhook_delivery::ActiveModel = delivery.clone().into();
    model.status = Set(dispatch::Status::Pending.name().to_owned());
    model.next_attempt_at = Set(caller.now());
    model.claimed_until = Set(None);
    let again = model.update(&txn).await?;
    caller.record(audit::keyed(
        audit::Table::WebhookDelivery,
        again.id,
        audit::Action::Update,
        Some(serde_json::json!({ "status": delivery.status })),
        Some(serde_json::json!({ "status": again.status, "webhook_id": again.webhook_id })),
    ));
    audit::commit(txn, caller, audit::Operation::RedeliverWebhook).await?;
    Ok(again)
}
