//! `GET /metrics` for Prometheus (issue #14) and the middleware that counts
//! requests into `crate::metrics::Metrics`.
//!
//! The endpoint answers only a request with `Authorization: Bearer
//! <METRICS_TOKEN>`; without the setting, or with any other header, it is a
//! 404 like any unknown page, so a visitor cannot tell it exists.

use super::errors::AppError;
use super::{AppState, run};
use crate::metrics::{Metrics, UNMATCHED};
use crate::services::backlog;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::middleware::Next;
use actix_web::{Error, HttpRequest, HttpResponse, web};
use std::time::Instant;

/// What Prometheus 2 and 3 read: the text format, version 0.0.4.
const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/metrics", web::get().to(metrics));
}

/// Handles GET /metrics: the pool and the database's counts read now, then
/// every metric in the text format.
async fn metrics(
    req: HttpRequest,
    state: web::Data<AppState>,
    metrics: web::Data<Metrics>,
) -> Result<HttpResponse, AppError> {
    let expected = state.settings.metrics_token.as_ref();
    let allowed = expected.is_some_and(|token| bearer_matches(&req, token.expose()));
    if !allowed {
        return Err(AppError::NotFound);
    }
    let pool = state.pool.state();
    metrics.set_pool(pool.connections, pool.idle_connections);
    metrics.set_backlog(&run(&state, backlog::read).await?);
    let text = metrics
        .encode()
        .map_err(|e| AppError::Internal(format!("metrics: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type(CONTENT_TYPE)
        .insert_header(CacheControl(vec![CacheDirective::NoStore]))
        .body(text))
}

/// Whether the request carries `Authorization: Bearer <token>`, compared in
/// constant time.
fn bearer_matches(req: &HttpRequest, token: &str) -> bool {
    let sent = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or("");
    super::csrf::constant_time_eq(sent.as_bytes(), token.as_bytes())
}

/// Counts every request by the pattern of the route it matched (never the
/// raw path: `/app/orders/{no}` is one series whatever the order).
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    // Read before `next`: the request may not be cloned while it is routed,
    // and the pattern comes from the route map, not from the routing.
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let route = req.match_pattern();
    let method = req.method().clone();
    let outcome = next.call(req).await;
    let status = match &outcome {
        Ok(response) => response.status(),
        Err(error) => error.as_response_error().status_code(),
    };
    if let Some(metrics) = metrics {
        metrics.record_request(
            route.as_deref().unwrap_or(UNMATCHED),
            method.as_str(),
            status.as_u16(),
            started.elapsed(),
        );
    }
    outcome
}
