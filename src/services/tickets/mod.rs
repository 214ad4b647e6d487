//! Support tickets (issue #11): members open them (`open`, or `dispute` on a
//! re-weighed order), both sides write in the thread and move the status
//! (`thread`), staff decide a dispute with a refund through the ledger
//! (`refund`). Reads for the pages are here.

mod open;
mod refund;
mod thread;

pub use open::{Attachment, Opening, dispute, dispute_link, open};
pub use refund::{refund_cap, resolve_with_refund};
pub use thread::{Assignee, assign, close, reopen, reply, resolve, wait_on_customer};

use super::{Actor, ServiceError, ServiceResult};
use crate::db::DbConnection;
use crate::db::schema::{orders, ticket_messages, tickets, users};
use crate::db::tickets::{Ticket, TicketMessage};
use crate::domain::ids::UserId;
use crate::domain::status::Role;
use crate::domain::ticket::{self, Side, TicketCategory, TicketStatus};
use diesel::prelude::*;

/// The side the actor writes on.
fn side_of(actor: &Actor) -> Side {
    if actor.role.is_staff() {
        Side::Staff
    } else {
        Side::Member
    }
}

/// The ticket as the actor may see it: staff any, a member only their
/// company's; anything else is "not found".
pub(crate) fn find(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<Ticket> {
    let mut query = tickets::table.filter(tickets::id.eq(id)).into_boxed();
    if !actor.role.is_staff() {
        query = query.filter(tickets::company_id.eq(actor.company()?.0));
    }
    Ok(query.select(Ticket::as_select()).first(conn)?)
}

/// One line of a ticket list.
#[derive(Clone, Debug)]
pub struct TicketRow {
    pub ticket: Ticket,
    pub order_no: Option<String>,
    pub company: String,
    pub assignee: Option<String>,
}

/// The filters of the staff queue; `None` means any.
#[derive(Clone, Debug, Default)]
pub struct QueueFilter {
    pub category: Option<TicketCategory>,
    pub status: Option<TicketStatus>,
    /// Opened more than this many hours ago.
    pub older_than_hours: Option<i64>,
    pub assignee: AssigneeFilter,
    pub route: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AssigneeFilter {
    #[default]
    Anyone,
    Me,
    Unassigned,
}

/// The company's tickets, newest activity first (`status` narrows).
pub fn for_company(
    conn: &mut DbConnection,
    actor: &Actor,
    status: Option<TicketStatus>,
) -> ServiceResult<Vec<TicketRow>> {
    let company = actor.company()?;
    let mut query = tickets::table
        .filter(tickets::company_id.eq(company.0))
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(tickets::status.eq(status.as_str()));
    }
    let found = query
        .order((tickets::updated_at.desc(), tickets::id.desc()))
        .limit(200)
        .select(Ticket::as_select())
        .load(conn)?;
    rows(conn, found)
}

/// One page of the company's tickets, newest first (the ERP API).
pub fn page_for_company(
    conn: &mut DbConnection,
    actor: &Actor,
    status: Option<TicketStatus>,
    page: i64,
) -> ServiceResult<super::Page<TicketRow>> {
    let company = actor.company()?;
    let mut query = tickets::table
        .filter(tickets::company_id.eq(company.0))
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(tickets::status.eq(status.as_str()));
    }
    let found = query
        .order(tickets::id.desc())
        .offset(super::Page::<TicketRow>::offset(page))
        .limit(super::Page::<TicketRow>::SIZE + 1)
        .select(Ticket::as_select())
        .load(conn)?;
    Ok(super::Page::from_rows(rows(conn, found)?, page.max(1)))
}

