//! Pages for everyone: health check, language switch, static files (the
//! home page is the review board, `web::board`).

use super::ctx::LANG_COOKIE;
use super::edge::local_path;
use super::errors::AppError;
use super::{AppState, run};
use crate::i18n::Lang;
use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::RunQueryDsl;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
        .route("/lang/{code}", web::get().to(switch_language))
        .route("/static/{file}", web::get().to(static_file))
        .route("/favicon.ico", web::get().to(favicon));
}

/// Handles GET /healthz: 200 with the backend name, 503 when the database does not answer.
async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let backend = state.backend.name();
    let ping = run(&state, |conn| {
        diesel::sql_query("SELECT 1").execute(conn)?;
        Ok(())
    })
    .await;
    match ping {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({"status": "ok", "database": backend})),
        Err(error) => {
            tracing::error!(%error, "health check failed");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({"status": "unavailable", "database": backend}))
        }
    }
}

/// Handles GET /lang/{zh-CN|en}: remembers the language in a cookie and goes back.
async fn switch_language(
    req: HttpRequest,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::from_code(&code).ok_or(AppError::NotFound)?;
    let cookie = Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .same_site(SameSite::Lax)
        .max_age(Duration::days(365))
        .finish();
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, back_to(&req)))
        .cookie(cookie)
        .finish())
}

/// The same-site page the visitor came from, or the home page.
fn back_to(req: &HttpRequest) -> String {
    let host = req.connection_info().host().to_owned();
    req.headers()
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|referer| {
            let rest = referer
                .strip_prefix("http://")
                .or_else(|| referer.strip_prefix("https://"))?;
            let path = rest.strip_prefix(host.as_str())?;
            local_path(path)
        })
        .unwrap_or_else(|| "/".to_owned())
}

/// The few static files, compiled into the binary so it runs from any folder.
const STATIC_FILES: &[(&str, &str, &str)] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("../../static/app.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/app.js"),
    ),
    (
        "copy.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/copy.js"),
    ),
    (
        "label.css",
        "text/css; charset=utf-8",
        include_str!("../../static/label.css"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_str!("../../static/favicon.svg"),
    ),
];

/// Handles GET /static/{file}.
async fn static_file(file: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (_, mime, body) = STATIC_FILES
        .iter()
        .find(|(name, _, _)| *name == file.as_str())
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, *mime))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(*body))
}

/// Handles GET /favicon.ico: browsers ask for it whatever the page links, so
/// it points them (for good) to the SVG icon instead of filling the log with 404s.
async fn favicon() -> HttpResponse {
    HttpResponse::MovedPermanently()
        .insert_header((header::LOCATION, "/static/favicon.svg"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .finish()
}

/// Any unknown URL.
pub async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}
