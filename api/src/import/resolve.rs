//! Resolving unit names from a plan to departments: by name, by alias, by script and bracket
//! variants, through the seed catalog, or — for a name never seen — as a new unit flagged for
//! an admin's review. A name is never dropped.

use super::catalog;
use super::parse::units::normalize_name;
use crate::domain::departments::insert_alias;
use crate::error::AppResult;
use entity::{department, department_alias};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, PaginatorTrait, Set};
use std::collections::HashMap;

/// Department lookup for one import, loaded once and kept up to date as units are created.
pub struct Resolver {
    by_key: HashMap<String, department::Model>,
    /// Departments this import created, in order of creation.
    pub created: Vec<department::Model>,
}

impl Resolver {
    /// Loads every department and alias (the seed catalog first, on an empty database).
    pub async fn load(db: &impl ConnectionTrait) -> AppResult<Self> {
        if department::Entity::find().count(db).await? == 0 {
            seed_catalog(db).await?;
        }
        let departments = department::Entity::find().all(db).await?;
        let by_id: HashMap<i32, department::Model> = departments.iter().map(|d| (d.id, d.clone())).collect();
        let mut by_key: HashMap<String, department::Model> =
            departments.into_iter().map(|d| (normalize_name(&d.name), d)).collect();
        for alias in department_alias::Entity::find().all(db).await? {
            if let Some(dept) = by_id.get(&alias.department_id) {
                by_key.entry(normalize_name(&alias.alias)).or_insert_with(|| dept.clone());
            }
        }
        Ok(Resolver { by_key, created: Vec::new() })
    }

    /// The department for `name`, creating a flagged one when the name is unknown.
    pub async fn resolve(&mut self, db: &impl ConnectionTrait, name: &str) -> AppResult<department::Model> {
        let key = normalize_name(name);
        if let Some(found) = self.by_key.get(&key) {
            return Ok(found.clone());
        }
        let model = department::ActiveModel {
            name: Set(key.clone()),
            kind: Set(catalog::classify_name(&key)),
            needs_review: Set(true),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
        self.by_key.insert(key, model.clone());
        self.created.push(model.clone());
        Ok(model)
    }
}

/// Inserts the reference plan's units and their aliases.
async fn seed_catalog(db: &impl ConnectionTrait) -> AppResult<()> {
    for unit in catalog::SEED_UNITS {
        let model = department::ActiveModel {
            name: Set(unit.name.to_owned()),
            kind: Set(unit.kind),
            needs_review: Set(false),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
        for alias in unit.aliases {
            insert_alias(db, model.id, alias).await?;
        }
    }
    Ok(())
}