/// The staff queue: oldest first, so the longest wait is on top.
pub fn queue(
    conn: &mut DbConnection,
    actor: &Actor,
    filter: &QueueFilter,
) -> ServiceResult<Vec<TicketRow>> {
    actor.require_staff()?;
    let mut query = tickets::table.into_boxed();
    if let Some(category) = filter.category {
        query = query.filter(tickets::category.eq(category.as_str()));
    }
    query = match filter.status {
        Some(status) => query.filter(tickets::status.eq(status.as_str())),
        None => query.filter(tickets::status.eq_any([
            TicketStatus::Open.as_str(),
            TicketStatus::WaitingOnCustomer.as_str(),
        ])),
    };
    if let Some(hours) = filter.older_than_hours {
        query = query.filter(tickets::created_at.lt(super::now() - chrono::Duration::hours(hours)));
    }
    query = match filter.assignee {
        AssigneeFilter::Anyone => query,
        AssigneeFilter::Me => query.filter(tickets::assignee_id.eq(actor.user_id.0)),
        AssigneeFilter::Unassigned => query.filter(tickets::assignee_id.is_null()),
    };
    if let Some(route) = &filter.route {
        let on_route = orders::table
            .filter(orders::route_code.eq(route.clone()))
            .select(orders::id.nullable());
        query = query.filter(tickets::order_id.eq_any(on_route));
    }
    let found = query
        .order((tickets::created_at.asc(), tickets::id.asc()))
        .limit(500)
        .select(Ticket::as_select())
        .load(conn)?;
    rows(conn, found)
}

/// Open tickets nobody has taken yet, for the staff dashboard.
pub fn unassigned_open_count(conn: &mut DbConnection, actor: &Actor) -> ServiceResult<i64> {
    actor.require_staff()?;
    Ok(tickets::table
        .filter(tickets::status.eq(TicketStatus::Open.as_str()))
        .filter(tickets::assignee_id.is_null())
        .count()
        .get_result(conn)?)
}

fn rows(conn: &mut DbConnection, found: Vec<Ticket>) -> ServiceResult<Vec<TicketRow>> {
    use crate::db::schema::companies;
    let mut rows = Vec::with_capacity(found.len());
    for ticket in found {
        let order_no = match ticket.order_id {
            Some(id) => Some(
                orders::table
                    .find(id)
                    .select(orders::order_no)
                    .first(conn)?,
            ),
            None => None,
        };
        let company = companies::table
            .find(ticket.company_id)
            .select(companies::name)
            .first(conn)?;
        let assignee = match ticket.assignee_id {
            Some(id) => Some(name_of(conn, id)?),
            None => None,
        };
        rows.push(TicketRow {
            ticket,
            order_no,
            company,
            assignee,
        });
    }
    Ok(rows)
}

fn name_of(conn: &mut DbConnection, user: i64) -> QueryResult<String> {
    let (name, email): (String, String) = users::table
        .find(user)
        .select((users::display_name, users::email))
        .first(conn)?;
    Ok(if name.trim().is_empty() { email } else { name })
}

/// One message of the thread with its author's name (`None`: the platform).
#[derive(Clone, Debug)]
pub struct ThreadMessage {
    pub message: TicketMessage,
    pub author: Option<String>,
}

/// A ticket with its thread, for either side's page.
pub struct TicketView {
    pub row: TicketRow,
    /// Who opened it (`None`: the platform, by itself).
    pub opener: Option<String>,
    pub messages: Vec<ThreadMessage>,
    /// Staff who may be assigned (id, name), for staff only.
    pub staff: Vec<(i64, String)>,
    /// What a refund may still credit, for a dispute seen by staff.
    pub refund_cap: Option<crate::domain::money::Fen>,
}

impl TicketView {
    /// First-response time as "h:mm", once staff answered.
    pub fn first_response(&self) -> Option<String> {
        let t = &self.row.ticket;
        t.first_response_at
            .map(|at| ticket::hours_minutes(t.created_at, at))
    }

    /// Resolution time as "h:mm", once resolved.
    pub fn resolution(&self) -> Option<String> {
        let t = &self.row.ticket;
        t.resolved_at
            .map(|at| ticket::hours_minutes(t.created_at, at))
    }

