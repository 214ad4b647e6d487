//! The audit log: who did what to which record, when, from where.

use super::Actor;
use crate::db::DbConnection;
use crate::db::models::{AuditEntry, NewAuditEntry};
use crate::db::schema::audit_log;
use crate::domain::ids::{CompanyId, UserId};
use diesel::prelude::*;

/// What happened, for one audit row.
pub struct Event<'a> {
    /// Dotted name, e.g. `company.verification.approve`.
    pub action: &'a str,
    /// The company the record belongs to, so the company's own log shows it.
    pub company: Option<CompanyId>,
    pub target_type: &'a str,
    pub target_id: String,
    pub detail: String,
}

/// Who did it: a signed-in actor, or just an e-mail and an IP for sign-in attempts.
pub struct By<'a> {
    pub user_id: Option<UserId>,
    pub email: &'a str,
    pub ip: &'a str,
}

impl<'a> By<'a> {
    /// A user who acts before there is an `Actor` (signing up, joining a
    /// team) or after (signing out).
    pub fn user(user: &'a crate::db::models::User, ip: &'a str) -> By<'a> {
        By {
            user_id: Some(UserId(user.id)),
            email: &user.email,
            ip,
        }
    }
}

impl<'a> From<&'a Actor> for By<'a> {
    fn from(actor: &'a Actor) -> By<'a> {
        By {
            user_id: Some(actor.user_id),
            email: &actor.email,
            ip: &actor.ip,
        }
    }
}

pub fn record<'a>(conn: &mut DbConnection, by: impl Into<By<'a>>, event: Event) -> QueryResult<()> {
    let by = by.into();
    diesel::insert_into(audit_log::table)
        .values(NewAuditEntry {
            at: super::now(),
            actor_id: by.user_id.map(|id| id.0),
            actor_email: by.email,
            company_id: event.company.map(|id| id.0),
            action: event.action,
            target_type: event.target_type,
            target_id: &event.target_id,
            detail: &event.detail,
            ip: by.ip,
        })
        .execute(conn)?;
    Ok(())
}

/// Filters of the audit pages; empty strings mean "any"; dates are China-time days.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub actor: String,
    pub action: String,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

/// The most rows one export holds.
pub const EXPORT_LIMIT: i64 = 10_000;

/// Entries matching `filter`, newest first: one page, or (`page == None`)
/// up to [`EXPORT_LIMIT`] for an export. `company` narrows to one company.
fn find(
    conn: &mut DbConnection,
    company: Option<CompanyId>,
    filter: &AuditFilter,
    page: Option<i64>,
) -> QueryResult<super::Page<AuditEntry>> {
    let china_day = crate::domain::china_time::day_start;
    let mut query = audit_log::table.into_boxed();
    if let Some(company) = company {
        query = query.filter(audit_log::company_id.eq(company.0));
    }
    if !filter.actor.is_empty() {
        query =
            query.filter(audit_log::actor_email.like(format!("%{}%", filter.actor.to_lowercase())));
    }
    if !filter.action.is_empty() {
        query = query.filter(audit_log::action.like(format!("{}%", filter.action)));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_log::at.ge(china_day(from)));
    }
    if let Some(next_day) = filter.to.and_then(|to| to.succ_opt()) {
        query = query.filter(audit_log::at.lt(china_day(next_day)));
    }
    let query = query.order((audit_log::at.desc(), audit_log::id.desc()));
    Ok(match page {
        Some(page) => {
            let rows = query
                .offset(super::Page::<AuditEntry>::offset(page))
                .limit(super::Page::<AuditEntry>::SIZE + 1)
                .load::<AuditEntry>(conn)?;
            super::Page::from_rows(rows, page)
        }
        None => super::Page {
            items: query.limit(EXPORT_LIMIT).load::<AuditEntry>(conn)?,
            page: 1,
            has_next: false,
        },
    })
}

/// The platform log (the admin only).
pub fn search(
    conn: &mut DbConnection,
    actor: &Actor,
    filter: &AuditFilter,
    page: i64,
) -> super::ServiceResult<super::Page<AuditEntry>> {
    actor.require_admin()?;
    Ok(find(conn, None, filter, Some(page))?)
}

/// The owner's view: what happened in their company, by members and by staff.
pub fn company_log(
    conn: &mut DbConnection,
    actor: &Actor,
    filter: &AuditFilter,
    page: Option<i64>,
) -> super::ServiceResult<super::Page<AuditEntry>> {
    let company = actor.require_owner()?;
    Ok(find(conn, Some(company), filter, page)?)
}
