//! Resolving unit names from a plan to departments: by name, by alias, by script and bracket
//! variants, through the seed catalog, or — for a name never seen — as a new unit flagged for
//! an admin's review. A name is never dropped. Departments are made through the domain's one
//! department writer, so its name rules hold for imported units too.

use super::catalog;
use super::parse::units::normalize_name;
use crate::domain::Caller;
use crate::domain::departments::{self, DepartmentInput};
use crate::error::AppResult;
use entity::department;
use sea_orm::ConnectionTrait;
use std::collections::HashMap;

/// Department lookup for one import, loaded once and kept up to date as units are created.
pub struct Resolver {
    by_key: HashMap<String, department::Model>,
    /// Departments this import created, in order of creation.
    pub created: Vec<department::Model>,
}

impl Resolver {
    /// Loads every department and alias (the seed catalog first, on an empty database).
    pub async fn load(db: &impl ConnectionTrait, caller: &Caller) -> AppResult<Self> {
        let mut departments = departments::all_with_aliases(db, caller).await?;
        if departments.is_empty() {
            seed_catalog(db, caller).await?;
            departments = departments::all_with_aliases(db, caller).await?;
        }
        let mut by_key: HashMap<String, department::Model> = HashMap::new();
        for (dept, _) in &departments {
            by_key.insert(normalize_name(&dept.name), dept.clone());
        }
        for (dept, aliases) in &departments {
            for alias in aliases {
                by_key.entry(normalize_name(&alias.alias)).or_insert_with(|| dept.clone());
            }
        }
        Ok(Resolver { by_key, created: Vec::new() })
    }

    /// The department for `name`, creating a flagged one when the name is unknown.
    pub async fn resolve(
        &mut self,
        db: &impl ConnectionTrait,
        caller: &Caller,
        name: &str,
    ) -> AppResult<department::Model> {
        let key = normalize_name(name);
        if let Some(found) = self.by_key.get(&key) {
            return Ok(found.clone());
        }
        let input = DepartmentInput {
            name: Some(key.clone()),
            kind: Some(catalog::classify_name(&key)),
            needs_review: Some(true),
        };
        let model = departments::insert(db, caller, input).await?;
        self.by_key.insert(key, model.clone());
        self.created.push(model.clone());
        Ok(model)
    }
}

/// Inserts the reference plan's units and their aliases.
async fn seed_catalog(db: &impl ConnectionTrait, caller: &Caller) -> AppResult<()> {
    for unit in catalog::SEED_UNITS {
        let input =
            DepartmentInput { name: Some(unit.name.to_owned()), kind: Some(unit.kind), needs_review: Some(false) };
        let model = departments::insert(db, caller, input).await?;
        departments::insert_aliases(db, caller, model.id, unit.aliases).await?;
    }
    Ok(())
}
