//! What the warehouse page shows of one scanned parcel: the declaration
//! beside every measurement, the quote and where the parcel stands.

use super::scanned;
use crate::db::DbConnection;
use crate::db::orders::{Order, OrderItem, OrderQuote, OrderRecipient};
use crate::db::schema::{
    carriers, companies, order_items, order_quotes, order_recipients, parcel_checks, warehouses,
};
use crate::db::warehouse::{ParcelCheck, Shipment, shipment};
use crate::services::{Actor, ServiceResult};
use diesel::prelude::*;

pub struct ParcelView {
    pub order: Order,
    pub company: String,
    pub recipient: OrderRecipient,
    pub items: Vec<OrderItem>,
    pub quote: Option<OrderQuote>,
    pub shipment: Option<Shipment>,
    /// The warehouse a drop-off was announced for.
    pub warehouse: Option<String>,
    /// Every measurement, newest first.
    pub checks: Vec<ParcelCheck>,
    /// Active carriers (code, name), for the hand-over form.
    pub carriers: Vec<(String, String)>,
}

/// The scanned parcel (any company's), for staff.
pub fn parcel(conn: &mut DbConnection, actor: &Actor, order_no: &str) -> ServiceResult<ParcelView> {
    let order = scanned(conn, actor, order_no)?;
    let company = companies::table
        .find(order.company_id)
        .select(companies::name)
        .first(conn)?;
    let recipient = order_recipients::table.find(order.id).first(conn)?;
    let items = order_items::table
        .filter(order_items::order_id.eq(order.id))
        .order(order_items::position.asc())
        .load(conn)?;
    let quote = order_quotes::table.find(order.id).first(conn).optional()?;
    let shipment = shipment(conn, order.id)?;
    let warehouse = match shipment.as_ref().and_then(|s| s.warehouse_id) {
        Some(id) => Some(
            warehouses::table
                .find(id)
                .select(warehouses::name)
                .first(conn)?,
        ),
        None => None,
    };
    let checks = parcel_checks::table
        .filter(parcel_checks::order_id.eq(order.id))
        .order(parcel_checks::id.desc())
        .select(ParcelCheck::as_select())
        .load(conn)?;
    let carriers = carriers::table
        .filter(carriers::active.eq(true))
        .order(carriers::code.asc())
        .select((carriers::code, carriers::name))
        .load(conn)?;
    Ok(ParcelView {
        order,
        company,
        recipient,
        items,
        quote,
        shipment,
        warehouse,
        checks,
        carriers,
    })
}
