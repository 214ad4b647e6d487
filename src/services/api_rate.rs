//! The API's per-token rate limit (issue #13), shared by every instance
//! through the database (issue #14): a token bucket per token, refilled at
//! `per_second` up to `burst`, one request taken per call.
//!
//! One UPSERT computes the refill, takes the request and says whether it
//! could: PostgreSQL's `ON CONFLICT DO UPDATE` locks the row, SQLite has one
//! writer, so concurrent calls on any instance each see the previous one's
//! result. Times are milliseconds since 1970 so the arithmetic is the same
//! SQL on both backends; a clock behind another instance's refills nothing.

use crate::config::ApiRate;
use crate::db::DbConnection;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Double};

#[derive(QueryableByName)]
struct Taken {
    #[diesel(sql_type = Double)]
    tokens: f64,
    #[diesel(sql_type = Bool)]
    granted: bool,
}

/// Takes one request from `token_id`'s bucket at `now_ms`: `Ok` when there
/// was one, otherwise the whole seconds until there will be.
pub fn take(
    conn: &mut DbConnection,
    token_id: i64,
    rate: ApiRate,
    now_ms: i64,
) -> QueryResult<Result<(), u64>> {
    let burst = rate.burst.max(1.0);
    let per_ms = rate.per_second.max(0.001) / 1000.0;
    // Only numbers of our own are formatted into the statement.
    let elapsed = "CASE WHEN excluded.updated_ms > api_rate_buckets.updated_ms \
                   THEN excluded.updated_ms - api_rate_buckets.updated_ms ELSE 0 END";
    let refill = format!("(api_rate_buckets.tokens + ({elapsed}) * {per_ms:e})");
    let capped = format!("(CASE WHEN {refill} > {burst:e} THEN {burst:e} ELSE {refill} END)");
    let statement = format!(
        "INSERT INTO api_rate_buckets (token_id, tokens, updated_ms, granted) \
         VALUES ({token_id}, {first:e}, {now_ms}, TRUE) \
         ON CONFLICT (token_id) DO UPDATE SET \
           tokens = CASE WHEN {capped} >= 1 THEN {capped} - 1 ELSE {capped} END, \
           granted = {capped} >= 1, \
           updated_ms = CASE WHEN excluded.updated_ms > api_rate_buckets.updated_ms \
                        THEN excluded.updated_ms ELSE api_rate_buckets.updated_ms END \
         RETURNING tokens, granted",
        first = burst - 1.0,
    );
    let taken: Taken = diesel::sql_query(statement).get_result(conn)?;
    Ok(if taken.granted {
        Ok(())
    } else {
        let wait = (1.0 - taken.tokens) / rate.per_second.max(0.001);
        Err((wait.ceil() as u64).max(1))
    })
}
