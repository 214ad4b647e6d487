//! Settings, read once at start from the environment and the command line.

use crate::domain::upload::UploadQuota;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use std::fmt;
use std::path::{Path, PathBuf};

/// A value that must never reach a log line.
#[derive(Clone)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub fn new(value: T) -> Secret<T> {
        Secret(value)
    }
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Everything the server needs to start; built once, passed as `web::Data`.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `postgres://…` or the path of the SQLite file.
    pub database_url: String,
    pub bind: String,
    pub data_dir: PathBuf,
    /// 64 bytes: signs and encrypts the session cookie.
    pub session_key: Secret<Vec<u8>>,
    pub cookie_secure: bool,
    /// E-mail of the platform admin created on first start.
    pub admin_email: String,
    /// `smtps://user:pass@host:465`, `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS) or `smtp://host:25` (a local relay, unencrypted); without
    /// it mails are marked skipped.
    pub smtp_url: Option<Secret<String>>,
    /// The From of notification e-mails.
    pub mail_from: String,
    /// Where the site is reachable, for links in e-mails.
    pub public_url: String,
    /// How often the outbox worker looks for mail to send.
    pub outbox_poll: std::time::Duration,
    /// How often the silence watchdog runs a round (`WATCHDOG_POLL_SECONDS`,
    /// default 300), across all instances.
    pub watchdog_poll: std::time::Duration,
    /// Invitations one company may send (or resend) per day (`INVITATIONS_PER_DAY`).
    pub invitations_per_day: u32,
    /// Megabytes of uploaded files one company may keep (`UPLOAD_QUOTA_MB`,
    /// default 500): verification papers, order documents, item photos and
    /// top-up receipts together.
    pub upload_quota_mb: u64,
    /// How long a request body may take to arrive (see `web::edge`).
    pub body_timeouts: BodyTimeouts,
    /// When a signed-in session ends by itself.
    pub session_lifetime: SessionLifetime,
    /// The outgoing webhooks' worker (`jobs::webhooks`).
    pub webhooks: WebhookSettings,
    /// Requests one API token may make (`services::api_rate`).
    pub api_rate: ApiRate,
    /// The bearer token `/metrics` asks for (`METRICS_TOKEN`, at least
    /// [`METRICS_TOKEN_MIN`] characters); without it `/metrics` is a 404.
    pub metrics_token: Option<Secret<String>>,
    /// How long a SIGTERM waits for requests in flight and for the
    /// background workers' job in hand (`SHUTDOWN_TIMEOUT_SECONDS`, default 30).
    pub shutdown_timeout: std::time::Duration,
    /// Load balancers whose `X-Forwarded-For` is believed
    /// (`TRUSTED_PROXIES`; `domain::client_address`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The S3-compatible bucket uploads go to (`S3_BUCKET` and friends);
    /// `None` keeps them in the data directory.
    pub s3: Option<S3Settings>,
}

/// An S3-compatible bucket for the uploads (`storage::s3`).
#[derive(Clone, Debug)]
pub struct S3Settings {
    pub bucket: String,
    /// `S3_ENDPOINT`, e.g. `https://minio.internal:9000`; `None` is AWS itself.
    pub endpoint: Option<String>,
    /// `S3_REGION`, default `us-east-1`.
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: Secret<String>,
    /// `S3_ALLOW_HTTP`: a plain-http endpoint (a store on this machine).
    pub allow_http: bool,
}

/// The shortest `METRICS_TOKEN`: the token is all that guards `/metrics`.
pub const METRICS_TOKEN_MIN: usize = 16;

/// How the webhook worker polls and retries.
#[derive(Clone, Copy, Debug)]
pub struct WebhookSettings {
    /// How often it looks for due deliveries (`WEBHOOK_POLL_SECONDS`, default 2).
    pub poll: std::time::Duration,
    /// The pause after the first failure; it doubles after each one.
    pub retry_base: std::time::Duration,
    /// The longest pause between two attempts.
    pub retry_cap: std::time::Duration,
    /// A delivery not accepted this long after the event is given up.
    pub give_up_after: std::time::Duration,
}

