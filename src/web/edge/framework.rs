//! The framework's own refusals as the app's pages: every extractor's error
//! handler answers with the bilingual page and the extractor's status, so
//! no visitor sees framework text (unknown URLs and methods already go to
//! the app's 404 as the default service).

use super::FORM_BYTES;
use crate::i18n::{self, Lang};
use crate::web::csrf;
use crate::web::errors::error_page;
use actix_multipart::form::MultipartFormConfig;
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
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
        web::QueryConfig::default()
            .error_handler(|error, _: &HttpRequest| as_page(error, Some("edge.bad_query"))),
    )
    // A path that does not parse (`/admin/verifications/abc`) names no page.
    .app_data(
        web::PathConfig::default().error_handler(|error, _: &HttpRequest| {
            InternalError::from_response(error, page_for(StatusCode::NOT_FOUND, None)).into()
        }),
    )
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
        StatusCode::REQUEST_TIMEOUT => "edge.timeout",
        StatusCode::PAYLOAD_TOO_LARGE => "error.page.too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "edge.not_a_form",
        _ => "error.page.bad_body",
    });
    error_page(status, i18n::t(Lang::ZhCn, key), i18n::t(Lang::En, key))
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
