//! `/app/balance`: the balance, the approved orders waiting to be paid, top-up
//! requests and the statement; paying from the balance page or an order
//! page. The downloads are in `export`.

mod export;

use super::auth::Member;
use super::ctx::{self, PageCtx};
use super::errors::AppError;
use super::{AppState, PageQuery, Pager, redirect, render, render_with, run};
use crate::db::ledger::Topup;
use crate::domain::field_errors::FieldErrors;
use crate::domain::ledger::{self, EntryKind, MonthTotal};
use crate::domain::money::Fen;
use crate::services::balance::{self, Payable, Payment, StatementFilter, StatementRow};
use crate::services::{Actor, ServiceError};
use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as FilePart;
use actix_multipart::form::text::Text;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/balance", web::get().to(page))
        .route("/app/balance/topups", web::post().to(request_topup))
        .route("/app/balance/pay", web::post().to(pay_selected))
        .route(
            "/app/balance/statement.{format}",
            web::get().to(export::statement),
        )
        .route("/app/orders/{no}/pay", web::post().to(pay_order));
}

/// `?kind=…&from=…&to=…&page=…` of the statement, as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct StatementQuery {
    kind: String,
    from: String,
    to: String,
    page: Option<String>,
}

impl StatementQuery {
    /// Unknown kinds and malformed dates mean "any", as in the order list.
    fn filter(&self) -> StatementFilter {
        let date = |text: &str| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
        StatementFilter {
            kind: EntryKind::parse(self.kind.trim()).ok(),
            from: date(&self.from),
            to: date(&self.to),
        }
    }

    fn page(&self) -> i64 {
        PageQuery {
            page: self.page.clone(),
        }
        .number()
    }

    fn pairs(&self) -> [(&'static str, &str); 3] {
        [("kind", &self.kind), ("from", &self.from), ("to", &self.to)]
    }
}

/// What only the owner and managers see: top-ups and the statement.
struct Finance {
    /// Where to transfer a top-up (none until the admin sets it) and the
    /// reference this company writes on the transfer.
    payee: Option<crate::services::payee::Payee>,
    reference: String,
    topups: Vec<(Topup, String)>,
    rows: Vec<StatementRow>,
    months: Vec<MonthTotal>,
}

/// A payment refused for want of money.
struct Short {
    missing: Fen,
    balance: Fen,
    due: Fen,
}

#[derive(Template)]
#[template(path = "app/balance.html")]
struct BalancePage {
    ctx: PageCtx,
    balance: Fen,
    pending: Fen,
    payables: Vec<Payable>,
    finance: Option<Finance>,
    query: StatementQuery,
    /// The statement's pages (no links for sellers, who see no statement).
    pager: Pager,
    /// Orders ticked before a refused payment stay ticked.
    selected: Vec<String>,
    short: Option<Short>,
    amount: String,
    errors: FieldErrors,
}

impl BalancePage {
    fn kinds(&self) -> &'static [EntryKind] {
        EntryKind::ALL
    }

    fn is_selected(&self, order_no: &str) -> bool {
        self.selected
            .iter()
            .any(|s| s.eq_ignore_ascii_case(order_no))
    }

    fn money(&self, fen: &i64) -> String {
        Fen(*fen).to_string()
    }

    fn payables_total(&self) -> Fen {
        self.payables.iter().map(|p| p.total).sum()
    }

    /// An amount with its sign, "+500.00" or "-12.34".
    fn signed(&self, amount: &Fen) -> String {
        if *amount > Fen::ZERO {
            format!("+{amount}")
        } else {
            amount.to_string()
        }
    }

    fn export_query(&self) -> String {
        serde_urlencoded::to_string(self.query.pairs()).unwrap_or_default()
    }
}

/// Loads the page for `actor`; the finance part only for the owner and managers.
async fn load(
    ctx: PageCtx,
    state: &AppState,
    actor: Actor,
    query: StatementQuery,
) -> Result<BalancePage, AppError> {
    let filter = query.filter();
    let page = query.page();
    let (balance, pending, payables, finance) = run(state, move |conn| {
        let balance = balance::balance(conn, &actor)?;
        let pending = balance::pending_topups(conn, &actor)?;
        let payables = balance::payables(conn, &actor)?;
        let finance = match balance::require_finance(&actor) {
            Ok(_) => Some((
                crate::services::payee::get(conn)?,
                crate::services::payee::reference(actor.company()?),
                balance::topups(conn, &actor, 1)?.items,
                balance::page(conn, &actor, &filter, page)?,
                balance::monthly(conn, &actor, &filter)?,
            )),
            Err(_) => None,
        };
        Ok((balance, pending, payables, finance))
    })
    .await?;
    let mut pager = Pager::new("/app/balance", &[], 1, false);
    let finance = finance.map(|(payee, reference, topups, statement, months)| {
        pager = Pager::new(
            "/app/balance",
            &query.pairs(),
            statement.page,
            statement.has_next,
        );
        Finance {
            payee,
            reference,
            topups,
            rows: statement.items,
            months,
        }
    });
    Ok(BalancePage {
        ctx,
        balance,
        pending,
        payables,
        finance,
        query,
        pager,
        selected: Vec::new(),
        short: None,
        amount: String::new(),
        errors: FieldErrors::new(),
    })
}

