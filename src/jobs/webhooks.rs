//! The webhook worker: sends the deliveries `services::webhooks` queued.
//! Like the mail outbox, a delivery is leased before it is sent
//! (`leased_until`; PostgreSQL skips rows another instance is claiming), so
//! two instances never send one delivery twice; a refused or failed one is
//! tried again after a pause that doubles, until a day has passed.
//!
//! Each attempt POSTs the stored body with
//! `X-Samplepost-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`,
//! `X-Samplepost-Event` and `X-Samplepost-Delivery`; any 2xx is delivered.

use super::shutdown::Shutdown;
use crate::config::{Settings, WebhookSettings};
use crate::db::schema::{webhook_attempts, webhook_deliveries, webhook_endpoints};
use crate::db::{DbConnection, DbPool, write_tx};
use crate::services::now;
use crate::services::webhooks::Delivery;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How long a claimed delivery is left alone while it is being sent: a
/// batch of [`BATCH`] at [`TOTAL_TIMEOUT`] each fits well inside.
const LEASE_MINUTES: i64 = 5;
/// Deliveries claimed per round.
const BATCH: i64 = 20;
/// Longest wait for the receiver to accept the connection.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);
/// Longest time for a whole attempt, answer included.
const TOTAL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// The most of an error text kept.
const MAX_ERROR: usize = 300;

/// A claimed delivery with where and how to send it.
struct Claimed {
    delivery: Delivery,
    url: String,
    secret: String,
    /// The lease this instance took; the outcome is written only under it.
    leased_until: NaiveDateTime,
}

/// The signature header's value for `body` signed at `unix` seconds.
pub fn signature(secret: &str, unix: i64, body: &str) -> String {
    // HMAC accepts a key of any length, so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(format!("{unix}.{body}").as_bytes());
    format!("t={unix},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// The pause after failed attempt number `attempts` (1 = the first):
/// `retry_base` doubling, at most `retry_cap`.
pub fn backoff(settings: &WebhookSettings, attempts: i64) -> Duration {
    let base = Duration::from_std(settings.retry_base).unwrap_or(Duration::seconds(30));
    let cap = Duration::from_std(settings.retry_cap).unwrap_or(Duration::hours(1));
    let doublings = u32::try_from((attempts - 1).clamp(0, 30)).unwrap_or(30);
    base.checked_mul(1_i32 << doublings.min(30))
        .filter(|pause| *pause < cap)
        .unwrap_or(cap)
}

/// Runs on the current runtime, one round per `settings.webhooks.poll`, until
/// `shutdown`: the delivery being sent is finished and recorded, the rest of
/// the round's batch is handed back (see [`round`]).
pub async fn run(pool: DbPool, settings: Settings, shutdown: Shutdown) {
    let client = match reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(TOTAL_TIMEOUT)
        // A redirect is an answer like any other non-2xx: the owner fixes the URL.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Samplepost-Webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
    {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "webhook client cannot start; webhooks are not sent");
            return;
        }
    };
    loop {
        if let Err(error) = round(&pool, &settings.webhooks, &client, &shutdown).await {
            tracing::warn!(%error, "webhook round failed");
        }
        if shutdown.sleep(settings.webhooks.poll).await {
            tracing::info!("webhook worker stopped");
            return;
        }
    }
}

type RoundError = Box<dyn std::error::Error + Send + Sync>;

