//! How a paid parcel reaches the warehouse (issue #10): the seller drops it
//! off at a platform warehouse or asks for a pickup (`pickups`), operators
//! answer pickup requests (`operators`), and the warehouse queue reads what
//! to expect ([`expected`]). The order stays `paid` throughout: a handover
//! choice is a timeline note and an audit row, never a state change.

pub mod operators;
pub mod pickups;

pub use operators::{Expected, expected, mark_collected};

use super::audit::{self, Event};
use super::orders::{self, TimelineEntry, add_event, may_change};
use super::{Actor, ServiceError, ServiceResult, now};
use crate::db::orders::Order;
use crate::db::schema::{order_shipments, pickups as pickup_rows, warehouses};
use crate::db::warehouse::{Pickup, Shipment, Warehouse, shipment};
use crate::db::{DbConnection, write_tx};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::CompanyId;
use crate::domain::order_event::EventParams;
use crate::domain::order_state::OrderStatus;
use crate::domain::warehouse::Handover;
use diesel::prelude::*;

/// The handover section of a paid order's page.
pub struct HandoverView {
    /// What the seller chose so far.
    pub choice: Option<Handover>,
    /// The drop-off warehouse chosen (kept even if the admin deactivated it since).
    pub warehouse: Option<Warehouse>,
    /// The open pickup request the order is on.
    pub pickup: Option<Pickup>,
    /// The warehouses a drop-off may go to.
    pub warehouses: Vec<Warehouse>,
    /// The actor may change the choice (their order, or they manage the company's).
    pub may_change: bool,
}

/// What the order page offers for handing the parcel over: `None` unless
/// the order is paid and the warehouse has not received it yet.
pub fn section(
    conn: &mut DbConnection,
    actor: &Actor,
    order: &Order,
) -> ServiceResult<Option<HandoverView>> {
    if order.status != OrderStatus::Paid || actor.company()?.0 != order.company_id {
        return Ok(None);
    }
    let Some(shipment) = shipment(conn, order.id)? else {
        return Ok(None);
    };
    if shipment.received_at.is_some() {
        return Ok(None);
    }
    let warehouse = match (shipment.handover(), shipment.warehouse_id) {
        (Some(Handover::DropOff), Some(id)) => Some(
            warehouses::table
                .find(id)
                .select(Warehouse::as_select())
                .first(conn)?,
        ),
        _ => None,
    };
    Ok(Some(HandoverView {
        choice: shipment.handover(),
        warehouse,
        pickup: open_pickup(conn, &shipment)?,
        warehouses: super::warehouses::active(conn)?,
        may_change: may_change(actor, order).is_ok(),
    }))
}

/// The pickup an order is on, if that request is still open.
fn open_pickup(conn: &mut DbConnection, shipment: &Shipment) -> QueryResult<Option<Pickup>> {
    let Some(id) = shipment.pickup_id else {
        return Ok(None);
    };
    let pickup: Pickup = pickup_rows::table
        .find(id)
        .select(Pickup::as_select())
        .first(conn)?;
    Ok(pickup.status.is_open().then_some(pickup))
}

/// The order's shipment, if its handover may still be chosen: the order is
/// paid and the warehouse has not received the parcel.
fn open_shipment(conn: &mut DbConnection, order: &Order) -> ServiceResult<Shipment> {
    if order.status != OrderStatus::Paid {
        return Err(ServiceError::Conflict("error.handover.not_paid"));
    }
    let shipment =
        shipment(conn, order.id)?.ok_or(ServiceError::Conflict("error.handover.not_paid"))?;
    if shipment.received_at.is_some() {
        return Err(ServiceError::Conflict("error.handover.received"));
    }
    Ok(shipment)
}

/// The seller will bring the parcel to `warehouse_id` (an active warehouse).
/// Changeable until the warehouse receives it; an order on an open pickup
/// request is taken off it by cancelling that request first.
pub fn choose_drop_off(
    conn: &mut DbConnection,
    actor: &Actor,
    order_no: &str,
    warehouse_id: i64,
) -> ServiceResult<()> {
    write_tx(conn, |conn| {
        let order = orders::find(conn, actor, order_no)?;
        may_change(actor, &order)?;
        let shipment = open_shipment(conn, &order)?;
        if open_pickup(conn, &shipment)?.is_some() {
            return Err(ServiceError::Conflict("error.handover.on_pickup"));
        }
        let warehouse: Warehouse = warehouses::table
            .find(warehouse_id)
            .filter(warehouses::active.eq(true))
            .select(Warehouse::as_select())
            .first(conn)
            .optional()?
            .ok_or_else(|| {
                ServiceError::Invalid(FieldErrors::single("warehouse", "error.handover.warehouse"))
            })?;
        diesel::update(order_shipments::table.find(order.id))
            .set((
                order_shipments::handover.eq(Some(Handover::DropOff.as_str())),
                order_shipments::warehouse_id.eq(Some(warehouse.id)),
                order_shipments::pickup_id.eq(None::<i64>),
                order_shipments::updated_at.eq(now()),
            ))
            .execute(conn)?;
        note_on_order(
            conn,
            actor,
            &order,
            "drop_off",
            &warehouse.name,
            format!("drop_off {} {}", warehouse.id, warehouse.name),
        )
    })
}

/// The timeline note (`from = to = paid`) and the `order.handover` audit row
/// of a handover choice.
fn note_on_order(
    conn: &mut DbConnection,
    actor: &Actor,
    order: &Order,
    kind: &str,
    note: &str,
    detail: String,
) -> ServiceResult<()> {
    add_event(
        conn,
        order.id,
        Some(actor),
        TimelineEntry {
            note,
            ..TimelineEntry::unchanged(kind, order.status, EventParams::default())
        },
    )?;
    orders::audit(
        conn,
        actor,
        "order.handover",
        CompanyId(order.company_id),
        &order.order_no,
        detail,
    )?;
    Ok(())
}

/// The pickup row as it was read: a change through it updates nothing if
/// someone else changed the request's status meanwhile (see [`changed`]).
type Still = diesel::dsl::Filter<
    diesel::dsl::Filter<pickup_rows::table, diesel::dsl::Eq<pickup_rows::id, i64>>,
    diesel::dsl::Eq<pickup_rows::status, &'static str>,
>;

fn still(pickup: &Pickup) -> Still {
    pickup_rows::table
        .filter(pickup_rows::id.eq(pickup.id))
        .filter(pickup_rows::status.eq(pickup.status.as_str()))
}

/// The result of an update through [`still`]: no row means a conflict.
fn changed(updated: usize) -> ServiceResult<()> {
    if updated == 1 {
        Ok(())
    } else {
        Err(ServiceError::Conflict("error.pickup.changed_meanwhile"))
    }
}

/// The audit row of a pickup request's change.
fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    company: CompanyId,
    id: i64,
    detail: String,
) -> ServiceResult<()> {
    audit::record(
        conn,
        actor,
        Event {
            action,
            company: Some(company),
            target_type: "pickup",
            target_id: id.to_string(),
            detail,
        },
    )?;
    Ok(())
}
