//! Sample orders: the list, the order page and its actions, the form
//! (`form`), and the recipient's address link (`link`).

mod attachments;
mod form;
mod link;
mod pi;
mod sheet;
mod warehouse;

use super::auth::Member;
use super::ctx::{self, PageCtx};
use super::errors::AppError;
use super::share::ShareLink;
use super::{AppState, PageQuery, Pager, redirect, render, run};
use crate::db::orders::OrderQuote;
use crate::domain::field_errors::FieldErrors;
use crate::domain::money::Fen;
use crate::domain::order::{Draft, OrderForm};
use crate::domain::order_event::EventParams;
use crate::domain::order_state::OrderStatus;
use crate::services::orders::{self, OrderFilter, OrderRow, OrderView};
use actix_session::Session;
use actix_web::{HttpResponse, web};
use askama::Template;
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

/// One line of the frozen quote, for the order page.
struct QuoteLineView {
    kind: String,
    amount: String,
}

#[derive(Template)]
#[template(path = "app/order.html")]
struct DetailPage {
    ctx: PageCtx,
    view: OrderView,
    /// What still stops a draft from being submitted.
    missing: FieldErrors,
    quote_lines: Vec<QuoteLineView>,
    /// A recipient link created just now, shown once.
    new_link: Option<ShareLink>,
    /// The company's balance, shown beside the pay button of an approved order.
    balance: Option<Fen>,
    /// The warehouse's measurement, bill, hold or refusal, once paid.
    warehouse: Option<crate::services::warehouse::SellerFacts>,
    /// A refused answer to the warehouse (correction or return), beside its field.
    warehouse_errors: FieldErrors,
    /// How a paid order reaches the warehouse (`app/order_handover.html`).
    handover: Option<crate::services::handover::HandoverView>,
    /// The re-weigh dispute ticket already opened, or whether one may be
    /// (`app/order_dispute.html`).
    dispute: (Option<i64>, bool),
    /// The parcel's journey once it is on its way (`app/order_tracking.html`).
    tracking: Option<crate::services::tracking::TrackingView>,
}

impl DetailPage {
    fn no(&self) -> &str {
        &self.view.order.order_no
    }

    fn status(&self) -> OrderStatus {
        self.view.order.status
    }

    fn approval_level(&self) -> &str {
        self.view.order.approval_level.as_deref().unwrap_or("owner")
    }

    fn approval_reasons(&self) -> Vec<&str> {
        self.view
            .order
            .approval_reasons
            .as_deref()
            .unwrap_or_default()
            .split(';')
            .filter(|r| !r.is_empty())
            .collect()
    }

    /// An event's typed parameters (warnings, the document), to put into words.
    fn params_of(&self, event: &crate::db::orders::OrderEvent) -> EventParams {
        EventParams::from_json(&event.params)
    }

    /// The approver's comment while the order is back in draft after a
    /// rejection (until it is submitted again), and who wrote it.
    fn rejection(&self) -> Option<(&str, Option<&str>)> {
        if self.status() != OrderStatus::Draft {
            return None;
        }
        let (event, who) = self
            .view
            .events
            .iter()
            .rev()
            .find(|(event, _)| matches!(event.kind.as_str(), "reject" | "submit"))?;
        (event.kind == "reject").then_some((event.note.as_str(), who.as_deref()))
    }

    fn is_draft(&self) -> bool {
        self.status() == OrderStatus::Draft
    }

    /// A seller changes only their own orders; managers and the owner any
    /// (the service refuses the rest, this only hides the buttons).
    fn may_change(&self) -> bool {
        self.ctx.user.as_ref().is_some_and(|user| {
            user.role != crate::domain::status::Role::Seller
                || user.id.0 == self.view.order.created_by
        })
    }

    fn can_edit(&self) -> bool {
        self.may_change() && self.status().is_editable()
    }

    fn can_cancel(&self) -> bool {
        // Once the warehouse has the parcel, it can only be returned.
        let at_warehouse = self
            .warehouse
            .as_ref()
            .is_some_and(|w| w.shipment.received_at.is_some());
        self.may_change()
            && !at_warehouse
            && matches!(
                self.status(),
                OrderStatus::AwaitingAddress
                    | OrderStatus::Draft
                    | OrderStatus::PendingApproval
                    | OrderStatus::Approved
                    | OrderStatus::Paid
            )
    }

    /// What the balance lacks to pay this order, if anything.
    fn missing_for_payment(&self) -> Option<Fen> {
        let due = Fen(self.quote()?.total_fen);
        crate::domain::ledger::shortfall(self.balance?, due)
    }

    /// The warehouse's newest measurement when it accepted the parcel.
    fn measured(&self) -> Option<&crate::db::warehouse::ParcelCheck> {
        let warehouse = self.warehouse.as_ref()?;
        warehouse.latest.as_ref().filter(|_| !warehouse.refused())
    }

    /// The warehouse's refusal the seller must answer.
    fn refusal(&self) -> Option<&crate::db::warehouse::ParcelCheck> {
        let warehouse = self.warehouse.as_ref()?;
        let waiting = self.status() == OrderStatus::Exception && warehouse.refused();
        warehouse.latest.as_ref().filter(|_| waiting)
    }

    /// The whole difference of the bill against the quote.
    fn bill_difference(&self) -> Fen {
        self.warehouse
            .as_ref()
            .map(|w| {
                w.compared
                    .iter()
                    .fold(Fen::ZERO, |sum, c| sum + c.difference())
            })
            .unwrap_or(Fen::ZERO)
    }

    fn kg(&self, grams: &i64) -> String {
        crate::domain::measure::kg_text(u32::try_from(*grams).unwrap_or(0))
    }