impl Default for WebhookSettings {
    /// 30 s doubling up to an hour, for a day.
    fn default() -> WebhookSettings {
        WebhookSettings {
            poll: std::time::Duration::from_secs(2),
            retry_base: std::time::Duration::from_secs(30),
            retry_cap: std::time::Duration::from_secs(3600),
            give_up_after: std::time::Duration::from_secs(24 * 3600),
        }
    }
}

/// A token bucket per API token: `per_second` requests on average, `burst` at once.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ApiRate {
    pub per_second: f64,
    pub burst: f64,
}

impl Default for ApiRate {
    /// 10 requests a second, 50 at once (issue #13).
    fn default() -> ApiRate {
        ApiRate {
            per_second: 10.0,
            burst: 50.0,
        }
    }
}

/// A body that stalls after its headers is cut off: a slow client may not
/// hold a connection (and the memory of what it sent so far) for ever.
#[derive(Clone, Copy, Debug)]
pub struct BodyTimeouts {
    /// Longest wait for the next piece of the body.
    pub idle: std::time::Duration,
    /// Longest time for the whole body.
    pub total: std::time::Duration,
}

impl Default for BodyTimeouts {
    /// 30 s without progress, 60 s in all: a 20 MB upload needs about
    /// 3 Mbit/s to arrive in time.
    fn default() -> BodyTimeouts {
        BodyTimeouts {
            idle: std::time::Duration::from_secs(30),
            total: std::time::Duration::from_secs(60),
        }
    }
}

/// How long a server-side session lives: it ends after `idle_hours` without
/// a request, and `max_days` after sign-in whatever happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionLifetime {
    pub idle_hours: i64,
    pub max_days: i64,
}

impl Default for SessionLifetime {
    /// 12 idle hours (a working day) and 30 days in all.
    fn default() -> SessionLifetime {
        SessionLifetime {
            idle_hours: 12,
            max_days: 30,
        }
    }
}

impl SessionLifetime {
    pub fn idle(&self) -> chrono::Duration {
        chrono::Duration::hours(self.idle_hours)
    }

