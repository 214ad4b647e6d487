//! Sample orders: the list, the order page and its actions, the form
//! (`form`), and the recipient's address link (`link`).

mod attachments;
mod detail;
mod form;
mod link;
mod pi;
mod receipt;
mod returns;
mod sheet;
mod warehouse;

use super::auth::Member;
use super::ctx::{self, PageCtx};
use super::errors::AppError;
use super::{AppState, PageQuery, Pager, redirect, render, run};
use crate::domain::field_errors::FieldErrors;
use crate::domain::money::Fen;
use crate::domain::order::{Draft, OrderForm};
use crate::domain::order_state::OrderStatus;
use crate::services::orders::{self, OrderFilter, OrderRow};
use actix_session::Session;
use actix_web::{HttpResponse, web};
use askama::Template;
use detail::{detail, detail_page};
use form::{Extras, Posted};
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    sheet::routes(cfg);
    cfg.route("/app/orders", web::get().to(list))
        .route("/app/orders", web::post().to(create))
        .route("/app/orders/new", web::get().to(new_form))
        .route("/app/orders/{no}", web::get().to(detail))
        .route("/app/orders/{no}", web::post().to(update))
        .route("/app/orders/{no}/edit", web::get().to(edit_form))
        .route("/app/orders/{no}/submit", web::post().to(submit))
        .route("/app/orders/{no}/cancel", web::post().to(cancel))
        .route("/app/orders/{no}/duplicate", web::post().to(duplicate))
        .route("/app/orders/{no}/link", web::post().to(reissue_link));
    pi::routes(cfg);
    warehouse::routes(cfg);
    attachments::routes(cfg);
    link::routes(cfg);
    returns::routes(cfg);
    receipt::routes(cfg);
}

/// The session key under which a new recipient link waits to be shown once.
fn link_key(order_no: &str) -> String {
    format!("recipient_link:{order_no}")
}

/// Keeps a fresh link's token for the order page, which shows it once:
/// only its hash is stored.
pub fn remember_link(session: &Session, order_no: &str, token: &str) {
    if let Err(error) = session.insert(link_key(order_no), token) {
        tracing::warn!(%error, "could not keep the recipient link for display");
    }
}

#[derive(Template)]
#[template(path = "app/orders.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<OrderRow>,
    filter: OrderFilter,
    members: Vec<(i64, String, String)>,
    choices: orders::FilterChoices,
    pager: Pager,
    /// No filter is set: an empty list means the company has no orders yet.
    unfiltered: bool,
}

impl ListPage {
    fn statuses(&self) -> &'static [OrderStatus] {
        OrderStatus::ALL
    }

    fn total(&self, row: &OrderRow) -> String {
        row.total_fen
            .map(|f| Fen(f).to_string())
            .unwrap_or_default()
    }

    /// Some row can have its label printed: the list offers the print form.
    fn any_labelable(&self) -> bool {
        self.rows.iter().any(|row| row.order.status.is_labelable())
    }

    fn is_sort(&self, sort: &str) -> bool {
        self.filter.sort == sort
    }

    fn is_creator(&self, id: &i64) -> bool {
        self.filter.creator.trim() == id.to_string()
    }

    /// The list's query string, for the export links.
    fn query(&self) -> String {
        let f = &self.filter;
        serde_urlencoded::to_string([
            ("status", &f.status),
            ("route", &f.route),
            ("country", &f.country),
            ("creator", &f.creator),
            ("from", &f.from),
            ("to", &f.to),
            ("q", &f.q),
            ("sort", &f.sort),
        ])
        .unwrap_or_default()
    }
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(flatten)]
    filter: OrderFilter,
    #[serde(default)]
    page: Option<String>,
}

/// Handles GET /app/orders.
async fn list(
    ctx: PageCtx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let ListQuery { filter, page } = query.into_inner();
    let page = PageQuery { page }.number();
    let actor = member.0.actor();
    let wanted = filter.clone();
    let (result, members, choices) = run(&state, move |conn| {
        Ok((
            orders::list(conn, &actor, &wanted, Some(page))?,
            orders::members(conn, &actor)?,
            orders::filter_choices(conn, &actor)?,
        ))
    })
    .await?;
    let f = &filter;
    let unfiltered = [
        &f.status, &f.route, &f.country, &f.creator, &f.from, &f.to, &f.q,
    ]
    .iter()
    .all(|v| v.trim().is_empty());
    let pager = Pager::new(
        "/app/orders",
        &[
            ("status", &f.status),
            ("route", &f.route),
            ("country", &f.country),
            ("creator", &f.creator),
            ("from", &f.from),
            ("to", &f.to),
            ("q", &f.q),
            ("sort", &f.sort),
        ],
        result.page,
        result.has_next,
    );
    render(&ListPage {
        ctx,
        rows: result.items,
        filter,
        members,
        choices,
        pager,
        unfiltered,
    })
}

