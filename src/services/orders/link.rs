//! The recipient link (issue #4): the recipient of a sample fills in their
//! own address at `/r/{token}`, without an account. The token is 32 random
//! bytes; only its SHA-256 is stored, it expires after 14 days and works once.

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

/// How long a recipient link works.
pub const VALID_DAYS: i64 = 14;

/// Gives the order a new link (the previous one stops working) and returns its token.
pub(crate) fn issue(conn: &mut DbConnection, order_id: i64) -> QueryResult<String> {
    let token = tokens::generate();
    diesel::update(orders::table.find(order_id))
        .set((
            orders::recipient_token_sha256.eq(Some(tokens::digest(&token))),
            orders::recipient_token_expires_at.eq(Some(now() + Duration::days(VALID_DAYS))),
        ))
        .execute(conn)?;
    Ok(token)
}

/// A new link for an order still waiting for its address.
pub fn reissue(conn: &mut DbConnection, actor: &Actor, order_no: &str) -> ServiceResult<String> {
    write_tx(conn, |conn| {
        let order = super::find(conn, actor, order_no)?;
        super::may_change(actor, &order)?;
        if order.status != OrderStatus::AwaitingAddress {
            return Err(ServiceError::Conflict("error.order.wrong_state"));
        }
        let token = issue(conn, order.id)?;
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

/// The order behind a token, if the link still works.
pub fn open(
    conn: &mut DbConnection,
    token: &str,
) -> ServiceResult<Result<LinkedOrder, LinkProblem>> {
    let order: Option<Order> = orders::table
        .filter(orders::recipient_token_sha256.eq(tokens::digest(token)))
        .filter(orders::status.eq(OrderStatus::AwaitingAddress.as_str()))
        .first(conn)
        .optional()?;
    let Some(order) = order else {
        return Ok(Err(LinkProblem::Unknown));
    };
    if order.recipient_token_expires_at.is_none_or(|at| at < now()) {
        return Ok(Err(LinkProblem::Expired));
    }
    let recipient: OrderRecipient = order_recipients::table.find(order.id).first(conn)?;
    let sender_company = crate::db::schema::companies::table
        .find(order.company_id)
        .select(crate::db::schema::companies::name_en)
        .first(conn)?;
    Ok(Ok(LinkedOrder {
        recipient: draft_of(&order, &recipient, &[]).recipient,
        order,
        sender_company,
    }))
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
