//! The silence watchdog (issue #11): one round finds the parcels that went
//! silent (`domain::silence`) and opens a ticket for each, with the timeline
//! as its first message, tells the seller and leaves it in the staff queue.
//! A silence is opened once: `order_silences` holds a unique key naming it,
//! so rounds that race (two instances, an expired lease) cannot both open one.

use super::{ServiceError, ServiceResult, audit, notifications, tracking};
use crate::db::orders::Order;
use crate::db::schema::{order_shipments, order_silences, orders, routes, tracking_events};
use crate::db::tickets::{NewTicket, NewTicketMessage, insert_message, insert_ticket};
use crate::db::{DbConnection, write_tx};
use crate::domain::ids::{CompanyId, UserId};
use crate::domain::order_state::OrderStatus;
use crate::domain::silence::{self, News, Silence, SilenceKind};
use crate::domain::ticket::{TicketCategory, TicketStatus};
use crate::i18n::{self, Lang};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use std::collections::HashMap;

/// The notification kind the seller gets when the watchdog opens a ticket.
pub const NOTIFY_KIND: &str = "watchdog.ticket";

/// The states in which a parcel can go silent.
const WATCHED: [OrderStatus; 3] = [
    OrderStatus::InTransit,
    OrderStatus::OutForDelivery,
    OrderStatus::Customs,
];

/// A ticket one round opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opened {
    pub order_no: String,
    pub ticket_id: i64,
    pub category: TicketCategory,
    pub days: i64,
}

/// One round at `now` (a parameter, so tests can look days ahead): opens a
/// ticket for every silence not reported yet and returns them. Each order
/// is written in its own transaction; a silence another round opened
/// meanwhile is skipped.
#[tracing::instrument(skip(conn))]
pub fn round(conn: &mut DbConnection, now: NaiveDateTime) -> ServiceResult<Vec<Opened>> {
    let limits: HashMap<String, i64> = routes::table
        .select((routes::code, routes::silence_days))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let watched: Vec<Order> = orders::table
        .filter(orders::status.eq_any(WATCHED.map(OrderStatus::as_str)))
        .order(orders::id.asc())
        .select(Order::as_select())
        .load(conn)?;
    let mut opened = Vec::new();
    for order in watched {
        let limit = order
            .route_code
            .as_ref()
            .and_then(|code| limits.get(code).copied())
            .unwrap_or(silence::DEFAULT_DAYS);
        // A read first, so quiet orders cost no write transaction.
        match silence_of(conn, &order, limit, now)? {
            Some(found) if !reported(conn, order.id, &found)? => {}
            _ => continue,
        }
        match write_tx(conn, |conn| open_if_silent(conn, order.id, limit, now)) {
            Ok(Some(ticket)) => opened.push(ticket),
            Ok(None) => {}
            Err(ServiceError::Db(DieselError::DatabaseError(
                DatabaseErrorKind::UniqueViolation,
                _,
            ))) => tracing::info!(order = order.id, "silence opened by another round"),
            Err(error) => return Err(error),
        }
    }
    Ok(opened)
}

/// Opens the ticket of the order's silence, read again inside the write
/// transaction (an event may have ended it since the first look).
fn open_if_silent(
    conn: &mut DbConnection,
    order_id: i64,
    limit: i64,
    now: NaiveDateTime,
) -> ServiceResult<Option<Opened>> {
    let order: Order = orders::table
        .find(order_id)
        .select(Order::as_select())
        .first(conn)?;
    let Some(found) = silence_of(conn, &order, limit, now)? else {
        return Ok(None);
    };
    if reported(conn, order.id, &found)? {
        return Ok(None);
    }
    let days = found.days(now);
    let category = found.kind.category();
    let subject = bilingual(&subject_key(found.kind), &order.order_no, days, limit, "");
    let body = first_message(conn, &order, &found, limit, now)?;
    let ticket_id = insert_ticket(
        conn,
        &NewTicket {
            company_id: order.company_id,
            order_id: Some(order.id),
            parcel_check_id: None,
            category: category.as_str(),
            subject: &subject,
            status: TicketStatus::Open.as_str(),
            opened_by: None,
            created_at: now,
            updated_at: now,
        },
    )?;
    insert_message(
        conn,
        &NewTicketMessage {
            ticket_id,
            author_id: None,
            from_staff: false,
            body: &body,
            attachment_upload_id: None,
            created_at: now,
        },
    )?;
    // The unique key of the silence: a racing round fails here and rolls back.
    diesel::insert_into(order_silences::table)
        .values((
            order_silences::order_id.eq(order.id),
            order_silences::kind.eq(found.kind.as_str()),
            order_silences::since_event_id.eq(found.since.event_id),
            order_silences::since_at.eq(found.since.at),
            order_silences::ticket_id.eq(ticket_id),
            order_silences::created_at.eq(now),
        ))
        .execute(conn)?;
    crate::services::webhooks::ticket_updated(conn, ticket_id, "created")?;
    notifications::notify_user(
        conn,
        UserId(order.created_by),
        NOTIFY_KIND,
        &format!("#{ticket_id} {subject}"),
        &format!("/app/tickets/{ticket_id}"),
    )?;
    audit::record(
        conn,
        audit::By {
            user_id: None,
            email: "watchdog",
            ip: "",
        },
        audit::Event {
            action: "ticket.watchdog",
            company: Some(CompanyId(order.company_id)),
            target_type: "ticket",
            target_id: ticket_id.to_string(),
            detail: format!(
                "{} {} since event {} ({} days)",
                order.order_no, found.kind, found.since.event_id, days
            ),
        },
    )?;
    Ok(Some(Opened {
        order_no: order.order_no,
        ticket_id,
        category,
        days,
    }))
}

