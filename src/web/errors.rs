//! The error policy of the web layer.
//!
//! - Expected outcomes have their own status and a bilingual page: 403, 404,
//!   409 (state conflict, with the reason), 413, 422.
//! - A signed-out visitor on a protected page is sent to `/login?next=…`.
//! - Everything else is a 500 whose page never shows the cause; the log does,
//!   inside the request's span (which carries the request id).
//! - diesel's `NotFound` is a 404; no other database error is.
//! - A file the storage would not take is a 503 saying nothing was saved.
//! - Requests refused at the edge (control characters, sizes, slow bodies,
//!   not a form) and the framework's own 4xx get the same page (`web::edge`).
//! - Only 5xx are logged at ERROR (by the request logger, `edge::logging`);
//!   expected answers (303, 403, 404, 409, 422, 429) at DEBUG.

use super::edge::EdgeError;
use crate::i18n::{self, Lang};
use crate::services::ServiceError;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("sign-in required")]
    LoginRequired { next: String },
    #[error("password change required")]
    PasswordChangeRequired,
    #[error("CSRF token missing or wrong")]
    Csrf,
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    #[error(transparent)]
    Edge(#[from] EdgeError),
    #[error(transparent)]
    Service(#[from] ServiceError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(error: actix_web::error::BlockingError) -> AppError {
        AppError::Internal(error.to_string())
    }
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> AppError {
        AppError::Internal(format!("template: {error}"))
    }
}

/// A page for an error, in both languages since the request's language is not at hand here.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    zh: &'a str,
    en: &'a str,
    home_zh: &'static str,
    home_en: &'static str,
}

impl AppError {
    fn message_key(&self) -> &'static str {
        match self {
            AppError::NotFound => "error.page.not_found",
            AppError::Forbidden => "error.page.forbidden",
            AppError::Csrf => "error.page.csrf",
            AppError::BadRequest(key) => key,
            AppError::Edge(error) => error.message_key(),
            AppError::Service(ServiceError::Conflict(key)) => key,
            AppError::Service(ServiceError::Forbidden) => "error.page.forbidden",
            AppError::Service(ServiceError::Invalid(_)) => "error.page.invalid",
            AppError::Service(ServiceError::Db(diesel::result::Error::NotFound)) => {
                "error.page.not_found"
            }
            AppError::Service(ServiceError::Storage(_)) => "error.page.storage_unavailable",
            _ => "error.page.internal",
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::LoginRequired { .. } | AppError::PasswordChangeRequired => {
                StatusCode::SEE_OTHER
            }
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Edge(error) => error.status(),
            AppError::Service(error) => match error {
                ServiceError::Forbidden => StatusCode::FORBIDDEN,
                ServiceError::Conflict(_) => StatusCode::CONFLICT,
                ServiceError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                ServiceError::Db(diesel::result::Error::NotFound) => StatusCode::NOT_FOUND,
                // A file is written before its row commits: a failed write
                // rolled everything back, and a retry later may succeed.
                ServiceError::Pool(_) | ServiceError::Storage(_) => StatusCode::SERVICE_UNAVAILABLE,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            },
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::LoginRequired { next } => {
                let location = format!("/login?next={}", urlencode(next));
                return HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, location))
                    .finish();
            }
            AppError::PasswordChangeRequired => {
                return HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, "/account/password"))
                    .finish();
            }
            _ => {}
        }
        let key = self.message_key();
        let (zh, en) = (i18n::t(Lang::ZhCn, key), i18n::t(Lang::En, key));
        match self {
            AppError::Edge(error) => {
                error_page(self.status_code(), &error.fill(zh), &error.fill(en))
            }
            _ => error_page(self.status_code(), zh, en),
        }
    }
}

/// The bilingual error page with `status`, saying `zh` and `en`.
pub fn error_page(status: StatusCode, zh: &str, en: &str) -> HttpResponse {
    let page = ErrorPage {
        status: status.as_u16(),
        zh,
        en,
        home_zh: i18n::t(Lang::ZhCn, "error.page.home"),
        home_en: i18n::t(Lang::En, "error.page.home"),
    };
    let body = page
        .render()
        .unwrap_or_else(|_| format!("{} {}", status.as_u16(), page.en));
    HttpResponse::build(status)
        .content_type(ContentType::html())
        .body(body)
}

/// Percent-encodes a path for a query parameter.
pub fn urlencode(value: &str) -> String {
    serde_urlencoded::to_string([("", value)])
        .map(|s| s.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}
