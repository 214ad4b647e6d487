//! Rows of the warehouse (issue #10): warehouses and carriers (admin
//! settings), sellers' pickup requests, and every measurement of a parcel.

use super::schema::{carriers, order_shipments, parcel_checks, pickups, warehouses};
use crate::domain::warehouse::{CheckOutcome, Handover, PickupStatus};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = warehouses)]
pub struct Warehouse {
    pub id: i64,
    pub name: String,
    /// The address in Chinese, as a seller types it into a courier app.
    pub address_zh: String,
    pub opening_hours: String,
    pub map_note: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = carriers)]
pub struct Carrier {
    pub code: String,
    pub name: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = pickups)]
pub struct Pickup {
    pub id: i64,
    pub company_id: i64,
    pub address: String,
    pub contact: String,
    pub phone: String,
    pub pickup_date: NaiveDate,
    /// `09:00-12:00` and the like.
    pub time_window: String,
    pub parcels: i64,
    #[diesel(deserialize_as = String)]
    pub status: PickupStatus,
    pub proposed_date: Option<NaiveDate>,
    pub proposed_window: Option<String>,
    pub staff_note: String,
    pub requested_by: i64,
    pub decided_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// One measurement (or refusal) of a parcel; the newest counts.
#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = parcel_checks)]
pub struct ParcelCheck {
    pub id: i64,
    pub order_id: i64,
    #[diesel(deserialize_as = String)]
    pub outcome: CheckOutcome,
    pub weight_g: i64,
    pub length_mm: i64,
    pub width_mm: i64,
    pub height_mm: i64,
    pub contents_match: bool,
    pub photo_upload_id: Option<i64>,
    /// A `RefusalReason` when refused.
    pub refusal_reason: Option<String>,
    pub note: String,
    pub chargeable_weight_g: Option<i64>,
    /// `[{"kind": "freight", "amount_fen": 5460}, …]`, as the quote's lines.
    pub bill_lines: String,
    pub bill_total_fen: Option<i64>,
    /// What the order had been charged, net, when it was weighed.
    pub charged_before_fen: i64,
    /// The measured weight was within the tolerance: the declared figures were priced.
    pub within_tolerance: bool,
    pub checked_by: i64,
    pub checked_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = parcel_checks)]
pub struct NewParcelCheck<'a> {
    pub order_id: i64,
    pub outcome: &'a str,
    pub weight_g: i64,
    pub length_mm: i64,
    pub width_mm: i64,
    pub height_mm: i64,
    pub contents_match: bool,
    pub photo_upload_id: Option<i64>,
    pub refusal_reason: Option<&'a str>,
    pub note: &'a str,
    pub chargeable_weight_g: Option<i64>,
    pub bill_lines: String,
    pub bill_total_fen: Option<i64>,
    pub charged_before_fen: i64,
    pub within_tolerance: bool,
    pub checked_by: i64,
    pub checked_at: NaiveDateTime,
}

/// The order's newest measurement, if the warehouse has seen it.
pub fn latest_check(
    conn: &mut super::DbConnection,
    order_id: i64,
) -> QueryResult<Option<ParcelCheck>> {
    parcel_checks::table
        .filter(parcel_checks::order_id.eq(order_id))
        .order(parcel_checks::id.desc())
        .select(ParcelCheck::as_select())
        .first(conn)
        .optional()
}

/// A paid order's way to the carrier: created with the payment, filled in
/// by the handover choice, the warehouse's receipt and the dispatch.
#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = order_shipments, primary_key(order_id))]
pub struct Shipment {
    pub order_id: i64,
    /// A `Handover`, once the seller chose; see [`Shipment::handover`].
    pub handover: Option<String>,
    pub warehouse_id: Option<i64>,
    pub pickup_id: Option<i64>,
    /// When the warehouse first accepted the parcel.
    pub received_at: Option<NaiveDateTime>,
    pub carrier: Option<String>,
    pub waybill: Option<String>,
    /// When the parcel was handed to the carrier.
    pub handed_over_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

impl Shipment {
    pub fn handover(&self) -> Option<Handover> {
        self.handover
            .as_deref()
            .and_then(|h| Handover::parse(h).ok())
    }
}

/// Starts the shipment row of an order being paid (inside the payment's transaction).
pub fn start_shipment(
    conn: &mut super::DbConnection,
    order_id: i64,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(order_shipments::table)
        .values((
            order_shipments::order_id.eq(order_id),
            order_shipments::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The order's shipment row; `None` before it is paid.
pub fn shipment(conn: &mut super::DbConnection, order_id: i64) -> QueryResult<Option<Shipment>> {
    order_shipments::table
        .find(order_id)
        .select(Shipment::as_select())
        .first(conn)
        .optional()
}

/// Notes when the warehouse first had the parcel in hand (accepted or refused).
pub fn mark_received(conn: &mut super::DbConnection, order_id: i64) -> QueryResult<()> {
    let at = chrono::Utc::now().naive_utc();
    diesel::update(
        order_shipments::table
            .filter(order_shipments::order_id.eq(order_id))
            .filter(order_shipments::received_at.is_null()),
    )
    .set(order_shipments::received_at.eq(Some(at)))
    .execute(conn)?;
    diesel::update(order_shipments::table.find(order_id))
        .set(order_shipments::updated_at.eq(at))
        .execute(conn)?;
    Ok(())
}
