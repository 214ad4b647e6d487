//! Creating a return order: one transaction that checks the original may
//! come back, charges the return's own quote through the ledger, creates
//! the return (same company, route, items; new number) as a paid order,
//! links both and moves a parcel stuck abroad to `returned`.

use super::{ReturnReason, price, returnable};
use crate::db::ledger::{NewLedgerEntry, append, balance_fen, lock_company};
use crate::db::orders::{OrderItem, OrderRecipient};
use crate::db::returns::OrderReturn;
use crate::db::schema::{order_items, order_recipients, order_returns, orders};
use crate::db::{DbConnection, write_tx};
use crate::domain::ids::CompanyId;
use crate::domain::ledger::{EntryKind, shortfall};
use crate::domain::money::Fen;
use crate::domain::order_event::EventParams;
use crate::domain::order_state::{Event, OrderStatus};
use crate::domain::returns::LINK_VALID_DAYS;
use crate::services::orders::{
    By, Start, TimelineEntry, add_event, draft_of, find, insert, may_change, require_active,
    store_quote, transition,
};
use crate::services::{Actor, ServiceError, ServiceResult, now, tokens};
use diesel::prelude::*;

/// How a return request ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Requested {
    /// The return order exists and is paid; `link_token` is the recipient's
    /// link for a return the seller asked for (shown once).
    Created {
        return_no: String,
        link_token: Option<String>,
    },
    /// Nothing was written: the balance lacks `missing` of `due`.
    Short { missing: Fen, due: Fen },
}

/// Creates the return of the actor's company's order `order_no` and pays it
/// from the balance. A second request, a route without returns or an order
/// that cannot come back is a conflict (409) and nothing is written.
pub fn request(conn: &mut DbConnection, actor: &Actor, order_no: &str) -> ServiceResult<Requested> {
    let company = actor.company()?;
    let result = write_tx(conn, |conn| {
        lock_company(conn, company.0)?;
        let original = find(conn, actor, order_no)?;
        may_change(actor, &original)?;
        let reason = returnable(conn, &original)?.map_err(ServiceError::Conflict)?;
        require_active(conn, company)?;
        let Some((quote, basis)) = price(conn, &original)? else {
            return Err(ServiceError::Conflict("error.returns.no_price"));
        };
        let due = quote.total().unwrap_or(Fen::ZERO);
        if let Some(missing) = shortfall(Fen(balance_fen(conn, company.0)?), due) {
            return Ok(Requested::Short { missing, due });
        }
        // The return carries the same parcel: same sender, route, items; its
        // recipient row is where it comes back from (DESIGN note).
        let recipient: OrderRecipient = order_recipients::table.find(original.id).first(conn)?;
        let items: Vec<OrderItem> = order_items::table
            .filter(order_items::order_id.eq(original.id))
            .order(order_items::position.asc())
            .load(conn)?;
        let draft = draft_of(&original, &recipient, &items);
        let form_token = format!("return:{}", original.order_no);
        let created = insert(
            conn,
            actor,
            &form_token,
            &draft,
            Start::Draft {
                save_recipient: false,
            },
        )?;
        let mut back = find(conn, actor, &created.order_no)?;
        add_event(
            conn,
            back.id,
            Some(actor),
            TimelineEntry {
                kind: "returns.of",
                from: Some(back.status),
                to: back.status,
                note: &original.order_no,
                params: EventParams::default(),
            },
        )?;
        // The seller's confirmation is the return's submission: no approval
        // step for bringing one's own parcel back (DESIGN note).
        back.status = transition(
            conn,
            &back,
            &Event::Submit {
                needs_approval: false,
            },
            By::Member(actor),
            &original.order_no,
            &EventParams::default(),
            format!("return of {}", original.order_no),
        )?;
        diesel::update(orders::table.find(back.id))
            .set((
                orders::submitted_at.eq(Some(now())),
                orders::submitted_by.eq(Some(actor.user_id.0)),
            ))
            .execute(conn)?;
        store_quote(conn, back.id, &quote, &basis)?;
        let amount = format!("¥{due}");
        transition(
            conn,
            &back,
            &Event::Pay,
            By::Member(actor),
            &amount,
            &EventParams::default(),
            amount.clone(),
        )?;
        crate::db::warehouse::start_shipment(conn, back.id, now())?;
        if due != Fen::ZERO {
            let reference = format!("return:{}", original.order_no);
            append(
                conn,
                &NewLedgerEntry {
                    company_id: company.0,
                    kind: EntryKind::Payment.as_str(),
                    amount_fen: -due.0,
                    order_id: Some(back.id),
                    topup_id: None,
                    created_by: Some(actor.user_id.0),
                    note: &original.order_no,
                    created_at: now(),
                    reference: &reference,
                },
            )?;
        }
        let link_token = (reason == ReturnReason::Requested).then(tokens::generate);
        diesel::insert_into(order_returns::table)
            .values(OrderReturn {
                return_order_id: back.id,
                original_order_id: original.id,
                reason,
                token_sha256: link_token.as_deref().map(tokens::digest),
                token_expires_at: link_token
                    .as_ref()
                    .map(|_| now() + chrono::Duration::days(LINK_VALID_DAYS)),
                created_by: actor.user_id.0,
                created_at: now(),
            })
            .execute(conn)?;
        link_original(conn, actor, &original, &back.order_no, reason)?;
        Ok(Requested::Created {
            return_no: back.order_no,
            link_token,
        })
    });
    match result {
        // Two requests racing (PostgreSQL): the loser finds the return made.
        Err(ServiceError::Db(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ))) => Err(ServiceError::Conflict("error.returns.exists")),
        other => other,
    }
}

/// Notes the return on the original's timeline; a parcel stuck abroad is
/// sent back (`exception → returned`), a delivered or carrier-returned one
/// keeps its state.
fn link_original(
    conn: &mut DbConnection,
    actor: &Actor,
    original: &crate::db::orders::Order,
    return_no: &str,
    reason: ReturnReason,
) -> ServiceResult<()> {
    if original.status == OrderStatus::Exception {
        transition(
            conn,
            original,
            &Event::SendBack,
            By::Member(actor),
            return_no,
            &EventParams::default(),
            format!("{} {return_no}", reason.as_str()),
        )?;
        return Ok(());
    }
    add_event(
        conn,
        original.id,
        Some(actor),
        TimelineEntry {
            kind: "returns.requested",
            from: Some(original.status),
            to: original.status,
            note: return_no,
            params: EventParams::default(),
        },
    )?;
    crate::services::orders::audit(
        conn,
        actor,
        "order.returns.requested",
        CompanyId(original.company_id),
        &original.order_no,
        format!("{} {return_no}", reason.as_str()),
    )?;
    Ok(())
}
