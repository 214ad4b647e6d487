//! The `Idempotency-Key` header on every write call of the API (POST, PUT,
//! PATCH, DELETE), as a middleware so no handler can forget it.
//!
//! - Same key, same request (method, path, body) within 24 h: the first
//!   answer (status and body) again, with `Idempotent-Replayed: true`.
//! - Same key, another request: 422 `idempotency_key_reused`.
//! - Same key while the first request still runs (a duplicate racing it):
//!   the duplicate waits for the first answer, polling for up to
//!   [`WAIT`], then gets 409 `idempotency_in_progress`.
//! - Answers 5xx and 429 are not kept: the key is freed for a retry.
//!
//! Without the header a call runs as it comes. Calls without a live token
//! pass through untouched (the handler refuses them).

use super::{ApiError, MAX_JSON_BYTES, run};
use crate::services::api_idempotency::{self, Reservation};
use crate::web::AppState;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{AUTHORIZATION, CONTENT_TYPE};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, BytesMut, Data};
use actix_web::{HttpMessage, HttpResponse, ResponseError};
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use std::time::Duration;

pub const HEADER: &str = "Idempotency-Key";
/// The longest key accepted.
pub const MAX_KEY: usize = 200;
/// How long a duplicate waits for the first request's answer.
const WAIT: Duration = Duration::from_secs(15);
const POLL: Duration = Duration::from_millis(100);

/// A key is 1–200 printable ASCII characters.
pub fn valid_key(key: &str) -> bool {
    (1..=MAX_KEY).contains(&key.len()) && key.bytes().all(|b| (0x20..=0x7e).contains(&b))
}

fn refuse(req: ServiceRequest, error: ApiError) -> ServiceResponse<BoxBody> {
    req.into_response(error.error_response())
}

/// The answer of an earlier request with the key.
fn replay(req: ServiceRequest, status: u16, body: String) -> ServiceResponse<BoxBody> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    req.into_response(
        HttpResponse::build(status)
            .insert_header((CONTENT_TYPE, "application/json"))
            .insert_header(("Idempotent-Replayed", "true"))
            .body(body),
    )
}

pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let writes = matches!(
        *req.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    let key = req
        .headers()
        .get(HEADER)
        .map(|value| value.to_str().map(str::to_owned));
    let (true, Some(key)) = (writes, key) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let Some(key) = key.ok().filter(|key| valid_key(key)) else {
        return Ok(refuse(
            req,
            ApiError::BadRequest(
                "invalid_idempotency_key",
                format!("{HEADER} must be 1 to {MAX_KEY} printable ASCII characters"),
            ),
        ));
    };
    let secret = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(|secret| secret.trim().to_owned())
        .filter(|secret| !secret.is_empty() && secret.len() <= 200);
    let (Some(secret), Some(state)) = (secret, req.app_data::<Data<AppState>>().cloned()) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let token = match run(&state, move |conn| {
        Ok(api_idempotency::token_id(conn, &secret)?)
    })
    .await
    {
        Ok(Some(token)) => token,
        Ok(None) => return Ok(next.call(req).await?.map_into_boxed_body()),
        Err(error) => return Ok(refuse(req, error)),
    };

    let mut body = BytesMut::new();
    let mut payload = req.take_payload();
    while let Some(chunk) = payload.next().await {
        let Ok(chunk) = chunk else {
            return Ok(refuse(
                req,
                ApiError::BadRequest("invalid_body", "the body could not be read".to_owned()),
            ));
        };
        if body.len() + chunk.len() > MAX_JSON_BYTES {
            return Ok(refuse(
                req,
                ApiError::Refused(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    format!("the body is over {MAX_JSON_BYTES} bytes"),
                ),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    let body = body.freeze();
    let digest = {
        let mut hash = Sha256::new();
        hash.update(req.method().as_str().as_bytes());
        hash.update(b" ");
        hash.update(req.uri().to_string().as_bytes());
        hash.update(b"\n");
        hash.update(&body);
        hex::encode(hash.finalize())
    };

    let started = std::time::Instant::now();
    let mut first = true;
    let reserved = loop {
        let (key, digest) = (key.clone(), digest.clone());
        let reservation = run(&state, move |conn| {
            // Waiting duplicates only read, so they do not queue for the
            // write lock the first request needs; they reserve again only
            // once the key was freed.
            if !first && let Some(held) = api_idempotency::peek(conn, token, &key, &digest)? {
                return Ok(held);
            }
            Ok(api_idempotency::reserve(conn, token, &key, &digest)?)
        })
        .await;
        first = false;
        match reservation {
            Ok(Reservation::Reserved(id)) => break id,
            Ok(Reservation::Replay { status, body }) => return Ok(replay(req, status, body)),
            Ok(Reservation::Mismatch) => {
                return Ok(refuse(
                    req,
                    ApiError::Refused(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "idempotency_key_reused",
                        format!("this {HEADER} was used for a different request"),
                    ),
                ));
            }
            Ok(Reservation::InProgress) if started.elapsed() < WAIT => {
                actix_web::rt::time::sleep(POLL).await;
            }
            Ok(Reservation::InProgress) => {
                return Ok(refuse(
                    req,
                    ApiError::Refused(
                        StatusCode::CONFLICT,
                        "idempotency_in_progress",
                        format!("a request with this {HEADER} is still running; retry later"),
                    ),
                ));
            }
            Err(error) => return Ok(refuse(req, error)),
        }
    };

    req.set_payload(Payload::from(body));
    let answer = match next.call(req).await {
        Ok(answer) => answer,
        Err(error) => {
            free(&state, reserved).await;
            return Err(error);
        }
    };
    let status = answer.status();
    if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
        free(&state, reserved).await;
        return Ok(answer.map_into_boxed_body());
    }
    let (req, response) = answer.into_parts();
    let (head, body) = response.into_parts();
    let bytes: Bytes = match actix_web::body::to_bytes(body).await {
        Ok(bytes) => bytes,
        Err(_) => {
            free(&state, reserved).await;
            return Ok(ServiceResponse::new(
                req,
                ApiError::Internal.error_response(),
            ));
        }
    };
    let stored = String::from_utf8_lossy(&bytes).into_owned();
    if let Err(error) = run(&state, move |conn| {
        Ok(api_idempotency::finish(
            conn,
            reserved,
            status.as_u16(),
            &stored,
        )?)
    })
    .await
    {
        // The call itself went through; its answer is still the caller's.
        tracing::error!(?error, "storing an idempotent answer failed");
    }
    Ok(ServiceResponse::new(
        req,
        head.set_body(BoxBody::new(bytes)),
    ))
}

async fn free(state: &AppState, id: i64) {
    if let Err(error) = run(state, move |conn| Ok(api_idempotency::release(conn, id)?)).await {
        tracing::error!(?error, "freeing an idempotency key failed");
    }
}