/// One round: claims the due deliveries, sends each, records the outcome.
/// Returns how many were attempted. Once `shutdown` is asked for, the
/// deliveries not yet sent lose their lease, so the next instance (or the
/// next start) sends them without waiting for it to run out.
pub async fn round(
    pool: &DbPool,
    settings: &WebhookSettings,
    client: &reqwest::Client,
    shutdown: &Shutdown,
) -> Result<usize, RoundError> {
    let claim_pool = pool.clone();
    let claimed = tokio::task::spawn_blocking(move || -> Result<Vec<Claimed>, RoundError> {
        let mut conn = claim_pool.get()?;
        Ok(claim(&mut conn)?)
    })
    .await??;
    let mut count = 0;
    let mut claimed = claimed.into_iter();
    while let Some(item) = claimed.next() {
        if shutdown.requested() {
            let unsent: Vec<Claimed> = std::iter::once(item).chain(claimed).collect();
            let release_pool = pool.clone();
            tokio::task::spawn_blocking(move || -> Result<(), RoundError> {
                Ok(release(&mut *release_pool.get()?, &unsent)?)
            })
            .await??;
            break;
        }
        count += 1;
        let started = std::time::Instant::now();
        let outcome = send(client, &item).await;
        let took = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        let (record_pool, settings) = (pool.clone(), *settings);
        tokio::task::spawn_blocking(move || -> Result<(), RoundError> {
            let mut conn = record_pool.get()?;
            Ok(record(&mut conn, &settings, &item, outcome, took)?)
        })
        .await??;
    }
    Ok(count)
}

/// Takes the due deliveries of active endpoints and leases them, in one
/// transaction. PostgreSQL skips rows another instance holds; SQLite has
/// one writer at a time.
fn claim(conn: &mut DbConnection) -> QueryResult<Vec<Claimed>> {
    write_tx(conn, |conn| {
        let at = now();
        let due = webhook_deliveries::table
            .filter(webhook_deliveries::status.eq("pending"))
            .filter(webhook_deliveries::next_attempt_at.le(at))
            .filter(
                webhook_deliveries::leased_until
                    .is_null()
                    .or(webhook_deliveries::leased_until.le(at)),
            )
            .order(webhook_deliveries::id.asc())
            .limit(BATCH);
        let deliveries: Vec<Delivery> = match conn {
            DbConnection::Postgresql(c) => due
                .for_update()
                .skip_locked()
                .select(Delivery::as_select())
                .load(c)?,
            DbConnection::Sqlite(c) => due.select(Delivery::as_select()).load(c)?,
        };
        let leased_until = at + Duration::minutes(LEASE_MINUTES);
        let ids: Vec<i64> = deliveries.iter().map(|d| d.id).collect();
        diesel::update(webhook_deliveries::table.filter(webhook_deliveries::id.eq_any(&ids)))
            .set(webhook_deliveries::leased_until.eq(Some(leased_until)))
            .execute(conn)?;
        let mut claimed = Vec::with_capacity(deliveries.len());
        for delivery in deliveries {
            let (url, secret): (String, String) = webhook_endpoints::table
                .find(delivery.endpoint_id)
                .select((webhook_endpoints::url, webhook_endpoints::secret))
                .first(conn)?;
            claimed.push(Claimed {
                delivery,
                url,
                secret,
                leased_until,
            });
        }
        Ok(claimed)
    })
}

/// Hands claimed deliveries back unsent: their lease ends now, if it is
/// still this instance's.
fn release(conn: &mut DbConnection, unsent: &[Claimed]) -> QueryResult<()> {
    for item in unsent {
        diesel::update(
            webhook_deliveries::table
                .find(item.delivery.id)
                .filter(webhook_deliveries::leased_until.eq(Some(item.leased_until))),
        )
        .set(webhook_deliveries::leased_until.eq(None::<NaiveDateTime>))
        .execute(conn)?;
    }
    Ok(())
}

/// What one attempt got: the receiver's status code, or why there was none.
#[derive(Debug)]
enum Outcome {
    Answered(u16),
    NoAnswer(String),
}

