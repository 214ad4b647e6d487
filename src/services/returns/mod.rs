//! Returns (issue #11): a refused or undeliverable parcel, or a delivered
//! sample the seller wants back, becomes a return order of its own (quote,
//! charge, tracking) linked to the original. This module says whether an
//! order may be returned and at what price; `create` makes the return,
//! `recipient` serves the recipient's link and label, `staff` the waybill.

mod create;
mod recipient;
mod staff;

pub use create::{Requested, request};
pub use recipient::{ReturnLink, label, open};
pub use staff::{StaffReturnRow, open_returns, set_waybill};

use super::{ServiceError, ServiceResult, quote};
use crate::db::DbConnection;
use crate::db::orders::{Order, OrderRecipient};
use crate::db::returns::{self as rows, OrderReturn};
use crate::db::schema::{order_recipients, orders, routes, tracking_events};
use crate::db::tracking::TrackingEvent;
use crate::domain::country::CountryCode;
use crate::domain::money::Fen;
use crate::domain::order_state::OrderStatus;
use crate::domain::quote::{Dimensions, Options, Parcel, QuoteBasis, RouteQuote, SortBy};
use crate::domain::returns::{ReturnReason, carrier_reason};
use crate::domain::warehouse::CheckOutcome;
use diesel::prelude::*;

/// The return order and the order it brings back, as the order pages link them.
#[derive(Clone, Debug, Default)]
pub struct ReturnLinks {
    /// This order is a return: the original's number and why.
    pub original: Option<(String, ReturnReason)>,
    /// This order is coming back: the return's number and state.
    pub returned_by: Option<(String, OrderStatus)>,
}

/// A return the seller may ask for now, at this price.
#[derive(Clone, Debug)]
pub struct ReturnOffer {
    pub reason: ReturnReason,
    pub quote: RouteQuote,
    pub basis: QuoteBasis,
}

impl ReturnOffer {
    pub fn total(&self) -> Fen {
        self.quote.total().unwrap_or(Fen::ZERO)
    }
}

/// What the order page says about returns.
#[derive(Clone, Debug, Default)]
pub struct ReturnSection {
    pub links: ReturnLinks,
    /// The offer, when the order may be returned.
    pub offer: Option<ReturnOffer>,
    /// Why a parcel the carrier could not deliver cannot come back (no returns on the route, no price).
    pub refusal: Option<&'static str>,
}

/// The links of `order` in both directions.
pub fn links_of(conn: &mut DbConnection, order: &Order) -> ServiceResult<ReturnLinks> {
    let original = match rows::as_return(conn, order.id)? {
        Some(link) => Some((number_of(conn, link.original_order_id)?, link.reason)),
        None => None,
    };
    let returned_by = match rows::of_original(conn, order.id)? {
        Some(link) => Some(
            orders::table
                .find(link.return_order_id)
                .select((orders::order_no, orders::status))
                .first::<(String, String)>(conn)
                .map(|(no, status)| (no, OrderStatus::parse(&status).unwrap_or(order.status)))?,
        ),
        None => None,
    };
    Ok(ReturnLinks {
        original,
        returned_by,
    })
}

/// The order page's returns part: the links, and the offer or why there is none.
pub fn section(conn: &mut DbConnection, order: &Order) -> ServiceResult<ReturnSection> {
    let links = links_of(conn, order)?;
    let (offer, refusal) = match returnable(conn, order)? {
        Ok(reason) => match price(conn, order)? {
            Some((quote, basis)) => (
                Some(ReturnOffer {
                    reason,
                    quote,
                    basis,
                }),
                None,
            ),
            None => (None, Some("error.returns.no_price")),
        },
        // Only a parcel stuck abroad hears why it cannot come back; a
        // delivered order on a route without returns simply has no button.
        Err("error.returns.not_offered") if order.status == OrderStatus::Exception => {
            (None, Some("error.returns.not_offered"))
        }
        Err(_) => (None, None),
    };
    Ok(ReturnSection {
        links,
        offer,
        refusal,
    })
}

