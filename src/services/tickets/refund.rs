//! A staff decision on a re-weigh dispute: a refund through the ledger (an
//! `adjustment` credit on the order, at most what the re-weigh charged),
//! in one transaction with the resolution, the audit row and the notice.

use super::thread::resolve_in_tx;
use super::{Actor, ServiceError, ServiceResult, audit, find};
use crate::db::ledger::{NewLedgerEntry, append, lock_company};
use crate::db::schema::{ledger_entries, tickets};
use crate::db::tickets::Ticket;
use crate::db::{DbConnection, write_tx};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ledger::EntryKind;
use crate::domain::money::Fen;
use crate::services::now;
use diesel::prelude::*;

/// The `reference` of a ticket's refund entries.
fn reference(ticket: i64) -> String {
    format!("ticket:{ticket}")
}

/// What a refund on this dispute may still credit: what the re-weigh
/// entries of the order charged, less the refunds of its tickets so far.
pub fn refund_cap(conn: &mut DbConnection, ticket: &Ticket) -> ServiceResult<Fen> {
    let Some(order) = ticket.order_id else {
        return Ok(Fen::ZERO);
    };
    let sum = |conn: &mut DbConnection, kind: EntryKind, tickets_only: bool| {
        let mut query = ledger_entries::table
            .filter(ledger_entries::order_id.eq(order))
            .filter(ledger_entries::kind.eq(kind.as_str()))
            .into_boxed();
        if tickets_only {
            query = query.filter(ledger_entries::reference.like("ticket:%"));
        }
        query
            .select(ledger_entries::amount_fen)
            .load::<i64>(conn)
            .map(|amounts| Fen(amounts.into_iter().sum()))
    };
    let charged = -sum(conn, EntryKind::Reweigh, false)?;
    let refunded = sum(conn, EntryKind::Adjustment, true)?;
    Ok((charged - refunded).max(Fen::ZERO))
}

/// Resolves a dispute with a note and, when `amount` is given, credits it
/// to the company's balance (refused above what the re-weigh charged).
pub fn resolve_with_refund(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    note: &str,
    amount: Option<Fen>,
) -> ServiceResult<()> {
    actor.require_staff()?;
    let mut errors = FieldErrors::new();
    if note.is_empty() {
        errors.add("note", "error.ticket.note_required");
    }
    if amount.is_some_and(|a| a <= Fen::ZERO) {
        errors.add("amount", "error.ticket.refund_positive");
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    write_tx(conn, |conn| {
        let company: i64 = tickets::table
            .find(id)
            .select(tickets::company_id)
            .first(conn)?;
        // Queued behind payments and re-weighs of the same company.
        lock_company(conn, company)?;
        let ticket = find(conn, actor, id)?;
        if let Some(amount) = amount {
            let (Some(order), Some(_)) = (ticket.order_id, ticket.parcel_check_id) else {
                return Err(ServiceError::Invalid(FieldErrors::single(
                    "amount",
                    "error.ticket.refund_not_dispute",
                )));
            };
            if amount > refund_cap(conn, &ticket)? {
                return Err(ServiceError::Invalid(FieldErrors::single(
                    "amount",
                    "error.ticket.refund_too_much",
                )));
            }
            append(
                conn,
                &NewLedgerEntry {
                    company_id: ticket.company_id,
                    kind: EntryKind::Adjustment.as_str(),
                    amount_fen: amount.0,
                    order_id: Some(order),
                    topup_id: None,
                    created_by: Some(actor.user_id.0),
                    note: &format!("ticket #{}: {}", ticket.id, note),
                    created_at: now(),
                    reference: &reference(ticket.id),
                },
            )?;
            audit(conn, actor, &ticket, "ticket.refund", format!("¥{amount}"))?;
        }
        resolve_in_tx(conn, actor, &ticket, note)
    })
}