async fn send(client: &reqwest::Client, item: &Claimed) -> Outcome {
    let body = item.delivery.payload.clone();
    let unix = chrono::Utc::now().timestamp();
    let response = client
        .post(&item.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(
            "X-Samplepost-Signature",
            signature(&item.secret, unix, &body),
        )
        .header("X-Samplepost-Event", &item.delivery.event_type)
        .header("X-Samplepost-Delivery", item.delivery.id.to_string())
        .body(body)
        .send()
        .await;
    match response {
        // The body is not read: only the code counts, and a slow or huge
        // answer must not hold the worker.
        Ok(response) => Outcome::Answered(response.status().as_u16()),
        Err(error) => Outcome::NoAnswer(describe(&error)),
    }
}

/// A short reason without the URL (it is on the page already).
fn describe(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "connection failed"
    } else {
        "request failed"
    };
    let mut detail = String::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        detail = cause.to_string();
        source = cause.source();
    }
    let text = if detail.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {detail}")
    };
    text.chars().take(MAX_ERROR).collect()
}

/// Writes the attempt and the delivery's new state, if this instance still
/// holds the lease it took.
fn record(
    conn: &mut DbConnection,
    settings: &WebhookSettings,
    item: &Claimed,
    outcome: Outcome,
    took_ms: i64,
) -> QueryResult<()> {
    let at = now();
    let delivery = &item.delivery;
    let attempts = delivery.attempts + 1;
    let (code, error) = match &outcome {
        Outcome::Answered(code) => (Some(i64::from(*code)), String::new()),
        Outcome::NoAnswer(error) => (None, error.clone()),
    };
    let delivered = matches!(outcome, Outcome::Answered(code) if (200..300).contains(&code));
    let next = at + backoff(settings, attempts);
    let give_up_at = delivery.created_at
        + Duration::from_std(settings.give_up_after).unwrap_or(Duration::hours(24));
    let status = if delivered {
        "delivered"
    } else if next > give_up_at {
        "failed"
    } else {
        "pending"
    };
    if !delivered {
        tracing::warn!(
            delivery = delivery.id,
            attempts,
            ?outcome,
            "webhook not accepted"
        );
    }
    write_tx(conn, |conn| {
        let updated = diesel::update(
            webhook_deliveries::table
                .filter(webhook_deliveries::id.eq(delivery.id))
                .filter(webhook_deliveries::leased_until.eq(Some(item.leased_until)))
                .filter(webhook_deliveries::attempts.eq(delivery.attempts)),
        )
        .set((
            webhook_deliveries::status.eq(status),
            webhook_deliveries::attempts.eq(attempts),
            webhook_deliveries::next_attempt_at.eq(next),
            webhook_deliveries::leased_until.eq(None::<NaiveDateTime>),
            webhook_deliveries::last_status_code.eq(code),
            webhook_deliveries::last_error.eq(&error),
            webhook_deliveries::last_attempt_at.eq(Some(at)),
            webhook_deliveries::delivered_at.eq(delivered.then_some(at)),
        ))
        .execute(conn)?;
        // Another instance took the delivery over after the lease ran out;
        // its outcome is the one that counts.
        if updated == 1 {
            diesel::insert_into(webhook_attempts::table)
                .values((
                    webhook_attempts::delivery_id.eq(delivery.id),
                    webhook_attempts::attempted_at.eq(at),
                    webhook_attempts::status_code.eq(code),
                    webhook_attempts::error.eq(&error),
                    webhook_attempts::duration_ms.eq(took_ms),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pause_doubles_from_thirty_seconds_up_to_an_hour() {
        let settings = WebhookSettings::default();
        assert_eq!(backoff(&settings, 1), Duration::seconds(30));
        assert_eq!(backoff(&settings, 2), Duration::seconds(60));
        assert_eq!(backoff(&settings, 4), Duration::seconds(240));
        assert_eq!(backoff(&settings, 8), Duration::seconds(3600));
        assert_eq!(backoff(&settings, 500), Duration::seconds(3600));
    }

    #[test]
    fn the_signature_is_the_hmac_of_time_dot_body() {
        // echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
        assert_eq!(
            signature("whsec_test", 1_700_000_000, r#"{"a":1}"#),
            format!(
                "t=1700000000,v1={}",
                "38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"
            )
        );
    }
}
