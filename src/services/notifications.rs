//! The in-app notification centre. Notifications are written in the same
//! transaction as the change they announce.

use super::{Page, ServiceResult};
use crate::db::DbConnection;
use crate::db::models::{NewNotification, Notification};
use crate::db::schema::{email_opt_outs, notifications, outbox, users};
use crate::domain::ids::{CompanyId, UserId};
use crate::domain::status::Role;
use diesel::prelude::*;

/// Every kind of notification, as `notify.*` messages name them.
pub const KINDS: &[&str] = &[
    "company.verified",
    "company.rejected",
    "module.active",
    "module.declined",
    "order.address_confirmed",
    "order.approval_requested",
    "order.approved",
    "order.rejected",
    "order.paid",
    "order.customs_held",
    "order.delivery_failed",
    "order.exception",
    "order.lost",
    "order.recipient_confirmed",
    "pickup.confirmed",
    "pickup.proposed",
    "review.reminder",
    "team.invitation_accepted",
    "ticket.answered",
    "ticket.assigned",
    "ticket.customer_reply",
    "ticket.reopened",
    "ticket.resolved",
    "topup.confirmed",
    "topup.rejected",
    "watchdog.ticket",
];

/// Tells every owner of `company` (there is one) about `kind`.
pub fn notify_owner(
    conn: &mut DbConnection,
    company: CompanyId,
    kind: &str,
    detail: &str,
    link: &str,
) -> QueryResult<()> {
    let owners: Vec<i64> = users::table
        .filter(users::company_id.eq(company.0))
        .filter(users::role.eq(Role::Owner.as_str()))
        .select(users::id)
        .load(conn)?;
    for user_id in owners {
        notify_user(conn, UserId(user_id), kind, detail, link)?;
    }
    Ok(())
}

/// Tells one user about `kind`: in the notification centre, and by e-mail
/// (through the outbox, in this same transaction) unless they opted out.
pub fn notify_user(
    conn: &mut DbConnection,
    user: UserId,
    kind: &str,
    detail: &str,
    link: &str,
) -> QueryResult<()> {
    let at = super::now();
    diesel::insert_into(notifications::table)
        .values(NewNotification {
            user_id: user.0,
            kind,
            detail,
            link,
            created_at: at,
        })
        .execute(conn)?;
    let opted_out: bool = diesel::select(diesel::dsl::exists(
        email_opt_outs::table
            .filter(email_opt_outs::user_id.eq(user.0))
            .filter(email_opt_outs::kind.eq(kind)),
    ))
    .get_result(conn)?;
    if opted_out {
        return Ok(());
    }
    let (email, disabled): (String, bool) = users::table
        .find(user.0)
        .select((users::email, users::disabled))
        .first(conn)?;
    if disabled {
        return Ok(());
    }
    mail(conn, Some(user), &email, kind, detail, link)
}

/// Queues an e-mail (to a user, or to someone without an account yet such
/// as an invitee) for the outbox worker.
pub fn mail(
    conn: &mut DbConnection,
    user: Option<UserId>,
    email: &str,
    kind: &str,
    detail: &str,
    link: &str,
) -> QueryResult<()> {
    let at = super::now();
    diesel::insert_into(outbox::table)
        .values((
            outbox::user_id.eq(user.map(|u| u.0)),
            outbox::recipient.eq(email),
            outbox::kind.eq(kind),
            outbox::detail.eq(detail),
            outbox::link.eq(link),
            outbox::status.eq("pending"),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(at),
            outbox::last_error.eq(""),
            outbox::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The kinds the user gets by e-mail (all but those opted out).
pub fn email_kinds(conn: &mut DbConnection, user: UserId) -> ServiceResult<Vec<&'static str>> {
    let out: Vec<String> = email_opt_outs::table
        .filter(email_opt_outs::user_id.eq(user.0))
        .select(email_opt_outs::kind)
        .load(conn)?;
    Ok(KINDS
        .iter()
        .copied()
        .filter(|kind| !out.iter().any(|o| o == kind))
        .collect())
}

/// Keeps e-mail for `wanted` kinds only; unknown kinds are ignored.
pub fn set_email_kinds(
    conn: &mut DbConnection,
    user: UserId,
    wanted: &[String],
) -> ServiceResult<()> {
    crate::db::write_tx(conn, |conn| {
        diesel::delete(email_opt_outs::table.filter(email_opt_outs::user_id.eq(user.0)))
            .execute(conn)?;
        for kind in KINDS.iter().filter(|k| !wanted.iter().any(|w| w == *k)) {
            diesel::insert_into(email_opt_outs::table)
                .values((
                    email_opt_outs::user_id.eq(user.0),
                    email_opt_outs::kind.eq(*kind),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}

pub fn unread_count(conn: &mut DbConnection, user: UserId) -> QueryResult<i64> {
    notifications::table
        .filter(notifications::user_id.eq(user.0))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)
}

/// The user's notifications, newest first.
pub fn list(conn: &mut DbConnection, user: UserId, page: i64) -> ServiceResult<Page<Notification>> {
    let rows = notifications::table
        .filter(notifications::user_id.eq(user.0))
        .order((notifications::created_at.desc(), notifications::id.desc()))
        .offset(Page::<Notification>::offset(page))
        .limit(Page::<Notification>::SIZE + 1)
        .load(conn)?;
    Ok(Page::from_rows(rows, page))
}

pub fn mark_all_read(conn: &mut DbConnection, user: UserId) -> ServiceResult<()> {
    diesel::update(
        notifications::table
            .filter(notifications::user_id.eq(user.0))
            .filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(Some(super::now())))
    .execute(conn)?;
    Ok(())
}
