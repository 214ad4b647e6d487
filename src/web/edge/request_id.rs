//! Gives every request its id (`domain::request_id`) before anything logs,
//! and answers it in `X-Request-Id`; the request span (`Spans`) carries it,
//! so every log line of the request shows it.

use crate::domain::request_id;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the request, in its extensions.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// The id of `request`: the one [`stamp`] gave it, or a new one when the
/// middleware is not in front (a unit test's bare service).
pub fn of(request: &ServiceRequest) -> String {
    match request.extensions().get::<RequestId>() {
        Some(id) => id.0.clone(),
        None => new_id(),
    }
}

/// 16 random bytes in hex.
fn new_id() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// The outermost middleware: keeps an acceptable incoming id or makes one,
/// and puts it on the answer, error pages included.
/// (Never clone the request before `next`: routing needs it unshared.)
pub async fn stamp(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = req
        .headers()
        .get(&HEADER)
        .and_then(|value| request_id::accept(value.as_bytes()))
        .map(str::to_owned)
        .unwrap_or_else(new_id);
    req.extensions_mut().insert(RequestId(id.clone()));
    // Handlers' errors arrive here as responses; an `Err` (a middleware's
    // own failure) has no request left to answer with, so it goes on as it is.
    let mut response = next.call(req).await?;
    // Accepted ids are visible ASCII and generated ones hex: always a valid value.
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, value);
    }
    Ok(response)
}