    fn cm(&self, mm: &i64) -> String {
        crate::domain::measure::cm_text(u32::try_from(*mm).unwrap_or(0))
    }

    fn batteries(&self) -> &'static [crate::domain::customs::Battery] {
        crate::domain::customs::Battery::ALL
    }

    fn draft(&self) -> &Draft {
        &self.view.draft
    }

    fn quote(&self) -> Option<&OrderQuote> {
        self.view.quote.as_ref()
    }

    fn money(&self, fen: &i64) -> String {
        Fen(*fen).to_string()
    }

    fn item_total(&self, item: &crate::db::orders::OrderItem) -> String {
        match (item.quantity, item.unit_value_cents) {
            (Some(q), Some(v)) => crate::domain::money::UsdCents(q * v).to_string(),
            _ => String::new(),
        }
    }

    fn usd(&self, cents: &Option<i64>) -> String {
        cents
            .map(|c| crate::domain::money::UsdCents(c).to_string())
            .unwrap_or_default()
    }

    fn grams(&self, grams: &Option<i64>) -> String {
        grams
            .and_then(|g| u32::try_from(g).ok())
            .map(crate::domain::measure::kg_text)
            .unwrap_or_default()
    }

    fn dimensions(&self) -> String {
        let d = self.draft();
        match (d.length_mm, d.width_mm, d.height_mm) {
            (Some(l), Some(w), Some(h)) => format!(
                "{} × {} × {} cm",
                crate::domain::measure::cm_text(l),
                crate::domain::measure::cm_text(w),
                crate::domain::measure::cm_text(h)
            ),
            _ => String::new(),
        }
    }

    fn document_kinds(&self) -> &'static [&'static str] {
        orders::attachments::DOCUMENTS
    }

    fn documents_needed(&self) -> Vec<&'static str> {
        self.draft().declared.documents()
    }

    /// What is missing: the field's code (a marker), its label as the form
    /// shows it, and the message.
    fn missing_fields(&self) -> Vec<(String, String, &'static str)> {
        self.missing
            .iter()
            .map(|(field, key)| (field.to_owned(), self.field_label(field), key))
            .collect()
    }

    /// The label the order form shows for a field (`item0_quantity` → "物品 1 · 数量").
    fn field_label(&self, field: &str) -> String {
        if let Some((row, name)) = field
            .strip_prefix("item")
            .and_then(|rest| rest.split_once('_'))
            .and_then(|(row, name)| Some((row.parse::<usize>().ok()?, name)))
        {
            let item = format!("{} {}", self.ctx.t("orders.item"), row + 1);
            return format!("{item} · {}", self.ctx.tv("items", name));
        }
        let key = match field {
            "name" | "company" | "line1" | "line2" | "city" | "state" | "postcode" | "country"
            | "phone" | "email" | "tax_id" => format!("recipient.{field}"),
            "weight_kg" => "rates.weight_kg".to_owned(),
            "sender" => "orders.sender_address".to_owned(),
            other => format!("orders.{other}"),
        };
        self.ctx.t(&key).to_owned()
    }
}

/// Handles GET /app/orders/{no}.
async fn detail(
    ctx: PageCtx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    no: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    render(&detail_page(ctx, &member, &session, &state, no.into_inner()).await?)
}

/// The order page of `no` as the member sees it.
async fn detail_page(
    ctx: PageCtx,
    member: &Member,
    session: &Session,
    state: &AppState,
    no: String,
) -> Result<DetailPage, AppError> {
    let actor = member.0.actor();
    let (view, balance, warehouse, handover, dispute, tracking) = run(state, move |conn| {
        let view = orders::view(conn, &actor, &no)?;
        let balance = match view.order.status {
            OrderStatus::Approved => Some(crate::services::balance::balance(conn, &actor)?),
            _ => None,
        };
        let warehouse = crate::services::warehouse::for_seller(conn, &view.order)?;
        let handover = crate::services::handover::section(conn, &actor, &view.order)?;
        let dispute = crate::services::tickets::dispute_link(conn, &view.order)?;
        let tracking = crate::services::tracking::tracking_of(conn, &view.order)?;
        Ok((view, balance, warehouse, handover, dispute, tracking))
    })
    .await?;
    let missing = if view.order.status == OrderStatus::Draft {
        let mut missing = view.draft.complete().err().unwrap_or_default();
        let attached: Vec<String> = view.documents.iter().map(|d| d.document.clone()).collect();
        if !orders::attachments::missing_documents(&view.draft.declared, &attached).is_empty() {
            missing.add("documents", "error.order.documents_missing");
        }
        missing
    } else {
        FieldErrors::new()
    };
    let quote_lines = view
        .quote
        .as_ref()
        .map(|q| parse_lines(&q.lines))
        .unwrap_or_default();
    let key = link_key(&view.order.order_no);
    let new_link = session
        .remove_as::<String>(&key)
        .and_then(Result::ok)
        .map(|token| ShareLink::new(&state.settings.public_url, &format!("/r/{token}")));
    Ok(DetailPage {
        ctx,
        view,
        missing,
        quote_lines,
        new_link,
        balance,
        warehouse,
        warehouse_errors: FieldErrors::new(),
        handover,
        dispute,
        tracking: Some(tracking).filter(crate::services::tracking::TrackingView::is_started),
    })
}

fn parse_lines(json: &str) -> Vec<QuoteLineView> {
    let lines: Vec<serde_json::Value> = serde_json::from_str(json).unwrap_or_default();
    lines
        .iter()
        .map(|line| QuoteLineView {
            kind: line["kind"].as_str().unwrap_or_default().to_owned(),
            amount: Fen(line["amount_fen"].as_i64().unwrap_or_default()).to_string(),
        })
        .collect()
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
