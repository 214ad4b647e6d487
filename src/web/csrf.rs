//! CSRF protection for every state-changing request: the body must carry the
//! session's `csrf_token` field (URL-encoded or multipart forms alike). The
//! middleware reads the body once, checks the token and hands the body on,
//! so no handler can forget the check.

use super::ctx::expected_csrf;
use super::errors::AppError;
use actix_session::SessionExt;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{CONTENT_TYPE, HeaderMap};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{Error, HttpMessage, ResponseError};
use futures_util::StreamExt;

/// Largest body accepted: three 5 MB documents and the form around them.
pub const MAX_BODY_BYTES: usize = 20 * 1024 * 1024;

/// The form field that carries the token.
pub const FIELD: &str = "csrf_token";

pub async fn check(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || req.path().starts_with("/api/") {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    }
    let expected = expected_csrf(&req.get_session());
    let body = match read_body(req.take_payload()).await {
        Ok(body) => body,
        Err(error) => {
            return Ok(req
                .into_response(error.error_response())
                .map_into_right_body());
        }
    };
    let submitted = token_in(req.headers(), &body).await;
    let valid = matches!((&expected, &submitted), (Some(e), Some(s)) if constant_time_eq(e.as_bytes(), s.as_bytes()));
    if !valid {
        tracing::warn!(path = req.path(), "CSRF check failed");
        return Ok(req
            .into_response(AppError::Csrf.error_response())
            .map_into_right_body());
    }
    req.set_payload(Payload::from(body));
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

async fn read_body(mut payload: Payload) -> Result<Bytes, AppError> {
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| AppError::BadRequest("error.page.bad_body"))?;
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(AppError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

async fn token_in(headers: &HeaderMap, body: &Bytes) -> Option<String> {
    let content_type = headers.get(CONTENT_TYPE)?.to_str().ok()?;
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
        return pairs.into_iter().find(|(k, _)| k == FIELD).map(|(_, v)| v);
    }
    if content_type.starts_with("multipart/form-data") {
        return multipart_token(headers, body.clone()).await;
    }
    None
}

async fn multipart_token(headers: &HeaderMap, body: Bytes) -> Option<String> {
    let stream =
        futures_util::stream::once(
            async move { Ok::<Bytes, actix_web::error::PayloadError>(body) },
        );
    let mut multipart = actix_multipart::Multipart::new(headers, stream);
    while let Some(Ok(mut field)) = multipart.next().await {
        let is_token = field.name() == Some(FIELD);
        let mut value = Vec::new();
        while let Some(Ok(chunk)) = field.next().await {
            if is_token {
                value.extend_from_slice(&chunk);
            }
        }
        if is_token {
            return String::from_utf8(value).ok();
        }
    }
    None
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
