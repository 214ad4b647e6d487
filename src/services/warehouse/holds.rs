//! A parcel on hold waits for the difference its weighing found. It is
//! released when the seller pays it from the balance, or by the platform as
//! soon as a confirmed top-up covers it; either way the difference is
//! charged once (one entry per parcel check).

use super::charged;
use super::reweigh::reweigh_entry;
use crate::db::DbConnection;
use crate::db::ledger::{balance_fen, lock_company};
use crate::db::orders::Order;
use crate::db::schema::orders;
use crate::db::warehouse::latest_check;
use crate::db::write_tx;
use crate::domain::ids::UserId;
use crate::domain::ledger::shortfall;
use crate::domain::money::Fen;
use crate::domain::order_event::EventParams;
use crate::domain::order_state::{Event, OrderStatus};
use crate::services::notifications::notify_user;
use crate::services::orders::{By, find, may_change, transition};
use crate::services::{Actor, ServiceError, ServiceResult};
use diesel::prelude::*;

/// The difference a held order waits for, and the check it settles.
pub fn owed(conn: &mut DbConnection, order: &Order) -> ServiceResult<(Fen, i64)> {
    let check = latest_check(conn, order.id)?
        .ok_or(ServiceError::Conflict("error.warehouse.not_on_hold"))?;
    let bill = Fen(check.bill_total_fen.unwrap_or(0));
    Ok((bill - charged(conn, order.id)?, check.id))
}

/// The seller pays a held order's difference from the balance. `Err` with
/// the amount still missing when the balance does not cover it.
pub fn pay_difference(
    conn: &mut DbConnection,
    actor: &Actor,
    order_no: &str,
) -> ServiceResult<Result<Fen, Fen>> {
    let company = actor.company()?;
    write_tx(conn, |conn| {
        lock_company(conn, company.0)?;
        let order = find(conn, actor, order_no)?;
        may_change(actor, &order)?;
        if order.status != OrderStatus::OnHold {
            return Err(ServiceError::Conflict("error.warehouse.not_on_hold"));
        }
        let (owed, check) = owed(conn, &order)?;
        let balance = Fen(balance_fen(conn, company.0)?);
        if let Some(missing) = shortfall(balance, owed) {
            return Ok(Err(missing));
        }
        release(conn, &order, owed, check, By::Member(actor))?;
        Ok(Ok(owed))
    })
}

/// Releases every held order of the company that the balance now covers,
/// oldest first, inside the caller's transaction (a top-up being
/// confirmed, which holds the company's lock). Returns their numbers.
pub fn release_covered(conn: &mut DbConnection, company: i64) -> ServiceResult<Vec<String>> {
    lock_company(conn, company)?;
    let held: Vec<Order> = orders::table
        .filter(orders::company_id.eq(company))
        .filter(orders::status.eq(OrderStatus::OnHold.as_str()))
        .order(orders::id.asc())
        .load(conn)?;
    let mut released = Vec::new();
    for order in held {
        let (owed, check) = owed(conn, &order)?;
        let balance = Fen(balance_fen(conn, company)?);
        if shortfall(balance, owed).is_none() {
            release(conn, &order, owed, check, By::System)?;
            released.push(order.order_no);
        }
    }
    Ok(released)
}

fn release(
    conn: &mut DbConnection,
    order: &Order,
    owed: Fen,
    check: i64,
    by: By,
) -> ServiceResult<()> {
    let user = match by {
        By::Member(actor) | By::Staff(actor) | By::Approver(actor) => Some(actor.user_id),
        By::Recipient | By::System => None,
    };
    if owed > Fen::ZERO {
        reweigh_entry(conn, order, check, -owed, user)?;
    }
    transition(
        conn,
        order,
        &Event::Release,
        by,
        &format!("¥{owed}"),
        &EventParams::default(),
        format!("difference ¥{owed} paid"),
    )?;
    notify_user(
        conn,
        UserId(order.created_by),
        "order.released",
        &format!("{} ¥{owed}", order.order_no),
        &format!("/app/orders/{}", order.order_no),
    )?;
    Ok(())
}
