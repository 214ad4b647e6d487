//! The order page (`/app/orders/{no}`): the order with its quote, its
//! timeline, and what may happen next — pay, submit, hand over, the
//! warehouse's bill, tracking, a dispute — each part in its own partial.

use super::link_key;
use crate::db::orders::OrderQuote;
use crate::domain::field_errors::FieldErrors;
use crate::domain::money::Fen;
use crate::domain::order::Draft;
use crate::domain::order_event::EventParams;
use crate::domain::order_state::OrderStatus;
use crate::services::orders::{self, OrderView};
use crate::web::auth::Member;
use crate::web::ctx::PageCtx;
use crate::web::errors::AppError;
use crate::web::share::ShareLink;
use crate::web::{AppState, render, run};
use actix_session::Session;
use actix_web::{HttpResponse, web};
use askama::Template;

/// One line of the frozen quote, for the order page.
struct QuoteLineView {
    kind: String,
    amount: String,
}

#[derive(Template)]
#[template(path = "app/order.html")]
pub(super) struct DetailPage {
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
    pub(super) warehouse_errors: FieldErrors,
    /// How a paid order reaches the warehouse (`app/order_handover.html`).
    handover: Option<crate::services::handover::HandoverView>,
    /// The re-weigh dispute ticket already opened, or whether one may be
    /// (`app/order_dispute.html`).
    dispute: (Option<i64>, bool),
    /// The parcel's journey once it is on its way (`app/order_tracking.html`).
    tracking: Option<crate::services::tracking::TrackingView>,
    /// The return of this order or the order this one returns, and the
    /// offer to send the parcel back (`app/order_returns.html`).
    returns: crate::services::returns::ReturnSection,
    /// A recipient's return link created just now, shown once.
    new_return_link: Option<ShareLink>,
    /// The parcel is with a carrier: a fresh recipient link follows it.
    dispatched: bool,
    /// The recipient's confirmation of receipt (`app/order_receipt.html`).
    confirmation: Option<crate::db::confirmations::RecipientConfirmation>,
    /// Writing, editing or showing the route review (`app/review_offer.html`).
    review: Option<crate::services::reviews::Offer>,
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

    /// A fresh recipient link may be sent: for the address, or to follow
    /// the parcel and confirm receipt once it is dispatched.
    fn can_send_link(&self) -> bool {
        self.may_change() && (self.status() == OrderStatus::AwaitingAddress || self.dispatched)
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
pub(super) async fn detail(
    ctx: PageCtx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    no: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    render(&detail_page(ctx, &member, &session, &state, no.into_inner()).await?)
}

/// The order page of `no` as the member sees it.
pub(super) async fn detail_page(
    ctx: PageCtx,
    member: &Member,
    session: &Session,
    state: &AppState,
    no: String,
) -> Result<DetailPage, AppError> {
    let actor = member.0.actor();
    let (view, balance, warehouse, handover, dispute, tracking, returns, receipt) =
        run(state, move |conn| {
            let view = orders::view(conn, &actor, &no)?;
            let balance = match view.order.status {
                OrderStatus::Approved => Some(crate::services::balance::balance(conn, &actor)?),
                _ => None,
            };
            let warehouse = crate::services::warehouse::for_seller(conn, &view.order)?;
            let handover = crate::services::handover::section(conn, &actor, &view.order)?;
            let dispute = crate::services::tickets::dispute_link(conn, &view.order)?;
            let tracking = crate::services::tracking::tracking_of(conn, &view.order)?;
            let returns = crate::services::returns::section(conn, &view.order)?;
            let receipt = (
                orders::receipt::dispatched(conn, view.order.id)?,
                orders::receipt::confirmation_of(conn, &view.order)?,
                crate::services::reviews::offer(conn, &view.order, crate::services::now())?,
            );
            Ok((
                view, balance, warehouse, handover, dispute, tracking, returns, receipt,
            ))
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
    let new_return_link = session
        .remove_as::<String>(&super::returns::link_key(&view.order.order_no))
        .and_then(Result::ok)
        .map(|token| ShareLink::new(&state.settings.public_url, &format!("/return/{token}")));
    Ok(DetailPage {
        ctx,
        returns,
        new_return_link,
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
        dispatched: receipt.0,
        confirmation: receipt.1,
        review: receipt.2,
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
