//! `/admin/tracking`: tracking events from a CSV or XLSX sheet (staff, all
//! or nothing) and the carriers' webhook secrets (admin, rotated with an
//! overlap), and what the silence watchdog did lately. One order's tracking
//! is in `order`.

mod order;

use crate::domain::spreadsheet;
use crate::services::tracking::{self, CarrierSecretRow};
use crate::services::watchdog::{self, Overview};
use crate::web::auth::{Admin, Staff};
use crate::web::ctx::PageCtx;
use crate::web::errors::AppError;
use crate::web::{AppState, render, render_with, run};
use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as FilePart;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/tracking", web::get().to(page))
        .route("/admin/tracking/upload", web::post().to(upload))
        .route("/admin/tracking/secrets/{carrier}", web::post().to(rotate));
    order::routes(cfg);
}

#[derive(Template)]
#[template(path = "admin/tracking.html")]
struct TrackingPage {
    ctx: PageCtx,
    /// The sheet's problems, in words.
    problems: Vec<String>,
    /// How many new events the sheet brought.
    stored: Option<usize>,
    /// The carriers and their secrets' state (admins only).
    secrets: Vec<CarrierSecretRow>,
    /// A secret just set, shown once: (carrier, secret).
    new_secret: Option<(String, String)>,
    /// Return orders still on their way, newest first (issue #11).
    returns: Vec<crate::services::returns::StaffReturnRow>,
    /// The silence watchdog's last round and recent tickets.
    watchdog: Overview,
}

impl TrackingPage {
    /// "Last round: …" in the page's language, or that none finished yet.
    fn last_round(&self) -> String {
        match &self.watchdog.last_round {
            Some(round) => self
                .ctx
                .t("watchdog.last_round")
                .replace("{at}", &self.ctx.time(&round.at))
                .replace("{count}", &round.count.to_string()),
            None => self.ctx.t("watchdog.never").to_owned(),
        }
    }
}

async fn load(ctx: PageCtx, state: &AppState, staff: &Staff) -> Result<TrackingPage, AppError> {
    let actor = staff.0.actor();
    let (secrets, returns, watchdog) = run(state, move |conn| {
        let secrets = match actor.require_admin() {
            Ok(()) => tracking::secrets(conn, &actor)?,
            Err(_) => Vec::new(),
        };
        Ok((
            secrets,
            crate::services::returns::open_returns(conn, &actor)?,
            watchdog::overview(conn, &actor)?,
        ))
    })
    .await?;
    Ok(TrackingPage {
        ctx,
        problems: Vec::new(),
        stored: None,
        secrets,
        new_secret: None,
        returns,
        watchdog,
    })
}

/// Handles GET /admin/tracking.
async fn page(
    ctx: PageCtx,
    staff: Staff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    render(&load(ctx, &state, &staff).await?)
}

#[derive(MultipartForm)]
pub struct SheetUpload {
    sheet: Option<FilePart>,
}

/// Handles POST /admin/tracking/upload: a sheet of events, all stored or
/// none, with every problem by row and column.
async fn upload(
    ctx: PageCtx,
    staff: Staff,
    state: web::Data<AppState>,
    form: MultipartForm<SheetUpload>,
) -> Result<HttpResponse, AppError> {
    let mut page = load(ctx, &state, &staff).await?;
    let Some(file) = form.into_inner().sheet.filter(|f| !f.data.is_empty()) else {
        page.problems = vec![page.ctx.t("error.upload.none").to_owned()];
        return render_with(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let actor = staff.0.actor();
    let name = file.file_name.clone().unwrap_or_default();
    let report = run(&state, move |conn| {
        tracking::upload_sheet(conn, &actor, &name, &file.data)
    })
    .await?;
    match report {
        Ok(stored) => {
            page.stored = Some(stored);
            render(&page)
        }
        Err(problems) => {
            page.problems = problems
                .iter()
                .take(spreadsheet::MAX_LISTED_PROBLEMS)
                .map(|problem| page.ctx.row_problem(problem))
                .collect();
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// Handles POST /admin/tracking/secrets/{carrier}: sets a new webhook secret
/// and shows it once; the previous one stays valid for 24 hours. The page
/// is answered directly (no redirect) so the secret never sits in a cookie.
async fn rotate(
    ctx: PageCtx,
    admin: Admin,
    state: web::Data<AppState>,
    carrier: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let carrier = carrier.into_inner();
    let actor = admin.0.actor();
    let code = carrier.clone();
    let (secret, secrets, returns, watchdog) = run(&state, move |conn| {
        let secret = tracking::rotate_secret(conn, &actor, &code)?;
        Ok((
            secret,
            tracking::secrets(conn, &actor)?,
            crate::services::returns::open_returns(conn, &actor)?,
            watchdog::overview(conn, &actor)?,
        ))
    })
    .await?;
    render(&TrackingPage {
        ctx,
        problems: Vec::new(),
        stored: None,
        secrets,
        new_secret: Some((carrier.to_ascii_uppercase(), secret)),
        returns,
        watchdog,
    })
}
