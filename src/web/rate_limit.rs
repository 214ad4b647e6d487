//! Per-address (IP) rate limits on the forms a stranger can hammer, as a
//! route middleware: `web::post().to(login).wrap(RateLimit(&SIGN_IN))`.
//! Counters are fixed windows in the database, so every instance shares them.
//! Over the limit the answer is 429 with `Retry-After` and a page in the
//! visitor's language.

use super::ctx::lang_of;
use super::errors::AppError;
use super::{AppState, run};
use crate::db::rate_limits;
use crate::i18n::{self, Lang};
use actix_web::body::BoxBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType, HeaderValue};
use actix_web::{Error, HttpResponse, ResponseError, web};
use askama::Template;
use chrono::{DateTime, Duration, NaiveDateTime};
use futures_util::future::{LocalBoxFuture, Ready, ready};
use std::rc::Rc;

/// At most `max` requests per address in each window of `window_seconds`.
#[derive(Debug)]
pub struct Limit {
    /// The `rate_limits.bucket` the requests count in.
    pub bucket: &'static str,
    pub max: i64,
    pub window_seconds: i64,
}

/// Sign-in: 20 a minute. An office behind one address signing in at nine
/// stays well below; a script trying passwords across many accounts gets 20
/// guesses a minute (one account locks for that address after 5 anyway).
pub const SIGN_IN: Limit = Limit {
    bucket: "sign_in",
    max: 20,
    window_seconds: 60,
};

/// Registration: 10 companies an hour from one address is more than any
/// real office registers; it stops a script filling the database.
pub const REGISTER: Limit = Limit {
    bucket: "register",
    max: 10,
    window_seconds: 3600,
};

/// Accepting an invitation: 10 in 10 minutes. A person needs one or two
/// tries; the limit makes guessing tokens (already 256 bits) pointless twice over.
pub const INVITATION: Limit = Limit {
    bucket: "invitation",
    max: 10,
    window_seconds: 600,
};

/// A recipient filling in their address: 20 in 10 minutes leaves room for
/// corrections after validation messages, none for a flood.
pub const RECIPIENT_LINK: Limit = Limit {
    bucket: "recipient_link",
    max: 20,
    window_seconds: 600,
};

/// Password change: 10 in 10 minutes; each try costs two argon2 runs, so a
/// signed-in script must not spin on it.
pub const PASSWORD_CHANGE: Limit = Limit {
    bucket: "password_change",
    max: 10,
    window_seconds: 600,
};

/// Forgot password: 10 requests in 15 minutes. A person asks once or twice;
/// each request may send a mail, so a script may not use the form to flood
/// inboxes (one account also gets at most 5 such mails an hour, see
/// `services::password_reset`).
pub const PASSWORD_FORGOT: Limit = Limit {
    bucket: "password_forgot",
    max: 10,
    window_seconds: 900,
};

/// The public tracking page: 30 looks in 10 minutes. A seller's KOL checks
/// a parcel a few times a day; guessing order numbers and postcodes gets
/// nowhere at this pace.
pub const TRACKING: Limit = Limit {
    bucket: "tracking",
    max: 30,
    window_seconds: 600,
};

/// Counters of windows older than this are deleted (longer than any window above).
const KEEP_HOURS: i64 = 24;

impl Limit {
    /// The start of the window `at` falls in, and the seconds until it ends.
    fn window(&self, at: NaiveDateTime) -> (NaiveDateTime, i64) {
        let seconds = at.and_utc().timestamp();
        let start = seconds - seconds.rem_euclid(self.window_seconds);
        let start_at = DateTime::from_timestamp(start, 0)
            .map(|t| t.naive_utc())
            .unwrap_or(at);
        (start_at, (start + self.window_seconds - seconds).max(1))
    }
}

/// The middleware: counts the request, refuses it over the limit.
pub struct RateLimit(pub &'static Limit);

impl<S> Transform<S, ServiceRequest> for RateLimit
where
    S: Service<ServiceRequest, Response = ServiceResponse<BoxBody>, Error = Error> + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = Error;
    type Transform = RateLimited<S>;
    type InitError = ();
    type Future = Ready<Result<RateLimited<S>, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(RateLimited {
            service: Rc::new(service),
            limit: self.0,
        }))
    }
}

