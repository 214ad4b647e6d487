//! One finished order's own rows: the order, its recipient, hand-over,
//! timeline, tracking events and measured facts.

use super::Ids;
use super::tables::Tables;
use super::trip::{milestones, trip};
use crate::bench_data::batch::V;
use crate::bench_data::{Lane, Plan, Seller};
use crate::domain::order_no::OrderNo;
use chrono::{Duration, NaiveDateTime};
use rand::Rng;
use rand::rngs::StdRng;

const CHINA: i64 = 480;

#[allow(clippy::too_many_arguments)]
pub(super) fn one_order(
    rng: &mut StdRng,
    t: &mut Tables,
    ids: &mut Ids,
    lane: &Lane,
    seller: &Seller,
    quality: f64,
    reviewed: bool,
    plan: &Plan,
    now: NaiveDateTime,
) {
    let id = ids.order;
    ids.order += 1;
    let trip = trip(rng, lane, now);
    let created = trip.dispatched - Duration::hours(rng.gen_range(20..72));
    let weight_g: i64 = [120, 250, 480, 800, 1500, 2600][rng.gen_range(0..6)];
    let order_no = OrderNo::new(created.date(), u32::try_from(id).unwrap_or(u32::MAX));
    let status = match trip.outcome {
        "delivered" => "delivered",
        "returned" => "returned",
        _ => "lost",
    };
    t.orders.row(&[
        V::Int(id),
        V::Text(order_no.as_str()),
        V::Int(seller.company_id),
        V::Int(seller.owner_id),
        V::Owned(format!("{}-{id}", plan.token_prefix)),
        V::Text(status),
        V::Text("sample"),
        V::Text(""),
        V::Int(weight_g),
        V::Int(200),
        V::Int(150),
        V::Int(100),
        V::Text("none"),
        V::Bool(false),
        V::Bool(false),
        V::Bool(false),
        V::Text(&lane.route),
        V::Bool(false),
        V::Bool(false),
        V::Bool(false),
        V::Bool(false),
        V::Time(created),
        V::Time(created),
        V::Time(trip.finished),
        V::Int(seller.owner_id),
    ]);
    t.recipients.row(&[
        V::Int(id),
        V::Text("Alex Buyer"),
        V::Text("Sample Buyer Ltd"),
        V::Text("1 Market Street"),
        V::Text(""),
        V::Text("Springfield"),
        V::Text(""),
        V::Text("10001"),
        V::Text(&lane.country),
        V::Text("+12025550123"),
        V::Text("buyer@example.com"),
        V::Text(""),
    ]);
    // Received at the warehouse, then handed to the carrier: where the
    // board's measured days start.
    t.shipments.row(&[
        V::Int(id),
        V::Text("drop_off"),
        V::Time(trip.dispatched - Duration::hours(8)),
        V::Time(trip.dispatched),
        V::Time(trip.dispatched),
    ]);
    let (terminal_kind, terminal_from) = match trip.outcome {
        "delivered" => ("deliver", "in_transit"),
        "returned" => ("return", "exception"),
        _ => ("lose", "in_transit"),
    };
    for (kind, from, to, at) in [
        ("dispatch", "received", "in_transit", trip.dispatched),
        (terminal_kind, terminal_from, status, trip.finished),
    ] {
        t.events.row(&[
            V::Int(ids.order_event),
            V::Int(id),
            V::Text(kind),
            V::Text(from),
            V::Text(to),
            V::Text(""),
            V::Time(at),
            V::Text("{}"),
        ]);
        ids.order_event += 1;
    }
    let tracking = milestones(&trip, rng);
    let mut longest_gap = Duration::zero();
    for (i, (milestone, reason, at)) in tracking.iter().enumerate() {
        if i > 0 {
            longest_gap = longest_gap.max(*at - tracking[i - 1].2);
        }
        let abroad = !matches!(*milestone, "departed_origin");
        t.tracking.row(&[
            V::Int(ids.tracking_event),
            V::Int(id),
            V::Text(milestone),
            reason.map_or(V::Null, V::Text),
            V::Time(*at),
            V::Int(if abroad { 0 } else { CHINA }),
            V::Text(if abroad { "Gateway" } else { "Shenzhen" }),
            V::Text(if abroad { &lane.country } else { "CN" }),
            V::Text(milestone),
            V::Text("staff"),
            V::Text(""),
            V::Bool(true),
            V::Time(*at),
        ]);
        ids.tracking_event += 1;
    }
    let delivered = trip.outcome == "delivered";
    let extras = plan
        .extras
        .then(|| super::extras::extras(rng, t, ids, id, seller, &trip, weight_g, plan));
    let (condition, accurate, response) = extras.unwrap_or((None, None, None));
    t.facts.row(&[
        V::Int(id),
        V::Text(&lane.route),
        V::Text(&lane.country),
        V::Text(trip.outcome),
        V::Owned(trip.dispatched.format("%Y-%m").to_string()),
        if delivered {
            V::Int(trip.days)
        } else {
            V::Null
        },
        V::Bool(delivered && trip.days <= lane.max_days),
        V::Bool(trip.customs_held),
        V::Bool(trip.outcome != "lost"),
        V::Bool(trip.outcome == "returned"),
        V::Int(longest_gap.num_hours()),
        condition.map_or(V::Null, V::Int),
        accurate.map_or(V::Null, V::Bool),
        response.map_or(V::Null, V::Int),
    ]);
    if reviewed {
        super::review::write(
            rng, t, ids, id, lane, seller, quality, plan, now, &trip, weight_g,
        );
    }
}
