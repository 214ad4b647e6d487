//! The recipient's side of a return the seller asked for: `/return/{token}`
//! explains how to send the parcel back and prints its label, from the
//! recipient's address to the warehouse of the original order. No account;
//! the token's SHA-256 is stored, it expires after `LINK_VALID_DAYS`.

use super::{link_row, not_found};
use crate::db::DbConnection;
use crate::db::orders::{Order, OrderRecipient};
use crate::db::schema::{companies, order_recipients, orders, routes, warehouses};
use crate::domain::barcode::Barcode;
use crate::pdf::{Label, Mark};
use crate::services::{LinkProblem, ServiceError, ServiceResult, now, tokens};
use diesel::prelude::*;

/// What the recipient's page shows.
#[derive(Clone, Debug)]
pub struct ReturnLink {
    pub return_no: String,
    pub sender_company: String,
    /// Where the parcel leaves from: the recipient's name, city and country.
    pub from_name: String,
    pub from_place: String,
    /// Where it goes: the warehouse's name and address.
    pub to_name: String,
    pub to_address: String,
    pub expires_at: chrono::NaiveDateTime,
}

/// The return behind a live link.
fn linked(
    conn: &mut DbConnection,
    token: &str,
) -> ServiceResult<Result<(Order, ReturnLink), LinkProblem>> {
    let Some(link) = link_row(conn, &tokens::digest(token))? else {
        return Ok(Err(LinkProblem::Unknown));
    };
    let Some(expires_at) = link.token_expires_at.filter(|at| *at >= now()) else {
        return Ok(Err(LinkProblem::Expired));
    };
    let order: Order = orders::table.find(link.return_order_id).first(conn)?;
    let recipient: OrderRecipient = order_recipients::table.find(order.id).first(conn)?;
    let sender_company: String = companies::table
        .find(order.company_id)
        .select(companies::name_en)
        .first(conn)?;
    let (to_name, to_address) = warehouse_of(conn, link.original_order_id)?;
    let country = crate::domain::country::find(&recipient.country)
        .map_or_else(|| recipient.country.clone(), |c| c.name_en.clone());
    let from_place = [
        recipient.city.as_str(),
        recipient.postcode.as_str(),
        country.as_str(),
    ]
    .iter()
    .filter(|p| !p.trim().is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join(", ");
    Ok(Ok((
        order.clone(),
        ReturnLink {
            return_no: order.order_no,
            sender_company,
            from_name: recipient.name,
            from_place,
            to_name,
            to_address,
            expires_at,
        },
    )))
}

/// What the recipient's page shows, if the link works.
pub fn open(
    conn: &mut DbConnection,
    token: &str,
) -> ServiceResult<Result<ReturnLink, LinkProblem>> {
    Ok(linked(conn, token)?.map(|(_, link)| link))
}

/// The return label: the return's number as a barcode, from the recipient
/// to the warehouse, with the route and the original's declared marks.
pub fn label(conn: &mut DbConnection, token: &str) -> ServiceResult<Result<Label, LinkProblem>> {
    let (order, link) = match linked(conn, token)? {
        Ok(found) => found,
        Err(problem) => return Ok(Err(problem)),
    };
    let barcode = Barcode::code128(&order.order_no).map_err(|_| not_found())?;
    let route_code = order.route_code.clone().unwrap_or_default();
    let route_name = routes::table
        .filter(routes::code.eq(&route_code))
        .select(routes::name_en)
        .first::<String>(conn)
        .optional()?
        .unwrap_or_default();
    Ok(Ok(Label {
        order_no: order.order_no.clone(),
        barcode,
        sender_city: format!("{} · {}", link.from_name, link.from_place),
        recipient_name: link.to_name,
        recipient_city: link.to_address,
        country_code: "CN".to_owned(),
        country_name: "China".to_owned(),
        route_code,
        route_name,
        weight_g: order
            .weight_g
            .and_then(|w| u32::try_from(w).ok())
            .unwrap_or(0),
        marks: Mark::of(&order.declared()),
        warehouse: None,
    }))
}

/// The warehouse the original went out from; a pickup's parcel comes back
/// to the first active warehouse.
fn warehouse_of(conn: &mut DbConnection, original_id: i64) -> ServiceResult<(String, String)> {
    let used = crate::db::warehouse::shipment(conn, original_id)?.and_then(|s| s.warehouse_id);
    let mut query = warehouses::table
        .select((warehouses::name, warehouses::address_zh))
        .into_boxed();
    query = match used {
        Some(id) => query.filter(warehouses::id.eq(id)),
        None => query
            .filter(warehouses::active.eq(true))
            .order(warehouses::id.asc()),
    };
    query
        .first::<(String, String)>(conn)
        .optional()?
        .ok_or(ServiceError::Conflict("error.returns.no_warehouse"))
}
