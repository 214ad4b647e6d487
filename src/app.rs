//! Builds the actix application: middleware, routes and shared state.

use crate::config::Settings;
use crate::db::{self, Backend};
use crate::demo::DemoFlag;
use crate::domain::email::Email;
use crate::jobs::shutdown::Workers;
use crate::metrics::Metrics;
use crate::services::{accounts, catalogue};
use crate::storage;
use crate::web::{self, AppState, edge};
use actix_session::SessionMiddleware;
use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::storage::CookieSessionStore;
use actix_web::cookie::{Key, SameSite, time::Duration as CookieDuration};
use actix_web::dev::Server;
use actix_web::middleware::{DefaultHeaders, from_fn};
use actix_web::{App, HttpServer};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

/// Headers on every response (DESIGN.md §7): no inline script, no framing.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                   object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// HSTS, sent only when cookies are marked Secure: that setting says the site
/// is served over HTTPS, and a plain-HTTP deployment must not pin browsers to HTTPS.
const HSTS: &str = "max-age=31536000; includeSubDomains";

fn security_headers(https: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add(("Content-Security-Policy", CSP))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"));
    if https {
        headers.add(("Strict-Transport-Security", HSTS))
    } else {
        headers
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot open the database: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("cannot migrate the database: {0}")]
    Migrate(String),
    #[error("cannot create the admin: {0}")]
    Admin(String),
    #[error("cannot listen: {0}")]
    Bind(#[from] std::io::Error),
    #[error("cannot set up the upload storage: {0}")]
    Storage(#[from] crate::storage::StorageError),
}

/// Opens the pool, brings the schema up to date and loads the reference
/// catalogue (countries, pricing defaults, demo routes) where it is empty.
pub fn prepare_database(settings: &Settings) -> Result<db::DbPool, StartError> {
    let backend = Backend::from_url(&settings.database_url);
    let size = match backend {
        Backend::Sqlite => 8,
        Backend::Postgres => 10,
    };
    let pool = db::connect(&settings.database_url, size)?;
    let mut conn = pool.get()?;
    db::migrate(&mut conn).map_err(|e| StartError::Migrate(e.to_string()))?;
    catalogue::seed(&mut conn)
        .map_err(|e| StartError::Migrate(format!("reference catalogue: {e}")))?;
    Ok(pool)
}

/// Creates the platform admin on first start; returns the one-time password.
pub fn ensure_admin(pool: &db::DbPool, settings: &Settings) -> Result<Option<String>, StartError> {
    let email = Email::parse(&settings.admin_email).map_err(|_| {
        StartError::Admin(format!(
            "ADMIN_EMAIL {:?} is not an e-mail",
            settings.admin_email
        ))
    })?;
    let mut conn = pool.get()?;
    accounts::ensure_admin(&mut conn, &email).map_err(|e| StartError::Admin(e.to_string()))
}

/// Starts serving on `listener`; the returned server runs until stopped,
/// the background workers as long as the runtime (the tests' servers).
pub fn serve(
    listener: TcpListener,
    pool: db::DbPool,
    settings: Settings,
) -> Result<Server, StartError> {
    start(listener, pool, settings).map(|(server, _workers)| server)
}

/// Starts serving on `listener` and the background workers. The server
/// stops gracefully on SIGTERM (no new connections, requests in flight
/// answered within `settings.shutdown_timeout`); then `Workers::stop`
/// (`main.rs`).
pub fn start(
    listener: TcpListener,
    pool: db::DbPool,
    settings: Settings,
) -> Result<(Server, Workers), StartError> {
    let pool_for_jobs = pool.clone();
    let demo = crate::demo::DemoFlag::default();
    if let Ok(mut conn) = pool.get() {
        demo.set(crate::demo::is_on(&mut conn).unwrap_or(false));
    }
    let state = actix_web::web::Data::new(AppState {
        demo: demo.clone(),
        catalogue: Arc::default(),
        board_pages: Arc::default(),
        backend: Backend::from_url(&settings.database_url),
        storage: storage::from_settings(&settings)?,
        pool,
        settings: settings.clone(),
    });
    let metrics = actix_web::web::Data::new(Metrics::default());
    let workers = spawn_workers(&pool_for_jobs, &settings, demo);
    let key = Key::derive_from(settings.session_key.expose());
    let secure = settings.cookie_secure;
    // The cookie lives as long as a session may; the `sessions` row decides earlier ends.
    let cookie_days = settings.session_lifetime.max_days;
    let server = HttpServer::new(move || {
        let session = SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
            .cookie_name("sp_session".to_owned())
            .cookie_secure(secure)
            .cookie_http_only(true)
            .cookie_same_site(SameSite::Lax)
            .cookie_content_security(CookieContentSecurity::Private)
            .session_lifecycle(
                PersistentSession::default().session_ttl(CookieDuration::days(cookie_days)),
            )
            .build();
        App::new()
            .app_data(state.clone())
            .app_data(metrics.clone())
            .configure(edge::extractor_configs)
            .configure(web::routes)
            .default_service(actix_web::web::to(web::public::not_found))
            // Inside the session (it needs to know who is signed in), before
            // every handler: refuses hostile input, checks CSRF.
            .wrap(from_fn(edge::guard))
            .wrap(session)
            // Error pages from everything inside, the reader's language first.
            .wrap(from_fn(web::errors::in_readers_language))
            .wrap(security_headers(secure))
            // Times all the layers inside it, by route pattern (`web::metrics`).
            .wrap(from_fn(web::metrics::record))
            .wrap(tracing_actix_web::TracingLogger::<edge::Spans>::new())
            // Outermost: the id exists before the span that logs it.
            .wrap(from_fn(edge::request_id::stamp))
    })
    // The request head must arrive within 10 s (a body has its own timeouts,
    // `Settings::body_timeouts`); a closing client gets 2 s to go.
    .client_request_timeout(Duration::from_secs(10))
    .client_disconnect_timeout(Duration::from_secs(2))
    .shutdown_timeout(settings.shutdown_timeout.as_secs())
    .listen(listener)?
    .run();
    Ok((server, workers))
}

/// The background workers of this instance, each told when to stop.
fn spawn_workers(pool: &db::DbPool, settings: &Settings, demo: DemoFlag) -> Workers {
    use crate::jobs::{outbox, review_reminders, watchdog, webhooks};
    let mut workers = Workers::default();
    let (p, s, stop) = (pool.clone(), settings.clone(), workers.shutdown());
    workers.spawn(outbox::run(p, s, stop));
    let (p, s, stop) = (pool.clone(), settings.clone(), workers.shutdown());
    workers.spawn(webhooks::run(p, s, stop));
    let (p, s, stop) = (pool.clone(), settings.clone(), workers.shutdown());
    workers.spawn(review_reminders::run(p, s, stop));
    let (p, s, stop) = (pool.clone(), settings.clone(), workers.shutdown());
    workers.spawn(watchdog::run(p, s, stop));
    let stop = workers.shutdown();
    workers.spawn(crate::demo::watch(pool.clone(), demo, stop));
    workers
}