/// Handles GET /app/balance.
async fn page(
    ctx: PageCtx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<StatementQuery>,
) -> Result<HttpResponse, AppError> {
    let page = load(ctx, &state, member.0.actor(), query.into_inner()).await?;
    render(&page)
}

/// The multipart body of the top-up form.
#[derive(MultipartForm)]
pub struct TopupUpload {
    amount: Option<Text<String>>,
    receipt: Option<FilePart>,
}

/// Handles POST /app/balance/topups: the amount and the bank receipt; the
/// balance grows when the platform confirms the money arrived.
async fn request_topup(
    ctx: PageCtx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    upload: MultipartForm<TopupUpload>,
) -> Result<HttpResponse, AppError> {
    let actor = member.0.actor();
    balance::require_finance(&actor)?;
    let upload = upload.into_inner();
    let amount_text = upload.amount.map(Text::into_inner).unwrap_or_default();
    let mut errors = FieldErrors::new();
    let amount = ledger::parse_topup_amount(&amount_text)
        .map_err(|error| errors.add("amount", error.message_key()))
        .ok();
    let receipt = upload.receipt.filter(|file| !file.data.is_empty());
    if receipt.is_none() {
        errors.add("receipt", "error.upload.none");
    }
    let result = match (amount, receipt) {
        (Some(amount), Some(file)) if errors.is_empty() => {
            let storage = state.storage.clone();
            let quota = state.settings.upload_quota();
            let requester = actor.clone();
            let name = file.file_name.clone().unwrap_or_default();
            run(&state, move |conn| {
                balance::request_topup(
                    conn,
                    storage.as_ref(),
                    quota,
                    &requester,
                    amount,
                    &file.data,
                    &name,
                )
            })
            .await
        }
        _ => Err(ServiceError::Invalid(errors).into()),
    };
    match result {
        Ok(_) => {
            ctx::flash(&session, "success", "flash.balance.topup_requested");
            Ok(redirect("/app/balance"))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            let mut page = load(ctx, &state, actor, StatementQuery::default()).await?;
            page.amount = amount_text;
            page.errors = errors;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(error) => Err(error),
    }
}

/// Handles POST /app/balance/pay: the ticked orders (`order`, repeated), all or none.
async fn pay_selected(
    ctx: PageCtx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let numbers: Vec<String> = form
        .into_inner()
        .into_iter()
        .filter(|(key, _)| key == "order")
        .map(|(_, value)| value)
        .collect();
    settle(
        ctx,
        member,
        session,
        state,
        numbers,
        "/app/balance".to_owned(),
    )
    .await
}

/// Handles POST /app/orders/{no}/pay: the order page's pay button.
async fn pay_order(
    ctx: PageCtx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    no: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let no = no.into_inner().to_uppercase();
    let back = format!("/app/orders/{no}");
    settle(ctx, member, session, state, vec![no], back).await
}

/// Pays `numbers` and goes `back`; for want of money, shows the balance page
/// saying how much is missing, with the orders still ticked.
async fn settle(
    ctx: PageCtx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    numbers: Vec<String>,
    back: String,
) -> Result<HttpResponse, AppError> {
    let actor = member.0.actor();
    let payer = actor.clone();
    let chosen = numbers.clone();
    let result = run(&state, move |conn| balance::pay(conn, &payer, &chosen)).await;
    match result {
        Ok(Payment::Paid) => {
            ctx::flash(&session, "success", "flash.balance.paid");
            Ok(redirect(&back))
        }
        Ok(Payment::Short {
            missing,
            balance,
            due,
        }) => {
            let mut page = load(ctx, &state, actor, StatementQuery::default()).await?;
            page.selected = numbers;
            page.short = Some(Short {
                missing,
                balance,
                due,
            });
            render_with(&page, StatusCode::CONFLICT)
        }
        // A refused payment answers with its own status (409 for an order
        // paid or changed meanwhile, 422 for an empty selection) and the
        // balance page saying why, the orders still ticked.
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            let key = errors
                .iter()
                .next()
                .map_or("error.page.invalid", |(_, k)| k);
            refused(
                ctx,
                &state,
                actor,
                numbers,
                key,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Service(ServiceError::Conflict(key))) => {
            refused(ctx, &state, actor, numbers, key, StatusCode::CONFLICT).await
        }
        Err(error) => Err(error),
    }
}

/// The balance page with a payment's refusal at its top.
async fn refused(
    mut ctx: PageCtx,
    state: &AppState,
    actor: crate::services::Actor,
    numbers: Vec<String>,
    key: &'static str,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    ctx.flash = Some(ctx::Flash {
        kind: "error".to_owned(),
        key: key.to_owned(),
    });
    let mut page = load(ctx, state, actor, StatementQuery::default()).await?;
    page.selected = numbers;
    render_with(&page, status)
}
