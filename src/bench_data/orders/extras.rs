//! The demo's extras of an order: the warehouse's parcel check, the
//! recipient's confirmation and a ticket with the platform's answer.

use super::Ids;
use super::tables::Tables;
use super::trip::Trip;
use crate::bench_data::Plan;
use crate::bench_data::Seller;
use crate::bench_data::batch::V;
use chrono::Duration;
use rand::Rng;
use rand::rngs::StdRng;

/// The demo's recipient confirmation, parcel check and ticket; returns the
/// facts they give: parcel condition, quote accuracy, first answer in minutes.
#[allow(clippy::too_many_arguments)]
pub(super) fn extras(
    rng: &mut StdRng,
    t: &mut Tables,
    ids: &mut Ids,
    order_id: i64,
    seller: &Seller,
    trip: &Trip,
    weight_g: i64,
    plan: &Plan,
) -> (Option<i64>, Option<bool>, Option<i64>) {
    let staff = plan.staff_id.unwrap_or(seller.owner_id);
    let checked_at = trip.dispatched - Duration::hours(6);
    let accurate = rng.gen_bool(0.85);
    let measured = if accurate { weight_g } else { weight_g + 300 };
    t.checks.row(&[
        V::Int(ids.check),
        V::Int(order_id),
        V::Text("accepted"),
        V::Int(measured),
        V::Int(200),
        V::Int(150),
        V::Int(100),
        V::Bool(true),
        V::Text(""),
        V::Int(measured),
        V::Text("[]"),
        V::Int(if accurate { 0 } else { 1500 }),
        V::Int(0),
        V::Bool(accurate),
        V::Int(staff),
        V::Time(checked_at),
    ]);
    ids.check += 1;
    let mut condition = None;
    if trip.outcome == "delivered" && rng.gen_bool(0.6) {
        let stars = rng.gen_range(3..=5);
        t.confirmations.row(&[
            V::Int(ids.confirmation),
            V::Int(order_id),
            V::Int(stars),
            V::Text(if stars == 5 {
                "Perfect condition, thank you!"
            } else {
                ""
            }),
            V::Bool(true),
            V::Time(trip.finished + Duration::hours(20)),
        ]);
        ids.confirmation += 1;
        condition = Some(stars);
    }
    let mut response = None;
    if trip.outcome != "delivered" || rng.gen_bool(0.08) {
        let opened = trip.finished - Duration::hours(30);
        let minutes = rng.gen_range(12..600);
        let answered = opened + Duration::minutes(minutes);
        let category = if trip.outcome == "lost" {
            "lost"
        } else {
            "delay"
        };
        t.tickets.row(&[
            V::Int(ids.ticket),
            V::Int(seller.company_id),
            V::Int(order_id),
            V::Text(category),
            V::Text("包裹进度查询 / Where is my parcel?"),
            V::Text("resolved"),
            V::Int(seller.owner_id),
            V::Time(opened),
            V::Time(answered),
            V::Time(trip.finished),
            V::Time(trip.finished),
        ]);
        for (from_staff, author, body, at) in [
            (
                false,
                seller.owner_id,
                "请帮忙查询一下这个包裹的最新进度。",
                opened,
            ),
            (true, staff, "已联系承运商核实，会尽快回复您。", answered),
        ] {
            t.messages.row(&[
                V::Int(ids.message),
                V::Int(ids.ticket),
                V::Int(author),
                V::Bool(from_staff),
                V::Text(body),
                V::Time(at),
            ]);
            ids.message += 1;
        }
        ids.ticket += 1;
        response = Some(minutes);
    }
    (condition, Some(accurate), response)
}
