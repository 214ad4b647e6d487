//! Reads what the board measures of finished orders from their raw rows
//! (status, hand-over, tracking, the recipient's confirmation, the re-weigh
//! and tickets) and turns it into `order_facts` with `domain::facts`. One
//! order for the incremental path, every order for the rebuild: the same
//! loaders with or without an order filter, so both agree.

use crate::db::DbConnection;
use crate::db::route_stats::OrderFacts;
use crate::db::schema::{
    order_events, order_quotes, order_recipients, order_shipments, orders, parcel_checks,
    recipient_confirmations, routes, tickets, tracking_events,
};
use crate::domain::facts::{self, Journey, Outcome};
use crate::domain::order_state::OrderStatus;
use crate::domain::tracking::Milestone;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::HashMap;

const FINISHED: [&str; 3] = ["delivered", "returned", "lost"];

/// Everything measured about finished orders, by order id.
#[derive(Default)]
struct Inputs {
    orders: Vec<(i64, String, String)>,
    country: HashMap<i64, String>,
    handed_over: HashMap<i64, NaiveDateTime>,
    /// The transit days the order's frozen quote promised at most.
    promised_days: HashMap<i64, i64>,
    /// The route's nominal maximum, for an order without a frozen quote.
    max_days: HashMap<String, i64>,
    events: HashMap<i64, Vec<(Milestone, NaiveDateTime)>>,
    confirmation: HashMap<i64, (i64, NaiveDateTime, bool)>,
    deliver_event: HashMap<i64, NaiveDateTime>,
    quote_accurate: HashMap<i64, bool>,
    first_response: HashMap<i64, (NaiveDateTime, i64)>,
}

/// The facts of one order, or `None` when it does not count (not finished,
/// never handed to a carrier, no route).
pub fn of_order(conn: &mut DbConnection, order_id: i64) -> QueryResult<Option<OrderFacts>> {
    Ok(load(conn, Some(order_id))?.pop())
}

/// The facts of every finished order.
pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<OrderFacts>> {
    load(conn, None)
}

fn load(conn: &mut DbConnection, only: Option<i64>) -> QueryResult<Vec<OrderFacts>> {
    let inputs = Inputs::load(conn, only)?;
    Ok(inputs
        .orders
        .iter()
        .filter_map(|(id, status, route)| inputs.facts(*id, status, route))
        .collect())
}

