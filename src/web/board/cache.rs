//! Caching of public pages: a strong `ETag` over the rendered body and
//! `Cache-Control`, with 304 Not Modified for a matching `If-None-Match`.
//!
//! A page for a signed-in visitor carries their name and menu, so it is
//! `private, no-cache` (the browser keeps it but asks each time, and gets a
//! 304 when nothing changed); everyone else's is `public, max-age=60`. The
//! language comes from a cookie, hence `Vary: Cookie`.

use super::kept::Page;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

/// Cache-Control of a page nobody is signed in to.
pub const PUBLIC: &str = "public, max-age=60";
/// Cache-Control of a page that shows who is signed in.
pub const PRIVATE: &str = "private, no-cache";

/// The strong entity tag of a body: the first 128 bits of its SHA-256.
pub fn etag(body: &str) -> String {
    let digest = Sha256::digest(body.as_bytes());
    format!("\"{}\"", hex::encode(&digest[..16]))
}

/// Whether an `If-None-Match` value names `etag` (weak comparison, as
/// RFC 9110 asks for this header; `*` matches any).
pub fn matches(if_none_match: &str, etag: &str) -> bool {
    if_none_match.split(',').map(str::trim).any(|candidate| {
        candidate == "*" || candidate.strip_prefix("W/").unwrap_or(candidate) == etag
    })
}

/// Sends an HTML page with caching headers, or 304 with an empty body when
/// the browser already has this very page.
pub fn send(req: &HttpRequest, signed_in: bool, status: StatusCode, body: String) -> HttpResponse {
    let tag = etag(&body);
    let control = if signed_in { PRIVATE } else { PUBLIC };
    respond(req, control, status, tag, Bytes::from(body))
}

/// Sends a page kept for anonymous visitors (`kept::Page`): its tag was
/// computed once, when it was kept.
pub fn send_kept(req: &HttpRequest, page: &Page) -> HttpResponse {
    respond(
        req,
        PUBLIC,
        StatusCode::OK,
        page.etag.clone(),
        page.body.clone(),
    )
}

fn respond(
    req: &HttpRequest,
    control: &'static str,
    status: StatusCode,
    tag: String,
    body: Bytes,
) -> HttpResponse {
    let fresh = status == StatusCode::OK
        && req
            .headers()
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| matches(v, &tag));
    let mut response = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::build(status)
    };
    response
        .insert_header((header::ETAG, tag))
        .insert_header((header::CACHE_CONTROL, control))
        .insert_header((header::VARY, "Cookie"));
    if fresh {
        response.finish()
    } else {
        response.content_type(ContentType::html()).body(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_etag_names_the_body() {
        assert_eq!(etag("a"), etag("a"));
        assert_ne!(etag("a"), etag("b"));
        assert!(etag("a").starts_with('"') && etag("a").len() == 34);
    }

    #[test]
    fn if_none_match_takes_lists_weak_tags_and_any() {
        let tag = etag("page");
        assert!(matches(&tag, &tag));
        assert!(matches(&format!("\"x\", W/{tag}"), &tag));
        assert!(matches("*", &tag));
        assert!(!matches("\"x\"", &tag));
        assert!(!matches("", &tag));
    }
}
