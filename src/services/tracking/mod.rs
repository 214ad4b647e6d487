//! Tracking after hand-over (issue #11): staff, CSV uploads and carrier
//! webhooks all report events through [`record`], which stores the event
//! once and moves the order along the state table of `domain::tracking`
//! (through `orders::transition`), and tells the seller about trouble.

pub mod hook;
mod secrets;
mod sheet;
mod staff;
mod view;

pub use hook::{HookAnswer, HookError, receive_hook, verify_signature};
pub use secrets::{CarrierSecretRow, rotate_secret, secrets};
pub use sheet::upload_sheet;
pub use staff::{StaffEvent, add_by_staff};
pub use view::{Estimate, TrackingView, public_tracking_of, public_view, staff_view, tracking_of};

use super::ServiceResult;
use super::notifications::notify_user;
use super::orders::{By, transition};
use crate::db::DbConnection;
use crate::db::orders::Order;
use crate::db::schema::{order_shipments, orders, tracking_events};
use crate::db::tracking::NewTrackingEvent;
use crate::domain::ids::UserId;
use crate::domain::order_event::EventParams;
use crate::domain::order_state::OrderStatus;
use crate::domain::tracking::{self, ExceptionReason, Milestone, Source};
use chrono::{DateTime, FixedOffset, NaiveDateTime};
use diesel::prelude::*;

/// One event as a source reports it, already read into domain types.
#[derive(Clone, Debug)]
pub struct NewEvent {
    pub milestone: Milestone,
    pub reason: Option<ExceptionReason>,
    /// The time with the offset of the place it happened.
    pub at: DateTime<FixedOffset>,
    pub city: String,
    /// ISO code, or empty when the source did not say.
    pub country: String,
    /// The carrier's (or staff's) own words.
    pub text: String,
    pub source: Source,
    /// The carrier and its own id of the event (webhooks).
    pub carrier: Option<String>,
    pub carrier_event_id: Option<String>,
    /// The payload as received (the JSON object or the CSV row).
    pub raw: String,
}

/// What [`record`] did with an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// Stored; `moved_to` is the order's new state when the event moved it.
    Stored { moved_to: Option<OrderStatus> },
    /// The same event was stored before; nothing changed.
    Duplicate,
}

/// The notification kinds of the milestones the seller hears about at once.
pub fn alarm_kind(milestone: Milestone) -> Option<&'static str> {
    match milestone {
        Milestone::CustomsHeld => Some("order.customs_held"),
        Milestone::DeliveryFailed => Some("order.delivery_failed"),
        Milestone::Exception => Some("order.exception"),
        Milestone::Lost => Some("order.lost"),
        _ => None,
    }
}