    /// Whether the member may still reopen it.
    pub fn reopenable(&self) -> bool {
        let t = &self.row.ticket;
        t.status == TicketStatus::Resolved && ticket::may_reopen(t.resolved_at, super::now())
    }
}

/// The ticket and its thread, oldest message first.
pub fn view(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<TicketView> {
    let ticket = find(conn, actor, id)?;
    let row = rows(conn, vec![ticket])?
        .pop()
        .ok_or(ServiceError::Db(diesel::result::Error::NotFound))?;
    let messages = ticket_messages::table
        .filter(ticket_messages::ticket_id.eq(id))
        .order(ticket_messages::id.asc())
        .select(TicketMessage::as_select())
        .load(conn)?
        .into_iter()
        .map(|message| {
            let author = message.author_id.map(|id| name_of(conn, id)).transpose()?;
            Ok(ThreadMessage { message, author })
        })
        .collect::<QueryResult<Vec<_>>>()?;
    let opener = row
        .ticket
        .opened_by
        .map(|id| name_of(conn, id))
        .transpose()?;
    let (staff, refund_cap) = if actor.role.is_staff() {
        let staff = users::table
            .filter(users::role.eq_any([Role::Operator.as_str(), Role::Admin.as_str()]))
            .filter(users::disabled.eq(false))
            .order(users::id.asc())
            .select((users::id, users::display_name, users::email))
            .load::<(i64, String, String)>(conn)?
            .into_iter()
            .map(|(id, name, email)| (id, if name.trim().is_empty() { email } else { name }))
            .collect();
        let cap = match row.ticket.parcel_check_id {
            Some(_) => Some(refund_cap(conn, &row.ticket)?),
            None => None,
        };
        (staff, cap)
    } else {
        (Vec::new(), None)
    };
    Ok(TicketView {
        row,
        opener,
        messages,
        staff,
        refund_cap,
    })
}

/// Tells the other side about a change: the opener when staff act, the
/// assignee (or nobody: the queue shows it) when the member does.
fn notify_other_side(
    conn: &mut DbConnection,
    actor: &Actor,
    ticket: &Ticket,
    kind: &str,
) -> QueryResult<()> {
    let detail = format!("#{} {}", ticket.id, ticket.subject);
    match side_of(actor) {
        Side::Staff => match member_of(conn, ticket)? {
            Some(member) => super::notifications::notify_user(
                conn,
                member,
                kind,
                &detail,
                &format!("/app/tickets/{}", ticket.id),
            ),
            None => Ok(()),
        },
        Side::Member => match ticket.assignee_id {
            Some(assignee) => super::notifications::notify_user(
                conn,
                UserId(assignee),
                kind,
                &detail,
                &format!("/admin/tickets/{}", ticket.id),
            ),
            None => Ok(()),
        },
    }
}

/// The member who hears about staff's answers: the opener, or for a ticket
/// the platform opened, the seller who created its order.
fn member_of(conn: &mut DbConnection, ticket: &Ticket) -> QueryResult<Option<UserId>> {
    if let Some(opener) = ticket.opened_by {
        return Ok(Some(UserId(opener)));
    }
    let Some(order) = ticket.order_id else {
        return Ok(None);
    };
    let creator = orders::table
        .find(order)
        .select(orders::created_by)
        .first(conn)?;
    Ok(Some(UserId(creator)))
}

/// The audit row of a ticket action (`ticket.*`).
fn audit(
    conn: &mut DbConnection,
    actor: &Actor,
    ticket: &Ticket,
    action: &str,
    detail: String,
) -> QueryResult<()> {
    super::audit::record(
        conn,
        actor,
        super::audit::Event {
            action,
            company: Some(crate::domain::ids::CompanyId(ticket.company_id)),
            target_type: "ticket",
            target_id: ticket.id.to_string(),
            detail,
        },
    )
}
