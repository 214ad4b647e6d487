//! The silence watchdog's loop: every `WATCHDOG_POLL_SECONDS` each instance
//! tries the shared lease; the one that takes it runs a round
//! (`services::watchdog::round`) and records it for `/admin/tracking`.

use super::lease::Lease;
use super::shutdown::Shutdown;
use crate::config::Settings;
use crate::db::{DbConnection, DbPool};
use crate::services::watchdog::{self, Opened};
use crate::services::{ServiceResult, now};
use chrono::Duration;

/// The job's name in `job_leases`.
pub const JOB: &str = "watchdog";
/// How long a round may hold the lease before another instance may take
/// over (a round that died; the silences' unique key keeps that safe).
const HOLD_MINUTES: i64 = 10;

/// Runs on the current runtime, one round per `settings.watchdog_poll`
/// across all instances, until `shutdown` (after the round under way).
pub async fn run(pool: DbPool, settings: Settings, shutdown: Shutdown) {
    let lease = Lease::new(JOB);
    let every = Duration::from_std(settings.watchdog_poll).unwrap_or(Duration::minutes(5));
    loop {
        let (pool, lease) = (pool.clone(), lease.clone());
        let round = tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            run_once(&mut conn, &lease, Some(every))
        });
        match round.await {
            Ok(Ok(Some(opened))) if !opened.is_empty() => {
                tracing::info!(opened = opened.len(), "watchdog opened tickets")
            }
            Ok(Ok(_)) => {}
            Ok(Err(error)) => tracing::warn!(%error, "watchdog round failed"),
            Err(error) => tracing::warn!(%error, "watchdog round panicked"),
        }
        if shutdown.sleep(settings.watchdog_poll).await {
            tracing::info!("watchdog stopped");
            return;
        }
    }
}

/// One round under the lease: `None` when another instance holds it (or,
/// with `every`, ran a round less than that long ago).
pub fn run_once(
    conn: &mut DbConnection,
    lease: &Lease,
    every: Option<Duration>,
) -> ServiceResult<Option<Vec<Opened>>> {
    if !lease.take(conn, now(), Duration::minutes(HOLD_MINUTES), every)? {
        return Ok(None);
    }
    // A failed round keeps the lease until it expires, and the page keeps
    // showing the last round that finished.
    let opened = watchdog::round(conn, now())?;
    lease.finish(conn, now(), i64::try_from(opened.len()).unwrap_or(i64::MAX))?;
    Ok(Some(opened))
}
