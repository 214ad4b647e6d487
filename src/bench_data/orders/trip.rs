//! What happened to one parcel: when it left, how long it took, how it
//! ended, and the carrier's milestones on the way.

use crate::bench_data::Lane;
use chrono::{Duration, NaiveDateTime};
use rand::Rng;
use rand::rngs::StdRng;

/// What happened to one parcel.
pub(super) struct Trip {
    pub(super) dispatched: NaiveDateTime,
    pub(super) finished: NaiveDateTime,
    pub(super) days: i64,
    pub(super) outcome: &'static str,
    pub(super) customs_held: bool,
}

/// When the parcel left, how long it took and how it ended: finished at
/// least two days ago (so its review can be written), within about 14 months.
pub(super) fn trip(rng: &mut StdRng, lane: &Lane, now: NaiveDateTime) -> Trip {
    let finished = now - Duration::minutes(rng.gen_range(2 * 1440..420 * 1440));
    let spread = (lane.max_days - lane.min_days).max(1);
    let mut days = lane.min_days
        + rng.gen_range(0..=spread)
        + i64::from(rng.gen_bool(0.15)) * rng.gen_range(1..=spread + 3);
    let customs_held = rng.gen_bool(0.07);
    if customs_held {
        days += rng.gen_range(2..=6);
    }
    let roll: f64 = rng.r#gen();
    let outcome = if roll < 0.93 {
        "delivered"
    } else if roll < 0.97 {
        "returned"
    } else {
        "lost"
    };
    let dispatched = finished - Duration::days(days) - Duration::minutes(rng.gen_range(0..360));
    Trip {
        dispatched,
        finished,
        days,
        outcome,
        customs_held,
    }
}

/// The carrier's milestones of a trip, in time order.
pub(super) fn milestones(
    trip: &Trip,
    rng: &mut StdRng,
) -> Vec<(&'static str, Option<&'static str>, NaiveDateTime)> {
    let span = trip.finished - trip.dispatched;
    let at = |share: f64| {
        trip.dispatched + Duration::seconds((span.num_seconds() as f64 * share) as i64)
    };
    let mut events = vec![("departed_origin", None, trip.dispatched)];
    events.push(("arrived_destination", None, at(rng.gen_range(0.3..0.5))));
    if trip.customs_held {
        events.push(("customs_held", None, at(0.55)));
        events.push(("customs_released", None, at(0.8)));
    } else {
        events.push(("customs_clearance", None, at(0.6)));
    }
    match trip.outcome {
        "delivered" => {
            events.push(("out_for_delivery", None, at(0.95)));
            events.push(("delivered", None, trip.finished));
        }
        "returned" => {
            events.push(("exception", Some("address_problem"), at(0.9)));
            events.push(("returned_to_sender", None, trip.finished));
        }
        _ => events.push(("lost", None, trip.finished)),
    }
    events
}