    pub fn max(&self) -> chrono::Duration {
        chrono::Duration::days(self.max_days)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("SESSION_KEY must be at least 64 bytes, base64-encoded")]
    SessionKey,
    #[error("UPLOAD_QUOTA_MB must be a whole number of megabytes, not {0:?}")]
    UploadQuota(String),
    #[error("{name} must be a whole number from 1 to {max}")]
    Number { name: &'static str, max: i64 },
    #[error("cannot use data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0} must be a whole number, not {1:?}")]
    Invalid(&'static str, String),
    #[error("METRICS_TOKEN must be at least {METRICS_TOKEN_MIN} printable characters")]
    MetricsToken,
    #[error("S3 storage: {0}")]
    S3(&'static str),
}

/// Values the command line may override; `None` falls back to the environment.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub bind: Option<String>,
    pub data_dir: Option<PathBuf>,
}

impl Settings {
    /// Reads `DATABASE_URL`, `BIND`, `DATA_DIR`, `SESSION_KEY`, `COOKIE_SECURE`,
    /// `ADMIN_EMAIL`, `SMTP_URL`, `MAIL_FROM`, `PUBLIC_URL`, `UPLOAD_QUOTA_MB`,
    /// `SESSION_IDLE_HOURS`, `SESSION_MAX_DAYS`, `WATCHDOG_POLL_SECONDS`,
    /// `WEBHOOK_POLL_SECONDS`, `API_RATE_PER_SECOND`, `API_RATE_BURST`,
    /// `METRICS_TOKEN`, `SHUTDOWN_TIMEOUT_SECONDS`, `TRUSTED_PROXIES`, and the S3
    /// set (`S3_BUCKET`, `S3_ENDPOINT`, `S3_REGION`, `S3_ALLOW_HTTP`,
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`; see [`s3_from_env`]).
    pub fn from_env(overrides: Overrides) -> Result<Settings, SettingsError> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let data_dir = overrides
            .data_dir
            .or_else(|| env("DATA_DIR").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("data"));
        std::fs::create_dir_all(&data_dir).map_err(|source| SettingsError::DataDir {
            path: data_dir.clone(),
            source,
        })?;
        let database_url = env("DATABASE_URL").unwrap_or_else(|| {
            data_dir
                .join("samplepost.sqlite3")
                .to_string_lossy()
                .into_owned()
        });
        let session_key = match env("SESSION_KEY") {
            Some(encoded) => decode_key(&encoded)?,
            None => load_or_create_key(&data_dir)?,
        };
        let defaults = SessionLifetime::default();
        let number = |name: &'static str, default: i64, max: i64| match env(name) {
            None => Ok(default),
            Some(value) => value
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or(SettingsError::Number { name, max }),
        };
        let session_lifetime = SessionLifetime {
            idle_hours: number("SESSION_IDLE_HOURS", defaults.idle_hours, 24 * 30)?,
            max_days: number("SESSION_MAX_DAYS", defaults.max_days, 365)?,
        };
        Ok(Settings {
            database_url,
            bind: overrides
                .bind
                .or_else(|| env("BIND"))
                .unwrap_or_else(|| "127.0.0.1:8080".to_owned()),
            data_dir,
            session_key: Secret::new(session_key),
            cookie_secure: env("COOKIE_SECURE").is_some_and(|v| v == "true" || v == "1"),
            admin_email: env("ADMIN_EMAIL").unwrap_or_else(|| "admin@samplepost.local".to_owned()),
            smtp_url: env("SMTP_URL").map(Secret::new),
            mail_from: env("MAIL_FROM")
                .unwrap_or_else(|| "Samplepost <noreply@samplepost.local>".to_owned()),
            public_url: env("PUBLIC_URL")
                .unwrap_or_else(|| "http://127.0.0.1:8080".to_owned())
                .trim_end_matches('/')
                .to_owned(),
            outbox_poll: std::time::Duration::from_secs(
                number("OUTBOX_POLL_SECONDS", 5, 3600)?.unsigned_abs(),
            ),
            watchdog_poll: std::time::Duration::from_secs(
                number("WATCHDOG_POLL_SECONDS", 300, 24 * 3600)?.unsigned_abs(),
            ),
            invitations_per_day: match env("INVITATIONS_PER_DAY") {
                Some(value) => value
                    .trim()
                    .parse()
                    .map_err(|_| SettingsError::Invalid("INVITATIONS_PER_DAY", value))?,
                None => 20,
            },
            body_timeouts: BodyTimeouts::default(),
            upload_quota_mb: match env("UPLOAD_QUOTA_MB") {
                Some(text) => text
                    .trim()
                    .parse()
                    .map_err(|_| SettingsError::UploadQuota(text))?,
                None => UploadQuota::DEFAULT_MEGABYTES,
            },
            session_lifetime,
            webhooks: WebhookSettings {
                poll: std::time::Duration::from_secs(
                    number("WEBHOOK_POLL_SECONDS", 2, 3600)?.unsigned_abs(),
                ),
                ..WebhookSettings::default()
            },
            api_rate: ApiRate {
                per_second: number("API_RATE_PER_SECOND", 10, 10_000)? as f64,
                burst: number("API_RATE_BURST", 50, 100_000)? as f64,
            },
            metrics_token: match env("METRICS_TOKEN") {
                Some(token) => Some(Secret::new(metrics_token(token)?)),
                None => None,
            },
            shutdown_timeout: std::time::Duration::from_secs(
                number("SHUTDOWN_TIMEOUT_SECONDS", 30, 600)?.unsigned_abs(),
            ),
            trusted_proxies: match env("TRUSTED_PROXIES") {
                Some(text) => crate::domain::client_address::parse_trusted(&text)
                    .map_err(|why| SettingsError::Invalid("TRUSTED_PROXIES", why))?,
                None => Vec::new(),
            },
            s3: s3_from_env(&env)?,
        })
    }

    /// The per-company upload quota.
    pub fn upload_quota(&self) -> UploadQuota {
        UploadQuota::from_megabytes(self.upload_quota_mb)
    }

    /// Where uploaded files are kept by the local storage.
    pub fn uploads_dir(&self) -> PathBuf {
        self.data_dir.join("uploads")
    }
}

/// The S3 bucket when `S3_BUCKET` is set, with both AWS credentials; any
/// other S3 variable without a bucket, or a bucket without credentials, is a
/// half-made setting that would otherwise show only at the first upload.
fn s3_from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<Option<S3Settings>, SettingsError> {
    let endpoint = env("S3_ENDPOINT");
    let allow_http = match env("S3_ALLOW_HTTP").as_deref().map(str::trim) {
        None => None,
        Some("true" | "1") => Some(true),
        Some("false" | "0") => Some(false),
        Some(_) => return Err(SettingsError::S3("S3_ALLOW_HTTP must be true or false")),
    };
    let Some(bucket) = env("S3_BUCKET") else {
        if endpoint.is_some() || env("S3_REGION").is_some() || allow_http.is_some() {
            return Err(SettingsError::S3(
                "S3_ENDPOINT, S3_REGION and S3_ALLOW_HTTP need S3_BUCKET",
            ));
        }
        return Ok(None);
    };
    let bucket = bucket.trim().to_owned();
    let bucket_name = bucket
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
    if !bucket_name || !(3..=63).contains(&bucket.len()) {
        return Err(SettingsError::S3(
            "S3_BUCKET must be 3 to 63 lower-case letters, digits, dots or hyphens",
        ));
    }
    let (Some(access_key_id), Some(secret)) =
        (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"))
    else {
        return Err(SettingsError::S3(
            "S3_BUCKET needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        ));
    };
    let allow_http = allow_http.unwrap_or(false);
    let endpoint = endpoint.map(|e| e.trim().trim_end_matches('/').to_owned());
    match endpoint.as_deref() {
        None => {}
        Some(url) if url.starts_with("https://") => {}
        Some(url) if url.starts_with("http://") && allow_http => {}
        Some(url) if url.starts_with("http://") => {
            return Err(SettingsError::S3(
                "S3_ENDPOINT is plain http: set S3_ALLOW_HTTP=true (a store on this machine or network)",
            ));
        }
        Some(_) => {
            return Err(SettingsError::S3(
                "S3_ENDPOINT must start with https:// (or http:// with S3_ALLOW_HTTP=true)",
            ));
        }
    }
    Ok(Some(S3Settings {
        bucket,
        endpoint,
        region: env("S3_REGION").unwrap_or_else(|| "us-east-1".to_owned()),
        access_key_id: access_key_id.trim().to_owned(),
        secret_access_key: Secret::new(secret.trim().to_owned()),
        allow_http,
    }))
}

/// A token long enough and sendable in a header as it is.
fn metrics_token(token: String) -> Result<String, SettingsError> {
    let printable = token.bytes().all(|b| b.is_ascii_graphic());
    if printable && token.len() >= METRICS_TOKEN_MIN {
        Ok(token)
    } else {
        Err(SettingsError::MetricsToken)
    }
}

fn decode_key(encoded: &str) -> Result<Vec<u8>, SettingsError> {
    let key = BASE64
        .decode(encoded.trim())
        .map_err(|_| SettingsError::SessionKey)?;
    if key.len() < 64 {
        return Err(SettingsError::SessionKey);
    }
    Ok(key)
}

/// Without `SESSION_KEY` a key is generated once and kept (mode 0600) in the
/// data directory, so restarts keep everyone signed in.
fn load_or_create_key(data_dir: &Path) -> Result<Vec<u8>, SettingsError> {
    let path = data_dir.join("session.key");
    let io_error = |source| SettingsError::DataDir {
        path: path.clone(),
        source,
    };
    match std::fs::read_to_string(&path) {
        Ok(encoded) => decode_key(&encoded),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key: Vec<u8> = (0..64).map(|_| rand::random::<u8>()).collect();
            match publish(&path, BASE64.encode(&key).as_bytes()) {
                Ok(()) => Ok(key),
                // Another instance started on the same folder at the same
                // moment and published its key first: every instance must
                // sign with the same key, so take that one.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    decode_key(&std::fs::read_to_string(&path).map_err(io_error)?)
                }
                Err(e) => Err(io_error(e)),
            }
        }
        Err(e) => Err(io_error(e)),
    }
}

/// Writes `bytes` to `path` whole or not at all: a reader never sees half a
/// key, and of two writers racing exactly one wins (the other gets AlreadyExists).
fn publish(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let draft = path.with_extension(format!("{}.{}", std::process::id(), rand::random::<u32>()));
    write_private(&draft, bytes)?;
    let linked = std::fs::hard_link(&draft, path);
    let _ = std::fs::remove_file(&draft);
    linked
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `s3_from_env` over `pairs` instead of the process environment.
    fn s3(pairs: &[(&str, &str)]) -> Result<Option<S3Settings>, SettingsError> {
        let env = |name: &str| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        };
        s3_from_env(&env)
    }

    const CREDENTIALS: [(&str, &str); 2] = [
        ("AWS_ACCESS_KEY_ID", "id"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
    ];

    #[test]
    fn without_s3_variables_uploads_stay_in_the_data_directory() {
        assert!(s3(&CREDENTIALS).expect("settings").is_none());
    }

    #[test]
    fn a_bucket_alone_means_aws_in_us_east_1() {
        let mut pairs = CREDENTIALS.to_vec();
        pairs.push(("S3_BUCKET", "uploads"));
        let s3 = s3(&pairs).expect("settings").expect("s3");
        assert_eq!(
            (s3.bucket.as_str(), s3.region.as_str()),
            ("uploads", "us-east-1")
        );
        assert!(s3.endpoint.is_none() && !s3.allow_http);
    }

    #[test]
    fn a_half_configured_store_refuses_to_start() {
        let (id, secret) = (CREDENTIALS[0], CREDENTIALS[1]);
        let bucket = ("S3_BUCKET", "uploads");
        let refused = [
            vec![bucket],
            vec![bucket, id],
            vec![("S3_ENDPOINT", "https://s3.example"), id, secret],
            vec![("S3_BUCKET", "Bad_Name"), id, secret],
            vec![bucket, ("S3_ENDPOINT", "http://127.0.0.1:9000"), id, secret],
            vec![bucket, ("S3_ENDPOINT", "ftp://s3.example"), id, secret],
            vec![bucket, ("S3_ALLOW_HTTP", "perhaps"), id, secret],
        ];
        for pairs in refused {
            assert!(
                matches!(s3(&pairs), Err(SettingsError::S3(_))),
                "{pairs:?} must be refused"
            );
        }
    }

    #[test]
    fn a_loopback_store_over_http_needs_allow_http() {
        let mut pairs = CREDENTIALS.to_vec();
        pairs.extend([
            ("S3_BUCKET", "uploads"),
            ("S3_ENDPOINT", "http://127.0.0.1:9000/"),
            ("S3_ALLOW_HTTP", "true"),
        ]);
        let s3 = s3(&pairs).expect("settings").expect("s3");
        assert_eq!(s3.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        assert!(s3.allow_http);
    }

    #[test]
    fn instances_starting_together_on_one_folder_share_one_session_key() {
        let folder = tempfile::tempdir().expect("folder");
        let keys: Vec<Vec<u8>> = std::thread::scope(|scope| {
            let starts: Vec<_> = (0..8)
                .map(|_| scope.spawn(|| load_or_create_key(folder.path()).expect("a key")))
                .collect();
            starts
                .into_iter()
                .map(|start| start.join().expect("thread"))
                .collect()
        });
        assert!(keys.iter().all(|key| *key == keys[0] && key.len() == 64));
        let files = std::fs::read_dir(folder.path()).expect("folder").count();
        assert_eq!(files, 1, "no drafts are left behind");
    }
}
