//! The recipient link (issue #4): the recipient of a sample fills in their
//! own address at `/r/{token}`, without an account. The token is 32 random
//! bytes; only its SHA-256 is stored, it expires after 14 days and works once.
//! After dispatch the seller may send a fresh link that follows the parcel
//! and takes the confirmation of receipt (`receipt`, issue #11).

use super::receipt;
use super::transition::{By, transition};
use super::{draft_of, recipient_row};
use crate::db::orders::{Order, OrderRecipient};
use crate::db::schema::{order_recipients, orders};
use crate::db::{DbConnection, write_tx};
use crate::domain::order_state::{self, OrderStatus};
use crate::domain::recipient::RecipientFields;
use crate::services::{Actor, ServiceError, ServiceResult, now, tokens};
use chrono::Duration;
use diesel::prelude::*;

/// How long a link for the address works.
pub const VALID_DAYS: i64 = 14;

/// Gives the order a new link working for `days` (the previous one stops
/// working) and returns its token.
pub(crate) fn issue(conn: &mut DbConnection, order_id: i64, days: i64) -> QueryResult<String> {
    let token = tokens::generate();
    diesel::update(orders::table.find(order_id))
        .set((
            orders::recipient_token_sha256.eq(Some(tokens::digest(&token))),
            orders::recipient_token_expires_at.eq(Some(now() + Duration::days(days))),
        ))
        .execute(conn)?;
    Ok(token)
}

/// A new link for an order still waiting for its address, or for a parcel
/// on its way or delivered (to follow it and confirm receipt).
pub fn reissue(conn: &mut DbConnection, actor: &Actor, order_no: &str) -> ServiceResult<String> {
    write_tx(conn, |conn| {
        let order = super::find(conn, actor, order_no)?;
        super::may_change(actor, &order)?;
        let days = if order.status == OrderStatus::AwaitingAddress {
            VALID_DAYS
        } else if receipt::dispatched(conn, order.id)? {
            receipt::VALID_DAYS
        } else {
            return Err(ServiceError::Conflict("error.order.wrong_state"));
        };
        let token = issue(conn, order.id, days)?;
        super::audit(
            conn,
            actor,
            "order.recipient_link",
            crate::domain::ids::CompanyId(order.company_id),
            &order.order_no,
            String::new(),
        )?;
        Ok(token)
    })
}

pub use crate::services::LinkProblem;

/// The order a live link belongs to, with what the recipient sees of it.
pub struct LinkedOrder {
    pub order: Order,
    pub recipient: RecipientFields,
    pub sender_company: String,
}

/// What a live link opens at the order's stage.
pub enum Opened {
    /// The address form.
    Address(Box<LinkedOrder>),
    /// The parcel's journey and the confirmation of receipt.
    Parcel(Box<receipt::Followed>),
}

/// The order behind a token, at any stage, if the link still works.
pub(super) fn live(
    conn: &mut DbConnection,
    token: &str,
) -> ServiceResult<Result<Order, LinkProblem>> {
    let order: Option<Order> = orders::table
        .filter(orders::recipient_token_sha256.eq(tokens::digest(token)))
        .first(conn)
        .optional()?;
    let Some(order) = order else {
        return Ok(Err(LinkProblem::Unknown));
    };
    if order.recipient_token_expires_at.is_none_or(|at| at < now()) {
        return Ok(Err(LinkProblem::Expired));
    }
    Ok(Ok(order))
}

/// What the link behind a token opens: the address form while the order
/// waits for it, the parcel once it is dispatched; nothing in between.
pub fn open_any(
    conn: &mut DbConnection,
    token: &str,
) -> ServiceResult<Result<Opened, LinkProblem>> {
    let order = match live(conn, token)? {
        Ok(order) => order,
        Err(problem) => return Ok(Err(problem)),
    };
    if order.status == OrderStatus::AwaitingAddress {
        return Ok(Ok(Opened::Address(Box::new(linked(conn, order)?))));
    }
    if receipt::dispatched(conn, order.id)? {
        return Ok(Ok(Opened::Parcel(Box::new(receipt::follow(conn, order)?))));
    }
    Ok(Err(LinkProblem::Unknown))
}

/// The order behind a token, if the link still works for the address.
pub fn open(
    conn: &mut DbConnection,
    token: &str,
) -> ServiceResult<Result<LinkedOrder, LinkProblem>> {
    match live(conn, token)? {
        Ok(order) if order.status == OrderStatus::AwaitingAddress => Ok(Ok(linked(conn, order)?)),
        Ok(_) => Ok(Err(LinkProblem::Unknown)),
        Err(problem) => Ok(Err(problem)),
    }
}

fn linked(conn: &mut DbConnection, order: Order) -> ServiceResult<LinkedOrder> {
    let recipient: OrderRecipient = order_recipients::table.find(order.id).first(conn)?;
    let sender_company = sender_company(conn, &order)?;
    Ok(LinkedOrder {
        recipient: draft_of(&order, &recipient, &[]).recipient,
        order,
        sender_company,
    })
}

/// The sender's name as the recipient reads it (English).
pub(super) fn sender_company(conn: &mut DbConnection, order: &Order) -> QueryResult<String> {
    crate::db::schema::companies::table
        .find(order.company_id)
        .select(crate::db::schema::companies::name_en)
        .first(conn)
}

/// The recipient confirms their address: checked like the order form, then
/// the order becomes a draft again, the link dies and the seller is told.
pub fn confirm(
    conn: &mut DbConnection,
    token: &str,
    fields: &RecipientFields,
) -> ServiceResult<Result<String, LinkProblem>> {
    write_tx(conn, |conn| {
        let linked = match open(conn, token)? {
            Ok(linked) => linked,
            Err(problem) => return Ok(Err(problem)),
        };
        let recipient = fields.parse().map_err(ServiceError::Invalid)?;
        let order = linked.order;
        let typed = recipient.to_fields();
        transition(
            conn,
            &order,
            &order_state::Event::AddressConfirmed,
            By::Recipient,
            &typed.name,
            &crate::domain::order_event::EventParams::default(),
            typed.country.clone(),
        )?;
        diesel::update(order_recipients::table.find(order.id))
            .set(&recipient_row(order.id, &typed))
            .execute(conn)?;
        diesel::update(orders::table.find(order.id))
            .set((
                orders::recipient_token_sha256.eq(None::<String>),
                orders::recipient_token_expires_at.eq(None::<chrono::NaiveDateTime>),
            ))
            .execute(conn)?;
        let link = format!("/app/orders/{}", order.order_no);
        crate::services::notifications::notify_user(
            conn,
            crate::domain::ids::UserId(order.created_by),
            "order.address_confirmed",
            &order.order_no,
            &link,
        )?;
        Ok(Ok(order.order_no))
    })
}
