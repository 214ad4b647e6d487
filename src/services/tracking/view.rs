//! What the seller's order page, the staff order page and the public
//! tracking page show of a parcel's journey: the timeline, the progress and
//! the estimated delivery date.

use crate::db::DbConnection;
use crate::db::orders::Order;
use crate::db::schema::{order_quotes, order_recipients, order_shipments, orders, tracking_events};
use crate::db::tracking::{TrackingEvent, timeline};
use crate::db::warehouse::shipment;
use crate::domain::china_time;
use crate::domain::order_state::OrderStatus;
use crate::domain::tracking::{Milestone, PROGRESS, format_offset, measured_days};
use crate::services::{Actor, ServiceError, ServiceResult};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// One event as the timeline shows it.
#[derive(Clone, Debug)]
pub struct TimelineRow {
    pub event: TrackingEvent,
    /// The time where it happened, with its offset: `2026-12-02 10:00 (+01:00)`.
    pub local: String,
    /// The same moment in China.
    pub china: String,
    /// The moment for machines (UTC, `2026-12-02T09:00Z`): `<time datetime>`,
    /// as `local` with its offset in brackets is no valid time string.
    pub datetime: String,
    /// `City, CC`, or empty.
    pub place: String,
}

/// When the parcel should arrive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Estimate {
    /// Not handed to a carrier yet, or already at its end.
    None,
    /// From the route's own deliveries to this country.
    Measured {
        median: NaiveDate,
        p90: NaiveDate,
        deliveries: usize,
    },
    /// From the quote's nominal transit days.
    Nominal { from: NaiveDate, to: NaiveDate },
}

/// A parcel's journey.
#[derive(Clone, Debug)]
pub struct TrackingView {
    pub order_no: String,
    pub status: OrderStatus,
    /// Newest first.
    pub rows: Vec<TimelineRow>,
    /// The newest event's milestone.
    pub current: Option<Milestone>,
    /// Steps of [`PROGRESS`] reached.
    pub progress: usize,
    pub estimate: Estimate,
    pub carrier: Option<String>,
    pub waybill: Option<String>,
    pub destination_city: String,
    pub destination_country: String,
}

impl TrackingView {
    /// The progress bar's steps with whether each is reached.
    pub fn steps(&self) -> Vec<(Milestone, bool)> {
        PROGRESS
            .iter()
            .enumerate()
            .map(|(at, milestone)| (*milestone, at < self.progress))
            .collect()
    }

    /// The estimate's dates and the message key saying where they come from.
    pub fn estimate_range(&self) -> Option<(&'static str, String, String)> {
        match &self.estimate {
            Estimate::None => None,
            Estimate::Measured {
                median,
                p90,
                deliveries: _,
            } => Some((
                "tracking.estimate_measured",
                median.to_string(),
                p90.to_string(),
            )),
            Estimate::Nominal { from, to } => Some((
                "tracking.estimate_nominal",
                from.to_string(),
                to.to_string(),
            )),
        }
    }

    /// Worth showing to the seller: handed to a carrier, or with events.
    pub fn is_started(&self) -> bool {
        self.waybill.is_some() || !self.rows.is_empty()
    }
}

/// The journey of an order already read (the seller's page reads it with
/// the company check).
pub fn tracking_of(conn: &mut DbConnection, order: &Order) -> ServiceResult<TrackingView> {
    let events = timeline(conn, order.id)?;
    let rows: Vec<TimelineRow> = events.into_iter().map(row_of).collect();
    let current = rows.first().map(|row| row.event.milestone);
    let progress = match order.status {
        OrderStatus::Delivered => PROGRESS.len(),
        _ => current.map_or(0, Milestone::progress),
    };
    let shipment = shipment(conn, order.id)?;
    let (city, country): (String, String) = order_recipients::table
        .find(order.id)
        .select((order_recipients::city, order_recipients::country))
        .first(conn)?;
    let estimate = estimate(
        conn,
        order,
        &country,
        shipment.as_ref().and_then(|s| s.handed_over_at),
    )?;
    Ok(TrackingView {
        order_no: order.order_no.clone(),
        status: order.status,
        rows,
        current,
        progress,
        estimate,
        carrier: shipment.as_ref().and_then(|s| s.carrier.clone()),
        waybill: shipment.and_then(|s| s.waybill),
        destination_city: city,
        destination_country: country,
    })
}

/// The order and its journey for staff (any company).
pub fn staff_view(
    conn: &mut DbConnection,
    actor: &Actor,
    order_no: &str,
) -> ServiceResult<(Order, TrackingView)> {
    actor.require_staff()?;
    let order = super::order_by_no(conn, order_no)?
        .ok_or(ServiceError::Db(diesel::result::Error::NotFound))?;
    let view = tracking_of(conn, &order)?;
    Ok((order, view))
}

