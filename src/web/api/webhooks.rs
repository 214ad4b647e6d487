//! Webhook endpoints managed by the ERP itself (scope `webhooks`): list,
//! add (the signing secret is in the answer once), delete, send a test
//! event. Also the OpenAPI list of this group: webhooks, tracking, tickets.

use super::{ApiError, Caller, audit, run};
use crate::db::DbConnection;
use crate::domain::api_scope::ApiScope;
use crate::services::ServiceResult;
use crate::services::webhooks::{self, EndpointForm, Manager, WebhookEndpoint};
use crate::web::AppState;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/webhooks", web::get().to(list))
        .route("/webhooks", web::post().to(create))
        .route("/webhooks/{id}", web::delete().to(delete))
        .route("/webhooks/{id}/test", web::post().to(test));
}

/// The paths of webhooks, tracking and tickets, merged into the document
/// by `openapi::document`.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        list,
        create,
        delete,
        test,
        super::tracking::events,
        super::tickets::list,
        super::tickets::open,
        super::tickets::show,
        super::tickets::message,
    ),
    components(schemas(
        WebhookOut,
        CreateRequest,
        TestOut,
        super::tracking::TrackingOut,
        super::tracking::TrackingEventOut,
        super::tickets::TicketOut,
        super::tickets::TicketMessageOut,
        super::tickets::TicketDetailOut,
        super::tickets::TicketPageOut,
        super::tickets::OpenRequest,
        super::tickets::MessageRequest,
    ))
)]
pub struct HooksApi;

/// An endpoint as listed.
#[derive(Serialize, utoipa::ToSchema)]
pub struct WebhookOut {
    pub id: i64,
    pub url: String,
    /// Subscribed events: `order.status_changed`, `tracking.event`, `ticket.updated`.
    pub events: Vec<String>,
    pub active: bool,
    pub created_at: String,
    pub disabled_at: Option<String>,
    /// The signing secret: only in the answer that created the endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

fn time(at: chrono::NaiveDateTime) -> String {
    at.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn out(endpoint: &WebhookEndpoint, secret: Option<String>) -> WebhookOut {
    WebhookOut {
        id: endpoint.id,
        url: endpoint.url.clone(),
        events: endpoint
            .event_list()
            .into_iter()
            .map(str::to_owned)
            .collect(),
        active: endpoint.active,
        created_at: time(endpoint.created_at),
        disabled_at: endpoint.disabled_at.map(time),
        secret,
    }
}

/// Checks the `webhooks` scope, writes the call to the audit log and runs
/// `work` with the token as the endpoints' manager.
async fn managed<T, F>(
    state: &AppState,
    caller: &Caller,
    action: &'static str,
    target: String,
    work: F,
) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, Manager) -> ServiceResult<T> + Send + 'static,
    T: Send + 'static,
{
    caller.with(ApiScope::Webhooks)?;
    audit(state, caller, action, target).await?;
    let (client, ip) = (caller.client.clone(), caller.ip.clone());
    run(state, move |conn| {
        work(
            conn,
            Manager::Token {
                client: &client,
                ip: &ip,
            },
        )
    })
    .await
}

/// Handles GET /api/v1/webhooks (scope `webhooks`).
#[utoipa::path(
    get,
    path = "/api/v1/webhooks",
    tag = "webhooks",
    responses(
        (status = 200, description = "The company's endpoints, newest first (no secrets)", body = Vec<WebhookOut>),
        (status = 401, description = "No valid token", body = super::ErrorBody),
        (status = 403, description = "The token lacks the `webhooks` scope", body = super::ErrorBody),
        (status = 429, description = "Rate limited; see `Retry-After`", body = super::ErrorBody),
    ),
    security(("bearer" = ["webhooks"])),
)]
pub async fn list(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let endpoints = managed(
        &state,
        &caller,
        "api.webhooks.list",
        String::new(),
        webhooks::list,
    )
    .await?;
    let answer: Vec<WebhookOut> = endpoints.iter().map(|e| out(e, None)).collect();
    Ok(HttpResponse::Ok().json(answer))
}

