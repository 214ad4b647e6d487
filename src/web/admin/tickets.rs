//! `/admin/tickets`: the staff queue (filters: category, status, age,
//! assignee, route) and one ticket — thread, reply, assignment, waiting on
//! the customer, resolving with a note (and, for a re-weigh dispute, a
//! refund through the ledger), closing.

use crate::domain::field_errors::FieldErrors;
use crate::domain::money::Fen;
use crate::domain::ticket::{TicketCategory, TicketStatus};
use crate::services::ServiceError;
use crate::services::tickets::{
    self, Assignee, AssigneeFilter, QueueFilter, TicketRow, TicketView,
};
use crate::web::auth::Staff;
use crate::web::ctx::{self, PageCtx};
use crate::web::errors::AppError;
use crate::web::tickets::{ReplyUpload, post_reply};
use crate::web::{AppState, redirect, render, render_with, run};
use actix_multipart::form::MultipartForm;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/tickets", web::get().to(queue))
        .route("/admin/tickets/{id}", web::get().to(detail))
        .route("/admin/tickets/{id}/reply", web::post().to(reply))
        .route("/admin/tickets/{id}/assign", web::post().to(assign))
        .route("/admin/tickets/{id}/wait", web::post().to(wait))
        .route("/admin/tickets/{id}/resolve", web::post().to(resolve))
        .route("/admin/tickets/{id}/close", web::post().to(close));
}

/// The queue's filters as typed; anything odd means "any".
#[derive(Deserialize, Default)]
#[serde(default)]
struct QueueQuery {
    category: String,
    status: String,
    age: String,
    assignee: String,
    route: String,
}

