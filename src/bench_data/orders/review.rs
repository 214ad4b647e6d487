//! The review of a reviewed order: its scores follow the route's standard,
//! less what went wrong on the trip.

use super::Ids;
use super::tables::Tables;
use super::trip::Trip;
use crate::bench_data::batch::V;
use crate::bench_data::world::{self, CATEGORIES};
use crate::bench_data::{Lane, Plan, Seller};
use crate::domain::rating;
use crate::domain::review::WeightBand;
use chrono::{Duration, NaiveDateTime};
use rand::Rng;
use rand::rngs::StdRng;

/// Writes the review of order `id`, some hours to days after it finished.
#[allow(clippy::too_many_arguments)]
pub(super) fn write(
    rng: &mut StdRng,
    t: &mut Tables,
    ids: &mut Ids,
    id: i64,
    lane: &Lane,
    seller: &Seller,
    quality: f64,
    plan: &Plan,
    now: NaiveDateTime,
    trip: &Trip,
    weight_g: i64,
) {
    let penalty = match trip.outcome {
        "delivered" if trip.days <= lane.max_days => 0.0,
        "delivered" => 1.0,
        "returned" => 1.5,
        _ => 2.5,
    };
    let overall = world::score(rng, quality, penalty);
    let (body, tags) = world::words(rng, overall);
    let latest = (now - trip.finished).num_hours().clamp(2, 240);
    let written = trip.finished + Duration::hours(rng.gen_range(1..latest));
    let category = CATEGORIES
        .iter()
        .find(|c| **c == seller.category)
        .copied()
        .unwrap_or("other");
    t.reviews.row(&[
        V::Int(ids.review),
        V::Int(id),
        V::Text(&lane.route),
        V::Text(&lane.country),
        V::Int(seller.company_id),
        V::Int(seller.owner_id),
        V::Int(overall),
        V::Int(world::near(rng, overall)),
        V::Int(world::near(rng, overall)),
        V::Int(if trip.customs_held {
            world::near(rng, overall - 1)
        } else {
            world::near(rng, overall)
        }),
        V::Int(world::near(rng, overall)),
        V::Int(world::near(rng, overall)),
        V::Text(body),
        V::Text(tags),
        V::Bool(!body.is_empty()),
        V::Int(0),
        V::Text(seller.city),
        V::Text(category),
        V::Text(WeightBand::of_grams(weight_g).as_str()),
        V::Real(rating::epoch_weight(written)),
        V::Text("visible"),
        V::Int(0),
        V::Bool(plan.demo),
        V::Time(written),
        V::Time(written),
    ]);
    ids.review += 1;
}
