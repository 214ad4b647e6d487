//! Opening a ticket: a member's question (on an order or in general), and
//! "dispute this charge" on a re-weighed order, whose first message is the
//! quote and the bill line by line.

use super::{Actor, ServiceError, ServiceResult, audit, find};
use crate::db::ledger::lock_company;
use crate::db::tickets::{NewTicket, NewTicketMessage, dispute_of, insert_message, insert_ticket};
use crate::db::{DbConnection, write_tx};
use crate::domain::field_errors::FieldErrors;
use crate::domain::money::Fen;
use crate::domain::status::UploadKind;
use crate::domain::ticket::{TicketCategory, TicketStatus};
use crate::domain::upload::UploadQuota;
use crate::domain::warehouse::CheckOutcome;
use crate::services::now;
use crate::services::uploads::{NewFile, PendingFile, record, record_evidence};
use crate::storage::Storage;
use diesel::prelude::*;

/// A file brought with a message.
#[derive(Clone, Copy)]
pub struct Attachment<'a> {
    pub bytes: &'a [u8],
    pub name: &'a str,
}

/// What a member typed to open a ticket (already checked by the domain).
pub struct Opening {
    pub category: TicketCategory,
    pub subject: String,
    pub body: String,
    /// The order it is about, as typed (`?order=NO`).
    pub order_no: Option<String>,
}

/// Records a message's attachment: against the quota for a member, as
/// platform evidence (no quota) for staff.
pub(super) fn attach<'a>(
    conn: &mut DbConnection,
    actor: &Actor,
    quota: UploadQuota,
    company: i64,
    file: Attachment<'a>,
) -> ServiceResult<PendingFile<'a>> {
    let new_file = NewFile {
        kind: UploadKind::TicketAttachment,
        field: "attachment",
        bytes: file.bytes,
        original_name: file.name,
    };
    if actor.role.is_staff() {
        record_evidence(
            conn,
            actor,
            crate::domain::ids::CompanyId(company),
            new_file,
        )
    } else {
        record(conn, actor, quota, new_file)
    }
}

/// Opens a ticket with its first message; returns its id.
pub fn open(
    conn: &mut DbConnection,
    storage: &dyn Storage,
    quota: UploadQuota,
    actor: &Actor,
    opening: &Opening,
    attachment: Option<Attachment>,
) -> ServiceResult<i64> {
    let company = actor.company()?;
    write_tx(conn, |conn| {
        let order_id = match opening.order_no.as_deref().filter(|n| !n.trim().is_empty()) {
            Some(no) => match crate::services::orders::find(conn, actor, no.trim()) {
                Ok(order) => Some(order.id),
                Err(ServiceError::Db(diesel::result::Error::NotFound)) => {
                    return Err(ServiceError::Invalid(FieldErrors::single(
                        "order",
                        "error.ticket.unknown_order",
                    )));
                }
                Err(error) => return Err(error),
            },
            None => None,
        };
        let at = now();
        let id = insert_ticket(
            conn,
            &NewTicket {
                company_id: company.0,
                order_id,
                parcel_check_id: None,
                category: opening.category.as_str(),
                subject: &opening.subject,
                status: TicketStatus::Open.as_str(),
                opened_by: Some(actor.user_id.0),
                created_at: at,
                updated_at: at,
            },
        )?;
        let pending = match attachment {
            Some(file) => Some(attach(conn, actor, quota, company.0, file)?),
            None => None,
        };
        insert_message(
            conn,
            &NewTicketMessage {
                ticket_id: id,
                author_id: Some(actor.user_id.0),
                from_staff: false,
                body: &opening.body,
                attachment_upload_id: pending.as_ref().map(|p| p.id.0),
                created_at: at,
            },
        )?;
        let ticket = find(conn, actor, id)?;
        audit(
            conn,
            actor,
            &ticket,
            "ticket.open",
            opening.category.to_string(),
        )?;
        crate::services::webhooks::ticket_updated(conn, id, "created")?;
        if let Some(pending) = pending {
            pending.write(storage)?;
        }
        Ok(id)
    })
}

