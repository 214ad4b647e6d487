//! The operators' side of handover: the pickup requests by day, confirming a
//! slot or proposing another (the requester is notified), what the
//! warehouse should expect on a day, and marking a pickup collected.

use super::pickups::orders_on;
use super::{changed, record, still};
use crate::db::DbConnection;
use crate::db::schema::{companies, order_shipments, orders, pickups, warehouses};
use crate::db::warehouse::Pickup;
use crate::db::write_tx;
use crate::domain::ids::{CompanyId, UserId};
use crate::domain::order_state::OrderStatus;
use crate::domain::pickup::{TimeWindow, check_proposed_date};
use crate::domain::warehouse::{Handover, PickupStatus};
use crate::services::audit::{self, Event};
use crate::services::notifications::notify_user;
use crate::services::{Actor, ServiceError, ServiceResult, now, pricing};
use chrono::NaiveDate;
use diesel::prelude::*;

/// Where the requester reads about their pickups.
const PICKUPS_PAGE: &str = "/app/pickups";

/// One pickup request as operators see it.
pub struct StaffPickup {
    pub pickup: Pickup,
    pub company: String,
    pub orders: Vec<String>,
}

/// Which requests the operators' list shows.
pub struct QueueFilter {
    /// The first pickup day shown (China time).
    pub from: NaiveDate,
    /// Only this status; all when `None`.
    pub status: Option<PickupStatus>,
}

/// Pickup requests from `filter.from` on, by day and window.
pub fn queue(
    conn: &mut DbConnection,
    actor: &Actor,
    filter: &QueueFilter,
) -> ServiceResult<Vec<StaffPickup>> {
    actor.require_staff()?;
    let mut query = pickups::table
        .inner_join(companies::table)
        .filter(pickups::pickup_date.ge(filter.from))
        .into_boxed();
    if let Some(status) = filter.status {
        query = query.filter(pickups::status.eq(status.as_str()));
    }
    let rows: Vec<(Pickup, String)> = query
        .order((
            pickups::pickup_date.asc(),
            pickups::time_window.asc(),
            pickups::id.asc(),
        ))
        .limit(500)
        .select((Pickup::as_select(), companies::name))
        .load(conn)?;
    with_orders(conn, rows)
}

/// How many requests wait for an operator's answer, for the staff dashboard.
pub fn waiting_count(conn: &mut DbConnection, actor: &Actor) -> ServiceResult<i64> {
    actor.require_staff()?;
    Ok(pickups::table
        .filter(pickups::status.eq(PickupStatus::Requested.as_str()))
        .count()
        .get_result(conn)?)
}

fn with_orders(
    conn: &mut DbConnection,
    rows: Vec<(Pickup, String)>,
) -> ServiceResult<Vec<StaffPickup>> {
    let mut out = Vec::with_capacity(rows.len());
    for (pickup, company) in rows {
        let orders = orders_on(conn, pickup.id)?;
        out.push(StaffPickup {
            pickup,
            company,
            orders,
        });
    }
    Ok(out)
}