/// Why `order` may be returned now, or the message key of why not.
pub(crate) fn returnable(
    conn: &mut DbConnection,
    order: &Order,
) -> ServiceResult<Result<ReturnReason, &'static str>> {
    if rows::as_return(conn, order.id)?.is_some() {
        return Ok(Err("error.returns.is_return"));
    }
    if rows::of_original(conn, order.id)?.is_some() {
        return Ok(Err("error.returns.exists"));
    }
    let reason = match order.status {
        OrderStatus::Delivered => Some(ReturnReason::Requested),
        // In exception after a refusal or a failed delivery; or already
        // sent back by the carrier without a return order (DESIGN note).
        OrderStatus::Exception | OrderStatus::Returned => {
            newest_event(conn, order.id)?.and_then(|event| {
                let reason = carrier_reason(event.milestone, event.reason())?;
                let carrier_returned =
                    event.milestone == crate::domain::tracking::Milestone::ReturnedToSender;
                (carrier_returned == (order.status == OrderStatus::Returned)).then_some(reason)
            })
        }
        _ => None,
    };
    let Some(reason) = reason else {
        return Ok(Err("error.returns.not_returnable"));
    };
    let offered: bool = match &order.route_code {
        Some(code) => routes::table
            .filter(routes::code.eq(code))
            .select(routes::returns_offered)
            .first::<bool>(conn)
            .optional()?
            .unwrap_or(false),
        None => false,
    };
    Ok(if offered {
        Ok(reason)
    } else {
        Err("error.returns.not_offered")
    })
}

/// The return's quote: the route's current price for the parcel as the
/// warehouse measured it (else as declared), from the recipient's country,
/// carriage only (no services, no discounts). `None` when the route cannot
/// price it any more.
pub(crate) fn price(
    conn: &mut DbConnection,
    order: &Order,
) -> ServiceResult<Option<(RouteQuote, QuoteBasis)>> {
    let recipient: OrderRecipient = order_recipients::table.find(order.id).first(conn)?;
    let measured = crate::db::warehouse::latest_check(conn, order.id)?
        .filter(|check| check.outcome == CheckOutcome::Accepted);
    let grams = |v: i64| u32::try_from(v).ok();
    let (weight, size) = match &measured {
        Some(c) => (
            grams(c.weight_g),
            Some((c.length_mm, c.width_mm, c.height_mm)),
        ),
        None => (
            order.weight_g.and_then(grams),
            match (order.length_mm, order.width_mm, order.height_mm) {
                (Some(l), Some(w), Some(h)) => Some((l, w, h)),
                _ => None,
            },
        ),
    };
    let (Some(weight_g), Ok(country), Some(route)) = (
        weight,
        CountryCode::parse(&recipient.country),
        order.route_code.as_deref(),
    ) else {
        return Ok(None);
    };
    let dimensions = size.and_then(|(l, w, h)| {
        Some(Dimensions {
            length_mm: grams(l)?,
            width_mm: grams(w)?,
            height_mm: grams(h)?,
        })
    });
    let parcel = Parcel {
        country,
        postcode: recipient.postcode.clone(),
        weight_g,
        dimensions,
        attributes: order.declared().attributes(),
        declared: None,
    };
    let answer = quote::quote(conn, &parcel, &Options::default(), None, SortBy::Price)?;
    Ok(answer
        .quotes
        .into_iter()
        .find(|q| q.route.as_str() == route && q.is_available())
        .map(|q| (q, answer.basis)))
}

/// The newest tracking event of an order.
fn newest_event(conn: &mut DbConnection, order_id: i64) -> QueryResult<Option<TrackingEvent>> {
    tracking_events::table
        .filter(tracking_events::order_id.eq(order_id))
        .order((tracking_events::event_at.desc(), tracking_events::id.desc()))
        .select(TrackingEvent::as_select())
        .first(conn)
        .optional()
}

fn number_of(conn: &mut DbConnection, order_id: i64) -> QueryResult<String> {
    orders::table
        .find(order_id)
        .select(orders::order_no)
        .first(conn)
}

/// Whether `order_id` is a return order (tracking moves a paid one on).
pub fn is_return(conn: &mut DbConnection, order_id: i64) -> QueryResult<bool> {
    Ok(rows::as_return(conn, order_id)?.is_some())
}

fn not_found() -> ServiceError {
    ServiceError::Db(diesel::result::Error::NotFound)
}

/// The link row of a return order, for the recipient's page.
fn link_row(conn: &mut DbConnection, digest: &str) -> QueryResult<Option<OrderReturn>> {
    rows::by_token(conn, digest)
}
