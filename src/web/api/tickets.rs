//! Support tickets for the ERP: list (`orders:read`), open one on an order
//! and write in its thread (`orders:write`), with the rules of
//! `services::tickets`. The token acts as the member who made it.

use super::{ApiError, Caller, acting, audit, run};
use crate::domain::api_scope::ApiScope;
use crate::domain::field_errors::FieldErrors;
use crate::domain::ticket::{self, TicketCategory, TicketStatus};
use crate::services::tickets::{self, Opening, TicketRow, TicketView};
use crate::web::AppState;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/tickets", web::get().to(list))
        .route("/tickets", web::post().to(open))
        .route("/tickets/{id}", web::get().to(show))
        .route("/tickets/{id}/messages", web::post().to(message));
}

/// One ticket, without its thread.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TicketOut {
    pub id: i64,
    pub order_no: Option<String>,
    /// `lost`, `damaged`, `delay`, `customs`, `address_change`, `return_request`, `billing`, `other`.
    pub category: String,
    pub subject: String,
    /// `open`, `waiting_on_customer`, `resolved`, `closed`.
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A message of the thread.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TicketMessageOut {
    pub id: i64,
    /// Written by the platform's staff (or the platform itself).
    pub from_staff: bool,
    pub body: String,
    pub created_at: String,
}

/// A ticket with its thread, oldest message first.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TicketDetailOut {
    #[serde(flatten)]
    pub ticket: TicketOut,
    pub messages: Vec<TicketMessageOut>,
}

/// One page of tickets.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TicketPageOut {
    pub tickets: Vec<TicketOut>,
    pub page: i64,
    /// The number of the next page, when there is one.
    pub next_page: Option<i64>,
}

fn time(at: chrono::NaiveDateTime) -> String {
    at.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn ticket_out(row: &TicketRow) -> TicketOut {
    let t = &row.ticket;
    TicketOut {
        id: t.id,
        order_no: row.order_no.clone(),
        category: t.category.as_str().to_owned(),
        subject: t.subject.clone(),
        status: t.status.as_str().to_owned(),
        created_at: time(t.created_at),
        updated_at: time(t.updated_at),
    }
}

fn detail_out(view: &TicketView) -> TicketDetailOut {
    TicketDetailOut {
        ticket: ticket_out(&view.row),
        messages: view
            .messages
            .iter()
            .map(|m| TicketMessageOut {
                id: m.message.id,
                from_staff: m.message.from_staff,
                body: m.message.body.clone(),
                created_at: time(m.message.created_at),
            })
            .collect(),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// 1 for the newest 50.
    #[serde(default)]
    page: Option<i64>,
    /// Only tickets in this status.
    #[serde(default)]
    status: Option<String>,
}

/// Handles GET /api/v1/tickets (scope `orders:read`): the company's
/// tickets, newest first, 50 a page.
#[utoipa::path(
    get,
    path = "/api/v1/tickets",
    tag = "tickets",
    params(ListQuery),
    responses(
        (status = 200, description = "One page of tickets, newest first", body = TicketPageOut),
        (status = 400, description = "An unknown status", body = super::ErrorBody),
        (status = 401, description = "No valid token", body = super::ErrorBody),
        (status = 403, description = "The token lacks the `orders:read` scope", body = super::ErrorBody),
        (status = 429, description = "Rate limited; see `Retry-After`", body = super::ErrorBody),
    ),
    security(("bearer" = ["orders:read"])),
)]
pub async fn list(
    caller: Caller,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let actor = acting(&state, &caller, ApiScope::OrdersRead).await?;
    let query = query.into_inner();
    let page = query.page.unwrap_or(1).clamp(1, 1_000_000);
    let status = match query
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(status) => Some(TicketStatus::parse(status).map_err(|_| {
            ApiError::BadRequest(
                "invalid_status",
                format!("unknown ticket status {status:?}"),
            )
        })?),
        None => None,
    };
    audit(&state, &caller, "api.tickets.list", String::new()).await?;
    let found = run(&state, move |conn| {
        tickets::page_for_company(conn, &actor, status, page)
    })
    .await?;
    Ok(HttpResponse::Ok().json(TicketPageOut {
        tickets: found.items.iter().map(ticket_out).collect(),
        page: found.page,
        next_page: found.has_next.then_some(found.page + 1),
    }))
}

/// A new ticket.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct OpenRequest {
    /// The order it is about (optional: a general question).
    #[serde(default)]
    order_no: Option<String>,
    /// `lost`, `damaged`, `delay`, `customs`, `address_change`, `return_request`, `billing`, `other`.
    category: String,
    /// 1 to 120 characters.
    subject: String,
    /// 1 to 5,000 characters.
    body: String,
}

/// A body as the thread keeps it: no control characters but line breaks and tabs.
fn check_body(body: &str) -> Result<String, &'static str> {
    if body
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err("error.control_characters");
    }
    ticket::body(body)
}

