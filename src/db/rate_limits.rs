//! Per-address request counters in fixed windows, shared by every instance
//! (see `web::rate_limit` for the limits).

use super::DbConnection;
use super::schema::rate_limits;
use crate::with_backend;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Counts one request of `bucket` from `ip` in the window that began at
/// `window_start`; returns the requests counted in that window so far.
/// The first request of a window also deletes windows that began before
/// `prune_before`, so the table holds about one row per active address.
///
/// BACKEND: one `INSERT … ON CONFLICT DO UPDATE … RETURNING` on either
/// database (MultiConnection has no upsert), so instances counting the same
/// address at once neither lose a request nor collide on the key.
pub fn count_hit(
    conn: &mut DbConnection,
    bucket: &str,
    ip: &str,
    window_start: NaiveDateTime,
    prune_before: NaiveDateTime,
) -> QueryResult<i64> {
    let hits: i64 = with_backend!(&mut *conn, |c| diesel::insert_into(rate_limits::table)
        .values((
            rate_limits::bucket.eq(bucket),
            rate_limits::ip.eq(ip),
            rate_limits::window_start.eq(window_start),
            rate_limits::hits.eq(1_i64),
        ))
        .on_conflict((
            rate_limits::bucket,
            rate_limits::ip,
            rate_limits::window_start
        ))
        .do_update()
        .set(rate_limits::hits.eq(rate_limits::hits + 1))
        .returning(rate_limits::hits)
        .get_result(c))?;
    if hits == 1 {
        diesel::delete(rate_limits::table.filter(rate_limits::window_start.lt(prune_before)))
            .execute(conn)?;
    }
    Ok(hits)
}
