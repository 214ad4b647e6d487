//! A seller company's pickup requests: which paid parcels to collect, from
//! which of its sender addresses, on which day and in which window; cancel
//! one, or accept the slot an operator proposed.

use super::{changed, note_on_order, open_pickup, open_shipment, record, still};
use crate::db::schema::{addresses, companies, order_recipients, order_shipments, orders, pickups};
use crate::db::warehouse::Pickup;
use crate::db::{DbConnection, write_tx};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::CompanyId;
use crate::domain::order_state::OrderStatus;
use crate::domain::pickup::{TimeWindow, check_seller_date};
use crate::domain::status::Role;
use crate::domain::warehouse::{Handover, PickupStatus};
use crate::services::orders::{SENDER_COUNTRY, find as find_order, may_change};
use crate::services::{Actor, ServiceError, ServiceResult, now, pricing};
use chrono::NaiveDate;
use diesel::prelude::*;

/// One pickup request with the orders it collects.
pub struct PickupRow {
    pub pickup: Pickup,
    pub orders: Vec<String>,
}

/// The numbers of the orders on `pickup_id`, in order.
pub(super) fn orders_on(conn: &mut DbConnection, pickup_id: i64) -> QueryResult<Vec<String>> {
    order_shipments::table
        .inner_join(orders::table)
        .filter(order_shipments::pickup_id.eq(pickup_id))
        .order(orders::order_no.asc())
        .select(orders::order_no)
        .load(conn)
}