/// The dispute ticket already opened on the order's newest re-weigh, or
/// whether one can be opened: `Ok(Some(id))` links, `Ok(None)` with
/// `disputable` offers the button.
pub fn dispute_link(
    conn: &mut DbConnection,
    order: &crate::db::orders::Order,
) -> ServiceResult<(Option<i64>, bool)> {
    let Some(check) = disputable_check(conn, order)? else {
        return Ok((None, false));
    };
    Ok(match dispute_of(conn, check.id)? {
        Some(id) => (Some(id), false),
        None => (None, true),
    })
}

/// The accepted measurement whose bill differs from the quote.
fn disputable_check(
    conn: &mut DbConnection,
    order: &crate::db::orders::Order,
) -> ServiceResult<Option<crate::db::warehouse::ParcelCheck>> {
    use crate::db::schema::order_quotes;
    let Some(check) = crate::db::warehouse::latest_check(conn, order.id)? else {
        return Ok(None);
    };
    let quote_total: Option<i64> = order_quotes::table
        .find(order.id)
        .select(order_quotes::total_fen)
        .first(conn)
        .optional()?;
    let differs = check.outcome == CheckOutcome::Accepted
        && quote_total.is_some()
        && check.bill_total_fen != quote_total;
    Ok(differs.then_some(check))
}

/// "Dispute this charge": opens the billing ticket of the order's newest
/// re-weigh with the quote and the bill as its first message, or returns
/// the one already opened.
pub fn dispute(conn: &mut DbConnection, actor: &Actor, order_no: &str) -> ServiceResult<i64> {
    let company = actor.company()?;
    write_tx(conn, |conn| {
        lock_company(conn, company.0)?;
        let order = crate::services::orders::find(conn, actor, order_no)?;
        let Some(check) = disputable_check(conn, &order)? else {
            return Err(ServiceError::Conflict("error.ticket.nothing_to_dispute"));
        };
        if let Some(id) = dispute_of(conn, check.id)? {
            return Ok(id);
        }
        let facts = crate::services::warehouse::for_seller(conn, &order)?
            .ok_or(ServiceError::Conflict("error.ticket.nothing_to_dispute"))?;
        let bill = Fen(check.bill_total_fen.unwrap_or_default());
        let body = snapshot(
            &order.order_no,
            check.id,
            &facts.compared,
            facts.quote_total,
            bill,
        );
        let subject = format!("{} · ¥{} → ¥{}", order.order_no, facts.quote_total, bill);
        let at = now();
        let id = insert_ticket(
            conn,
            &NewTicket {
                company_id: company.0,
                order_id: Some(order.id),
                parcel_check_id: Some(check.id),
                category: TicketCategory::Billing.as_str(),
                subject: &subject,
                status: TicketStatus::Open.as_str(),
                opened_by: Some(actor.user_id.0),
                created_at: at,
                updated_at: at,
            },
        )?;
        insert_message(
            conn,
            &NewTicketMessage {
                ticket_id: id,
                author_id: Some(actor.user_id.0),
                from_staff: false,
                body: &body,
                attachment_upload_id: None,
                created_at: at,
            },
        )?;
        let ticket = find(conn, actor, id)?;
        audit(
            conn,
            actor,
            &ticket,
            "ticket.dispute",
            format!("check:{}", check.id),
        )?;
        crate::services::webhooks::ticket_updated(conn, id, "created")?;
        Ok(id)
    })
}

/// The quote and the bill line by line, as plain text kept with the ticket
/// (the numbers stay what they were when disputed).
fn snapshot(
    order_no: &str,
    check: i64,
    lines: &[crate::services::warehouse::Compared],
    quote_total: Fen,
    bill_total: Fen,
) -> String {
    let signed = |fen: Fen| {
        if fen > Fen::ZERO {
            format!("+{fen}")
        } else {
            fen.to_string()
        }
    };
    let mut text = format!("{order_no} · check #{check}\nline: quote → bill (difference)\n");
    for line in lines {
        text.push_str(&format!(
            "{}: ¥{} → ¥{} ({})\n",
            line.kind,
            line.quote,
            line.bill,
            signed(line.difference())
        ));
    }
    text.push_str(&format!(
        "total: ¥{quote_total} → ¥{bill_total} ({})",
        signed(bill_total - quote_total)
    ));
    text
}
