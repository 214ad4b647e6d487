//! The thread and the ticket's status: replies (a staff reply waits on the
//! customer, a member reply goes back into the queue), assignment, waiting,
//! resolving, reopening within 14 days, closing. Each is one transaction
//! with its notification, and an audit row when staff act.

use super::open::{Attachment, attach};
use super::{Actor, ServiceError, ServiceResult, audit, find, notify_other_side, side_of};
use crate::db::schema::{tickets, users};
use crate::db::tickets::{NewTicketMessage, Ticket, insert_message};
use crate::db::{DbConnection, write_tx};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::UserId;
use crate::domain::ticket::{Move, Side, TicketStatus, next};
use crate::domain::upload::UploadQuota;
use crate::services::{now, webhooks};
use crate::storage::Storage;
use diesel::prelude::*;

/// Moves the ticket with the pure rule and a guarded update (a ticket
/// changed meanwhile is a conflict); sets the times the move stands for.
pub(super) fn apply(
    conn: &mut DbConnection,
    actor: &Actor,
    ticket: &Ticket,
    action: Move,
) -> ServiceResult<TicketStatus> {
    let at = now();
    let side = side_of(actor);
    let status = next(ticket.status, side, action, ticket.resolved_at, at)
        .map_err(|refused| ServiceError::Conflict(refused.message_key()))?;
    let first_response = match (side, ticket.first_response_at, action) {
        (Side::Staff, None, Move::Reply | Move::Resolve) => Some(at),
        (_, first, _) => first,
    };
    let resolved_at = match action {
        Move::Resolve => Some(at),
        Move::Reopen => None,
        _ => ticket.resolved_at,
    };
    let closed_at = match action {
        Move::Close => Some(at),
        _ => ticket.closed_at,
    };
    let changed = diesel::update(
        tickets::table
            .filter(tickets::id.eq(ticket.id))
            .filter(tickets::status.eq(ticket.status.as_str())),
    )
    .set((
        tickets::status.eq(status.as_str()),
        tickets::first_response_at.eq(first_response),
        tickets::resolved_at.eq(resolved_at),
        tickets::closed_at.eq(closed_at),
        tickets::updated_at.eq(at),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Err(ServiceError::Conflict("error.ticket.changed"));
    }
    // The first answer is the board's customer-service response time.
    if ticket.first_response_at.is_none()
        && first_response.is_some()
        && let Some(order_id) = ticket.order_id
    {
        crate::services::route_stats::refresh_order(conn, order_id)?;
    }
    Ok(status)
}

fn add_message(
    conn: &mut DbConnection,
    actor: &Actor,
    ticket: &Ticket,
    body: &str,
    attachment: Option<i64>,
) -> QueryResult<()> {
    insert_message(
        conn,
        &NewTicketMessage {
            ticket_id: ticket.id,
            author_id: Some(actor.user_id.0),
            from_staff: actor.role.is_staff(),
            body,
            attachment_upload_id: attachment,
            created_at: now(),
        },
    )
}

/// Writes in the thread, with an optional file.
pub fn reply(
    conn: &mut DbConnection,
    storage: &dyn Storage,
    quota: UploadQuota,
    actor: &Actor,
    id: i64,
    body: &str,
    attachment: Option<Attachment>,
) -> ServiceResult<TicketStatus> {
    write_tx(conn, |conn| {
        let ticket = find(conn, actor, id)?;
        let status = apply(conn, actor, &ticket, Move::Reply)?;
        let pending = match attachment {
            Some(file) => Some(attach(conn, actor, quota, ticket.company_id, file)?),
            None => None,
        };
        add_message(conn, actor, &ticket, body, pending.as_ref().map(|p| p.id.0))?;
        match side_of(actor) {
            Side::Staff => {
                notify_other_side(conn, actor, &ticket, "ticket.answered")?;
                audit(conn, actor, &ticket, "ticket.reply", status.to_string())?;
            }
            Side::Member => notify_other_side(conn, actor, &ticket, "ticket.customer_reply")?,
        }
        webhooks::ticket_updated(conn, ticket.id, "message")?;
        if let Some(pending) = pending {
            pending.write(storage)?;
        }
        Ok(status)
    })
}

/// Staff wait for the customer without writing.
pub fn wait_on_customer(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<()> {
    actor.require_staff()?;
    write_tx(conn, |conn| {
        let ticket = find(conn, actor, id)?;
        apply(conn, actor, &ticket, Move::WaitOnCustomer)?;
        webhooks::ticket_updated(conn, ticket.id, "status")?;
        audit(conn, actor, &ticket, "ticket.wait", String::new())?;
        Ok(())
    })
}

/// Resolves the ticket inside the caller's transaction; a note becomes a
/// message of the thread.
pub(super) fn resolve_in_tx(
    conn: &mut DbConnection,
    actor: &Actor,
    ticket: &Ticket,
    note: &str,
) -> ServiceResult<()> {
    apply(conn, actor, ticket, Move::Resolve)?;
    webhooks::ticket_updated(conn, ticket.id, "status")?;
    if !note.is_empty() {
        add_message(conn, actor, ticket, note, None)?;
    }
    notify_other_side(conn, actor, ticket, "ticket.resolved")?;
    if actor.role.is_staff() {
        audit(
            conn,
            actor,
            ticket,
            "ticket.resolve",
            note.chars().take(200).collect(),
        )?;
    }
    Ok(())
}

/// Resolves the ticket: staff with a note the member reads, a member when
/// the question is settled.
pub fn resolve(conn: &mut DbConnection, actor: &Actor, id: i64, note: &str) -> ServiceResult<()> {
    if actor.role.is_staff() && note.is_empty() {
        return Err(ServiceError::Invalid(FieldErrors::single(
            "note",
            "error.ticket.note_required",
        )));
    }
    write_tx(conn, |conn| {
        let ticket = find(conn, actor, id)?;
        resolve_in_tx(conn, actor, &ticket, note)
    })
}

/// Reopens a resolved ticket within 14 days of its resolution.
pub fn reopen(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<()> {
    write_tx(conn, |conn| {
        let ticket = find(conn, actor, id)?;
        apply(conn, actor, &ticket, Move::Reopen)?;
        webhooks::ticket_updated(conn, ticket.id, "status")?;
        notify_other_side(conn, actor, &ticket, "ticket.reopened")?;
        audit(conn, actor, &ticket, "ticket.reopen", String::new())?;
        Ok(())
    })
}

/// Staff close a resolved ticket for good.
pub fn close(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<()> {
    actor.require_staff()?;
    write_tx(conn, |conn| {
        let ticket = find(conn, actor, id)?;
        apply(conn, actor, &ticket, Move::Close)?;
        webhooks::ticket_updated(conn, ticket.id, "status")?;
        audit(conn, actor, &ticket, "ticket.close", String::new())?;
        Ok(())
    })
}

/// Whom staff give a ticket to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assignee {
    Me,
    User(i64),
    Nobody,
}

/// Gives the ticket to a member of staff (who is told, unless it is the
/// actor), or back to the queue.
pub fn assign(conn: &mut DbConnection, actor: &Actor, id: i64, to: Assignee) -> ServiceResult<()> {
    actor.require_staff()?;
    write_tx(conn, |conn| {
        let ticket = find(conn, actor, id)?;
        let assignee = match to {
            Assignee::Me => Some(actor.user_id.0),
            Assignee::Nobody => None,
            Assignee::User(user) => {
                let role: Option<(String, bool)> = users::table
                    .find(user)
                    .select((users::role, users::disabled))
                    .first(conn)
                    .optional()?;
                let is_staff = role.is_some_and(|(role, disabled)| {
                    !disabled
                        && crate::domain::status::Role::parse(&role).is_ok_and(|r| r.is_staff())
                });
                if !is_staff {
                    return Err(ServiceError::Invalid(FieldErrors::single(
                        "assignee",
                        "error.ticket.assignee",
                    )));
                }
                Some(user)
            }
        };
        diesel::update(tickets::table.find(ticket.id))
            .set((
                tickets::assignee_id.eq(assignee),
                tickets::updated_at.eq(now()),
            ))
            .execute(conn)?;
        if let Some(user) = assignee.filter(|u| *u != actor.user_id.0) {
            crate::services::notifications::notify_user(
                conn,
                UserId(user),
                "ticket.assigned",
                &format!("#{} {}", ticket.id, ticket.subject),
                &format!("/admin/tickets/{}", ticket.id),
            )?;
        }
        let detail = assignee.map_or_else(String::new, |u| format!("user:{u}"));
        audit(conn, actor, &ticket, "ticket.assign", detail)?;
        Ok(())
    })
}
