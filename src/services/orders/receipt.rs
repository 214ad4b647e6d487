//! After dispatch the recipient's link (`/r/{token}`) follows the parcel and
//! takes the recipient's confirmation of receipt (issue #11): once per
//! order, with the parcel's condition, a comment and an optional photo. A
//! confirmation no carrier has matched with a `delivered` event records the
//! delivery itself (source `recipient`), through the one tracking code path.

use super::By;
use super::link::{self, LinkProblem};
use crate::db::confirmations::{self, NewRecipientConfirmation, RecipientConfirmation};
use crate::db::orders::Order;
use crate::db::schema::{order_recipients, recipient_confirmations, tracking_events};
use crate::db::warehouse::shipment;
use crate::db::{DbConnection, ledger, write_tx};
use crate::domain::ids::{CompanyId, UserId};
use crate::domain::order_state::OrderStatus;
use crate::domain::receipt::Receipt;
use crate::domain::status::UploadKind;
use crate::domain::tracking::{Milestone, Source};
use crate::services::tracking::{self, NewEvent, TrackingView};
use crate::services::uploads::{self, NewFile};
use crate::services::{ServiceError, ServiceResult, now};
use crate::storage::Storage;
use diesel::prelude::*;

/// How long a link sent after dispatch works: the slowest route's transit
/// and a month to confirm receipt; the seller can always send a fresh one.
pub const VALID_DAYS: i64 = 60;

/// What the recipient's link shows once the parcel is on its way.
pub struct Followed {
    pub order_no: String,
    pub sender_company: String,
    /// As the public tracking page shows it (no carrier's words).
    pub tracking: TrackingView,
    /// The recipient's postcode, so that this browser may open `/track` too.
    pub postcode: String,
    /// The confirmation already given.
    pub confirmation: Option<RecipientConfirmation>,
    /// The form is offered: not confirmed yet, and in a state that allows it.
    pub may_confirm: bool,
}

/// Whether the warehouse has handed the parcel to a carrier.
pub fn dispatched(conn: &mut DbConnection, order_id: i64) -> QueryResult<bool> {
    Ok(shipment(conn, order_id)?.is_some_and(|s| s.handed_over_at.is_some()))
}

/// The states a recipient may confirm receipt from: on its way (even held
/// or in trouble: the recipient has it in hand after all) or delivered. A
/// returned or lost parcel is not the recipient's to confirm.
pub fn confirmable(status: OrderStatus) -> bool {
    matches!(
        status,
        OrderStatus::InTransit
            | OrderStatus::Customs
            | OrderStatus::OutForDelivery
            | OrderStatus::Exception
            | OrderStatus::Delivered
    )
}

/// The parcel behind a live link, as the recipient sees it.
pub(super) fn follow(conn: &mut DbConnection, order: Order) -> ServiceResult<Followed> {
    let tracking = tracking::public_tracking_of(conn, &order)?;
    let postcode = order_recipients::table
        .find(order.id)
        .select(order_recipients::postcode)
        .first(conn)?;
    let confirmation = confirmations::of_order(conn, order.id)?;
    Ok(Followed {
        sender_company: link::sender_company(conn, &order)?,
        may_confirm: confirmation.is_none() && confirmable(order.status),
        order_no: order.order_no,
        tracking,
        postcode,
        confirmation,
    })
}

/// The recipient's confirmation of an order, for the seller's order page.
pub fn confirmation_of(
    conn: &mut DbConnection,
    order: &Order,
) -> ServiceResult<Option<RecipientConfirmation>> {
    Ok(confirmations::of_order(conn, order.id)?)
}

/// A photo the recipient chose.
pub struct Photo<'a> {
    pub bytes: &'a [u8],
    pub name: &'a str,
}

/// What became of a confirmation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confirmed {
    /// Stored now.
    Stored,
    /// Given before: nothing changed.
    Already,
}

/// The recipient confirms receipt: stored once per order; the delivery is
/// recorded when no `delivered` event is known yet; the seller is told.
pub fn confirm(
    conn: &mut DbConnection,
    storage: &dyn Storage,
    token: &str,
    receipt: &Receipt,
    photo: Option<Photo<'_>>,
) -> ServiceResult<Result<Confirmed, LinkProblem>> {
    write_tx(conn, |conn| {
        let order = match link::live(conn, token)? {
            Ok(order) => order,
            Err(problem) => return Ok(Err(problem)),
        };
        if !dispatched(conn, order.id)? {
            return Ok(Err(LinkProblem::Unknown));
        }
        // Two confirmations sent at once: the second waits here, then finds the first.
        ledger::lock_company(conn, order.company_id)?;
        if confirmations::of_order(conn, order.id)?.is_some() {
            return Ok(Ok(Confirmed::Already));
        }
        if !confirmable(order.status) {
            return Err(ServiceError::Conflict("recipient_confirm.wrong_state"));
        }
        let pending = match &photo {
            Some(photo) => Some(uploads::record_from_recipient(
                conn,
                UserId(order.created_by),
                CompanyId(order.company_id),
                NewFile {
                    kind: UploadKind::RecipientPhoto,
                    field: "photo",
                    bytes: photo.bytes,
                    original_name: photo.name,
                },
            )?),
            None => None,
        };
        let recorded_delivery = !has_delivered_event(conn, order.id)?;
        if recorded_delivery {
            record_delivery(conn, &order)?;
        }
        diesel::insert_into(recipient_confirmations::table)
            .values(NewRecipientConfirmation {
                order_id: order.id,
                parcel_condition: i64::from(receipt.condition.value()),
                comment: &receipt.comment,
                photo_upload_id: pending.as_ref().map(|p| p.id.0),
                recorded_delivery,
                created_at: now(),
            })
            .execute(conn)?;
        crate::services::route_stats::refresh_order(conn, order.id)?;
        crate::services::notifications::notify_user(
            conn,
            UserId(order.created_by),
            "order.recipient_confirmed",
            &format!("{} {}/5", order.order_no, receipt.condition.value()),
            &format!("/app/orders/{}", order.order_no),
        )?;
        if let Some(pending) = pending {
            pending.write(storage)?;
        }
        Ok(Ok(Confirmed::Stored))
    })
}

fn has_delivered_event(conn: &mut DbConnection, order_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        tracking_events::table
            .filter(tracking_events::order_id.eq(order_id))
            .filter(tracking_events::milestone.eq(Milestone::Delivered.as_str())),
    ))
    .get_result(conn)
}

/// A `delivered` event now, at the destination, reported by the recipient.
fn record_delivery(conn: &mut DbConnection, order: &Order) -> ServiceResult<()> {
    let (city, country): (String, String) = order_recipients::table
        .find(order.id)
        .select((order_recipients::city, order_recipients::country))
        .first(conn)?;
    let event = NewEvent {
        milestone: Milestone::Delivered,
        reason: None,
        at: chrono::Utc::now().fixed_offset(),
        city,
        country,
        text: String::new(),
        source: Source::Recipient,
        carrier: None,
        carrier_event_id: None,
        raw: String::new(),
    };
    tracking::record(conn, By::Recipient, order, &event)?;
    Ok(())
}