/// One pickup request, for staff.
pub fn get(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<StaffPickup> {
    actor.require_staff()?;
    let row: (Pickup, String) = pickups::table
        .inner_join(companies::table)
        .filter(pickups::id.eq(id))
        .select((Pickup::as_select(), companies::name))
        .first(conn)?;
    let mut rows = with_orders(conn, vec![row])?;
    rows.pop()
        .ok_or(ServiceError::Db(diesel::result::Error::NotFound))
}

fn find(conn: &mut DbConnection, id: i64) -> ServiceResult<Pickup> {
    Ok(pickups::table
        .find(id)
        .select(Pickup::as_select())
        .first(conn)?)
}

/// An operator confirms the requested slot; the requester is notified.
pub fn confirm(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<()> {
    actor.require_staff()?;
    write_tx(conn, |conn| {
        let pickup = find(conn, id)?;
        if pickup.status != PickupStatus::Requested {
            return Err(ServiceError::Conflict("error.pickup.not_requested"));
        }
        changed(
            diesel::update(still(&pickup))
                .set((
                    pickups::status.eq(PickupStatus::Confirmed.as_str()),
                    pickups::decided_by.eq(Some(actor.user_id.0)),
                    pickups::updated_at.eq(now()),
                ))
                .execute(conn)?,
        )?;
        let slot = format!("{} {}", pickup.pickup_date, pickup.time_window);
        notify_user(
            conn,
            UserId(pickup.requested_by),
            "pickup.confirmed",
            &slot,
            PICKUPS_PAGE,
        )?;
        record(
            conn,
            actor,
            "pickup.confirm",
            CompanyId(pickup.company_id),
            id,
            slot,
        )
    })
}

/// Another slot an operator offers, with why.
pub struct Proposal {
    pub date: NaiveDate,
    pub window: TimeWindow,
    pub note: String,
}

/// An operator proposes another slot (to a request, or to a confirmed
/// pickup the drivers cannot make); the requester is notified and accepts
/// it on their pickups page.
pub fn propose(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    proposal: &Proposal,
) -> ServiceResult<()> {
    actor.require_staff()?;
    check_proposed_date(pricing::today(), proposal.date).map_err(|key| {
        ServiceError::Invalid(crate::domain::field_errors::FieldErrors::single(
            "date", key,
        ))
    })?;
    write_tx(conn, |conn| {
        let pickup = find(conn, id)?;
        if !pickup.status.takes_proposal() {
            return Err(ServiceError::Conflict("error.pickup.no_proposal"));
        }
        changed(
            diesel::update(still(&pickup))
                .set((
                    pickups::status.eq(PickupStatus::Proposed.as_str()),
                    pickups::proposed_date.eq(Some(proposal.date)),
                    pickups::proposed_window.eq(Some(proposal.window.as_str())),
                    pickups::staff_note.eq(&proposal.note),
                    pickups::decided_by.eq(Some(actor.user_id.0)),
                    pickups::updated_at.eq(now()),
                ))
                .execute(conn)?,
        )?;
        let slot = format!("{} {}", proposal.date, proposal.window);
        notify_user(
            conn,
            UserId(pickup.requested_by),
            "pickup.proposed",
            &format!("{slot} · {}", proposal.note),
            PICKUPS_PAGE,
        )?;
        record(
            conn,
            actor,
            "pickup.propose",
            CompanyId(pickup.company_id),
            id,
            format!("{slot} · {}", proposal.note),
        )
    })
}

/// The warehouse received a pickup's parcels: it is `collected`. Call it in
/// the receipt's own transaction (it opens none); a pickup already
/// collected stays so, a cancelled one is a conflict.
pub fn mark_collected(conn: &mut DbConnection, pickup_id: i64) -> ServiceResult<()> {
    let pickup = find(conn, pickup_id)?;
    match pickup.status {
        PickupStatus::Collected => return Ok(()),
        PickupStatus::Cancelled => return Err(ServiceError::Conflict("error.pickup.closed")),
        PickupStatus::Requested | PickupStatus::Proposed | PickupStatus::Confirmed => {}
    }
    changed(
        diesel::update(still(&pickup))
            .set((
                pickups::status.eq(PickupStatus::Collected.as_str()),
                pickups::updated_at.eq(now()),
            ))
            .execute(conn)?,
    )?;
    audit::record(
        conn,
        audit::By {
            user_id: None,
            email: "system",
            ip: "",
        },
        Event {
            action: "pickup.collected",
            company: Some(CompanyId(pickup.company_id)),
            target_type: "pickup",
            target_id: pickup_id.to_string(),
            detail: String::new(),
        },
    )?;
    Ok(())
}

/// What the warehouse should expect on a day.
pub struct Expected {
    /// Paid orders to be dropped off, not received yet: (order number, company, warehouse).
    pub drop_offs: Vec<(String, String, String)>,
    /// Pickups confirmed for the day, with their company and order numbers.
    pub pickups: Vec<(Pickup, String, Vec<String>)>,
}

/// The drop-offs still awaited (any day: sellers come when they come) and
/// the pickups confirmed for `day`.
pub fn expected(conn: &mut DbConnection, actor: &Actor, day: NaiveDate) -> ServiceResult<Expected> {
    actor.require_staff()?;
    let drop_offs = order_shipments::table
        .inner_join(orders::table.inner_join(companies::table))
        .inner_join(warehouses::table)
        .filter(order_shipments::handover.eq(Handover::DropOff.as_str()))
        .filter(order_shipments::received_at.is_null())
        .filter(orders::status.eq(OrderStatus::Paid.as_str()))
        .order((warehouses::name.asc(), orders::order_no.asc()))
        .select((orders::order_no, companies::name, warehouses::name))
        .load(conn)?;
    let rows: Vec<(Pickup, String)> = pickups::table
        .inner_join(companies::table)
        .filter(pickups::pickup_date.eq(day))
        .filter(pickups::status.eq(PickupStatus::Confirmed.as_str()))
        .order((pickups::time_window.asc(), pickups::id.asc()))
        .select((Pickup::as_select(), companies::name))
        .load(conn)?;
    let pickups = with_orders(conn, rows)?
        .into_iter()
        .map(|row| (row.pickup, row.company, row.orders))
        .collect();
    Ok(Expected { drop_offs, pickups })
}
