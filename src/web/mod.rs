//! HTTP handlers and the pieces every page shares. One module per area;
//! templates mirror them under `templates/<area>/`.

pub mod accounts;
pub mod addresses;
pub mod admin;
pub mod api;
pub mod api_tokens;
pub mod approvals;
pub mod audit;
pub mod auth;
pub mod balance;
pub mod board;
pub mod company;
pub mod csrf;
pub mod ctx;
pub mod edge;
pub mod errors;
pub mod handover;
pub mod hooks;
pub mod hs_codes;
pub mod labels;
pub mod lang_runs;
pub mod logout;
pub mod metrics;
pub mod module;
pub mod notifications;
pub mod orders;
pub mod password_reset;
pub mod picker;
pub mod public;
pub mod rate_limit;
pub mod rates;
pub mod returns;
pub mod reviews;
pub mod sessions;
pub mod share;
pub mod team;
pub mod tickets;
pub mod track;
pub mod uploads;
pub mod webhooks;
pub mod wording;

use crate::config::Settings;
use crate::db::{Backend, DbConnection, DbPool};
use crate::services::ServiceResult;
use crate::storage::Storage;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType};
use actix_web::{HttpResponse, web};
use askama::Template;
use errors::AppError;
use std::sync::Arc;

/// What handlers share: the pool, the settings and the file store.
pub struct AppState {
    pub pool: DbPool,
    pub backend: Backend,
    pub settings: Settings,
    pub storage: Arc<dyn Storage>,
    /// `samplepost demo` ran: every page says the data is a demo.
    pub demo: crate::demo::DemoFlag,
    /// Routes, rate rows and pricing rules for the pages that show prices.
    pub catalogue: Arc<crate::services::quote::CatalogueCache>,
    /// The board's rendered pages for the current catalogue (`board::kept`).
    pub board_pages: Arc<board::kept::KeptPages>,
}

/// Runs a service call on the blocking thread pool with a pooled connection.
pub async fn run<T, F>(state: &AppState, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConnection) -> ServiceResult<T> + Send + 'static,
    T: Send + 'static,
{
    let pool = state.pool.clone();
    let result = web::block(move || -> ServiceResult<T> {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await?;
    Ok(result?)
}

/// Renders a page with status 200.
pub fn render(page: &impl Template) -> Result<HttpResponse, AppError> {
    render_with(page, StatusCode::OK)
}

/// Renders a page with the given status (422 for a form with errors).
pub fn render_with(page: &impl Template, status: StatusCode) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::build(status)
        .content_type(ContentType::html())
        .body(page.render()?))
}

/// 303 See Other: the answer to a successful form post.
/// The status of a page saying a one-time link does not work: 404 for a
/// link that never worked or is used up, 410 for one that expired.
pub fn link_problem_status(problem: crate::services::LinkProblem) -> StatusCode {
    match problem {
        crate::services::LinkProblem::Unknown => StatusCode::NOT_FOUND,
        crate::services::LinkProblem::Expired => StatusCode::GONE,
    }
}

pub fn redirect(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// Links to the neighbouring pages of a list, keeping its filters.
pub struct Pager {
    pub prev: Option<String>,
    pub next: Option<String>,
    pub page: i64,
}

impl Pager {
    /// `query` is the list's filter query string without `page`.
    pub fn new(path: &str, query: &[(&str, &str)], page: i64, has_next: bool) -> Pager {
        let link = |page: i64| {
            let mut pairs: Vec<(&str, String)> = query
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (*k, (*v).to_owned()))
                .collect();
            pairs.push(("page", page.to_string()));
            format!(
                "{path}?{}",
                serde_urlencoded::to_string(pairs).unwrap_or_default()
            )
        };
        Pager {
            prev: (page > 1).then(|| link(page - 1)),
            next: has_next.then(|| link(page + 1)),
            page,
        }
    }
}

/// `?page=N` of list pages; anything odd means page 1.
#[derive(serde::Deserialize, Default)]
pub struct PageQuery {
    pub page: Option<String>,
}

impl PageQuery {
    pub fn number(&self) -> i64 {
        self.page
            .as_deref()
            .and_then(|p| p.parse::<i64>().ok())
            .filter(|p| *p >= 1 && *p <= 100_000)
            .unwrap_or(1)
    }
}

/// Every route of the site (DESIGN.md §8).
pub fn routes(cfg: &mut web::ServiceConfig) {
    public::routes(cfg);
    board::routes(cfg);
    rates::routes(cfg);
    accounts::routes(cfg);
    logout::routes(cfg);
    metrics::routes(cfg);
    password_reset::routes(cfg);
    sessions::routes(cfg);
    addresses::routes(cfg);
    api::routes(cfg);
    api_tokens::routes(cfg);
    webhooks::routes(cfg);
    labels::routes(cfg);
    orders::routes(cfg);
    handover::routes(cfg);
    approvals::routes(cfg);
    audit::routes(cfg);
    hs_codes::routes(cfg);
    company::routes(cfg);
    module::routes(cfg);
    notifications::routes(cfg);
    team::routes(cfg);
    balance::routes(cfg);
    tickets::routes(cfg);
    admin::routes(cfg);
    uploads::routes(cfg);
    hooks::routes(cfg);
    track::routes(cfg);
    returns::routes(cfg);
    reviews::routes(cfg);
}