impl Inputs {
    fn load(conn: &mut DbConnection, only: Option<i64>) -> QueryResult<Inputs> {
        macro_rules! only {
            ($query:expr, $column:expr) => {{
                let query = $query.into_boxed();
                match only {
                    Some(id) => query.filter($column.eq(id)),
                    None => query,
                }
            }};
        }
        let mut inputs = Inputs {
            orders: only!(
                orders::table
                    .filter(orders::status.eq_any(FINISHED))
                    .filter(orders::route_code.is_not_null()),
                orders::id
            )
            .select((
                orders::id,
                orders::status,
                orders::route_code.assume_not_null(),
            ))
            .load(conn)?,
            ..Inputs::default()
        };
        if inputs.orders.is_empty() {
            return Ok(inputs);
        }
        inputs.country = only!(order_recipients::table, order_recipients::order_id)
            .select((order_recipients::order_id, order_recipients::country))
            .load(conn)?
            .into_iter()
            .collect();
        inputs.handed_over = only!(
            order_shipments::table.filter(order_shipments::handed_over_at.is_not_null()),
            order_shipments::order_id
        )
        .select((
            order_shipments::order_id,
            order_shipments::handed_over_at.assume_not_null(),
        ))
        .load(conn)?
        .into_iter()
        .collect();
        inputs.promised_days = only!(order_quotes::table, order_quotes::order_id)
            .select((order_quotes::order_id, order_quotes::transit_max_days))
            .load(conn)?
            .into_iter()
            .collect();
        inputs.max_days = routes::table
            .select((routes::code, routes::transit_max_days))
            .load(conn)?
            .into_iter()
            .collect();
        let events: Vec<(i64, String, NaiveDateTime)> =
            only!(tracking_events::table, tracking_events::order_id)
                .select((
                    tracking_events::order_id,
                    tracking_events::milestone,
                    tracking_events::event_at,
                ))
                .load(conn)?;
        for (order_id, milestone, at) in events {
            if let Ok(milestone) = Milestone::parse(&milestone) {
                inputs
                    .events
                    .entry(order_id)
                    .or_default()
                    .push((milestone, at));
            }
        }
        inputs.confirmation = only!(
            recipient_confirmations::table,
            recipient_confirmations::order_id
        )
        .select((
            recipient_confirmations::order_id,
            recipient_confirmations::parcel_condition,
            recipient_confirmations::created_at,
            recipient_confirmations::recorded_delivery,
        ))
        .load::<(i64, i64, NaiveDateTime, bool)>(conn)?
        .into_iter()
        .map(|(id, condition, at, recorded)| (id, (condition, at, recorded)))
        .collect();
        let delivered: Vec<(i64, NaiveDateTime)> = only!(
            order_events::table.filter(order_events::kind.eq("deliver")),
            order_events::order_id
        )
        .select((order_events::order_id, order_events::at))
        .load(conn)?;
        for (order_id, at) in delivered {
            let first = inputs.deliver_event.entry(order_id).or_insert(at);
            *first = (*first).min(at);
        }
        // The latest accepted re-weigh decides (ids grow with time).
        let checks: Vec<(i64, bool)> = only!(
            parcel_checks::table.filter(parcel_checks::outcome.eq("accepted")),
            parcel_checks::order_id
        )
        .order(parcel_checks::id.asc())
        .select((parcel_checks::order_id, parcel_checks::within_tolerance))
        .load(conn)?;
        inputs.quote_accurate = checks.into_iter().collect();
        let answered: Vec<(Option<i64>, NaiveDateTime, NaiveDateTime)> = only!(
            tickets::table.filter(tickets::first_response_at.is_not_null()),
            tickets::order_id
        )
        .select((
            tickets::order_id,
            tickets::created_at,
            tickets::first_response_at.assume_not_null(),
        ))
        .load(conn)?;
        for (order_id, opened, answered) in answered {
            let Some(order_id) = order_id else { continue };
            let minutes = (answered - opened).num_minutes().max(0);
            let first = inputs
                .first_response
                .entry(order_id)
                .or_insert((opened, minutes));
            if opened < first.0 {
                *first = (opened, minutes);
            }
        }
        Ok(inputs)
    }

    fn facts(&self, id: i64, status: &str, route: &str) -> Option<OrderFacts> {
        let outcome = Outcome::of(OrderStatus::parse(status).ok()?)?;
        let handed_over_at = *self.handed_over.get(&id)?;
        let events = self.events.get(&id).cloned().unwrap_or_default();
        let carrier_delivery = events
            .iter()
            .filter(|(m, _)| *m == Milestone::Delivered)
            .map(|(_, at)| *at)
            .min();
        let recipient_delivery = self
            .confirmation
            .get(&id)
            .filter(|(_, _, recorded)| *recorded)
            .map(|(_, at, _)| *at);
        let delivered_at = match outcome {
            Outcome::Delivered => carrier_delivery
                .or(recipient_delivery)
                .or_else(|| self.deliver_event.get(&id).copied()),
            _ => None,
        };
        let measured = facts::measure(&Journey {
            outcome,
            handed_over_at,
            delivered_at,
            events,
            max_days: self
                .promised_days
                .get(&id)
                .or_else(|| self.max_days.get(route))
                .copied()
                .unwrap_or(0),
        });
        Some(OrderFacts {
            order_id: id,
            route_code: route.to_owned(),
            country: self.country.get(&id).cloned().unwrap_or_default(),
            outcome: outcome.as_str().to_owned(),
            month: handed_over_at.format("%Y-%m").to_string(),
            transit_days: measured.transit_days,
            on_time: measured.on_time,
            customs_held: measured.customs_held,
            customs_cleared: measured.customs_cleared,
            had_exception: measured.had_exception,
            longest_silence_hours: measured.longest_silence_hours,
            parcel_condition: self.confirmation.get(&id).map(|(c, _, _)| *c),
            quote_accurate: self.quote_accurate.get(&id).copied(),
            first_response_minutes: self.first_response.get(&id).map(|(_, m)| *m),
        })
    }
}
