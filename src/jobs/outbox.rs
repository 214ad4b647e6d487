//! The outbox worker: sends the notification e-mails the `outbox` table
//! holds. A mail is leased before it is sent (so two instances never send
//! the same one), retried with growing pauses when the server refuses it,
//! and given up after [`MAX_ATTEMPTS`]. Without `SMTP_URL` mails are marked
//! skipped, which the admin sees at `/admin/outbox`.

use super::shutdown::Shutdown;
use crate::config::Settings;
use crate::db::models::OutboxMail;
use crate::db::schema::outbox;
use crate::db::{DbConnection, DbPool, write_tx};
use crate::i18n::{self, Lang};
use crate::services::now;
use chrono::Duration;
use diesel::prelude::*;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{Message, SmtpTransport, Transport};

/// After this many failed attempts a mail is marked failed.
pub const MAX_ATTEMPTS: i64 = 8;
/// How long a claimed mail is left alone while it is being sent.
const LEASE_MINUTES: i64 = 5;
/// Mails claimed per round.
const BATCH: i64 = 20;

/// The pause before attempt `attempts + 1`: 30 s, 1 min, 2 min, … at most an hour.
pub fn backoff(attempts: i64) -> Duration {
    let seconds = 30i64.saturating_mul(1i64 << attempts.clamp(0, 7));
    Duration::seconds(seconds.min(3600))
}

/// Runs on the current runtime, one round per `settings.outbox_poll`, until
/// `shutdown`: a round under way (its mails are leased) is finished first.
pub async fn run(pool: DbPool, settings: Settings, shutdown: Shutdown) {
    let mailer = match settings.smtp_url.as_ref() {
        Some(url) => match SmtpTransport::from_url(url.expose()) {
            Ok(builder) => Some(builder.build()),
            Err(error) => {
                tracing::error!(%error, "SMTP_URL is not usable; mails will be skipped");
                None
            }
        },
        None => None,
    };
    loop {
        let (pool, job_settings, mailer) = (pool.clone(), settings.clone(), mailer.clone());
        let round =
            tokio::task::spawn_blocking(move || round(&pool, &job_settings, mailer.as_ref()));
        match round.await {
            Ok(Err(error)) => tracing::warn!(%error, "outbox round failed"),
            Err(error) => tracing::warn!(%error, "outbox round panicked"),
            Ok(Ok(_)) => {}
        }
        if shutdown.sleep(settings.outbox_poll).await {
            tracing::info!("outbox worker stopped");
            return;
        }
    }
}

/// One round: claims due mails, sends them, records the outcome. Returns how many were handled.
pub fn round(
    pool: &DbPool,
    settings: &Settings,
    mailer: Option<&SmtpTransport>,
) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    let mut conn = pool.get()?;
    let due = claim(&mut conn)?;
    for mail in &due {
        let outcome = match mailer {
            None => Outcome::Skipped,
            Some(mailer) => match message(settings, mail) {
                Ok(message) => match mailer.send(&message) {
                    Ok(_) => Outcome::Sent,
                    Err(error) => Outcome::Failed(error.to_string()),
                },
                Err(error) => Outcome::Failed(error),
            },
        };
        record(&mut conn, mail, outcome)?;
    }
    Ok(due.len())
}

/// Takes the due mails and leases them, in one transaction. PostgreSQL
/// skips rows another instance holds; SQLite has one writer at a time.
fn claim(conn: &mut DbConnection) -> QueryResult<Vec<OutboxMail>> {
    write_tx(conn, |conn| {
        let due = outbox::table
            .filter(outbox::status.eq("pending"))
            .filter(outbox::next_attempt_at.le(now()))
            .order(outbox::id.asc())
            .limit(BATCH);
        let mails: Vec<OutboxMail> = match conn {
            DbConnection::Postgresql(c) => due.for_update().skip_locked().load(c)?,
            DbConnection::Sqlite(c) => due.load(c)?,
        };
        let ids: Vec<i64> = mails.iter().map(|m| m.id).collect();
        diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
            .set(outbox::next_attempt_at.eq(now() + Duration::minutes(LEASE_MINUTES)))
            .execute(conn)?;
        Ok(mails)
    })
}

enum Outcome {
    Sent,
    Skipped,
    Failed(String),
}

fn record(conn: &mut DbConnection, mail: &OutboxMail, outcome: Outcome) -> QueryResult<()> {
    let row = outbox::table.find(mail.id);
    match outcome {
        Outcome::Sent => diesel::update(row)
            .set((
                outbox::status.eq("sent"),
                outbox::attempts.eq(mail.attempts + 1),
                outbox::sent_at.eq(Some(now())),
                // Links may carry one-time tokens (invitations); once mailed
                // they need not be kept.
                outbox::link.eq(""),
            ))
            .execute(conn)?,
        // A mail that will never go out keeps no one-time link either: the
        // outbox page must not become a place to read invitation links.
        Outcome::Skipped => diesel::update(row)
            .set((
                outbox::status.eq("skipped"),
                outbox::last_error.eq("SMTP_URL is not set"),
                outbox::link.eq(""),
            ))
            .execute(conn)?,
        Outcome::Failed(error) => {
            let attempts = mail.attempts + 1;
            tracing::warn!(mail = mail.id, attempts, %error, "mail not sent");
            let given_up = attempts >= MAX_ATTEMPTS;
            let status = if given_up { "failed" } else { "pending" };
            if given_up {
                diesel::update(row).set(outbox::link.eq("")).execute(conn)?;
            }
            diesel::update(row)
                .set((
                    outbox::status.eq(status),
                    outbox::attempts.eq(attempts),
                    outbox::next_attempt_at.eq(now() + backoff(attempts - 1)),
                    outbox::last_error.eq(error.chars().take(500).collect::<String>()),
                ))
                .execute(conn)?
        }
    };
    Ok(())
}

/// The e-mail: the notification in Chinese and English, its detail and a link.
fn message(settings: &Settings, mail: &OutboxMail) -> Result<Message, String> {
    let key = format!("notify.{}", mail.kind);
    let zh = i18n::t(Lang::ZhCn, &key);
    let en = i18n::t(Lang::En, &key);
    let from: Mailbox = settings
        .mail_from
        .parse()
        .map_err(|e| format!("MAIL_FROM: {e}"))?;
    let to: Mailbox = mail
        .recipient
        .parse()
        .map_err(|e| format!("recipient: {e}"))?;
    let body = format!(
        "{zh}\n{en}\n\n{}\n\n{}{}\n\n-- \n样品邮 Samplepost\n",
        mail.detail, settings.public_url, mail.link
    );
    Message::builder()
        .from(from)
        .to(to)
        .subject(format!("{zh} / {en}"))
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pause_doubles_from_thirty_seconds_up_to_an_hour() {
        assert_eq!(backoff(0), Duration::seconds(30));
        assert_eq!(backoff(1), Duration::seconds(60));
        assert_eq!(backoff(3), Duration::seconds(240));
        assert_eq!(backoff(7), Duration::seconds(3600));
        assert_eq!(backoff(50), Duration::seconds(3600));
    }
}