/// Handles GET /app/orders/new.
async fn new_form(
    ctx: PageCtx,
    member: Member,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let form = Draft::default().form();
    let extras = Extras {
        form_token: orders::new_form_token(),
        ..Extras::default()
    };
    let page = form::page(ctx, &member, &state, None, form, FieldErrors::new(), extras).await?;
    render(&page)
}

/// Handles GET /app/orders/{no}/edit; only drafts can be edited.
async fn edit_form(
    ctx: PageCtx,
    member: Member,
    state: web::Data<AppState>,
    no: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let actor = member.0.actor();
    let no = no.into_inner();
    let view = run(&state, move |conn| orders::view(conn, &actor, &no)).await?;
    if !view.order.status.is_editable() {
        return Err(AppError::Service(crate::services::ServiceError::Conflict(
            "error.order.not_editable",
        )));
    }
    let form: OrderForm = view.draft.form();
    let extras = Extras {
        awaiting_address: view.order.status == OrderStatus::AwaitingAddress,
        ..Extras::default()
    };
    let page = form::page(
        ctx,
        &member,
        &state,
        Some(view.order.order_no),
        form,
        FieldErrors::new(),
        extras,
    )
    .await?;
    render(&page)
}

/// Handles POST /app/orders: a new order from the form.
async fn create(
    ctx: PageCtx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::from_pairs(body.into_inner());
    form::post(ctx, member, session, state, None, posted).await
}

/// Handles POST /app/orders/{no}: saves (or submits) an edited draft.
async fn update(
    ctx: PageCtx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    no: web::Path<String>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::from_pairs(body.into_inner());
    form::post(ctx, member, session, state, Some(no.into_inner()), posted).await
}

#[derive(Deserialize)]
struct SubmitForm {
    #[serde(default)]
    acknowledge: String,
}

/// Handles POST /app/orders/{no}/submit from the order page.
async fn submit(
    ctx: PageCtx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    no: web::Path<String>,
    form: web::Form<SubmitForm>,
) -> Result<HttpResponse, AppError> {
    let actor = member.0.actor();
    let no = no.into_inner();
    let lookup = no.clone();
    let view = run(&state, move |conn| orders::view(conn, &actor, &lookup)).await?;
    if !view.order.status.is_editable() {
        ctx::flash(&session, "info", "flash.order_already_submitted");
        return Ok(redirect(&format!("/app/orders/{}", view.order.order_no)));
    }
    let acknowledged = matches!(form.acknowledge.as_str(), "on" | "yes");
    form::submit_saved(
        ctx,
        member,
        session,
        state,
        view.order.order_no,
        acknowledged,
        view.draft,
    )
    .await
}

#[derive(Deserialize)]
struct ConfirmForm {
    #[serde(default)]
    confirm: String,
}

/// Back to the order with `message` when the confirmation was not ticked.
fn unconfirmed(
    session: &Session,
    form: &ConfirmForm,
    no: &str,
    message: &str,
) -> Option<HttpResponse> {
    (form.confirm != "yes").then(|| {
        ctx::flash(session, "error", message);
        redirect(&format!("/app/orders/{no}"))
    })
}

/// Handles POST /app/orders/{no}/cancel: only with the confirmation ticked.
async fn cancel(
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    no: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let no = no.into_inner();
    if let Some(back) = unconfirmed(&session, &form, &no, "flash.confirm_cancel") {
        return Ok(back);
    }
    let actor = member.0.actor();
    let target = no.clone();
    run(&state, move |conn| orders::cancel(conn, &actor, &target)).await?;
    ctx::flash(&session, "success", "flash.order_cancelled");
    Ok(redirect(&format!("/app/orders/{no}")))
}

/// Handles POST /app/orders/{no}/duplicate: a new draft with the same content.
async fn duplicate(
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    no: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let actor = member.0.actor();
    let no = no.into_inner();
    let copy = run(&state, move |conn| orders::duplicate(conn, &actor, &no)).await?;
    ctx::flash(&session, "success", "flash.order_duplicated");
    Ok(redirect(&format!("/app/orders/{copy}/edit")))
}

/// Handles POST /app/orders/{no}/link: a new recipient link (the old one stops working).
async fn reissue_link(
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    no: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let actor = member.0.actor();
    let no = no.into_inner();
    let target = no.clone();
    let token = run(&state, move |conn| {
        orders::link::reissue(conn, &actor, &target)
    })
    .await?;
    let view_no = no.to_uppercase();
    remember_link(&session, &view_no, &token);
    ctx::flash(&session, "success", "flash.order_link_created");
    Ok(redirect(&format!("/app/orders/{view_no}")))
}
