//! The one way an order changes state (DESIGN.md §2): the move is checked
//! against the state machine, the status is updated only if it is still the
//! one the caller read, and the timeline event and the audit row are written
//! in the caller's transaction. Submit, approve, reject, pay, cancel, the
//! recipient's address and every later state (warehouse, tracking) go
//! through [`transition`]; nothing else writes `orders.status`.

use super::{TimelineEntry, add_event, audit};
use crate::db::DbConnection;
use crate::db::orders::Order;
use crate::db::schema::orders;
use crate::domain::ids::CompanyId;
use crate::domain::order_event::EventParams;
use crate::domain::order_state::{self, Event, OrderStatus};
use crate::services::{Actor, ServiceError, ServiceResult, now};
use diesel::prelude::*;

/// The message of a guarded update that found the order in another state.
pub const CHANGED_MEANWHILE: &str = "error.order.changed_meanwhile";

/// Who sends the event: the lifecycle's role and, for people with an
/// account, the account that goes into the timeline and the audit log.
#[derive(Clone, Copy)]
pub enum By<'a> {
    Member(&'a Actor),
    Approver(&'a Actor),
    Staff(&'a Actor),
    /// The recipient through the one-time address link (no account).
    Recipient,
    /// The platform itself (tracking silence, carrier feeds).
    System,
}

impl<'a> By<'a> {
    fn role(self) -> order_state::Actor {
        match self {
            By::Member(_) => order_state::Actor::Member,
            By::Approver(_) => order_state::Actor::Approver,
            By::Staff(_) => order_state::Actor::Staff,
            By::Recipient => order_state::Actor::Recipient,
            By::System => order_state::Actor::System,
        }
    }

    fn account(self) -> Option<&'a Actor> {
        match self {
            By::Member(actor) | By::Approver(actor) | By::Staff(actor) => Some(actor),
            By::Recipient | By::System => None,
        }
    }

    /// The name the audit log shows for someone without an account.
    fn anonymous_name(self) -> &'static str {
        match self {
            By::Recipient => "recipient",
            _ => "system",
        }
    }
}

/// Moves `order` (as read in this transaction) by `event` and returns the
/// new status. `note` goes on the timeline, `detail` into the audit row
/// (`order.<event>`); `params` are the event's typed parameters. A refused move, or an order whose status changed since
/// it was read, is a conflict (409) and nothing is written.
pub fn transition(
    conn: &mut DbConnection,
    order: &Order,
    event: &Event,
    by: By,
    note: &str,
    params: &EventParams,
    detail: String,
) -> ServiceResult<OrderStatus> {
    let to = order_state::next(order.status, event, by.role())
        .map_err(|error| ServiceError::Conflict(error.message_key()))?;
    let updated = diesel::update(
        orders::table
            .filter(orders::id.eq(order.id))
            .filter(orders::status.eq(order.status.as_str())),
    )
    .set((orders::status.eq(to.as_str()), orders::updated_at.eq(now())))
    .execute(conn)?;
    if updated != 1 {
        return Err(ServiceError::Conflict(CHANGED_MEANWHILE));
    }
    add_event(
        conn,
        order.id,
        by.account(),
        TimelineEntry {
            kind: event.name(),
            from: Some(order.status),
            to,
            note,
            params: params.clone(),
        },
    )?;
    if to.is_reviewable() {
        crate::services::route_stats::refresh_order(conn, order.id)?;
    }
    crate::services::webhooks::order_status_changed(conn, order, event.name(), to)?;
    let action = format!("order.{}", event.name());
    let company = CompanyId(order.company_id);
    match by.account() {
        Some(actor) => audit(conn, actor, &action, company, &order.order_no, detail)?,
        None => crate::services::audit::record(
            conn,
            crate::services::audit::By {
                user_id: None,
                email: by.anonymous_name(),
                ip: "",
            },
            crate::services::audit::Event {
                action: &action,
                company: Some(company),
                target_type: "order",
                target_id: order.order_no.clone(),
                detail,
            },
        )?,
    }
    Ok(to)
}
