//! Where uploaded files live: a `Storage` trait with a local-directory
//! implementation (the default) and an S3-compatible one (`s3`). Files are
//! addressed by the SHA-256 of their content, so the same file uploaded
//! twice is stored once.

pub mod s3;

use crate::config::Settings;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("storage I/O failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("invalid storage key")]
    BadKey,
    /// The object store refused or did not answer.
    #[error("object store unavailable: {0}")]
    Unavailable(String),
}

/// A content-addressed blob store.
pub trait Storage: Send + Sync {
    /// Stores `bytes` and returns their key (lower-case hex SHA-256).
    fn put(&self, bytes: &[u8]) -> Result<String, StorageError>;
    fn get(&self, key: &str) -> Result<Vec<u8>, StorageError>;
}

/// The SHA-256 key of `bytes`.
pub fn content_key(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The storage the settings name: the S3 bucket when `S3_BUCKET` is set,
/// else the data directory's `uploads` folder.
pub fn from_settings(settings: &Settings) -> Result<Arc<dyn Storage>, StorageError> {
    Ok(match &settings.s3 {
        Some(s3) => Arc::new(s3::S3Storage::new(s3)?),
        None => Arc::new(LocalStorage::new(settings.uploads_dir())),
    })
}

/// `key` if it is a content key: it becomes part of a path or object name.
fn checked_key(key: &str) -> Result<&str, StorageError> {
    let is_hex = key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit());
    if is_hex {
        Ok(key)
    } else {
        Err(StorageError::BadKey)
    }
}

/// Files under a directory, fanned out by the first two hex digits.
pub struct LocalStorage {
    root: PathBuf,
}

impl LocalStorage {
    pub fn new(root: PathBuf) -> LocalStorage {
        LocalStorage { root }
    }

    fn path_of(&self, key: &str) -> Result<PathBuf, StorageError> {
        let key = checked_key(key)?;
        Ok(self.root.join(&key[..2]).join(key))
    }
}

impl Storage for LocalStorage {
    fn put(&self, bytes: &[u8]) -> Result<String, StorageError> {
        let key = content_key(bytes);
        let path = self.path_of(&key)?;
        if !path.exists() {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            // Write then rename, so a reader never sees half a file.
            let partial = path.with_extension("partial");
            std::fs::write(&partial, bytes)?;
            std::fs::rename(&partial, &path)?;
        }
        Ok(key)
    }

    fn get(&self, key: &str) -> Result<Vec<u8>, StorageError> {
        Ok(std::fs::read(self.path_of(key)?)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_file_comes_back_by_its_content_hash() {
        let dir = std::env::temp_dir().join(format!("sp-storage-{}", rand::random::<u64>()));
        let storage = LocalStorage::new(dir.clone());
        let key = storage.put(b"hello").expect("put");
        assert_eq!(key, content_key(b"hello"));
        assert_eq!(storage.get(&key).expect("get"), b"hello");
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn a_key_that_is_not_a_hash_is_refused() {
        let storage = LocalStorage::new(std::env::temp_dir());
        assert!(matches!(
            storage.get("../etc/passwd"),
            Err(StorageError::BadKey)
        ));
    }
}
