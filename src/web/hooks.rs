//! `POST /hooks/carrier/{carrier}`: carriers push tracking events, signed
//! with their secret (README "Tracking"). Machine to machine: no session, no
//! CSRF token (the edge lets `/hooks/` through; the signature is the check),
//! and every answer is JSON.

use super::AppState;
use crate::services::ServiceError;
use crate::services::tracking::{self, HookError};
use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/hooks/carrier/{carrier}", web::post().to(receive));
}

pub const TIMESTAMP_HEADER: &str = "X-Samplepost-Timestamp";
pub const SIGNATURE_HEADER: &str = "X-Samplepost-Signature";

fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
}

/// Handles POST /hooks/carrier/{carrier}: checks the signature, then stores
/// the events (one object, or a list under `"events"`) all or nothing.
async fn receive(
    req: HttpRequest,
    state: web::Data<AppState>,
    carrier: web::Path<String>,
    body: Bytes,
) -> HttpResponse {
    let carrier = carrier.into_inner();
    let timestamp = header(&req, TIMESTAMP_HEADER).map(str::to_owned);
    let signature = header(&req, SIGNATURE_HEADER).map(str::to_owned);
    let pool = state.pool.clone();
    let result = web::block(move || {
        let mut conn = pool.get().map_err(ServiceError::from)?;
        let code = tracking::verify_signature(
            &mut conn,
            &carrier,
            timestamp.as_deref(),
            signature.as_deref(),
            &body,
            crate::services::now(),
        )?;
        tracking::receive_hook(&mut conn, &code, &body)
    })
    .await;
    match result {
        Ok(Ok(answer)) => {
            let entries: Vec<_> = answer
                .stored
                .iter()
                .map(|stored| json!({"stored": stored, "duplicate": !stored}))
                .collect();
            let body = match (answer.list, entries.first()) {
                (false, Some(entry)) => entry.clone(),
                _ => json!({ "events": entries }),
            };
            HttpResponse::Ok().json(body)
        }
        Ok(Err(error)) => refused(error),
        Err(error) => {
            tracing::error!(%error, "webhook worker failed");
            answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "try again later",
            )
        }
    }
}

fn refused(error: HookError) -> HttpResponse {
    match error {
        HookError::Unauthorized { code, message } => {
            answer(StatusCode::UNAUTHORIZED, code, message)
        }
        HookError::UnknownCarrier => {
            answer(StatusCode::NOT_FOUND, "unknown_carrier", "no such carrier")
        }
        HookError::Invalid { code, message } => {
            answer(StatusCode::UNPROCESSABLE_ENTITY, code, &message)
        }
        HookError::Service(ServiceError::Conflict(key)) => {
            answer(StatusCode::CONFLICT, "conflict", key)
        }
        HookError::Service(error) => {
            tracing::error!(%error, "webhook failed");
            answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "try again later",
            )
        }
    }
}

/// `{"error": {"code": …, "message": …}}` with `status`.
fn answer(status: StatusCode, code: &str, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({"error": {"code": code, "message": message}}))
}
