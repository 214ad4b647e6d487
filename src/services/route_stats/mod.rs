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

mod aggregates;
mod diff;
pub mod measure;
mod store;

use crate::db::DbConnection;
use crate::db::reviews::Review;
use crate::db::route_stats::OrderFacts;
use aggregates::{Aggregates, Scope, review_scopes, route_scopes};
use diesel::QueryResult;
use std::collections::BTreeSet;

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
    if old == new {
        return Ok(());
    }
    let mut touched = Aggregates::default();
    let changes = [(old, -1), (new, 1)];
    for (review, sign) in changes {
        if let Some(review) = review {
            touched.add_review(review, sign);
        }
    }
    let keys: BTreeSet<Scope> = changes
        .iter()
        .filter_map(|(review, _)| *review)
        .flat_map(review_scopes)
        .collect();
    store::lock_stats(conn, &keys)?;
    let mut agg = store::load_reviews(conn, &keys, &touched.months.keys().cloned().collect())?;
    for (review, sign) in changes {
        if let Some(review) = review {
            agg.add_review(review, sign);
        }
    }
    agg.finish();
    store::save_reviews(conn, &agg, &touched)?;
    aggregates_changed();
    Ok(())
}

/// Recomputes what was measured of one order and swaps it into the
/// aggregates. Call it in the transaction that changed the order's events.
pub fn refresh_order(conn: &mut DbConnection, order_id: i64) -> QueryResult<()> {
    let new = measure::of_order(conn, order_id)?;
    let old = store::order_facts_of(conn, order_id)?;
    if old == new {
        return Ok(());
    }
    let changes = [(old.as_ref(), -1), (new.as_ref(), 1)];
    let mut touched = Aggregates::default();
    for (facts, sign) in changes {
        if let Some(facts) = facts {
            touched.add_order(facts, sign);
        }
    }
    let keys: BTreeSet<Scope> = changes
        .iter()
        .filter_map(|(facts, _)| *facts)
        .flat_map(|f: &OrderFacts| route_scopes(&f.route_code, &f.country))
        .collect();
    let months: BTreeSet<(String, String)> = changes
        .iter()
        .filter_map(|(facts, _)| *facts)
        .map(|f| (f.route_code.clone(), f.month.clone()))
        .collect();
    store::lock_facts(conn, &keys)?;
    let mut agg = store::load_facts(conn, &keys, &months)?;
    for (facts, sign) in changes {
        if let Some(facts) = facts {
            agg.add_order(facts, sign);
        }
    }
    agg.finish();
    store::save_facts(conn, &agg, &touched)?;
    store::put_order_facts(conn, order_id, new.as_ref())?;
    aggregates_changed();
    Ok(())
}

/// Rebuilds every aggregate from raw rows (reviews, orders and their
/// events) and returns each difference it found against what was stored,
/// one line each (`samplepost recompute-stats`); only the tables where
/// something differed are replaced (after `gen-bench-data` that spares
/// rewriting a million order facts that were right).
pub fn rebuild(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    let lines = crate::db::write_tx(conn, |conn| {
        store::lock_all(conn)?;
        let (fresh, facts, differences) = recompute(conn)?;
        if !differences.tables.is_empty() {
            store::replace(conn, &differences.tables, &fresh, &facts)?;
            aggregates_changed();
        }
        Ok::<_, diesel::result::Error>(differences.lines)
    })?;
    // Once more after the commit: a catalogue read that raced the commit
    // (and kept the rows before it) is not trusted for its 1 s.
    if !lines.is_empty() {
        aggregates_changed();
    }
    Ok(lines)
}

/// The differences [`rebuild`] would find, writing nothing (`samplepost
/// check`); one transaction, so the rows compared are one snapshot.
pub fn differences(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    use diesel::Connection;
    conn.transaction(|conn| Ok(recompute(conn)?.2.lines))
}

/// The aggregates recomputed from raw rows, the orders' measured facts and
/// how the stored rows differ from them.
fn recompute(
    conn: &mut DbConnection,
) -> QueryResult<(Aggregates, Vec<OrderFacts>, diff::Differences)> {
    let mut fresh = Aggregates::default();
    for review in store::visible_reviews(conn)? {
        fresh.add_review(&review, 1);
    }
    let mut facts = measure::all(conn)?;
    facts.sort_unstable_by_key(|f| f.order_id);
    for order in &facts {
        fresh.add_order(order, 1);
    }
    fresh.finish();
    let (stored, stored_facts) = store::load_all(conn)?;
    let differences = diff::differences(&stored, &stored_facts, &fresh, &facts);
    Ok((fresh, facts, differences))
}

/// The kept catalogue holds the aggregate rows the price lists and the
/// board show (`services::quote::Catalogue`): it is read again at the next
/// request. Called before the writing transaction commits, so a reload that
/// races the commit may keep the older rows, but for at most the
/// catalogue's 1 s.
fn aggregates_changed() {
    super::quote::catalogue_changed();
}
