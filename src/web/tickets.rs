//! `/app/tickets`: a company's support tickets — the list, opening one (on
//! an order or in general), the thread with replies, resolve and reopen —
//! and "dispute this charge" on a re-weighed order.

use super::auth::Member;
use super::ctx::{self, PageCtx};
use super::errors::AppError;
use super::{AppState, redirect, render, render_with, run};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ticket::{self, TicketCategory, TicketStatus};
use crate::services::ServiceError;
use crate::services::tickets::{self, Attachment, Opening, TicketRow, TicketView};
use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as FilePart;
use actix_multipart::form::text::Text;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/tickets", web::get().to(list))
        .route("/app/tickets", web::post().to(create))
        .route("/app/tickets/new", web::get().to(new_form))
        .route("/app/tickets/{id}", web::get().to(detail))
        .route("/app/tickets/{id}/reply", web::post().to(reply))
        .route("/app/tickets/{id}/resolve", web::post().to(resolve))
        .route("/app/tickets/{id}/reopen", web::post().to(reopen))
        .route("/app/orders/{no}/dispute", web::post().to(dispute));
}

/// A text field of a multipart form, as typed.
pub(crate) fn text(field: Option<Text<String>>) -> String {
    field.map(Text::into_inner).unwrap_or_default()
}

/// The file of a multipart form, when one was chosen.
pub(crate) fn chosen(file: Option<FilePart>) -> Option<(Vec<u8>, String)> {
    file.filter(|f| !f.data.is_empty())
        .map(|f| (f.data.to_vec(), f.file_name.unwrap_or_default()))
}

/// The multipart body of a reply (both sides).
#[derive(MultipartForm)]
pub struct ReplyUpload {
    pub body: Option<Text<String>>,
    pub attachment: Option<FilePart>,
}

/// Posts a reply as `actor`; `Err` with the typed text means the page must
/// be shown again with the errors.
pub(crate) async fn post_reply(
    state: &AppState,
    actor: crate::services::Actor,
    id: i64,
    upload: ReplyUpload,
) -> Result<Result<(), (String, FieldErrors)>, AppError> {
    let typed = text(upload.body);
    let body = match ticket::body(&typed) {
        Ok(body) => body,
        Err(key) => return Ok(Err((typed, FieldErrors::single("body", key)))),
    };
    let file = chosen(upload.attachment);
    let storage = state.storage.clone();
    let quota = state.settings.upload_quota();
    let result = run(state, move |conn| {
        let attachment = file
            .as_ref()
            .map(|(bytes, name)| Attachment { bytes, name });
        tickets::reply(conn, storage.as_ref(), quota, &actor, id, &body, attachment)
    })
    .await;
    match result {
        Ok(_) => Ok(Ok(())),
        Err(AppError::Service(ServiceError::Invalid(errors))) => Ok(Err((typed, errors))),
        Err(error) => Err(error),
    }
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    status: String,
}

#[derive(Template)]
#[template(path = "app/tickets.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<TicketRow>,
    status: String,
    statuses: &'static [TicketStatus],
}

/// Handles GET /app/tickets: newest activity first, by status.
async fn list(
    ctx: PageCtx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let status = TicketStatus::parse(query.status.trim()).ok();
    let actor = member.0.actor();
    let rows = run(&state, move |conn| {
        tickets::for_company(conn, &actor, status)
    })
    .await?;
    render(&ListPage {
        ctx,
        rows,
        status: status.map_or("", TicketStatus::as_str).to_owned(),
        statuses: TicketStatus::ALL,
    })
}

/// The opening form as typed.
#[derive(Default)]
struct OpenForm {
    category: String,
    subject: String,
    body: String,
    order: String,
}

#[derive(Template)]
#[template(path = "app/ticket_new.html")]
struct NewPage {
    ctx: PageCtx,
    form: OpenForm,
    errors: FieldErrors,
    categories: &'static [TicketCategory],
}

#[derive(Deserialize, Default)]
struct NewQuery {
    #[serde(default)]
    order: String,
}

/// Handles GET /app/tickets/new (`?order=NO` for a ticket on an order).
async fn new_form(
    ctx: PageCtx,
    _member: Member,
    query: web::Query<NewQuery>,
) -> Result<HttpResponse, AppError> {
    render(&NewPage {
        ctx,
        form: OpenForm {
            order: query.into_inner().order.trim().to_uppercase(),
            ..OpenForm::default()
        },
        errors: FieldErrors::new(),
        categories: TicketCategory::ALL,
    })
}

#[derive(MultipartForm)]
pub struct OpenUpload {
    category: Option<Text<String>>,
    subject: Option<Text<String>>,
    body: Option<Text<String>>,
    order: Option<Text<String>>,
    attachment: Option<FilePart>,
}