/// The order's silence at `now`, if it lasted `limit` days.
fn silence_of(
    conn: &mut DbConnection,
    order: &Order,
    limit: i64,
    now: NaiveDateTime,
) -> QueryResult<Option<Silence>> {
    let events = tracking_events::table
        .filter(tracking_events::order_id.eq(order.id))
        .order((tracking_events::event_at.desc(), tracking_events::id.desc()))
        .select((tracking_events::id, tracking_events::event_at));
    let as_news = |(event_id, at): (i64, NaiveDateTime)| News { event_id, at };
    let newest = match events.first(conn).optional()?.map(as_news) {
        Some(news) => Some(news),
        None => order_shipments::table
            .find(order.id)
            .select(order_shipments::handed_over_at)
            .first::<Option<NaiveDateTime>>(conn)
            .optional()?
            .flatten()
            .map(|at| News { event_id: 0, at }),
    };
    // Events never move an order backwards, so the newest event that moved
    // an order now in customs is the one that put it there.
    let customs_entry = match order.status {
        OrderStatus::Customs => events
            .filter(tracking_events::moved.eq(true))
            .first(conn)
            .optional()?
            .map(as_news),
        _ => None,
    };
    Ok(silence::find(
        order.status,
        newest,
        customs_entry,
        limit,
        now,
    ))
}

/// Whether this silence already has its ticket.
fn reported(conn: &mut DbConnection, order_id: i64, found: &Silence) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        order_silences::table
            .filter(order_silences::order_id.eq(order_id))
            .filter(order_silences::kind.eq(found.kind.as_str()))
            .filter(order_silences::since_event_id.eq(found.since.event_id)),
    ))
    .get_result(conn)
}

fn subject_key(kind: SilenceKind) -> String {
    format!("watchdog.subject_{kind}")
}

/// A stored text in both languages (tickets are read by either side in
/// either language), placeholders filled.
fn bilingual(key: &str, order_no: &str, days: i64, limit: i64, since: &str) -> String {
    let fill = |lang| {
        i18n::t(lang, key)
            .replace("{order_no}", order_no)
            .replace("{days}", &days.to_string())
            .replace("{limit}", &limit.to_string())
            .replace("{since}", since)
    };
    format!("{} / {}", fill(Lang::ZhCn), fill(Lang::En))
}

/// The first message: what the watchdog saw, then the timeline newest first
/// with each event's local time.
fn first_message(
    conn: &mut DbConnection,
    order: &Order,
    found: &Silence,
    limit: i64,
    now: NaiveDateTime,
) -> ServiceResult<String> {
    let since = format!("{} UTC", found.since.at.format("%Y-%m-%d %H:%M"));
    let key = format!("watchdog.body_{}", found.kind);
    let mut text = bilingual(&key, &order.order_no, found.days(now), limit, &since);
    text.push_str("\n\n");
    text.push_str(&bilingual("watchdog.timeline", "", 0, 0, ""));
    text.push('\n');
    let view = tracking::tracking_of(conn, order)?;
    if view.rows.is_empty() {
        text.push_str("—\n");
    }
    for row in &view.rows {
        let line = [
            row.local.as_str(),
            row.event.milestone.as_str(),
            row.place.as_str(),
            row.event.carrier_text.as_str(),
        ]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
        text.push_str(&line);
        text.push('\n');
    }
    Ok(text.trim_end().to_owned())
}

/// A silence the watchdog opened a ticket for, for the staff's overview.
#[derive(Clone, Debug)]
pub struct Reported {
    pub order_no: String,
    pub ticket_id: i64,
    pub kind: SilenceKind,
    pub since_at: NaiveDateTime,
    pub opened_at: NaiveDateTime,
}

/// What staff see of the watchdog on `/admin/tracking`.
#[derive(Clone, Debug)]
pub struct Overview {
    pub last_round: Option<crate::jobs::lease::LastRound>,
    /// The newest first, at most [`RECENT`].
    pub recent: Vec<Reported>,
}

/// Silences listed on the overview.
const RECENT: i64 = 10;

/// The last round and the tickets opened lately (staff only).
pub fn overview(conn: &mut DbConnection, actor: &super::Actor) -> ServiceResult<Overview> {
    actor.require_staff()?;
    let last_round = crate::jobs::lease::last_round(conn, crate::jobs::watchdog::JOB)?;
    let recent = order_silences::table
        .inner_join(orders::table)
        .order((order_silences::created_at.desc(), order_silences::id.desc()))
        .limit(RECENT)
        .select((
            orders::order_no,
            order_silences::ticket_id,
            order_silences::kind,
            order_silences::since_at,
            order_silences::created_at,
        ))
        .load::<(String, i64, String, NaiveDateTime, NaiveDateTime)>(conn)?
        .into_iter()
        .filter_map(|(order_no, ticket_id, kind, since_at, opened_at)| {
            Some(Reported {
                order_no,
                ticket_id,
                kind: SilenceKind::parse(&kind).ok()?,
                since_at,
                opened_at,
            })
        })
        .collect();
    Ok(Overview { last_round, recent })
}
