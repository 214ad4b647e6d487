//! Finished orders with everything around them: recipient, timeline,
//! tracking events, measured facts, the review, and for the demo the
//! recipient's confirmation, the warehouse's check and a few tickets.
//!
//! `tables` holds one batch per table written, `trip` draws what happened
//! to a parcel, `order` writes an order's own rows, `review` its review and
//! `extras` the demo's checks, confirmations and tickets.

mod extras;
mod order;
mod review;
mod tables;
mod trip;

use super::{Lane, Plan, Seller, Summary, next_id, world};
use crate::db::{DbConnection, write_tx};
use diesel::QueryResult;
use rand::Rng;
use rand::rngs::StdRng;
use tables::Tables;

/// Orders per transaction: big enough to be fast, small enough to keep the
/// SQLite write-ahead log and PostgreSQL's transaction modest.
const ORDERS_PER_TRANSACTION: usize = 20_000;

/// The id counters of every table written.
pub(super) struct Ids {
    pub(super) order: i64,
    pub(super) order_event: i64,
    pub(super) tracking_event: i64,
    pub(super) review: i64,
    pub(super) confirmation: i64,
    pub(super) check: i64,
    pub(super) ticket: i64,
    pub(super) message: i64,
}

/// Writes `reviews` reviewed orders and their unreviewed share.
pub(super) fn write(
    conn: &mut DbConnection,
    rng: &mut StdRng,
    lanes: &[Lane],
    sellers: &[Seller],
    reviews: usize,
    plan: &Plan,
) -> QueryResult<Summary> {
    let total = reviews + (reviews as f64 * plan.unreviewed_share).round() as usize;
    let mut ids = Ids {
        order: next_id(conn, "orders")?,
        order_event: next_id(conn, "order_events")?,
        tracking_event: next_id(conn, "tracking_events")?,
        review: next_id(conn, "reviews")?,
        confirmation: next_id(conn, "recipient_confirmations")?,
        check: next_id(conn, "parcel_checks")?,
        ticket: next_id(conn, "tickets")?,
        message: next_id(conn, "ticket_messages")?,
    };
    // Each route's own standard, so the board has good and bad routes.
    let mut quality = std::collections::HashMap::new();
    for lane in lanes {
        quality
            .entry(lane.route.clone())
            .or_insert_with(|| rng.gen_range(3.5..4.9));
    }
    let now = crate::services::now();
    let mut tables = Tables::new();
    let mut done = 0;
    while done < total {
        let end = (done + ORDERS_PER_TRANSACTION).min(total);
        write_tx(conn, |conn| {
            for n in done..end {
                let lane = &lanes[world::skewed(rng, lanes.len(), 1.6)];
                let seller = &sellers[world::skewed(rng, sellers.len(), 2.0)];
                let reviewed = n < reviews;
                let q = quality[&lane.route];
                order::one_order(
                    rng,
                    &mut tables,
                    &mut ids,
                    lane,
                    seller,
                    q,
                    reviewed,
                    plan,
                    now,
                );
                if tables.orders.full() {
                    tables.flush(conn)?;
                }
            }
            tables.flush(conn)
        })?;
        done = end;
    }
    Ok(Summary {
        orders: tables.orders.written,
        reviews: tables.reviews.written,
        events: tables.events.written + tables.tracking.written,
        ..Summary::default()
    })
}
