//! `/app/webhooks`: the owner's outgoing webhook endpoints (issue #13): add
//! one (the signing secret is shown once, on the answer to the post),
//! disable or delete it with the confirmation ticked, send a test event,
//! and read each endpoint's delivery log.

use super::auth::Owner;
use super::ctx::{self, PageCtx};
use super::errors::AppError;
use super::{AppState, PageQuery, Pager, redirect, render, render_with, run};
use crate::domain::field_errors::FieldErrors;
use crate::services::webhooks::{
    self, DeliveryRow, EVENT_TYPES, EndpointForm, Manager, WebhookEndpoint,
};
use crate::services::{Actor, ServiceError};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/webhooks", web::get().to(list))
        .route("/app/webhooks", web::post().to(create))
        .route("/app/webhooks/{id}", web::get().to(log))
        .route("/app/webhooks/{id}/test", web::post().to(test))
        .route("/app/webhooks/{id}/disable", web::post().to(disable))
        .route("/app/webhooks/{id}/delete", web::post().to(delete));
}

#[derive(Template)]
#[template(path = "app/webhooks.html")]
struct ListPage {
    ctx: PageCtx,
    endpoints: Vec<WebhookEndpoint>,
    events: &'static [&'static str],
    form: EndpointForm,
    errors: FieldErrors,
    /// The secret of the endpoint just added: shown this once.
    secret: Option<String>,
}

impl ListPage {
    fn chosen(&self, event: &str) -> bool {
        self.form.events.iter().any(|e| e == event)
    }

    /// The message key of an event type (`webhooks.event.tracking_event`).
    fn event_key(&self, event: &str) -> String {
        format!("webhooks.event.{}", event.replace('.', "_"))
    }
}

async fn list_page(
    ctx: PageCtx,
    state: &AppState,
    actor: Actor,
    form: EndpointForm,
    errors: FieldErrors,
    secret: Option<String>,
) -> Result<ListPage, AppError> {
    let endpoints = run(state, move |conn| {
        webhooks::list(conn, Manager::Owner(&actor))
    })
    .await?;
    Ok(ListPage {
        ctx,
        endpoints,
        events: EVENT_TYPES,
        form,
        errors,
        secret,
    })
}

/// Handles GET /app/webhooks.
async fn list(
    ctx: PageCtx,
    owner: Owner,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let form = EndpointForm {
        url: String::new(),
        events: EVENT_TYPES.iter().map(|e| (*e).to_owned()).collect(),
    };
    render(&list_page(ctx, &state, owner.0.actor(), form, FieldErrors::new(), None).await?)
}

/// Handles POST /app/webhooks: answers with the page showing the signing
/// secret once (no redirect, so it is never in a URL or the history).
async fn create(
    ctx: PageCtx,
    owner: Owner,
    state: web::Data<AppState>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let mut form = EndpointForm::default();
    for (key, value) in body.into_inner() {
        match key.as_str() {
            "url" => form.url = value,
            "events" => form.events.push(value),
            _ => {}
        }
    }
    let actor = owner.0.actor();
    let typed = form.clone();
    let made = run(&state, move |conn| {
        webhooks::create(conn, Manager::Owner(&actor), &typed)
    })
    .await;
    match made {
        Ok((_, secret)) => {
            let blank = EndpointForm {
                url: String::new(),
                events: EVENT_TYPES.iter().map(|e| (*e).to_owned()).collect(),
            };
            let page = list_page(
                ctx,
                &state,
                owner.0.actor(),
                blank,
                FieldErrors::new(),
                Some(secret),
            )
            .await?;
            render(&page)
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            let page = list_page(ctx, &state, owner.0.actor(), form, errors, None).await?;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(error) => Err(error),
    }
}

#[derive(Template)]
#[template(path = "app/webhook.html")]
struct LogPage {
    ctx: PageCtx,
    endpoint: WebhookEndpoint,
    rows: Vec<DeliveryRow>,
    pager: Pager,
}

impl LogPage {
    fn event_key(&self, event: &str) -> String {
        format!("webhooks.event.{}", event.replace('.', "_"))
    }
}

/// Handles GET /app/webhooks/{id}: the endpoint's deliveries, newest first.
async fn log(
    ctx: PageCtx,
    owner: Owner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let page = query.number();
    let actor = owner.0.actor();
    let (endpoint, found) = run(&state, move |conn| {
        webhooks::deliveries(conn, Manager::Owner(&actor), id, page)
    })
    .await?;
    render(&LogPage {
        ctx,
        pager: Pager::new(
            &format!("/app/webhooks/{}", endpoint.id),
            &[],
            found.page,
            found.has_next,
        ),
        endpoint,
        rows: found.items,
    })
}

/// Handles POST /app/webhooks/{id}/test: queues a test event.
async fn test(
    owner: Owner,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let actor = owner.0.actor();
    run(&state, move |conn| {
        webhooks::send_test(conn, Manager::Owner(&actor), id)
    })
    .await?;
    ctx::flash(&session, "success", "webhooks.flash.test_queued");
    Ok(redirect(&format!("/app/webhooks/{id}")))
}

#[derive(serde::Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    confirm: String,
}

/// Runs a confirmed change of one endpoint and goes back to the list with
/// `done` flashed; without the confirmation ticked nothing happens.
async fn confirmed<F>(
    owner: Owner,
    session: Session,
    state: &AppState,
    form: ConfirmForm,
    done: &'static str,
    change: F,
) -> Result<HttpResponse, AppError>
where
    F: FnOnce(&mut crate::db::DbConnection, Manager) -> crate::services::ServiceResult<()>
        + Send
        + 'static,
{
    if form.confirm != "yes" {
        ctx::flash(&session, "error", "webhooks.flash.confirm_first");
        return Ok(redirect("/app/webhooks"));
    }
    let actor = owner.0.actor();
    run(state, move |conn| change(conn, Manager::Owner(&actor))).await?;
    ctx::flash(&session, "success", done);
    Ok(redirect("/app/webhooks"))
}

/// Handles POST /app/webhooks/{id}/disable (with the confirmation ticked).
async fn disable(
    owner: Owner,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let done = "webhooks.flash.disabled";
    confirmed(
        owner,
        session,
        &state,
        form.into_inner(),
        done,
        move |conn, manager| webhooks::disable(conn, manager, id),
    )
    .await
}

/// Handles POST /app/webhooks/{id}/delete (with the confirmation ticked):
/// the endpoint and its log go.
async fn delete(
    owner: Owner,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let done = "webhooks.flash.deleted";
    confirmed(
        owner,
        session,
        &state,
        form.into_inner(),
        done,
        move |conn, manager| webhooks::delete(conn, manager, id),
    )
    .await
}