/// Handles POST /api/v1/tickets (scope `orders:write`): opens a ticket with
/// its first message.
#[utoipa::path(
    post,
    path = "/api/v1/tickets",
    tag = "tickets",
    request_body = OpenRequest,
    responses(
        (status = 201, description = "The ticket, with its first message", body = TicketDetailOut),
        (status = 401, description = "No valid token", body = super::ErrorBody),
        (status = 403, description = "The token lacks the `orders:write` scope", body = super::ErrorBody),
        (status = 422, description = "A field is wrong (an unknown order is reported on the field `order`)", body = super::ErrorBody),
        (status = 429, description = "Rate limited; see `Retry-After`", body = super::ErrorBody),
    ),
    security(("bearer" = ["orders:write"])),
)]
pub async fn open(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<OpenRequest>,
) -> Result<HttpResponse, ApiError> {
    let actor = acting(&state, &caller, ApiScope::OrdersWrite).await?;
    let request = body.into_inner();
    let mut errors = FieldErrors::new();
    let category = TicketCategory::parse(request.category.trim())
        .map_err(|_| errors.add("category", "error.ticket.category"))
        .ok();
    let subject = errors.check("subject", ticket::subject(&request.subject), |e| *e);
    let subject = subject.and_then(|s| {
        if s.chars().any(char::is_control) {
            errors.add("subject", "error.control_characters");
            None
        } else {
            Some(s)
        }
    });
    let message = errors.check("body", check_body(&request.body), |e| *e);
    let order_no = request
        .order_no
        .map(|no| no.trim().to_uppercase())
        .filter(|no| !no.is_empty());
    if order_no.as_ref().is_some_and(|no| no.len() > 40) {
        errors.add("order", "error.ticket.unknown_order");
    }
    let (Some(category), Some(subject), Some(message), true) =
        (category, subject, message, errors.is_empty())
    else {
        return Err(ApiError::Invalid(super::field_problems(&errors)));
    };
    audit(
        &state,
        &caller,
        "api.tickets.open",
        order_no.clone().unwrap_or_default(),
    )
    .await?;
    let storage = state.storage.clone();
    let quota = state.settings.upload_quota();
    let view = run(&state, move |conn| {
        let opening = Opening {
            category,
            subject,
            body: message,
            order_no,
        };
        let id = tickets::open(conn, storage.as_ref(), quota, &actor, &opening, None)?;
        tickets::view(conn, &actor, id)
    })
    .await?;
    Ok(HttpResponse::Created().json(detail_out(&view)))
}

/// Handles GET /api/v1/tickets/{id} (scope `orders:read`): the ticket and
/// its thread; another company's is 404.
#[utoipa::path(
    get,
    path = "/api/v1/tickets/{id}",
    tag = "tickets",
    params(("id" = i64, Path, description = "The ticket's id")),
    responses(
        (status = 200, description = "The ticket and its thread", body = TicketDetailOut),
        (status = 401, description = "No valid token", body = super::ErrorBody),
        (status = 403, description = "The token lacks the `orders:read` scope", body = super::ErrorBody),
        (status = 404, description = "No such ticket in the token's company", body = super::ErrorBody),
        (status = 429, description = "Rate limited; see `Retry-After`", body = super::ErrorBody),
    ),
    security(("bearer" = ["orders:read"])),
)]
pub async fn show(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let actor = acting(&state, &caller, ApiScope::OrdersRead).await?;
    let id = id.into_inner();
    audit(&state, &caller, "api.tickets.show", id.to_string()).await?;
    let view = run(&state, move |conn| tickets::view(conn, &actor, id)).await?;
    Ok(HttpResponse::Ok().json(detail_out(&view)))
}

/// A message for the thread.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct MessageRequest {
    /// 1 to 5,000 characters.
    body: String,
}

/// Handles POST /api/v1/tickets/{id}/messages (scope `orders:write`):
/// writes in the thread (the ticket goes back into the staff queue).
#[utoipa::path(
    post,
    path = "/api/v1/tickets/{id}/messages",
    tag = "tickets",
    params(("id" = i64, Path, description = "The ticket's id")),
    request_body = MessageRequest,
    responses(
        (status = 201, description = "The ticket with the new message", body = TicketDetailOut),
        (status = 400, description = "The ticket is resolved or closed (`conflict`)", body = super::ErrorBody),
        (status = 401, description = "No valid token", body = super::ErrorBody),
        (status = 403, description = "The token lacks the `orders:write` scope", body = super::ErrorBody),
        (status = 404, description = "No such ticket in the token's company", body = super::ErrorBody),
        (status = 422, description = "The body is empty or too long", body = super::ErrorBody),
        (status = 429, description = "Rate limited; see `Retry-After`", body = super::ErrorBody),
    ),
    security(("bearer" = ["orders:write"])),
)]
pub async fn message(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: web::Json<MessageRequest>,
) -> Result<HttpResponse, ApiError> {
    let actor = acting(&state, &caller, ApiScope::OrdersWrite).await?;
    let id = id.into_inner();
    let text = check_body(&body.body).map_err(|key| {
        ApiError::Invalid(super::field_problems(&FieldErrors::single("body", key)))
    })?;
    audit(&state, &caller, "api.tickets.message", id.to_string()).await?;
    let storage = state.storage.clone();
    let quota = state.settings.upload_quota();
    let view = run(&state, move |conn| {
        tickets::reply(conn, storage.as_ref(), quota, &actor, id, &text, None)?;
        tickets::view(conn, &actor, id)
    })
    .await?;
    Ok(HttpResponse::Created().json(detail_out(&view)))
}
