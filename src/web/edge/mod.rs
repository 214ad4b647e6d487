//! The edge: what every request must pass before any handler sees it.
//!
//! One middleware ([`guard`]) refuses, with the app's bilingual page:
//! - control characters in the path, the query string and every text field
//!   of a URL-encoded or multipart body (400, naming the field): PostgreSQL
//!   cannot store NUL, and no field of the site needs any of them;
//! - a body larger than the request's limit, by its `Content-Length` before
//!   reading it, else while reading (413); a visitor without a signed-in
//!   session gets [`FORM_BYTES`], only signed-in users may upload;
//! - a body that stalls (408, `Settings::body_timeouts`);
//! - a state-changing request that is not a form (415) or whose form cannot
//!   be read (400), before the CSRF check would blame it on CSRF.
//!
//! It then checks the CSRF token (`web::csrf`) and hands the body on.

mod framework;
mod logging;
mod redirect;
pub mod request_id;
mod scan;

pub use framework::extractor_configs;
pub use logging::Spans;
pub use redirect::local_path;

use super::csrf;
use super::ctx::{has_signed_in_user, state};
use super::errors::AppError;
use crate::config::BodyTimeouts;
use actix_session::SessionExt;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderMap};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{Error, HttpMessage};
use futures_util::StreamExt;

/// The largest URL-encoded form, and any body of a visitor who is not signed
/// in. The largest form of the site, a 20-item order with every field at its
/// maximum length in Chinese (9 bytes a character once encoded), is about
/// 190 KB (a unit test computes it; with Latin text it is a fifth of that);
/// what visitors send (sign-in, registration, the recipient's address) is
/// far smaller.
pub const FORM_BYTES: usize = 256 * 1024;

/// Why the edge refused a request; shown with [`AppError::Edge`].
#[derive(Debug, thiserror::Error)]
pub enum EdgeError {
    #[error("control characters in the path")]
    ControlInPath,
    #[error("control characters in field {0:?}")]
    ControlInField(String),
    #[error("the body cannot be read as its content type says")]
    Malformed,
    #[error("the query string cannot be read")]
    BadQuery,
    #[error("body larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("the body did not arrive in time")]
    Timeout,
    #[error("a state-changing request that is not a form")]
    NotAForm,
}

impl EdgeError {
    pub fn status(&self) -> StatusCode {
        match self {
            EdgeError::ControlInPath
            | EdgeError::ControlInField(_)
            | EdgeError::Malformed
            | EdgeError::BadQuery => StatusCode::BAD_REQUEST,
            EdgeError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            EdgeError::Timeout => StatusCode::REQUEST_TIMEOUT,
            EdgeError::NotAForm => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        }
    }

    pub fn message_key(&self) -> &'static str {
        match self {
            EdgeError::ControlInPath => "edge.control_in_path",
            EdgeError::ControlInField(_) => "edge.control_in_field",
            EdgeError::Malformed => "error.page.bad_body",
            EdgeError::BadQuery => "edge.bad_query",
            EdgeError::TooLarge { .. } => "edge.too_large",
            EdgeError::Timeout => "edge.timeout",
            EdgeError::NotAForm => "edge.not_a_form",
        }
    }

    /// The catalogue text with the field or the limit put in.
    pub fn fill(&self, text: &str) -> String {
        match self {
            EdgeError::ControlInField(field) => text.replace("{field}", field),
            EdgeError::TooLarge { limit } => text.replace("{limit}", &size_in_words(*limit)),
            _ => text.to_owned(),
        }
    }
}

/// `262144` → `256 KB`, `20971520` → `20 MB`.
fn size_in_words(bytes: usize) -> String {
    const MB: usize = 1024 * 1024;
    if bytes >= MB {
        format!("{} MB", bytes / MB)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// The middleware; see the module's documentation.
pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    match admit(&mut req).await {
        Ok(()) => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body),
        Err(error) => Ok(req.error_response(error).map_into_right_body()),
    }
}

async fn admit(req: &mut ServiceRequest) -> Result<(), AppError> {
    scan::path(req.path())?;
    scan::query(req.query_string())?;
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let kind = form_kind(req.headers());
    let signed_in = has_signed_in_user(&req.get_session());
    let limit = match kind {
        Some(FormKind::Multipart) if signed_in => csrf::MAX_BODY_BYTES,
        _ => FORM_BYTES,
    };
    if declared_length(req.headers()).is_some_and(|length| length > limit as u64) {
        return Err(EdgeError::TooLarge { limit }.into());
    }
    // The ERP API (DESIGN §8, to come) signs in by token, not by session, and
    // sends JSON: no CSRF, and its extractors read within `JsonConfig`'s limit.
    // Carrier webhooks (`web::hooks`) are signed instead: the signature is their check.
    if req.path().starts_with("/api/") || req.path().starts_with("/hooks/") {
        return Ok(());
    }
    let kind = kind.ok_or(EdgeError::NotAForm)?;
    let timeouts = state(req.request())?.settings.body_timeouts;
    let body = read_body(req.take_payload(), limit, timeouts).await?;
    let token = match kind {
        FormKind::UrlEncoded => scan::urlencoded(&body)?,
        FormKind::Multipart => scan::multipart(req.headers(), body.clone()).await?,
    };
    csrf::verify(&req.get_session(), token.as_deref(), req.path())?;
    req.set_payload(Payload::from(body));
    Ok(())
}