/// A new endpoint.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct CreateRequest {
    /// `https://…`; plain `http://` only to 127.0.0.1, localhost or [::1].
    url: String,
    /// At least one of `order.status_changed`, `tracking.event`, `ticket.updated`.
    events: Vec<String>,
}

/// Handles POST /api/v1/webhooks (scope `webhooks`): the answer carries the
/// signing secret, which is never shown again.
#[utoipa::path(
    post,
    path = "/api/v1/webhooks",
    tag = "webhooks",
    request_body = CreateRequest,
    responses(
        (status = 201, description = "The endpoint with its signing secret", body = WebhookOut),
        (status = 401, description = "No valid token", body = super::ErrorBody),
        (status = 403, description = "The token lacks the `webhooks` scope", body = super::ErrorBody),
        (status = 422, description = "The URL is not HTTPS (loopback excepted), or names no known event", body = super::ErrorBody),
        (status = 429, description = "Rate limited; see `Retry-After`", body = super::ErrorBody),
    ),
    security(("bearer" = ["webhooks"])),
)]
pub async fn create(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<CreateRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner();
    let form = EndpointForm {
        url: request.url,
        events: request.events,
    };
    let (endpoint, secret) = managed(
        &state,
        &caller,
        "api.webhooks.create",
        String::new(),
        move |conn, manager| webhooks::create(conn, manager, &form),
    )
    .await?;
    Ok(HttpResponse::Created().json(out(&endpoint, Some(secret))))
}

/// Handles DELETE /api/v1/webhooks/{id} (scope `webhooks`): the endpoint
/// and its delivery log go; another company's is 404.
#[utoipa::path(
    delete,
    path = "/api/v1/webhooks/{id}",
    tag = "webhooks",
    params(("id" = i64, Path, description = "The endpoint's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid token", body = super::ErrorBody),
        (status = 403, description = "The token lacks the `webhooks` scope", body = super::ErrorBody),
        (status = 404, description = "No such endpoint in the token's company", body = super::ErrorBody),
        (status = 429, description = "Rate limited; see `Retry-After`", body = super::ErrorBody),
    ),
    security(("bearer" = ["webhooks"])),
)]
pub async fn delete(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    managed(
        &state,
        &caller,
        "api.webhooks.delete",
        id.to_string(),
        move |conn, manager| webhooks::delete(conn, manager, id),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The queued test event.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TestOut {
    /// The delivery's id (`X-Samplepost-Delivery`).
    pub delivery_id: i64,
}

/// Handles POST /api/v1/webhooks/{id}/test (scope `webhooks`): queues a
/// `webhook.test` event for the endpoint.
#[utoipa::path(
    post,
    path = "/api/v1/webhooks/{id}/test",
    tag = "webhooks",
    params(("id" = i64, Path, description = "The endpoint's id")),
    responses(
        (status = 202, description = "Queued; the worker sends it within seconds", body = TestOut),
        (status = 400, description = "The endpoint is disabled (`conflict`)", body = super::ErrorBody),
        (status = 401, description = "No valid token", body = super::ErrorBody),
        (status = 403, description = "The token lacks the `webhooks` scope", body = super::ErrorBody),
        (status = 404, description = "No such endpoint in the token's company", body = super::ErrorBody),
        (status = 429, description = "Rate limited; see `Retry-After`", body = super::ErrorBody),
    ),
    security(("bearer" = ["webhooks"])),
)]
pub async fn test(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let delivery_id = managed(
        &state,
        &caller,
        "api.webhooks.test",
        id.to_string(),
        move |conn, manager| webhooks::send_test(conn, manager, id),
    )
    .await?;
    Ok(HttpResponse::Accepted().json(TestOut { delivery_id }))
}
