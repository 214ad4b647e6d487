//! CSRF protection for every state-changing request: the body must carry the
//! session's `csrf_token` field (URL-encoded or multipart forms alike). The
//! edge middleware (`web::edge`) reads the body once, finds the submitted
//! token and calls [`verify`], so no handler can forget the check.

use super::ctx::expected_csrf;
use super::errors::AppError;
use actix_session::Session;

/// Largest body accepted: three 5 MB documents and the form around them.
/// Only a signed-in user may send this much (see `web::edge`).
pub const MAX_BODY_BYTES: usize = 20 * 1024 * 1024;

/// The form field that carries the token.
pub const FIELD: &str = "csrf_token";

/// Accepts the request if `submitted` is the session's token.
pub fn verify(session: &Session, submitted: Option<&str>, path: &str) -> Result<(), AppError> {
    let expected = expected_csrf(session);
    let valid = matches!((&expected, submitted), (Some(e), Some(s)) if constant_time_eq(e.as_bytes(), s.as_bytes()));
    if valid {
        return Ok(());
    }
    // Mostly an expired form; worth a line, not an alarm.
    tracing::info!(path, "CSRF check failed");
    Err(AppError::Csrf)
}

pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
