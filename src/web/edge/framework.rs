//! The framework's own refusals as the app's pages: every extractor's error
//! handler, and a last net for a 4xx actix answers by itself (405 on a
//! known path with another method), so no visitor sees framework text.

use super::FORM_BYTES;
use crate::i18n::{self, Lang};
use crate::web::csrf;
use crate::web::errors::error_page;
use actix_multipart::form::MultipartFormConfig;
use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use std::fmt::{Debug, Display};

/// The extractors' limits and error pages, for `App::configure`.
pub fn extractor_configs(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::FormConfig::default()
            .limit(FORM_BYTES)
            .error_handler(|error, _: &HttpRequest| as_page(error, None)),
    )
    .app_data(
        web::QueryConfig::default().error_handler(|error, _: &HttpRequest| as_page(error, Some("edge.bad_query"))),
    )
    .app_data(web::PathConfig::default().error_handler(|error, _: &HttpRequest| as_page(error, None)))
    .app_data(
        web::JsonConfig::default()
            .limit(FORM_BYTES)
            .error_handler(|error, _: &HttpRequest| as_page(error, None)),
    )
    // Files are checked (size, type) by the handlers with a message per
    // field, so the extractor may hold up to the whole body the edge accepted.
    .app_data(
        MultipartFormConfig::default()
            .memory_limit(csrf::MAX_BODY_BYTES)
            .total_limit(csrf::MAX_BODY_BYTES)
            .error_handler(|error, _: &HttpRequest| as_page(error, None)),
    );
}

/// `error` answered with its own status and the app's page; the error stays
/// attached for the request log.
fn as_page<E>(error: E, key: Option<&'static str>) -> actix_web::Error
where
    E: ResponseError + Debug + Display + 'static,
{
    let status = error.status_code();
    let page = page_for(status, key);
    InternalError::from_response(error, page).into()
}

/// The page for a status the framework chose.
fn page_for(status: StatusCode, key: Option<&'static str>) -> HttpResponse {
    let key = key.unwrap_or(match status {
        StatusCode::NOT_FOUND => "error.page.not_found",
        StatusCode::METHOD_NOT_ALLOWED => "edge.method_not_allowed",
        StatusCode::REQUEST_TIMEOUT => "edge.timeout",
        StatusCode::PAYLOAD_TOO_LARGE => "error.page.too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "edge.not_a_form",
        _ => "error.page.bad_body",
    });
    error_page(status, i18n::t(Lang::ZhCn, key), i18n::t(Lang::En, key))
}

/// Replaces the body of any 4xx that is not already an HTML page (the app's
/// own pages are), keeping its status and headers (`Allow`, cookies, CSP).
pub fn framework_pages<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler_client(|response: ServiceResponse<B>| {
        let is_page = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        if is_page {
            return Ok(ErrorHandlerResponse::Response(
                response.map_into_left_body(),
            ));
        }
        let (req, old) = response.into_parts();
        let mut page = page_for(old.status(), None);
        for (name, value) in old.headers() {
            if name != CONTENT_TYPE && name != CONTENT_LENGTH {
                page.headers_mut().append(name.clone(), value.clone());
            }
        }
        Ok(ErrorHandlerResponse::Response(
            ServiceResponse::new(req, page).map_into_right_body(),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_framework_status_gets_a_bilingual_page() {
        let page = page_for(StatusCode::UNSUPPORTED_MEDIA_TYPE, None);
        assert_eq!(page.status(), 415);
        let page = page_for(StatusCode::BAD_REQUEST, Some("edge.bad_query"));
        assert_eq!(page.status(), 400);
    }
}