pub struct RateLimited<S> {
    service: Rc<S>,
    limit: &'static Limit,
}

impl<S> Service<ServiceRequest> for RateLimited<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<BoxBody>, Error = Error> + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<ServiceResponse<BoxBody>, Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let service = Rc::clone(&self.service);
        let limit = self.limit;
        Box::pin(async move {
            match retry_after(&req, limit).await {
                Ok(None) => service.call(req).await,
                Ok(Some(seconds)) => {
                    tracing::warn!(bucket = limit.bucket, "rate limit reached");
                    let lang = lang_of(req.request());
                    Ok(req.into_response(too_many_requests(lang, seconds)))
                }
                Err(error) => Ok(req.into_response(error.error_response())),
            }
        })
    }
}

/// Counts this request; `Some(seconds)` when it is over the limit.
async fn retry_after(req: &ServiceRequest, limit: &'static Limit) -> Result<Option<i64>, AppError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::Internal("application state missing".to_owned()))?;
    let ip = crate::web::ctx::client_ip(req.request());
    let at = crate::services::now();
    let (window_start, seconds_left) = limit.window(at);
    let prune_before = at - Duration::hours(KEEP_HOURS);
    let hits = run(&state, move |conn| {
        Ok(rate_limits::count_hit(
            conn,
            limit.bucket,
            &ip,
            window_start,
            prune_before,
        )?)
    })
    .await?;
    Ok((hits > limit.max).then_some(seconds_left))
}

/// The 429 page: the visitor's language first, the other beside it.
#[derive(Template)]
#[template(path = "rate_limited.html")]
struct TooManyPage {
    lang: &'static str,
    other_lang: &'static str,
    message: String,
    other_message: String,
    home: &'static str,
}

fn too_many_requests(lang: Lang, seconds: i64) -> HttpResponse {
    let message =
        |lang| i18n::t(lang, "sessions.too_many").replace("{seconds}", &seconds.to_string());
    let page = TooManyPage {
        lang: lang.code(),
        other_lang: lang.other().code(),
        message: message(lang),
        other_message: message(lang.other()),
        home: i18n::t(lang, "error.page.home"),
    };
    let body = page.render().unwrap_or_else(|_| page.message.clone());
    HttpResponse::build(StatusCode::TOO_MANY_REQUESTS)
        .content_type(ContentType::html())
        .insert_header((header::RETRY_AFTER, HeaderValue::from(seconds)))
        .body(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("time")
    }

    #[test]
    fn a_window_starts_on_its_boundary_and_says_how_long_is_left() {
        let (start, left) = SIGN_IN.window(at("2026-12-01 08:30:45"));
        assert_eq!(start, at("2026-12-01 08:30:00"));
        assert_eq!(left, 15);
        let (start, left) = REGISTER.window(at("2026-12-01 08:00:00"));
        assert_eq!(start, at("2026-12-01 08:00:00"));
        assert_eq!(left, 3600);
    }

    #[test]
    fn every_bucket_is_one_the_database_accepts() {
        // The CHECK constraint as the latest migration that changed it has it.
        let checks = [
            include_str!("../../migrations/sqlite/2026-12-01-000010_tracking/up.sql"),
            include_str!("../../migrations/postgres/2026-12-01-000010_tracking/up.sql"),
        ];
        for limit in [
            &SIGN_IN,
            &REGISTER,
            &INVITATION,
            &RECIPIENT_LINK,
            &PASSWORD_CHANGE,
            &PASSWORD_FORGOT,
            &TRACKING,
        ] {
            for allowed in checks {
                assert!(
                    allowed.contains(&format!("'{}'", limit.bucket)),
                    "{limit:?}"
                );
            }
            assert!(limit.window_seconds <= KEEP_HOURS * 3600);
        }
    }
}
