//! The review reminders' loop: every `WATCHDOG_POLL_SECONDS` each instance
//! tries the shared lease; the one that takes it, at most once an hour
//! across instances, runs a round (`services::reviews::reminders::round`).

use super::lease::Lease;
use super::shutdown::Shutdown;
use crate::config::Settings;
use crate::db::{DbConnection, DbPool};
use crate::services::reviews::reminders::{self, Reminded};
use crate::services::{ServiceResult, now};
use chrono::Duration;

/// The job's name in `job_leases`.
pub const JOB: &str = "review_reminders";
/// How long a round may hold the lease before another instance may take
/// over (a round that died; `review_reminders`' key keeps that safe).
const HOLD_MINUTES: i64 = 10;
/// Reminders are due by the day: one round an hour is on time.
const EVERY_MINUTES: i64 = 60;

/// Runs on the current runtime until `shutdown` (after the round under way).
pub async fn run(pool: DbPool, settings: Settings, shutdown: Shutdown) {
    let lease = Lease::new(JOB);
    loop {
        let (pool, lease) = (pool.clone(), lease.clone());
        let round = tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            run_once(&mut conn, &lease, Some(Duration::minutes(EVERY_MINUTES)))
        });
        match round.await {
            Ok(Ok(Some(sent))) if !sent.is_empty() => {
                tracing::info!(sent = sent.len(), "review reminders sent")
            }
            Ok(Ok(_)) => {}
            Ok(Err(error)) => tracing::warn!(%error, "review reminder round failed"),
            Err(error) => tracing::warn!(%error, "review reminder round panicked"),
        }
        if shutdown.sleep(settings.watchdog_poll).await {
            tracing::info!("review reminders stopped");
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
) -> ServiceResult<Option<Vec<Reminded>>> {
    if !lease.take(conn, now(), Duration::minutes(HOLD_MINUTES), every)? {
        return Ok(None);
    }
    let sent = reminders::round(conn, now())?;
    lease.finish(conn, now(), i64::try_from(sent.len()).unwrap_or(i64::MAX))?;
    Ok(Some(sent))
}
