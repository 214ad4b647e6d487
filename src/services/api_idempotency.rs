//! `Idempotency-Key` of the ERP API (issue #13): a write call's key is
//! reserved in its own transaction before the call runs, and the answer is
//! stored on the reserved row, so a repeated call (a retry, or a duplicate
//! racing the first) gets the first answer and never runs twice.

use crate::db::schema::{api_idempotency, api_tokens};
use crate::db::{DbConnection, write_tx};
use crate::services::{now, tokens};
use chrono::Duration;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// A stored key: id, body digest, the answer's status and body, when.
type KeyRow = (
    i64,
    String,
    Option<i32>,
    Option<String>,
    chrono::NaiveDateTime,
);

/// How long a key and its answer are kept.
pub const KEEP_HOURS: i64 = 24;
/// A reservation without an answer this old belongs to a request that died
/// (its instance stopped); the key is taken over.
pub const ABANDONED_SECONDS: i64 = 120;

/// What a key says about a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reservation {
    /// The key is new: run the request, then [`finish`] or [`release`].
    Reserved(i64),
    /// The same request ran before: its answer.
    Replay { status: u16, body: String },
    /// The key was used for another request.
    Mismatch,
    /// The same request is running now.
    InProgress,
}

/// The live token a bearer secret names, if any (the key belongs to it).
pub fn token_id(conn: &mut DbConnection, secret: &str) -> QueryResult<Option<i64>> {
    api_tokens::table
        .filter(api_tokens::token_sha256.eq(tokens::digest(secret)))
        .filter(api_tokens::revoked_at.is_null())
        .select(api_tokens::id)
        .first(conn)
        .optional()
}

/// Reserves `key` for the request whose digest is `request_sha256`, or says
/// what an earlier request with the key left. Keys older than
/// [`KEEP_HOURS`] are purged on the way.
pub fn reserve(
    conn: &mut DbConnection,
    token_id: i64,
    key: &str,
    request_sha256: &str,
) -> QueryResult<Reservation> {
    // Twice at most: once more after losing the race to insert the key.
    for _ in 0..2 {
        let attempt = write_tx(conn, |conn| {
            let at = now();
            diesel::delete(
                api_idempotency::table
                    .filter(api_idempotency::created_at.lt(at - Duration::hours(KEEP_HOURS))),
            )
            .execute(conn)?;
            let existing: Option<KeyRow> = api_idempotency::table
                .filter(api_idempotency::token_id.eq(token_id))
                .filter(api_idempotency::idempotency_key.eq(key))
                .select((
                    api_idempotency::id,
                    api_idempotency::request_sha256,
                    api_idempotency::status_code,
                    api_idempotency::response_body,
                    api_idempotency::created_at,
                ))
                .first(conn)
                .optional()?;
            if let Some((id, digest, status, body, created_at)) = existing {
                if digest != request_sha256 {
                    return Ok(Reservation::Mismatch);
                }
                match (status, body) {
                    (Some(status), Some(body)) => {
                        return Ok(Reservation::Replay {
                            status: u16::try_from(status).unwrap_or(500),
                            body,
                        });
                    }
                    _ if at - created_at < Duration::seconds(ABANDONED_SECONDS) => {
                        return Ok(Reservation::InProgress);
                    }
                    _ => {
                        diesel::delete(api_idempotency::table.find(id)).execute(conn)?;
                    }
                }
            }
            diesel::insert_into(api_idempotency::table)
                .values((
                    api_idempotency::token_id.eq(token_id),
                    api_idempotency::idempotency_key.eq(key),
                    api_idempotency::request_sha256.eq(request_sha256),
                    api_idempotency::created_at.eq(at),
                ))
                .execute(conn)?;
            let id = api_idempotency::table
                .filter(api_idempotency::token_id.eq(token_id))
                .filter(api_idempotency::idempotency_key.eq(key))
                .select(api_idempotency::id)
                .first(conn)?;
            Ok(Reservation::Reserved(id))
        });
        match attempt {
            Ok(reservation) => return Ok(reservation),
            // Another instance inserted the key between our read and write
            // (PostgreSQL): read again, it is theirs now.
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(Reservation::InProgress)
}

/// Stores the answer to a reserved key.
pub fn finish(conn: &mut DbConnection, id: i64, status: u16, body: &str) -> QueryResult<()> {
    diesel::update(api_idempotency::table.find(id))
        .set((
            api_idempotency::status_code.eq(Some(i32::from(status))),
            api_idempotency::response_body.eq(Some(body)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Frees a reserved key whose request failed for a reason a retry may not
/// meet (a server error, a rate limit): the next request with it runs.
pub fn release(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::delete(api_idempotency::table.find(id)).execute(conn)?;
    Ok(())
}

/// What a key holds now, without writing: `None` once it is free again.
pub fn peek(
    conn: &mut DbConnection,
    token_id: i64,
    key: &str,
    request_sha256: &str,
) -> QueryResult<Option<Reservation>> {
    let row: Option<(String, Option<i32>, Option<String>)> = api_idempotency::table
        .filter(api_idempotency::token_id.eq(token_id))
        .filter(api_idempotency::idempotency_key.eq(key))
        .select((
            api_idempotency::request_sha256,
            api_idempotency::status_code,
            api_idempotency::response_body,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(digest, status, body)| match (status, body) {
        _ if digest != request_sha256 => Reservation::Mismatch,
        (Some(status), Some(body)) => Reservation::Replay {
            status: u16::try_from(status).unwrap_or(500),
            body,
        },
        _ => Reservation::InProgress,
    }))
}