/// The journey for a visitor who knows the order number and the
/// recipient's postcode; `None` for a wrong number or postcode alike.
pub fn public_view(
    conn: &mut DbConnection,
    order_no: &str,
    postcode: &str,
) -> ServiceResult<Option<TrackingView>> {
    let Some(order) = super::order_by_no(conn, order_no)? else {
        return Ok(None);
    };
    // Before payment there is no parcel to follow.
    if !order.status.is_labelable() {
        return Ok(None);
    }
    let stored: String = order_recipients::table
        .find(order.id)
        .select(order_recipients::postcode)
        .first(conn)?;
    let given = normalise_postcode(postcode);
    if given.is_empty() || given != normalise_postcode(&stored) {
        return Ok(None);
    }
    public_tracking_of(conn, &order).map(Some)
}

/// The journey as someone outside the company sees it (the public page, the
/// recipient's link): the carrier's words may name the person who signed, so
/// only milestones, times and places are shown.
pub fn public_tracking_of(conn: &mut DbConnection, order: &Order) -> ServiceResult<TrackingView> {
    let mut view = tracking_of(conn, order)?;
    for row in &mut view.rows {
        row.event.carrier_text.clear();
        row.event.raw_payload.clear();
    }
    Ok(view)
}

/// Postcodes compared without case, spaces or dashes (`sw1a 1aa` = `SW1A1AA`).
pub fn normalise_postcode(input: &str) -> String {
    input
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn row_of(event: TrackingEvent) -> TimelineRow {
    let local = event.event_at + Duration::minutes(event.utc_offset_minutes);
    let place = [event.city.as_str(), event.country.as_str()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    TimelineRow {
        local: format!(
            "{} ({})",
            local.format("%Y-%m-%d %H:%M"),
            format_offset(event.utc_offset_minutes)
        ),
        china: china_time::local(event.event_at)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        datetime: event.event_at.format("%Y-%m-%dT%H:%MZ").to_string(),
        place,
        event,
    }
}

/// The estimated delivery date, counted from the hand-over.
fn estimate(
    conn: &mut DbConnection,
    order: &Order,
    country: &str,
    handed_over_at: Option<NaiveDateTime>,
) -> QueryResult<Estimate> {
    let moving = matches!(
        order.status,
        OrderStatus::InTransit
            | OrderStatus::Customs
            | OrderStatus::OutForDelivery
            | OrderStatus::Exception
    );
    let (Some(handed_over_at), Some(route), true) = (handed_over_at, &order.route_code, moving)
    else {
        return Ok(Estimate::None);
    };
    let start = china_time::local(handed_over_at).date();
    let delivered: Vec<(NaiveDateTime, Option<NaiveDateTime>)> = orders::table
        .inner_join(order_shipments::table)
        .inner_join(order_recipients::table.on(order_recipients::order_id.eq(orders::id)))
        .filter(orders::route_code.eq(route))
        .filter(orders::status.eq(OrderStatus::Delivered.as_str()))
        .filter(order_recipients::country.eq(country))
        .filter(order_shipments::handed_over_at.is_not_null())
        .select((
            order_shipments::handed_over_at.assume_not_null(),
            tracking_events::table
                .filter(tracking_events::order_id.eq(orders::id))
                .filter(tracking_events::milestone.eq(Milestone::Delivered.as_str()))
                .select(diesel::dsl::min(tracking_events::event_at))
                .single_value(),
        ))
        .load(conn)?;
    let days: Vec<i64> = delivered
        .into_iter()
        .filter_map(|(from, to)| Some((to? - from).num_hours().div_euclid(24).max(0)))
        .collect();
    let deliveries = days.len();
    if let Some((median, p90)) = measured_days(days) {
        return Ok(Estimate::Measured {
            median: start + Duration::days(median),
            p90: start + Duration::days(p90),
            deliveries,
        });
    }
    let nominal: Option<(i64, i64)> = order_quotes::table
        .find(order.id)
        .select((
            order_quotes::transit_min_days,
            order_quotes::transit_max_days,
        ))
        .first(conn)
        .optional()?;
    Ok(match nominal {
        Some((min, max)) => Estimate::Nominal {
            from: start + Duration::days(min),
            to: start + Duration::days(max),
        },
        None => Estimate::None,
    })
}

#[cfg(test)]
mod tests {
    use super::normalise_postcode;

    #[test]
    fn postcodes_match_without_spaces_or_case() {
        assert_eq!(
            normalise_postcode("sw1a 1aa"),
            normalise_postcode("SW1A1AA")
        );
        assert_eq!(normalise_postcode("10115"), "10115");
    }
}
