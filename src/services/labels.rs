//! Parcel labels (one order, several at once, or any order for staff) and
//! the shipment proof of an order the warehouse has received. Reads only:
//! nothing here changes an order.

use super::orders::find;
use super::{Actor, ServiceError, ServiceResult, now};
use crate::db::DbConnection;
use crate::db::addresses::Address;
use crate::db::orders::{Order, OrderItem, OrderRecipient};
use crate::db::schema::{
    addresses, carriers, companies, order_events, order_items, order_recipients, orders,
    parcel_checks, routes, uploads, warehouses,
};
use crate::db::warehouse::{self as shipments, ParcelCheck, Shipment};
use crate::domain::barcode::Barcode;
use crate::domain::china_time::local;
use crate::domain::order_no::OrderNo;
use crate::domain::warehouse::{CheckOutcome, Handover};
use crate::pdf::{Label, Mark, Measured, Parcel, Photo, PhotoSlot, ShipmentProof};
use crate::storage::Storage;
use diesel::prelude::*;

/// The most labels one request prints.
pub const MAX_LABELS: usize = 100;

fn not_found() -> ServiceError {
    ServiceError::Db(diesel::result::Error::NotFound)
}

/// The label of one of the actor's company's orders.
pub fn label(conn: &mut DbConnection, actor: &Actor, order_no: &str) -> ServiceResult<Label> {
    let order = find(conn, actor, order_no)?;
    label_of(conn, &order)
}

/// The label of any order, for platform staff re-printing a damaged one.
pub fn staff_label(conn: &mut DbConnection, actor: &Actor, order_no: &str) -> ServiceResult<Label> {
    actor.require_staff()?;
    let number = OrderNo::parse(order_no).map_err(|_| not_found())?;
    let order: Order = orders::table
        .filter(orders::order_no.eq(number.as_str()))
        .first(conn)?;
    label_of(conn, &order)
}

/// The labels of several of the company's orders, in the order asked for
/// (each once). One number that is not the company's order makes the whole
/// request "not found", so nothing tells whether it exists elsewhere.
pub fn labels(
    conn: &mut DbConnection,
    actor: &Actor,
    numbers: &[OrderNo],
) -> ServiceResult<Vec<Label>> {
    let company = actor.company()?;
    let mut wanted: Vec<&str> = Vec::new();
    for number in numbers {
        if !wanted.contains(&number.as_str()) {
            wanted.push(number.as_str());
        }
    }
    if wanted.is_empty() {
        return Err(ServiceError::Conflict("error.label.none_chosen"));
    }
    if wanted.len() > MAX_LABELS {
        return Err(ServiceError::Conflict("error.label.too_many"));
    }
    let found: Vec<Order> = orders::table
        .filter(orders::order_no.eq_any(&wanted))
        .filter(orders::company_id.eq(company.0))
        .load(conn)?;
    if found.len() != wanted.len() {
        return Err(not_found());
    }
    wanted
        .iter()
        .map(|no| {
            let order = found
                .iter()
                .find(|o| o.order_no == *no)
                .ok_or_else(not_found)?;
            label_of(conn, order)
        })
        .collect()
}

/// The label of an order that may have one (paid or later, not cancelled).
fn label_of(conn: &mut DbConnection, order: &Order) -> ServiceResult<Label> {
    if !order.status.is_labelable() {
        return Err(ServiceError::Conflict("error.label.not_paid"));
    }
    let recipient: OrderRecipient = order_recipients::table.find(order.id).first(conn)?;
    let barcode = Barcode::code128(&order.order_no).map_err(|_| not_found())?;
    let (route_code, route_name) = route_of(conn, order)?;
    let shipment = shipments::shipment(conn, order.id)?;
    let country = crate::domain::country::find(&recipient.country);
    Ok(Label {
        order_no: order.order_no.clone(),
        barcode,
        sender_city: sender_city(conn, order)?,
        recipient_name: recipient.name,
        recipient_city: [
            recipient.city.as_str(),
            recipient.state.as_str(),
            recipient.postcode.as_str(),
        ]
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", "),
        country_name: country.map_or_else(|| recipient.country.clone(), |c| c.name_en.clone()),
        country_code: recipient.country,
        route_code,
        route_name,
        weight_g: order
            .weight_g
            .and_then(|w| u32::try_from(w).ok())
            .unwrap_or(0),
        marks: Mark::of(&order.declared()),
        warehouse: warehouse_of(conn, shipment.as_ref())?,
    })
}

/// The route's code and English name.
fn route_of(conn: &mut DbConnection, order: &Order) -> ServiceResult<(String, String)> {
    let Some(code) = order.route_code.clone() else {
        return Ok((String::new(), String::new()));
    };
    let name = routes::table
        .filter(routes::code.eq(&code))
        .select(routes::name_en)
        .first::<String>(conn)
        .optional()?
        .unwrap_or_default();
    Ok((code, name))
}

/// The city the parcel leaves from: the order's sender address, else the
/// company's default sender address.
fn sender_city(conn: &mut DbConnection, order: &Order) -> ServiceResult<String> {
    if let Some(id) = order.sender_address_id {
        let address: Address = addresses::table.find(id).first(conn)?;
        return Ok(address.city);
    }
    Ok(companies::table
        .find(order.company_id)
        .select(companies::sender_city)
        .first(conn)?)
}

