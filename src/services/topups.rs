//! The platform admin's side of top-ups: the queue, one request beside its
//! receipt, and the decision. A confirmation credits the ledger in the same
//! transaction; either way the company's owner is told.

use super::audit::{self, Event};
use super::company::Decision;
use super::notifications::notify_owner;
use super::{Actor, Page, ServiceError, ServiceResult, now};
use crate::db::ledger::{NewLedgerEntry, Topup, append, balance_fen};
use crate::db::schema::{companies, topups, uploads, users};
use crate::db::{DbConnection, contains_pattern, lower, write_tx};
use crate::domain::ids::CompanyId;
use crate::domain::ledger::{EntryKind, TopupStatus};
use crate::domain::money::Fen;
use diesel::prelude::*;

/// One line of the queue.
#[derive(Clone, Debug)]
pub struct QueueRow {
    pub topup: Topup,
    pub company: String,
    pub requested_by: String,
}

/// A request with what the admin needs beside the receipt.
#[derive(Clone, Debug)]
pub struct TopupView {
    pub topup: Topup,
    pub company: String,
    pub company_en: String,
    pub uscc: String,
    pub requested_by: String,
    pub requester_email: String,
    pub receipt_mime: String,
    pub decided_by: Option<String>,
    /// The company's balance now, before this request is credited.
    pub balance: Fen,
}

/// Requests in `status` (any when `None`), oldest first; `search` matches
/// the company's names and USCC. Platform admin only.
pub fn queue(
    conn: &mut DbConnection,
    actor: &Actor,
    status: Option<TopupStatus>,
    search: &str,
    page: i64,
) -> ServiceResult<Page<QueueRow>> {
    actor.require_admin()?;
    let mut query = topups::table
        .inner_join(companies::table)
        .inner_join(users::table.on(users::id.eq(topups::requested_by)))
        .select((Topup::as_select(), companies::name, users::display_name))
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(topups::status.eq(status.as_str()));
    }
    let search = search.trim();
    if !search.is_empty() {
        let pattern = contains_pattern(search);
        query = query.filter(
            lower(companies::name)
                .like(pattern.clone())
                .or(lower(companies::name_zh).like(pattern.clone()))
                .or(lower(companies::name_en).like(pattern.clone()))
                .or(lower(companies::uscc).like(pattern)),
        );
    }
    let rows: Vec<(Topup, String, String)> = query
        .order((topups::requested_at.asc(), topups::id.asc()))
        .offset(Page::<QueueRow>::offset(page))
        .limit(Page::<QueueRow>::SIZE + 1)
        .load(conn)?;
    let rows = rows
        .into_iter()
        .map(|(topup, company, requested_by)| QueueRow {
            topup,
            company,
            requested_by,
        })
        .collect();
    Ok(Page::from_rows(rows, page))
}

/// How many requests wait for the admin.
pub fn pending_count(conn: &mut DbConnection, actor: &Actor) -> ServiceResult<i64> {
    actor.require_admin()?;
    Ok(topups::table
        .filter(topups::status.eq(TopupStatus::Pending.as_str()))
        .count()
        .get_result(conn)?)
}

/// One request with its company, requester and receipt type.
pub fn get(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<TopupView> {
    actor.require_admin()?;
    let (topup, (company, company_en, uscc), (requested_by, requester_email), receipt_mime) =
        topups::table
            .inner_join(companies::table)
            .inner_join(users::table.on(users::id.eq(topups::requested_by)))
            .inner_join(uploads::table.on(uploads::id.eq(topups::receipt_upload_id)))
            .filter(topups::id.eq(id))
            .select((
                Topup::as_select(),
                (companies::name, companies::name_en, companies::uscc),
                (users::display_name, users::email),
                uploads::mime,
            ))
            .first::<(Topup, (String, String, String), (String, String), String)>(conn)?;
    let decided_by = match topup.decided_by {
        Some(user) => Some(
            users::table
                .find(user)
                .select(users::display_name)
                .first(conn)?,
        ),
        None => None,
    };
    let balance = Fen(balance_fen(conn, topup.company_id)?);
    Ok(TopupView {
        topup,
        company,
        company_en,
        uscc,
        requested_by,
        requester_email,
        receipt_mime,
        decided_by,
        balance,
    })
}

/// Confirms (the money arrived: credit the ledger) or rejects (with the
/// reason the owner will read) a pending request.
pub fn decide(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    decision: Decision,
) -> ServiceResult<()> {
    actor.require_admin()?;
    write_tx(conn, |conn| {
        let topup: Topup = topups::table
            .find(id)
            .select(Topup::as_select())
            .first(conn)?;
        let company = CompanyId(topup.company_id);
        // Queued behind the company's payments and warehouse settlements:
        // the releases below read the balance this credit changes.
        crate::db::ledger::lock_company(conn, company.0)?;
        let (status, reason, action, kind) = match &decision {
            Decision::Approve => (
                TopupStatus::Confirmed,
                None,
                "topup.confirm",
                "topup.confirmed",
            ),
            Decision::Reject { reason } => (
                TopupStatus::Rejected,
                Some(reason.clone()),
                "topup.reject",
                "topup.rejected",
            ),
        };
        // Only a pending request changes, so a second click (or a second
        // admin) cannot credit it twice.
        let updated = diesel::update(
            topups::table
                .filter(topups::id.eq(id))
                .filter(topups::status.eq(TopupStatus::Pending.as_str())),
        )
        .set((
            topups::status.eq(status.as_str()),
            topups::decided_by.eq(Some(actor.user_id.0)),
            topups::decided_at.eq(Some(now())),
            topups::reason.eq(&reason),
        ))
        .execute(conn)?;
        if updated != 1 {
            return Err(ServiceError::Conflict("error.review.not_pending"));
        }
        let amount = Fen(topup.amount_fen);
        if status == TopupStatus::Confirmed {
            append(
                conn,
                &NewLedgerEntry {
                    company_id: company.0,
                    kind: EntryKind::Topup.as_str(),
                    amount_fen: amount.0,
                    order_id: None,
                    topup_id: Some(id),
                    created_by: Some(actor.user_id.0),
                    note: "",
                    created_at: now(),
                    reference: "",
                },
            )?;
        }
        let detail = match &reason {
            Some(reason) => format!("¥{amount} · {reason}"),
            None => format!("¥{amount}"),
        };
        notify_owner(conn, company, kind, &detail, "/app/balance")?;
        if status == TopupStatus::Confirmed {
            // Parcels held for a re-weigh difference go on as soon as the
            // money is there.
            crate::services::warehouse::release_covered(conn, company.0)?;
        }
        audit::record(
            conn,
            actor,
            Event {
                action,
                company: Some(company),
                target_type: "topup",
                target_id: id.to_string(),
                detail,
            },
        )?;
        Ok(())
    })
}
