//! Finished orders with everything around them: recipient, timeline,
//! tracking events, measured facts, the review, and for the demo the
//! recipient's confirmation, the warehouse's check and a few tickets.

use super::batch::{Batch, V};
use super::world::{self, CATEGORIES};
use super::{Lane, Plan, Seller, Summary, next_id};
use crate::db::{DbConnection, write_tx};
use crate::domain::order_no::OrderNo;
use crate::domain::rating;
use crate::domain::review::WeightBand;
use chrono::{Duration, NaiveDateTime};
use diesel::QueryResult;
use rand::Rng;
use rand::rngs::StdRng;

/// Orders per transaction: big enough to be fast, small enough to keep the
/// SQLite write-ahead log and PostgreSQL's transaction modest.
const ORDERS_PER_TRANSACTION: usize = 20_000;

const CHINA: i64 = 480;

/// The id counters of every table written.
struct Ids {
    order: i64,
    order_event: i64,
    tracking_event: i64,
    review: i64,
    confirmation: i64,
    check: i64,
    ticket: i64,
    message: i64,
}

/// One batch per table.
struct Tables {
    orders: Batch,
    recipients: Batch,
    shipments: Batch,
    events: Batch,
    tracking: Batch,
    facts: Batch,
    reviews: Batch,
    confirmations: Batch,
    checks: Batch,
    tickets: Batch,
    messages: Batch,
}

impl Tables {
    fn new() -> Tables {
        Tables {
            orders: Batch::new(
                "orders",
                &[
                    "id",
                    "order_no",
                    "company_id",
                    "created_by",
                    "form_token",
                    "status",
                    "purpose",
                    "reference",
                    "weight_g",
                    "length_mm",
                    "width_mm",
                    "height_mm",
                    "battery",
                    "liquid",
                    "magnetic",
                    "powder",
                    "route_code",
                    "signature",
                    "insurance",
                    "expedited",
                    "ddp",
                    "submitted_at",
                    "created_at",
                    "updated_at",
                    "submitted_by",
                ],
            ),
            recipients: Batch::new(
                "order_recipients",
                &[
                    "order_id", "name", "company", "line1", "line2", "city", "state", "postcode",
                    "country", "phone", "email", "tax_id",
                ],
            ),
            shipments: Batch::new(
                "order_shipments",
                &[
                    "order_id",
                    "handover",
                    "received_at",
                    "handed_over_at",
                    "updated_at",
                ],
            ),
            events: Batch::new(
                "order_events",
                &[
                    "id",
                    "order_id",
                    "kind",
                    "from_status",
                    "to_status",
                    "note",
                    "at",
                    "params",
                ],
            ),
            tracking: Batch::new(
                "tracking_events",
                &[
                    "id",
                    "order_id",
                    "milestone",
                    "reason",
                    "event_at",
                    "utc_offset_minutes",
                    "city",
                    "country",
                    "carrier_text",
                    "source",
                    "raw_payload",
                    "moved",
                    "created_at",
                ],
            ),
            facts: Batch::new(
                "order_facts",
                &[
                    "order_id",
                    "route_code",
                    "country",
                    "outcome",
                    "month",
                    "transit_days",
                    "on_time",
                    "customs_held",
                    "customs_cleared",
                    "had_exception",
                    "longest_silence_hours",
                    "parcel_condition",
                    "quote_accurate",
                    "first_response_minutes",
                ],
            ),
            reviews: Batch::new(
                "reviews",
                &[
                    "id",
                    "order_id",
                    "route_code",
                    "country",
                    "company_id",
                    "author_id",
                    "overall",
                    "timeliness",
                    "service",
                    "customs",
                    "tracking",
                    "packaging",
                    "body",
                    "tags",
                    "has_text",
                    "photo_count",
                    "reviewer_city",
                    "reviewer_category",
                    "weight_band",
                    "weight",
                    "status",
                    "open_reports",
                    "demo",
                    "created_at",
                    "updated_at",
                ],
            ),
            confirmations: Batch::new(
                "recipient_confirmations",
                &[
                    "id",
                    "order_id",
                    "parcel_condition",
                    "comment",
                    "recorded_delivery",
                    "created_at",
                ],
            ),
            checks: Batch::new(
                "parcel_checks",
                &[
                    "id",
                    "order_id",
                    "outcome",
                    "weight_g",
                    "length_mm",
                    "width_mm",
                    "height_mm",
                    "contents_match",
                    "note",
                    "chargeable_weight_g",
                    "bill_lines",
                    "bill_total_fen",
                    "charged_before_fen",
                    "within_tolerance",
                    "checked_by",
                    "checked_at",
                ],
            ),
            tickets: Batch::new(
                "tickets",
                &[
                    "id",
                    "company_id",
                    "order_id",
                    "category",
                    "subject",
                    "status",
                    "opened_by",
                    "created_at",
                    "first_response_at",
                    "resolved_at",
                    "updated_at",
                ],
            ),
            messages: Batch::new(
                "ticket_messages",
                &[
                    "id",
                    "ticket_id",
                    "author_id",
                    "from_staff",
                    "body",
                    "created_at",
                ],
            ),
        }
    }

    /// Sends every batch, parents before children.
    fn flush(&mut self, conn: &mut DbConnection) -> QueryResult<()> {
        for batch in [
            &mut self.orders,
            &mut self.recipients,
            &mut self.shipments,
            &mut self.events,
            &mut self.tracking,
            &mut self.facts,
            &mut self.reviews,
            &mut self.confirmations,
            &mut self.checks,
            &mut self.tickets,
            &mut self.messages,
        ] {
            batch.flush(conn)?;
        }
        Ok(())
    }
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
                one_order(
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

/// What happened to one parcel.
struct Trip {
    dispatched: NaiveDateTime,
    finished: NaiveDateTime,
    days: i64,
    outcome: &'static str,
    customs_held: bool,
}

#[allow(clippy::too_many_arguments)]
fn one_order(
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
        .then(|| extras(rng, t, ids, id, seller, &trip, weight_g, plan));
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
}

/// When the parcel left, how long it took and how it ended: finished at
/// least two days ago (so its review can be written), within about 14 months.
fn trip(rng: &mut StdRng, lane: &Lane, now: NaiveDateTime) -> Trip {
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
fn milestones(
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

/// The demo's recipient confirmation, parcel check and ticket; returns the
/// facts they give: parcel condition, quote accuracy, first answer in minutes.
#[allow(clippy::too_many_arguments)]
fn extras(
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
