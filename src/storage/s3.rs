//! Uploads in an S3-compatible object store (`S3_BUCKET`, issue #14), under
//! `uploads/<first two hex digits>/<SHA-256>` like the local directory.
//!
//! `Storage` is synchronous: services call it inside a database transaction
//! on a blocking thread (`web::block`). `object_store` is async, so each call
//! runs on a small runtime this store owns and the calling thread waits for
//! the answer on a channel. That works from any thread (a blocking thread,
//! a CLI, a test) and never re-enters the server's own runtimes, whose
//! per-worker schedulers could not drive the HTTP connections from here.

use super::{Storage, StorageError, checked_key, content_key};
use crate::config::S3Settings;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::{BackoffConfig, ClientOptions, ObjectStoreExt, PutPayload, RetryConfig};
use std::future::Future;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

/// One request's longest wait; a 20 MB file needs about 6 Mbit/s to make it.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Retries of a failed request stop after this long: the user is waiting
/// on the form, and a store that is down is better said than waited for.
const RETRY_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest a caller waits for one call, retries included.
const CALL_TIMEOUT: Duration = Duration::from_secs(90);

/// An S3 bucket holding the uploads.
pub struct S3Storage {
    store: Arc<AmazonS3>,
    /// Taken on drop to shut down without blocking (see `Drop`).
    runtime: Option<tokio::runtime::Runtime>,
}

impl S3Storage {
    /// Connects nothing yet: the first request does. Fails only on settings
    /// `object_store` refuses (an endpoint that is not a URL).
    pub fn new(settings: &S3Settings) -> Result<S3Storage, StorageError> {
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region)
            .with_access_key_id(&settings.access_key_id)
            .with_secret_access_key(settings.secret_access_key.expose())
            // The builder's own `with_allow_http` writes into the client
            // options, which this call would replace: so it is set here.
            .with_client_options(
                ClientOptions::new()
                    .with_allow_http(settings.allow_http)
                    .with_timeout(REQUEST_TIMEOUT)
                    .with_connect_timeout(Duration::from_secs(5)),
            )
            .with_retry(RetryConfig {
                backoff: BackoffConfig {
                    init_backoff: Duration::from_millis(100),
                    max_backoff: Duration::from_secs(2),
                    base: 2.0,
                },
                max_retries: 3,
                retry_timeout: RETRY_TIMEOUT,
            });
        if let Some(endpoint) = &settings.endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        let store = builder.build().map_err(unavailable)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("s3-storage")
            .enable_all()
            .build()?;
        Ok(S3Storage {
            store: Arc::new(store),
            runtime: Some(runtime),
        })
    }

    /// Runs `work` on this store's runtime and waits for its answer.
    fn run<T, F>(&self, work: F) -> Result<T, StorageError>
    where
        F: Future<Output = Result<T, StorageError>> + Send + 'static,
        T: Send + 'static,
    {
        let runtime = self.runtime.as_ref().ok_or_else(stopped)?;
        let (answer, answered) = mpsc::sync_channel(1);
        runtime.spawn(async move {
            // The caller may have given up waiting; then nobody listens.
            let _ = answer.send(work.await);
        });
        answered
            .recv_timeout(CALL_TIMEOUT)
            .map_err(|_| StorageError::Unavailable("no answer from the object store".into()))?
    }
}

/// The object's name in the bucket.
fn object_path(key: &str) -> Result<Path, StorageError> {
    let key = checked_key(key)?;
    Ok(Path::from(format!("uploads/{}/{key}", &key[..2])))
}

fn unavailable(error: object_store::Error) -> StorageError {
    StorageError::Unavailable(error.to_string())
}

fn stopped() -> StorageError {
    StorageError::Unavailable("the object store's runtime is stopped".into())
}

impl Storage for S3Storage {
    fn put(&self, bytes: &[u8]) -> Result<String, StorageError> {
        let key = content_key(bytes);
        let path = object_path(&key)?;
        let store = self.store.clone();
        // A PUT replaces the whole object or nothing: no reader sees half a file.
        let payload = PutPayload::from(bytes.to_vec());
        self.run(async move {
            store.put(&path, payload).await.map_err(unavailable)?;
            Ok(())
        })?;
        Ok(key)
    }

    fn get(&self, key: &str) -> Result<Vec<u8>, StorageError> {
        let path = object_path(key)?;
        let store = self.store.clone();
        self.run(async move {
            let found = store.get(&path).await.map_err(unavailable)?;
            let bytes = found.bytes().await.map_err(unavailable)?;
            Ok(bytes.to_vec())
        })
    }
}

impl Drop for S3Storage {
    /// Dropping a runtime blocks until its threads end, which panics inside
    /// another runtime (the server's state is dropped there); this does not wait.
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_are_fanned_out_by_the_first_two_hex_digits() {
        let key = content_key(b"hello");
        let path = object_path(&key).expect("a path");
        assert_eq!(path.as_ref(), format!("uploads/{}/{key}", &key[..2]));
    }

    /// A store on a loopback port nothing listens on.
    fn nowhere() -> S3Settings {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        S3Settings {
            bucket: "uploads".to_owned(),
            endpoint: Some(format!("http://127.0.0.1:{port}")),
            region: "us-east-1".to_owned(),
            access_key_id: "id".to_owned(),
            secret_access_key: crate::config::Secret::new("secret".to_owned()),
            allow_http: true,
        }
    }

    #[test]
    fn a_store_that_does_not_answer_is_an_error_soon() {
        let storage = S3Storage::new(&nowhere()).expect("store");
        let started = std::time::Instant::now();
        assert!(matches!(
            storage.put(b"hello"),
            Err(StorageError::Unavailable(_))
        ));
        assert!(matches!(
            storage.get(&content_key(b"hello")),
            Err(StorageError::Unavailable(_))
        ));
        assert!(started.elapsed() < RETRY_TIMEOUT * 2, "retries are capped");
    }

    #[tokio::test]
    async fn the_store_may_be_called_and_dropped_inside_a_runtime() {
        // Where the server's state lives and dies; neither call may panic.
        let storage = S3Storage::new(&nowhere()).expect("store");
        assert!(storage.put(b"hello").is_err());
        drop(storage);
    }

    #[test]
    fn a_key_that_is_not_a_hash_names_no_object() {
        assert!(matches!(
            object_path("../../etc/passwd"),
            Err(StorageError::BadKey)
        ));
    }
}
