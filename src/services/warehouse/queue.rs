//! The warehouse's day: parcels expected (drop-offs announced, pickups
//! confirmed), received, on hold, refused and handed over.

use crate::db::DbConnection;
use crate::db::schema::{companies, order_shipments, orders, parcel_checks, warehouses};
use crate::domain::order_state::OrderStatus;
use crate::domain::warehouse::Handover;
use crate::services::{Actor, ServiceResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// One parcel in a queue.
#[derive(Clone, Debug)]
pub struct QueueRow {
    pub order_no: String,
    pub company: String,
    pub status: String,
    /// The warehouse a drop-off goes to, the waybill once handed over.
    pub detail: String,
    pub at: Option<NaiveDateTime>,
}

/// The queues of one China-time day. On hold and refused are every parcel
/// in that state now, whatever day it arrived.
#[derive(Clone, Debug, Default)]
pub struct Queue {
    pub expected: Vec<QueueRow>,
    /// Pickups confirmed for the day: company, window, address, parcels, orders.
    pub pickups: Vec<PickupRow>,
    pub received: Vec<QueueRow>,
    pub on_hold: Vec<QueueRow>,
    pub refused: Vec<QueueRow>,
    pub handed_over: Vec<QueueRow>,
}

/// A pickup the drivers collect on the day.
#[derive(Clone, Debug)]
pub struct PickupRow {
    pub id: i64,
    pub company: String,
    pub window: String,
    pub address: String,
    pub parcels: i64,
    pub orders: Vec<String>,
}

/// More rows than this in one queue are shown as the first ones (oldest).
const QUEUE_LIMIT: i64 = 500;

pub fn queue(conn: &mut DbConnection, actor: &Actor, day: NaiveDate) -> ServiceResult<Queue> {
    actor.require_staff()?;
    let from = crate::domain::china_time::day_start(day);
    let until = from + chrono::Duration::days(1);
    let base = || {
        order_shipments::table
            .inner_join(orders::table)
            .inner_join(companies::table.on(companies::id.eq(orders::company_id)))
            .left_join(warehouses::table)
    };
    type Raw = (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<NaiveDateTime>,
    );
    let columns = (
        orders::order_no,
        companies::name,
        orders::status,
        warehouses::name.nullable(),
        order_shipments::waybill,
        order_shipments::received_at,
    );
    let rows = |raw: Vec<Raw>| -> Vec<QueueRow> {
        raw.into_iter()
            .map(
                |(order_no, company, status, warehouse, waybill, at)| QueueRow {
                    order_no,
                    company,
                    status,
                    detail: waybill.or(warehouse).unwrap_or_default(),
                    at,
                },
            )
            .collect()
    };
    let expected = base()
        .filter(orders::status.eq(OrderStatus::Paid.as_str()))
        .filter(order_shipments::handover.eq(Handover::DropOff.as_str()))
        .filter(order_shipments::received_at.is_null())
        .order(orders::id.asc())
        .select(columns)
        .limit(QUEUE_LIMIT)
        .load::<Raw>(conn)?;
    let received = base()
        .filter(order_shipments::received_at.ge(from))
        .filter(order_shipments::received_at.lt(until))
        .order(order_shipments::received_at.asc())
        .select(columns)
        .limit(QUEUE_LIMIT)
        .load::<Raw>(conn)?;
    let on_hold = base()
        .filter(orders::status.eq(OrderStatus::OnHold.as_str()))
        .order(orders::id.asc())
        .select(columns)
        .limit(QUEUE_LIMIT)
        .load::<Raw>(conn)?;
    let refused = base()
        .filter(orders::status.eq(OrderStatus::Exception.as_str()))
        .filter(order_shipments::handed_over_at.is_null())
        .filter(diesel::dsl::exists(
            parcel_checks::table.filter(parcel_checks::order_id.eq(orders::id)),
        ))
        .order(orders::id.asc())
        .select(columns)
        .limit(QUEUE_LIMIT)
        .load::<Raw>(conn)?;
    let handed_over = base()
        .filter(order_shipments::handed_over_at.ge(from))
        .filter(order_shipments::handed_over_at.lt(until))
        .order(order_shipments::handed_over_at.asc())
        .select(columns)
        .limit(QUEUE_LIMIT)
        .load::<Raw>(conn)?;
    let pickups = crate::services::handover::expected(conn, actor, day)?
        .pickups
        .into_iter()
        .map(|(pickup, company, orders)| PickupRow {
            id: pickup.id,
            company,
            window: pickup.time_window,
            address: pickup.address,
            parcels: pickup.parcels,
            orders,
        })
        .collect();
    Ok(Queue {
        expected: rows(expected),
        pickups,
        received: rows(received),
        on_hold: rows(on_hold),
        refused: rows(refused),
        handed_over: rows(handed_over),
    })
}

/// Active carriers (code, name), for the hand-over forms.
pub fn carriers(conn: &mut DbConnection) -> QueryResult<Vec<(String, String)>> {
    use crate::db::schema::carriers;
    carriers::table
        .filter(carriers::active.eq(true))
        .order(carriers::code.asc())
        .select((carriers::code, carriers::name))
        .load(conn)
}

/// The routes with parcels handed over on `day` (China time), for the manifests.
pub fn routes_handed_over(
    conn: &mut DbConnection,
    actor: &Actor,
    day: NaiveDate,
) -> ServiceResult<Vec<String>> {
    actor.require_staff()?;
    let from = crate::domain::china_time::day_start(day);
    let until = from + chrono::Duration::days(1);
    let routes: Vec<Option<String>> = order_shipments::table
        .inner_join(orders::table)
        .filter(order_shipments::handed_over_at.ge(from))
        .filter(order_shipments::handed_over_at.lt(until))
        .select(orders::route_code)
        .distinct()
        .order(orders::route_code.asc())
        .load(conn)?;
    Ok(routes.into_iter().flatten().collect())
}