/// Handles POST /app/tickets: opens a ticket with its first message.
async fn create(
    ctx: PageCtx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    upload: MultipartForm<OpenUpload>,
) -> Result<HttpResponse, AppError> {
    let upload = upload.into_inner();
    let form = OpenForm {
        category: text(upload.category),
        subject: text(upload.subject),
        body: text(upload.body),
        order: text(upload.order).trim().to_uppercase(),
    };
    let mut errors = FieldErrors::new();
    let category = TicketCategory::parse(form.category.trim())
        .map_err(|_| errors.add("category", "error.ticket.category"))
        .ok();
    let subject = errors.check("subject", ticket::subject(&form.subject), |e| *e);
    let body = errors.check("body", ticket::body(&form.body), |e| *e);
    let result = match (category, subject, body) {
        (Some(category), Some(subject), Some(body)) if errors.is_empty() => {
            let opening = Opening {
                category,
                subject,
                body,
                order_no: Some(form.order.clone()).filter(|o| !o.is_empty()),
            };
            let file = chosen(upload.attachment);
            let storage = state.storage.clone();
            let quota = state.settings.upload_quota();
            let actor = member.0.actor();
            run(&state, move |conn| {
                let attachment = file
                    .as_ref()
                    .map(|(bytes, name)| Attachment { bytes, name });
                tickets::open(conn, storage.as_ref(), quota, &actor, &opening, attachment)
            })
            .await
        }
        _ => Err(ServiceError::Invalid(errors).into()),
    };
    match result {
        Ok(id) => {
            ctx::flash(&session, "success", "flash.ticket.opened");
            Ok(redirect(&format!("/app/tickets/{id}")))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => render_with(
            &NewPage {
                ctx,
                form,
                errors,
                categories: TicketCategory::ALL,
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(error) => Err(error),
    }
}

#[derive(Template)]
#[template(path = "app/ticket.html")]
struct DetailPage {
    ctx: PageCtx,
    view: TicketView,
    reply: String,
    errors: FieldErrors,
}

impl DetailPage {
    fn reply_action(&self) -> String {
        format!("/app/tickets/{}/reply", self.view.row.ticket.id)
    }
}

async fn detail_page(
    ctx: PageCtx,
    member: &Member,
    state: &AppState,
    id: i64,
) -> Result<DetailPage, AppError> {
    let actor = member.0.actor();
    let view = run(state, move |conn| tickets::view(conn, &actor, id)).await?;
    Ok(DetailPage {
        ctx,
        view,
        reply: String::new(),
        errors: FieldErrors::new(),
    })
}

/// Handles GET /app/tickets/{id}: the thread; another company's is 404.
async fn detail(
    ctx: PageCtx,
    member: Member,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    render(&detail_page(ctx, &member, &state, id.into_inner()).await?)
}

/// Handles POST /app/tickets/{id}/reply: puts the ticket back into the queue.
async fn reply(
    ctx: PageCtx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    upload: MultipartForm<ReplyUpload>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    match post_reply(&state, member.0.actor(), id, upload.into_inner()).await? {
        Ok(()) => {
            ctx::flash(&session, "success", "flash.ticket.replied");
            Ok(redirect(&format!("/app/tickets/{id}")))
        }
        Err((typed, errors)) => {
            let mut page = detail_page(ctx, &member, &state, id).await?;
            page.reply = typed;
            page.errors = errors;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// Handles POST /app/tickets/{id}/resolve: the member's question is settled.
async fn resolve(
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let actor = member.0.actor();
    run(&state, move |conn| tickets::resolve(conn, &actor, id, "")).await?;
    ctx::flash(&session, "success", "flash.ticket.resolved");
    Ok(redirect(&format!("/app/tickets/{id}")))
}

/// Handles POST /app/tickets/{id}/reopen: within 14 days of the resolution.
async fn reopen(
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let actor = member.0.actor();
    run(&state, move |conn| tickets::reopen(conn, &actor, id)).await?;
    ctx::flash(&session, "success", "flash.ticket.reopened");
    Ok(redirect(&format!("/app/tickets/{id}")))
}

/// Handles POST /app/orders/{no}/dispute: opens (or finds) the billing
/// ticket of the order's re-weigh and shows it.
async fn dispute(
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    no: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let no = no.into_inner();
    let actor = member.0.actor();
    let id = run(&state, move |conn| tickets::dispute(conn, &actor, &no)).await?;
    ctx::flash(&session, "success", "flash.ticket.disputed");
    Ok(redirect(&format!("/app/tickets/{id}")))
}
