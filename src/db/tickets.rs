//! Rows of support tickets (issue #11): the ticket and its thread.

use super::DbConnection;
use super::schema::{ticket_messages, tickets};
use crate::domain::ticket::{TicketCategory, TicketStatus};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = tickets)]
pub struct Ticket {
    pub id: i64,
    pub company_id: i64,
    pub order_id: Option<i64>,
    /// The re-weigh this ticket disputes, for a "dispute this charge" ticket.
    pub parcel_check_id: Option<i64>,
    #[diesel(deserialize_as = String)]
    pub category: TicketCategory,
    pub subject: String,
    #[diesel(deserialize_as = String)]
    pub status: TicketStatus,
    /// The member who opened it; `None`: the platform (the silence watchdog).
    pub opened_by: Option<i64>,
    pub assignee_id: Option<i64>,
    pub created_at: NaiveDateTime,
    /// The first staff message.
    pub first_response_at: Option<NaiveDateTime>,
    pub resolved_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = tickets)]
pub struct NewTicket<'a> {
    pub company_id: i64,
    pub order_id: Option<i64>,
    pub parcel_check_id: Option<i64>,
    pub category: &'a str,
    pub subject: &'a str,
    pub status: &'a str,
    pub opened_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = ticket_messages)]
pub struct TicketMessage {
    pub id: i64,
    pub ticket_id: i64,
    /// `None`: written by the platform (the silence watchdog).
    pub author_id: Option<i64>,
    pub from_staff: bool,
    pub body: String,
    pub attachment_upload_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = ticket_messages)]
pub struct NewTicketMessage<'a> {
    pub ticket_id: i64,
    pub author_id: Option<i64>,
    pub from_staff: bool,
    pub body: &'a str,
    pub attachment_upload_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub fn insert_ticket(conn: &mut DbConnection, ticket: &NewTicket) -> QueryResult<i64> {
    crate::with_backend!(conn, |c| diesel::insert_into(tickets::table)
        .values(ticket)
        .returning(tickets::id)
        .get_result(c))
}

pub fn insert_message(conn: &mut DbConnection, message: &NewTicketMessage) -> QueryResult<()> {
    diesel::insert_into(ticket_messages::table)
        .values(message)
        .execute(conn)?;
    Ok(())
}

/// The ticket disputing a parcel check, if one was opened.
pub fn dispute_of(conn: &mut DbConnection, check: i64) -> QueryResult<Option<i64>> {
    tickets::table
        .filter(tickets::parcel_check_id.eq(check))
        .select(tickets::id)
        .first(conn)
        .optional()
}
