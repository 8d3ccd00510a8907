//! Where the bytes of evidence files live: one interface (`object_store`) over a local
//! directory — the embedded default, beside the SQLite file — or S3-compatible object storage
//! (what government clouds offer). Nothing here decides who may read what: `domain::evidence`
//! does, and clients never see a key or list the store.

use crate::config::StorageConfig;
use anyhow::Context;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use secrecy::ExposeSecret;
use std::path::PathBuf;
use std::sync::Arc;

/// The object store evidence is kept in.
#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// For the logs: `local:/path` or `s3:bucket` (no credentials).
    label: String,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

impl Storage {
    /// The store the configuration names: S3 when `DUBAN_S3_BUCKET` is set, else the directory
    /// `DUBAN_STORAGE_DIR`, else `<database>.files` beside an SQLite file (`duban-files` in the
    /// working directory for PostgreSQL).
    pub fn open(config: &StorageConfig, database_url: &str) -> anyhow::Result<Storage> {
        if let Some(bucket) = &config.s3_bucket {
            return Storage::s3(config, bucket);
        }
        let dir = match &config.storage_dir {
            Some(dir) => dir.clone(),
            None => default_dir(database_url),
        };
        Storage::local(&dir)
    }

    /// A local directory, created when missing.
    pub fn local(dir: &std::path::Path) -> anyhow::Result<Storage> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the storage directory {}", dir.display()))?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(dir)
            .with_context(|| format!("cannot open the storage directory {}", dir.display()))?
            .with_automatic_cleanup(true);
        Ok(Storage { store: Arc::new(store), label: format!("local:{}", dir.display()) })
    }

    fn s3(config: &StorageConfig, bucket: &str) -> anyhow::Result<Storage> {
        let mut builder = object_store::aws::AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .with_region(&config.s3_region)
            .with_allow_http(config.s3_allow_http);
        if let Some(endpoint) = &config.s3_endpoint {
            // Government clouds and self-hosted servers answer on one host, the bucket in the path.
            builder = builder.with_endpoint(endpoint).with_virtual_hosted_style_request(false);
        }
        if let Some(key) = &config.s3_access_key_id {
            builder = builder.with_access_key_id(key);
        }
        if let Some(secret) = &config.s3_secret_access_key {
            builder = builder.with_secret_access_key(secret.expose_secret());
        }
        let store = builder.build().context("cannot set up the S3 storage (check the DUBAN_S3_ settings)")?;
        Ok(Storage { store: Arc::new(store), label: format!("s3:{bucket}") })
    }

    /// Writes an object (whole: a reader never sees part of one).
    pub async fn put(&self, key: &str, bytes: Bytes) -> anyhow::Result<()> {
        self.store
            .put(&Path::from(key), PutPayload::from_bytes(bytes))
            .await
            .with_context(|| format!("{self:?}: put"))?;
        Ok(())
    }

    /// An object's bytes; `None` when there is no such object.
    pub async fn get(&self, key: &str) -> anyhow::Result<Option<Bytes>> {
        match self.store.get(&Path::from(key)).await {
            Ok(found) => Ok(Some(found.bytes().await.with_context(|| format!("{self:?}: read"))?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(anyhow::Error::new(error).context(format!("{self:?}: get"))),
        }
    }

    /// Deletes an object; one already gone is not an error.
    pub async fn delete(&self, key: &str) -> anyhow::Result<()> {
        match self.store.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(anyhow::Error::new(error).context(format!("{self:?}: delete"))),
        }
    }

    /// The keys under `prefix` last written before `cutoff`.
    pub async fn keys_before(&self, prefix: &str, cutoff: DateTime<Utc>) -> anyhow::Result<Vec<String>> {
        let prefix = Path::from(prefix);
        let mut listing = self.store.list(Some(&prefix));
        let mut keys = Vec::new();
        while let Some(meta) = listing.next().await {
            let meta = meta.with_context(|| format!("{self:?}: list"))?;
            if meta.last_modified < cutoff {
                keys.push(meta.location.to_string());
            }
        }
        Ok(keys)
    }
}

/// `<database file>.files` beside an SQLite database; `duban-files` otherwise.
fn default_dir(database_url: &str) -> PathBuf {
    match crate::db::sqlite_path(database_url) {
        Some(db_path) => {
            let mut name = db_path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
            name.push(".files");
            db_path.with_file_name(name)
        }
        None => PathBuf::from("duban-files"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_directory_sits_beside_the_sqlite_file() {
        let dir = default_dir("sqlite:///var/lib/duban/duban.sqlite?mode=rwc");
        assert_eq!(dir, PathBuf::from("/var/lib/duban/duban.sqlite.files"));
        assert_eq!(default_dir("postgres://db/duban"), PathBuf::from("duban-files"));
    }

    #[tokio::test]
    async fn a_local_store_keeps_lists_and_deletes_objects() {
        let dir = tempfile::tempdir().expect("temp dir");
        let storage = Storage::local(dir.path()).expect("open");
        storage.put("evidence/a", Bytes::from_static(b"one")).await.expect("put");
        assert_eq!(storage.get("evidence/a").await.expect("get").as_deref(), Some(&b"one"[..]));
        assert_eq!(storage.get("evidence/missing").await.expect("get"), None);
        let later = Utc::now() + chrono::Duration::seconds(5);
        assert_eq!(storage.keys_before("evidence", later).await.expect("list"), vec!["evidence/a".to_owned()]);
        assert!(
            storage.keys_before("evidence", Utc::now() - chrono::Duration::hours(1)).await.expect("list").is_empty()
        );
        storage.delete("evidence/a").await.expect("delete");
        storage.delete("evidence/a").await.expect("a second delete is fine");
        assert_eq!(storage.get("evidence/a").await.expect("get"), None);
    }
}
