//! A seller company's prepaid balance: what it is, what waits to be paid,
//! top-up requests. Paying and refunding are in `pay`, the statement in
//! `statement`; the admin's side of top-ups is `services::topups`.

mod pay;
mod statement;

pub(crate) use pay::refund;
pub use pay::{Payment, pay};
pub use statement::{StatementFilter, StatementRow, monthly, page, statement};

use super::audit::{self, Event};
use super::uploads::NewFile;
use super::{Actor, Page, ServiceError, ServiceResult, now};
use crate::db::ledger::{NewTopup, Topup, balance_fen, lock_company};
use crate::db::schema::{
    companies, order_quotes, order_recipients, orders, topups, uploads, users,
};
use crate::db::{DbConnection, write_tx};
use crate::domain::ids::CompanyId;
use crate::domain::ledger::TopupStatus;
use crate::domain::money::Fen;
use crate::domain::order_state::OrderStatus;
use crate::domain::status::{CompanyStatus, Role, UploadKind};
use crate::domain::upload::UploadQuota;
use crate::storage::{Storage, content_key};
use diesel::prelude::*;

/// Top-ups and the statement are the owner's and managers' business;
/// sellers see the balance and pay approved orders.
pub fn require_finance(actor: &Actor) -> ServiceResult<CompanyId> {
    match actor.role {
        Role::Owner | Role::Manager => actor.company(),
        _ => Err(ServiceError::Forbidden),
    }
}

/// The company's balance now.
pub fn balance(conn: &mut DbConnection, actor: &Actor) -> ServiceResult<Fen> {
    let company = actor.company()?;
    Ok(Fen(balance_fen(conn, company.0)?))
}

/// An approved order waiting to be paid.
#[derive(Clone, Debug)]
pub struct Payable {
    pub order_no: String,
    pub recipient: String,
    pub country: String,
    pub creator: String,
    pub total: Fen,
    pub submitted_at: Option<chrono::NaiveDateTime>,
}

/// Every approved order of the company, oldest first (they were approved
/// first, so they should leave first).
pub fn payables(conn: &mut DbConnection, actor: &Actor) -> ServiceResult<Vec<Payable>> {
    let company = actor.company()?;
    let rows = orders::table
        .inner_join(order_quotes::table)
        .inner_join(order_recipients::table)
        .inner_join(users::table)
        .filter(orders::company_id.eq(company.0))
        .filter(orders::status.eq(OrderStatus::Approved.as_str()))
        .order((orders::submitted_at.asc(), orders::id.asc()))
        .select((
            orders::order_no,
            order_recipients::name,
            order_recipients::country,
            users::display_name,
            order_quotes::total_fen,
            orders::submitted_at,
        ))
        .load::<(String, String, String, String, i64, _)>(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(order_no, recipient, country, creator, total, submitted_at)| Payable {
                order_no,
                recipient,
                country,
                creator,
                total: Fen(total),
                submitted_at,
            },
        )
        .collect())
}

/// Asks the platform to credit `amount` against a bank-transfer receipt.
/// Only a verified company may send money in. The same receipt for the same
/// amount while the first request waits (a double click) is that request.
pub fn request_topup(
    conn: &mut DbConnection,
    storage: &dyn Storage,
    quota: UploadQuota,
    actor: &Actor,
    amount: Fen,
    receipt: &[u8],
    file_name: &str,
) -> ServiceResult<i64> {
    let company = require_finance(actor)?;
    write_tx(conn, |conn| {
        lock_company(conn, company.0)?;
        let status: String = companies::table
            .find(company.0)
            .select(companies::status)
            .first(conn)?;
        if status != CompanyStatus::Verified.as_str() {
            return Err(ServiceError::Conflict("error.topup.unverified"));
        }
        let repeated: Option<i64> = topups::table
            .inner_join(uploads::table.on(uploads::id.eq(topups::receipt_upload_id)))
            .filter(topups::company_id.eq(company.0))
            .filter(topups::status.eq(TopupStatus::Pending.as_str()))
            .filter(topups::amount_fen.eq(amount.0))
            .filter(uploads::sha256.eq(content_key(receipt)))
            .select(topups::id)
            .first(conn)
            .optional()?;
        if let Some(id) = repeated {
            return Ok(id);
        }
        let file = NewFile {
            kind: UploadKind::TopupReceipt,
            field: "receipt",
            bytes: receipt,
            original_name: file_name,
        };
        let upload = super::uploads::record(conn, actor, quota, file)?;
        let id: i64 = crate::with_backend!(conn, |c| diesel::insert_into(topups::table)
            .values(NewTopup {
                company_id: company.0,
                amount_fen: amount.0,
                receipt_upload_id: upload.id.0,
                status: TopupStatus::Pending.as_str(),
                requested_by: actor.user_id.0,
                requested_at: now(),
            })
            .returning(topups::id)
            .get_result(c))?;
        audit::record(
            conn,
            actor,
            Event {
                action: "topup.request",
                company: Some(company),
                target_type: "topup",
                target_id: id.to_string(),
                detail: amount.to_string(),
            },
        )?;
        upload.write(storage)?;
        Ok(id)
    })
}

/// The company's top-up requests, newest first.
pub fn topups(
    conn: &mut DbConnection,
    actor: &Actor,
    page: i64,
) -> ServiceResult<Page<(Topup, String)>> {
    let company = require_finance(actor)?;
    let rows = topups::table
        .inner_join(users::table.on(users::id.eq(topups::requested_by)))
        .filter(topups::company_id.eq(company.0))
        .order((topups::requested_at.desc(), topups::id.desc()))
        .select((Topup::as_select(), users::display_name))
        .offset(Page::<Topup>::offset(page))
        .limit(Page::<Topup>::SIZE + 1)
        .load(conn)?;
    Ok(Page::from_rows(rows, page))
}

/// What the company has asked to top up and the admin has not yet confirmed.
pub fn pending_topups(conn: &mut DbConnection, actor: &Actor) -> ServiceResult<Fen> {
    let company = actor.company()?;
    let amounts: Vec<i64> = topups::table
        .filter(topups::company_id.eq(company.0))
        .filter(topups::status.eq(TopupStatus::Pending.as_str()))
        .select(topups::amount_fen)
        .load(conn)?;
    Ok(Fen(amounts.into_iter().sum()))
}
