//! The error policy of the web layer.
//!
//! - Expected outcomes have their own status and a bilingual page, the
//!   reader's language first (`in_readers_language`): 403, 404,
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
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType};
use actix_web::middleware::Next;
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

/// A page for an error in both languages, the reader's first
/// (`in_readers_language`).
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    /// The reader's language, then the other.
    langs: [Lang; 2],
    text: &'a ErrorText,
}

impl ErrorPage<'_> {
    fn message(&self, lang: &Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.text.zh,
            Lang::En => &self.text.en,
        }
    }

    fn home(&self, lang: &Lang) -> &'static str {
        i18n::t(*lang, "error.page.home")
    }
}

/// What an error page says, kept on its response: the error is answered
/// where the request is no longer at hand, so `in_readers_language`
/// renders the page again, the reader's language first.
#[derive(Clone, Debug)]
struct ErrorText {
    zh: String,
    en: String,
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

/// The bilingual error page with `status`, saying `zh` and `en` (Chinese
/// first until `in_readers_language` knows the reader).
pub fn error_page(status: StatusCode, zh: &str, en: &str) -> HttpResponse {
    let text = ErrorText {
        zh: zh.to_owned(),
        en: en.to_owned(),
    };
    let mut response = HttpResponse::build(status)
        .content_type(ContentType::html())
        .body(render_error(status, &text, Lang::ZhCn));
    response.extensions_mut().insert(text);
    response
}

fn render_error(status: StatusCode, text: &ErrorText, first: Lang) -> String {
    let page = ErrorPage {
        status: status.as_u16(),
        langs: [first, first.other()],
        text,
    };
    page.render()
        .unwrap_or_else(|_| format!("{} {}", status.as_u16(), text.en))
}

/// Middleware: an error page is read first in the reader's language — the
/// switch if they used it, else what their browser asks for, else Chinese
/// (the platform's users are in China; a recipient abroad sends English).
pub async fn in_readers_language(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // Read before the call: holding the request would stop the inner
    // layers from taking it apart.
    let reader = super::ctx::lang_of_reader(req.request());
    let again = |status: StatusCode, text: Option<ErrorText>| {
        text.filter(|_| reader != Lang::ZhCn)
            .map(|text| render_error(status, &text, reader))
    };
    match next.call(req).await {
        Ok(response) => {
            let text = response.response().extensions().get::<ErrorText>().cloned();
            Ok(match again(response.status(), text) {
                Some(page) => response.map_body(|_, _| BoxBody::new(page)),
                None => response.map_into_boxed_body(),
            })
        }
        // An inner layer's refusal (`edge::guard`) is still an error: its
        // page is written again and it goes on as one.
        Err(error) => {
            let response = error.error_response();
            let text = response.extensions().get::<ErrorText>().cloned();
            match again(response.status(), text) {
                Some(page) => {
                    let response = response.set_body(BoxBody::new(page));
                    Err(InternalError::from_response(error.to_string(), response).into())
                }
                None => Err(error),
            }
        }
    }
}

/// Percent-encodes a path for a query parameter.
pub fn urlencode(value: &str) -> String {
    serde_urlencoded::to_string([("", value)])
        .map(|s| s.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}