/// The warehouse's name and address when the seller drops the parcel off;
/// `None` (a pickup) otherwise.
fn warehouse_of(
    conn: &mut DbConnection,
    shipment: Option<&Shipment>,
) -> ServiceResult<Option<String>> {
    let Some(shipment) = shipment else {
        return Ok(None);
    };
    match (shipment.handover(), shipment.warehouse_id) {
        (Some(Handover::DropOff), Some(id)) => {
            let (name, address): (String, String) = warehouses::table
                .find(id)
                .select((warehouses::name, warehouses::address_zh))
                .first(conn)?;
            Ok(Some(format!("{name} · {address}")))
        }
        _ => Ok(None),
    }
}

/// The shipment proof of one of the company's orders, once the warehouse
/// has received its parcel (409 before). The photo is read from `storage`;
/// a photo that cannot be read is reported in the proof, not as an error.
pub fn proof(
    conn: &mut DbConnection,
    storage: &dyn Storage,
    actor: &Actor,
    order_no: &str,
) -> ServiceResult<ShipmentProof> {
    let order = find(conn, actor, order_no)?;
    let shipment = shipments::shipment(conn, order.id)?;
    let Some((shipment, received_at)) = shipment.and_then(|s| s.received_at.map(|at| (s, at)))
    else {
        return Err(ServiceError::Conflict("error.proof.not_received"));
    };
    let recipient: OrderRecipient = order_recipients::table.find(order.id).first(conn)?;
    let items: Vec<OrderItem> = order_items::table
        .filter(order_items::order_id.eq(order.id))
        .order(order_items::position.asc())
        .load(conn)?;
    let check: Option<ParcelCheck> = parcel_checks::table
        .filter(parcel_checks::order_id.eq(order.id))
        .filter(parcel_checks::outcome.eq(CheckOutcome::Accepted.as_str()))
        .order(parcel_checks::id.desc())
        .select(ParcelCheck::as_select())
        .first(conn)
        .optional()?;
    let waybill = match (&shipment.carrier, &shipment.waybill) {
        (Some(code), Some(waybill)) => {
            let name = carriers::table
                .find(code)
                .select(carriers::name)
                .first::<String>(conn)
                .optional()?
                .unwrap_or_else(|| code.clone());
            Some((name, waybill.clone()))
        }
        _ => None,
    };
    let delivered = order_events::table
        .filter(order_events::order_id.eq(order.id))
        .filter(order_events::kind.eq("deliver"))
        .order((order_events::at.desc(), order_events::id.desc()))
        .select((order_events::at, order_events::note))
        .first::<(chrono::NaiveDateTime, String)>(conn)
        .optional()?
        .map(|(at, note)| (local(at), note));
    let photo = photo_of(conn, storage, check.as_ref())?;
    let (route_code, route_name) = route_of(conn, &order)?;
    let size = |l: Option<i64>, w: Option<i64>, h: Option<i64>| {
        let mm = |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok());
        Some((mm(l)?, mm(w)?, mm(h)?))
    };
    Ok(ShipmentProof {
        order_no: order.order_no.clone(),
        waybill,
        route: format!("{route_name} ({route_code})"),
        recipient: format!(
            "{}, {}, {}",
            recipient.name, recipient.city, recipient.country
        ),
        declared: Parcel {
            weight_g: order.weight_g.and_then(|w| u32::try_from(w).ok()),
            size_mm: size(order.length_mm, order.width_mm, order.height_mm),
        },
        marks: Mark::of(&order.declared()),
        items: items
            .iter()
            .map(|i| {
                let quantity = i.quantity.and_then(|q| u32::try_from(q).ok());
                (i.description_en.clone(), quantity.unwrap_or(0))
            })
            .collect(),
        measured: check.map(|c| Measured {
            parcel: Parcel {
                weight_g: u32::try_from(c.weight_g).ok(),
                size_mm: size(Some(c.length_mm), Some(c.width_mm), Some(c.height_mm)),
            },
            contents_match: c.contents_match,
            checked_at: local(c.checked_at),
        }),
        photo,
        received_at: local(received_at),
        handed_over_at: shipment.handed_over_at.map(local),
        delivered,
        generated_at: local(now()),
    })
}

/// The accepted check's photo, read from storage.
fn photo_of(
    conn: &mut DbConnection,
    storage: &dyn Storage,
    check: Option<&ParcelCheck>,
) -> ServiceResult<PhotoSlot> {
    let Some(upload_id) = check.and_then(|c| c.photo_upload_id) else {
        return Ok(PhotoSlot::None);
    };
    let key: String = uploads::table
        .find(upload_id)
        .select(uploads::sha256)
        .first(conn)?;
    let bytes = match storage.get(&key) {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::warn!(%error, upload_id, "the parcel photo is not in storage");
            return Ok(PhotoSlot::Unreadable);
        }
    };
    Ok(Photo::from_bytes(bytes).map_or(PhotoSlot::Unreadable, PhotoSlot::Photo))
}