/// The company's pickup requests, newest first.
pub fn list(conn: &mut DbConnection, actor: &Actor) -> ServiceResult<Vec<PickupRow>> {
    let company = actor.company()?;
    let rows: Vec<Pickup> = pickups::table
        .filter(pickups::company_id.eq(company.0))
        .order((pickups::created_at.desc(), pickups::id.desc()))
        .limit(200)
        .select(Pickup::as_select())
        .load(conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for pickup in rows {
        let orders = orders_on(conn, pickup.id)?;
        out.push(PickupRow { pickup, orders });
    }
    Ok(out)
}

/// A paid parcel that may be put on a pickup.
pub struct Candidate {
    pub order_no: String,
    pub recipient: String,
    pub country: String,
    /// A drop-off chosen before; a pickup replaces it.
    pub handover: Option<Handover>,
}

/// The company's paid orders not yet received and on no open pickup, that
/// the actor may change (a seller: their own), oldest first.
pub fn candidates(conn: &mut DbConnection, actor: &Actor) -> ServiceResult<Vec<Candidate>> {
    let company = actor.company()?;
    let mut query = orders::table
        .inner_join(order_shipments::table)
        .inner_join(order_recipients::table)
        .left_join(pickups::table.on(pickups::id.nullable().eq(order_shipments::pickup_id)))
        .filter(orders::company_id.eq(company.0))
        .filter(orders::status.eq(OrderStatus::Paid.as_str()))
        .filter(order_shipments::received_at.is_null())
        .into_boxed();
    if actor.role == Role::Seller {
        query = query.filter(orders::created_by.eq(actor.user_id.0));
    }
    let rows: Vec<CandidateRow> = query
        .order(orders::id.asc())
        .select((
            orders::order_no,
            order_recipients::name,
            order_recipients::country,
            order_shipments::handover,
            pickups::status.nullable(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|row| {
            row.pickup_status
                .as_deref()
                .and_then(|s| PickupStatus::parse(s).ok())
                .is_none_or(|s| !s.is_open())
        })
        .map(|row| Candidate {
            order_no: row.order_no,
            recipient: row.recipient,
            country: row.country,
            handover: row
                .handover
                .as_deref()
                .and_then(|h| Handover::parse(h).ok())
                .filter(|h| *h == Handover::DropOff),
        })
        .collect())
}

/// A paid order with its shipment and the status of the pickup it is on, if any.
#[derive(Queryable)]
struct CandidateRow {
    order_no: String,
    recipient: String,
    country: String,
    handover: Option<String>,
    pickup_status: Option<String>,
}

/// A place parcels may be collected from: the company's default sender
/// address (`key = "company"`) or an address-book entry in China (its id).
pub struct SenderAddress {
    pub key: String,
    pub address: String,
    pub contact: String,
    pub phone: String,
}

/// Every sender address of the company, the default one first.
pub fn sender_addresses(
    conn: &mut DbConnection,
    actor: &Actor,
) -> ServiceResult<Vec<SenderAddress>> {
    let company = actor.company()?;
    let (name, phone, province, city, address, postcode): (
        String,
        String,
        String,
        String,
        String,
        String,
    ) = companies::table
        .find(company.0)
        .select((
            companies::sender_name,
            companies::sender_phone,
            companies::sender_province,
            companies::sender_city,
            companies::sender_address,
            companies::sender_postcode,
        ))
        .first(conn)?;
    let mut out = Vec::new();
    if !address.trim().is_empty() {
        out.push(SenderAddress {
            key: "company".to_owned(),
            address: format!("{province}{city}{address} {postcode}")
                .trim()
                .to_owned(),
            contact: name,
            phone,
        });
    }
    let book: Vec<crate::db::addresses::Address> = addresses::table
        .filter(addresses::company_id.eq(company.0))
        .filter(addresses::country.eq(SENDER_COUNTRY))
        .order((addresses::name.asc(), addresses::id.asc()))
        .limit(200)
        .load(conn)?;
    out.extend(book.into_iter().map(|a| {
        let parts = [
            a.state.as_deref().unwrap_or_default(),
            a.city.as_str(),
            a.line1.as_str(),
            a.line2.as_deref().unwrap_or_default(),
            a.postcode.as_str(),
        ];
        SenderAddress {
            key: a.id.to_string(),
            address: parts
                .iter()
                .filter(|p| !p.trim().is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" "),
            contact: a.name,
            phone: a.phone,
        }
    }));
    Ok(out)
}

/// A pickup request as the form gives it, parsed.
pub struct PickupRequest {
    pub orders: Vec<String>,
    /// A [`SenderAddress::key`].
    pub address: String,
    pub date: NaiveDate,
    pub window: TimeWindow,
    pub parcels: u32,
}

fn invalid(field: &'static str, key: &'static str) -> ServiceError {
    ServiceError::Invalid(FieldErrors::single(field, key))
}

/// Asks for the chosen paid parcels to be collected; returns the request's
/// id. Each order's handover becomes this pickup (a drop-off chosen before
/// is replaced), with a timeline note and an audit row.
pub fn request(
    conn: &mut DbConnection,
    actor: &Actor,
    request: &PickupRequest,
) -> ServiceResult<i64> {
    let company = actor.company()?;
    check_seller_date(pricing::today(), request.date).map_err(|key| invalid("date", key))?;
    let mut numbers: Vec<&str> = request.orders.iter().map(String::as_str).collect();
    numbers.sort_unstable();
    numbers.dedup();
    if numbers.is_empty() {
        return Err(invalid("orders", "error.pickup.no_orders"));
    }
    write_tx(conn, |conn| {
        let mut chosen = Vec::with_capacity(numbers.len());
        for no in &numbers {
            let order = find_order(conn, actor, no)
                .map_err(|_| invalid("orders", "error.pickup.order_unavailable"))?;
            may_change(actor, &order)?;
            let shipment = open_shipment(conn, &order)
                .map_err(|_| invalid("orders", "error.pickup.order_unavailable"))?;
            if open_pickup(conn, &shipment)?.is_some() {
                return Err(invalid("orders", "error.pickup.order_unavailable"));
            }
            chosen.push(order);
        }
        let place = sender_addresses(conn, actor)?
            .into_iter()
            .find(|a| a.key == request.address)
            .ok_or_else(|| invalid("address", "error.pickup.address"))?;
        let at = now();
        let id: i64 = crate::with_backend!(conn, |c| diesel::insert_into(pickups::table)
            .values((
                pickups::company_id.eq(company.0),
                pickups::address.eq(&place.address),
                pickups::contact.eq(&place.contact),
                pickups::phone.eq(&place.phone),
                pickups::pickup_date.eq(request.date),
                pickups::time_window.eq(request.window.as_str()),
                pickups::parcels.eq(i64::from(request.parcels)),
                pickups::status.eq(PickupStatus::Requested.as_str()),
                pickups::staff_note.eq(""),
                pickups::requested_by.eq(actor.user_id.0),
                pickups::created_at.eq(at),
                pickups::updated_at.eq(at),
            ))
            .returning(pickups::id)
            .get_result(c))?;
        let slot = format!("{} {}", request.date, request.window);
        for order in &chosen {
            diesel::update(order_shipments::table.find(order.id))
                .set((
                    order_shipments::handover.eq(Some(Handover::Pickup.as_str())),
                    order_shipments::pickup_id.eq(Some(id)),
                    order_shipments::warehouse_id.eq(None::<i64>),
                    order_shipments::updated_at.eq(at),
                ))
                .execute(conn)?;
            note_on_order(
                conn,
                actor,
                order,
                "pickup",
                &slot,
                format!("pickup {id} {slot}"),
            )?;
        }
        record(
            conn,
            actor,
            "pickup.request",
            company,
            id,
            format!("{slot} · {} · {}", request.parcels, numbers.join(",")),
        )?;
        Ok(id)
    })
}

/// One pickup of the actor's company that the actor may change: a seller
/// their own requests, managers and the owner any.
fn own_pickup(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<Pickup> {
    let company = actor.company()?;
    let pickup: Pickup = pickups::table
        .find(id)
        .filter(pickups::company_id.eq(company.0))
        .select(Pickup::as_select())
        .first(conn)?;
    if actor.role == Role::Seller && pickup.requested_by != actor.user_id.0 {
        return Err(ServiceError::Forbidden);
    }
    Ok(pickup)
}

/// Cancels a request not yet collected; its orders lose their handover
/// choice so they can be planned again.
pub fn cancel(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<()> {
    write_tx(conn, |conn| {
        let pickup = own_pickup(conn, actor, id)?;
        if !pickup.status.is_open() {
            return Err(ServiceError::Conflict("error.pickup.closed"));
        }
        changed(
            diesel::update(still(&pickup))
                .set((
                    pickups::status.eq(PickupStatus::Cancelled.as_str()),
                    pickups::updated_at.eq(now()),
                ))
                .execute(conn)?,
        )?;
        let on_it: Vec<crate::db::orders::Order> = orders::table
            .inner_join(order_shipments::table)
            .filter(order_shipments::pickup_id.eq(id))
            .filter(order_shipments::received_at.is_null())
            .select(crate::db::orders::Order::as_select())
            .load(conn)?;
        for order in &on_it {
            diesel::update(order_shipments::table.find(order.id))
                .set((
                    order_shipments::handover.eq(None::<String>),
                    order_shipments::pickup_id.eq(None::<i64>),
                    order_shipments::updated_at.eq(now()),
                ))
                .execute(conn)?;
            note_on_order(
                conn,
                actor,
                order,
                "pickup_cancelled",
                "",
                format!("pickup {id} cancelled"),
            )?;
        }
        record(
            conn,
            actor,
            "pickup.cancel",
            CompanyId(pickup.company_id),
            id,
            String::new(),
        )
    })
}

/// Takes the slot an operator proposed: the pickup is confirmed for it.
pub fn accept(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<()> {
    write_tx(conn, |conn| {
        let pickup = own_pickup(conn, actor, id)?;
        let (PickupStatus::Proposed, Some(date), Some(window)) = (
            pickup.status,
            pickup.proposed_date,
            pickup.proposed_window.clone(),
        ) else {
            return Err(ServiceError::Conflict("error.pickup.nothing_proposed"));
        };
        changed(
            diesel::update(still(&pickup))
                .set((
                    pickups::status.eq(PickupStatus::Confirmed.as_str()),
                    pickups::pickup_date.eq(date),
                    pickups::time_window.eq(&window),
                    pickups::proposed_date.eq(None::<NaiveDate>),
                    pickups::proposed_window.eq(None::<String>),
                    pickups::updated_at.eq(now()),
                ))
                .execute(conn)?,
        )?;
        record(
            conn,
            actor,
            "pickup.accept",
            CompanyId(pickup.company_id),
            id,
            format!("{date} {window}"),
        )
    })
}