impl QueueQuery {
    fn filter(&self) -> QueueFilter {
        QueueFilter {
            category: TicketCategory::parse(self.category.trim()).ok(),
            status: TicketStatus::parse(self.status.trim()).ok(),
            older_than_hours: self
                .age
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|h| (1..=24 * 365).contains(h)),
            assignee: match self.assignee.as_str() {
                "me" => AssigneeFilter::Me,
                "unassigned" => AssigneeFilter::Unassigned,
                _ => AssigneeFilter::Anyone,
            },
            route: Some(self.route.trim().to_uppercase()).filter(|r| !r.is_empty()),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/tickets.html")]
struct QueuePage {
    ctx: PageCtx,
    rows: Vec<TicketRow>,
    query: QueueQuery,
    categories: &'static [TicketCategory],
    statuses: &'static [TicketStatus],
}

impl QueuePage {
    /// How long the ticket has been open, "h:mm".
    fn age(&self, row: &TicketRow) -> String {
        crate::domain::ticket::hours_minutes(row.ticket.created_at, crate::services::now())
    }
}

/// Handles GET /admin/tickets: open and waiting tickets, oldest first,
/// unless a status is chosen.
async fn queue(
    ctx: PageCtx,
    staff: Staff,
    state: web::Data<AppState>,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let filter = query.filter();
    let actor = staff.0.actor();
    let rows = run(&state, move |conn| tickets::queue(conn, &actor, &filter)).await?;
    render(&QueuePage {
        ctx,
        rows,
        query,
        categories: TicketCategory::ALL,
        statuses: TicketStatus::ALL,
    })
}

#[derive(Template)]
#[template(path = "admin/ticket.html")]
struct DetailPage {
    ctx: PageCtx,
    view: TicketView,
    reply: String,
    note: String,
    amount: String,
    errors: FieldErrors,
}

impl DetailPage {
    fn reply_action(&self) -> String {
        format!("/admin/tickets/{}/reply", self.view.row.ticket.id)
    }

    fn is_assignee(&self, id: &i64) -> bool {
        self.view.row.ticket.assignee_id == Some(*id)
    }
}

async fn detail_page(
    ctx: PageCtx,
    staff: &Staff,
    state: &AppState,
    id: i64,
) -> Result<DetailPage, AppError> {
    let actor = staff.0.actor();
    let view = run(state, move |conn| tickets::view(conn, &actor, id)).await?;
    Ok(DetailPage {
        ctx,
        view,
        reply: String::new(),
        note: String::new(),
        amount: String::new(),
        errors: FieldErrors::new(),
    })
}

/// Handles GET /admin/tickets/{id}.
async fn detail(
    ctx: PageCtx,
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    render(&detail_page(ctx, &staff, &state, id.into_inner()).await?)
}

/// Handles POST /admin/tickets/{id}/reply: the ticket then waits on the customer.
async fn reply(
    ctx: PageCtx,
    staff: Staff,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    upload: MultipartForm<ReplyUpload>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    match post_reply(&state, staff.0.actor(), id, upload.into_inner()).await? {
        Ok(()) => {
            ctx::flash(&session, "success", "flash.ticket.replied");
            Ok(redirect(&format!("/admin/tickets/{id}")))
        }
        Err((typed, errors)) => {
            let mut page = detail_page(ctx, &staff, &state, id).await?;
            page.reply = typed;
            page.errors = errors;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

#[derive(Deserialize)]
struct AssignForm {
    #[serde(default)]
    assignee: String,
}

/// Handles POST /admin/tickets/{id}/assign: `me`, `none` or a staff user's id.
async fn assign(
    staff: Staff,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<AssignForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let to = match form.assignee.trim() {
        "me" => Assignee::Me,
        "none" | "" => Assignee::Nobody,
        other => match other.parse::<i64>() {
            Ok(user) => Assignee::User(user),
            Err(_) => Assignee::Nobody,
        },
    };
    let actor = staff.0.actor();
    run(&state, move |conn| tickets::assign(conn, &actor, id, to)).await?;
    ctx::flash(&session, "success", "flash.ticket.assigned");
    Ok(redirect(&format!("/admin/tickets/{id}")))
}

/// Handles POST /admin/tickets/{id}/wait: waiting on the customer.
async fn wait(
    staff: Staff,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    super::act_on(
        &staff,
        &session,
        &state,
        id.into_inner(),
        tickets::wait_on_customer,
        "flash.ticket.waiting",
        "/admin/tickets",
    )
    .await
}

#[derive(Deserialize)]
struct ResolveForm {
    #[serde(default)]
    note: String,
    #[serde(default)]
    amount: String,
}

/// Handles POST /admin/tickets/{id}/resolve: a note for the member and,
/// on a re-weigh dispute, an optional refund.
async fn resolve(
    ctx: PageCtx,
    staff: Staff,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<ResolveForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let form = form.into_inner();
    let note: String = form.note.trim().chars().take(2000).collect();
    let amount = match form.amount.trim() {
        "" => Ok(None),
        typed => Fen::parse(typed).map(Some).map_err(|error| {
            ServiceError::Invalid(FieldErrors::single("amount", error.message_key()))
        }),
    };
    let result = match amount {
        Ok(amount) => {
            let actor = staff.0.actor();
            let note = note.clone();
            run(&state, move |conn| {
                tickets::resolve_with_refund(conn, &actor, id, &note, amount)
            })
            .await
        }
        Err(error) => Err(error.into()),
    };
    match result {
        Ok(()) => {
            ctx::flash(&session, "success", "flash.ticket.resolved");
            Ok(redirect(&format!("/admin/tickets/{id}")))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            let mut page = detail_page(ctx, &staff, &state, id).await?;
            page.note = form.note;
            page.amount = form.amount;
            page.errors = errors;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(error) => Err(error),
    }
}

/// Handles POST /admin/tickets/{id}/close: a resolved ticket, for good.
async fn close(
    staff: Staff,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    super::act_on(
        &staff,
        &session,
        &state,
        id.into_inner(),
        tickets::close,
        "flash.ticket.closed",
        "/admin/tickets",
    )
    .await
}