#[derive(Clone, Copy)]
enum FormKind {
    UrlEncoded,
    Multipart,
}

fn form_kind(headers: &HeaderMap) -> Option<FormKind> {
    let content_type = headers.get(CONTENT_TYPE)?.to_str().ok()?;
    let essence = content_type.split(';').next()?.trim();
    if essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        Some(FormKind::UrlEncoded)
    } else if essence.eq_ignore_ascii_case("multipart/form-data") {
        Some(FormKind::Multipart)
    } else {
        None
    }
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Reads the whole body, refusing it once it passes `limit` and when a piece
/// keeps it waiting longer than `timeouts.idle` or the whole longer than
/// `timeouts.total`.
async fn read_body(
    mut payload: Payload,
    limit: usize,
    timeouts: BodyTimeouts,
) -> Result<Bytes, EdgeError> {
    let deadline = tokio::time::Instant::now() + timeouts.total;
    let mut body = BytesMut::new();
    loop {
        let wait = timeouts
            .idle
            .min(deadline.saturating_duration_since(tokio::time::Instant::now()));
        let chunk = match tokio::time::timeout(wait, payload.next()).await {
            Err(_) => return Err(EdgeError::Timeout),
            Ok(None) => return Ok(body.freeze()),
            Ok(Some(Err(_))) => return Err(EdgeError::Malformed),
            Ok(Some(Ok(chunk))) => chunk,
        };
        if body.len() + chunk.len() > limit {
            return Err(EdgeError::TooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The order form with every field at its maximum, in the characters
    /// that take the most room once URL-encoded.
    fn maximal_order_form() -> String {
        use crate::domain::customs::MAX_ITEMS;
        use crate::domain::order::{MAX_FIELD, MAX_REFERENCE};
        let widest = |n: usize| "深".repeat(n);
        let mut pairs: Vec<(String, String)> = [
            "name",
            "company",
            "line1",
            "line2",
            "city",
            "state",
            "postcode",
            "country",
            "phone",
            "email",
            "tax_id",
            "sender",
            "purpose",
            "weight_kg",
            "length_cm",
            "width_cm",
            "height_cm",
            "battery",
            "route",
            "backup_route",
            "form_token",
            "address_q",
        ]
        .iter()
        .map(|name| (name.to_string(), widest(MAX_FIELD)))
        .collect();
        pairs.push(("reference".to_owned(), widest(MAX_REFERENCE)));
        pairs.push((csrf::FIELD.to_owned(), "x".repeat(64)));
        for row in 0..MAX_ITEMS {
            for field in [
                "description_en",
                "description_zh",
                "quantity",
                "unit_value_usd",
            ] {
                pairs.push((format!("item{row}_{field}"), widest(MAX_FIELD)));
            }
            pairs.push((format!("item{row}_hs_code"), widest(20)));
            pairs.push((format!("item{row}_origin"), widest(2)));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    #[test]
    fn the_largest_order_form_fits_the_form_limit() {
        let size = maximal_order_form().len();
        assert!(size > 100_000, "the form is really maximal: {size}");
        assert!(size < FORM_BYTES, "{size} bytes do not fit");
    }

    #[test]
    fn limits_read_as_people_write_them() {
        assert_eq!(size_in_words(FORM_BYTES), "256 KB");
        assert_eq!(size_in_words(csrf::MAX_BODY_BYTES), "20 MB");
    }

    #[test]
    fn the_field_is_named_in_the_message() {
        let error = EdgeError::ControlInField("email".to_owned());
        assert_eq!(error.fill("「{field}」"), "「email」");
        assert_eq!(error.status(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn only_the_two_form_types_are_forms() {
        let mut headers = HeaderMap::new();
        let mut kind_of = |value: &'static str| {
            headers.insert(CONTENT_TYPE, value.parse().expect("header value"));
            form_kind(&headers).map(|k| matches!(k, FormKind::Multipart))
        };
        assert_eq!(kind_of("application/x-www-form-urlencoded"), Some(false));
        assert_eq!(
            kind_of("Multipart/Form-Data; boundary=x"),
            Some(true),
            "case does not matter"
        );
        assert_eq!(kind_of("text/plain"), None);
        assert_eq!(kind_of("application/x-www-form-urlencodedX"), None);
    }
}