/// Stores `event` for `order` (as read in the caller's transaction) and
/// moves the order when the state table says so. The one code path of every
/// source; runs inside the caller's transaction, so a sheet is all or nothing.
/// An event older than the newest stored one goes on the timeline but never
/// moves the order (it would move it backwards).
pub fn record(
    conn: &mut DbConnection,
    by: By,
    order: &Order,
    event: &NewEvent,
) -> ServiceResult<Recorded> {
    let at = event.at.naive_utc();
    if is_duplicate(conn, order.id, at, event)? {
        return Ok(Recorded::Duplicate);
    }
    let newest: Option<NaiveDateTime> = tracking_events::table
        .filter(tracking_events::order_id.eq(order.id))
        .select(diesel::dsl::max(tracking_events::event_at))
        .first(conn)?;
    let in_order = newest.is_none_or(|newest| at >= newest);
    let mut current = order.clone();
    let mut moved_to = None;
    if in_order {
        let note = note_of(event);
        // A return order is collected abroad: it moves on from `paid`.
        let steps = if crate::services::returns::is_return(conn, order.id)? {
            tracking::return_moves(current.status, event.milestone)
        } else {
            tracking::moves(current.status, event.milestone)
        };
        for step in steps {
            let to = transition(
                conn,
                &current,
                &step,
                by,
                &note,
                &EventParams::default(),
                format!("{} {note}", event.source),
            )?;
            current.status = to;
            moved_to = Some(to);
        }
    }
    diesel::insert_into(tracking_events::table)
        .values(NewTrackingEvent {
            order_id: order.id,
            milestone: event.milestone.as_str(),
            reason: event.reason.map(ExceptionReason::as_str),
            event_at: at,
            utc_offset_minutes: i64::from(event.at.offset().local_minus_utc() / 60),
            city: &event.city,
            country: &event.country,
            carrier_text: &event.text,
            source: event.source.as_str(),
            carrier: event.carrier.as_deref(),
            carrier_event_id: event.carrier_event_id.as_deref(),
            raw_payload: &event.raw,
            recorded_by: match by {
                By::Staff(actor) => Some(actor.user_id.0),
                _ => None,
            },
            moved: moved_to.is_some(),
            created_at: super::now(),
        })
        .execute(conn)?;
    crate::services::webhooks::tracking_event(conn, &current, event)?;
    // A finished parcel's facts (transit days, silences) follow its events,
    // late ones included.
    if current.status.is_reviewable() {
        crate::services::route_stats::refresh_order(conn, order.id)?;
    }
    if in_order && let Some(kind) = alarm_kind(event.milestone) {
        notify_user(
            conn,
            UserId(order.created_by),
            kind,
            &format!("{} {}", order.order_no, note_of(event)),
            &format!("/app/orders/{}", order.order_no),
        )?;
    }
    Ok(Recorded::Stored { moved_to })
}

/// The same event: the carrier's id seen before, or the same milestone at
/// the same time for the order.
fn is_duplicate(
    conn: &mut DbConnection,
    order_id: i64,
    at: NaiveDateTime,
    event: &NewEvent,
) -> QueryResult<bool> {
    if let (Some(carrier), Some(id)) = (&event.carrier, &event.carrier_event_id) {
        let seen: bool = diesel::select(diesel::dsl::exists(
            tracking_events::table
                .filter(tracking_events::carrier.eq(carrier))
                .filter(tracking_events::carrier_event_id.eq(id)),
        ))
        .get_result(conn)?;
        if seen {
            return Ok(true);
        }
    }
    diesel::select(diesel::dsl::exists(
        tracking_events::table
            .filter(tracking_events::order_id.eq(order_id))
            .filter(tracking_events::event_at.eq(at))
            .filter(tracking_events::milestone.eq(event.milestone.as_str())),
    ))
    .get_result(conn)
}

/// The timeline note of an event: milestone, place and the carrier's words.
fn note_of(event: &NewEvent) -> String {
    let place = [event.city.as_str(), event.country.as_str()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    [
        event.milestone.as_str(),
        place.as_str(),
        event.text.as_str(),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join(" · ")
}

/// An order by number (any company: staff and carriers report on all of them).
fn order_by_no(conn: &mut DbConnection, order_no: &str) -> QueryResult<Option<Order>> {
    orders::table
        .filter(orders::order_no.eq(order_no.trim().to_ascii_uppercase()))
        .select(Order::as_select())
        .first(conn)
        .optional()
}

/// The order handed over under `waybill`, with `carrier` when it is known.
fn order_by_waybill(
    conn: &mut DbConnection,
    carrier: Option<&str>,
    waybill: &str,
) -> QueryResult<Option<Order>> {
    let mut query = orders::table
        .inner_join(order_shipments::table)
        .filter(order_shipments::waybill.eq(waybill.trim().to_ascii_uppercase()))
        .select(Order::as_select())
        .into_boxed();
    if let Some(carrier) = carrier {
        query = query.filter(order_shipments::carrier.eq(carrier));
    }
    let mut found = query.limit(2).load(conn)?;
    // Without a carrier the number must name one parcel.
    Ok(if found.len() == 1 { found.pop() } else { None })
}
