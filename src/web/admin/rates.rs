//! Rate-sheet upload (all-or-nothing, with every error listed), versions and exports.

use crate::cli::describe_sheet_error;
use crate::db::catalogue::RateSheet;
use crate::domain::rate_sheet::{self, RateRow};
use crate::domain::spreadsheet::MAX_LISTED_PROBLEMS;
use crate::services::rates::{self, ImportError, ImportSummary, Importer};
use crate::web::auth::Admin;
use crate::web::ctx::PageCtx;
use crate::web::errors::AppError;
use crate::web::{AppState, render, render_with, run};
use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as FilePart;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/rates", web::get().to(page))
        .route("/admin/rates", web::post().to(upload))
        .route(
            "/admin/rates/current.{format}",
            web::get().to(export_current),
        )
        .route("/admin/rates/{id}", web::get().to(version))
        .route(
            "/admin/rates/{id}/sheet.{format}",
            web::get().to(export_version),
        );
}

#[derive(Template)]
#[template(path = "admin/rates.html")]
struct RatesPage {
    ctx: PageCtx,
    versions: Vec<RateSheet>,
    /// The first problems of a refused file (at most `MAX_LISTED_PROBLEMS`), already in words.
    problems: Vec<String>,
    /// How many problems there are in all.
    total_problems: usize,
    imported: Option<ImportSummary>,
}

async fn rates_page(ctx: PageCtx, state: &AppState) -> Result<RatesPage, AppError> {
    let versions = run(state, |conn| Ok(rates::versions(conn)?)).await?;
    Ok(RatesPage {
        ctx,
        versions,
        problems: Vec::new(),
        total_problems: 0,
        imported: None,
    })
}

impl RatesPage {
    /// Lists the first problems in words: a file with thousands of bad cells
    /// must not make a page of megabytes.
    fn refuse(&mut self, errors: &[rate_sheet::SheetError]) {
        self.total_problems = errors.len();
        self.problems = errors
            .iter()
            .take(MAX_LISTED_PROBLEMS)
            .map(|e| describe_sheet_error(e, self.ctx.lang))
            .collect();
    }
}

/// Handles GET /admin/rates: upload form and every version.
async fn page(
    ctx: PageCtx,
    _admin: Admin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    render(&rates_page(ctx, &state).await?)
}

#[derive(MultipartForm)]
pub struct SheetUpload {
    sheet: Option<FilePart>,
}

/// Handles POST /admin/rates: imports the file as a new version, or lists every problem.
async fn upload(
    ctx: PageCtx,
    admin: Admin,
    state: web::Data<AppState>,
    form: MultipartForm<SheetUpload>,
) -> Result<HttpResponse, AppError> {
    let Some(file) = form.into_inner().sheet.filter(|f| !f.data.is_empty()) else {
        let mut page = rates_page(ctx, &state).await?;
        page.problems = vec![page.ctx.t("error.rates.no_file").to_owned()];
        page.total_problems = 1;
        return render_with(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let actor = admin.0.actor();
    let name = file.file_name.clone().unwrap_or_default();
    let result = run(&state, move |conn| {
        Ok(rates::import(
            conn,
            Importer::Staff(&actor),
            &name,
            &file.data,
        ))
    })
    .await?;
    let mut page = rates_page(ctx, &state).await?;
    match result {
        Ok(summary) => {
            page.imported = Some(summary);
            render(&page)
        }
        Err(ImportError::Sheet(errors)) => {
            page.refuse(&errors);
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(ImportError::Service(error)) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "admin/rate_version.html")]
struct VersionPage {
    ctx: PageCtx,
    sheet: RateSheet,
    rows: Vec<RateRow>,
}

/// Handles GET /admin/rates/{id}: one version's rows as imported.
async fn version(
    ctx: PageCtx,
    _admin: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let (sheet, rows) = run(&state, move |conn| {
        Ok((rates::version(conn, id)?, rates::version_rows(conn, id)?))
    })
    .await?;
    render(&VersionPage { ctx, sheet, rows })
}

/// A rate sheet as a download in the import format.
fn download(rows: &[RateRow], format: &str, stem: &str) -> Result<HttpResponse, AppError> {
    let (bytes, mime) = match format {
        "csv" => (rate_sheet::write_csv(rows), "text/csv; charset=utf-8"),
        "xlsx" => (
            rate_sheet::write_xlsx(rows).map_err(AppError::Internal)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        _ => return Err(AppError::NotFound),
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, mime))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{stem}.{format}\""),
        ))
        .body(bytes))
}

/// Handles GET /admin/rates/current.{csv|xlsx}: what every route prices with now.
async fn export_current(
    _admin: Admin,
    state: web::Data<AppState>,
    format: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let rows = run(&state, rates::current_rows).await?;
    download(&rows, &format, "rates-current")
}

/// Handles GET /admin/rates/{id}/sheet.{csv|xlsx}: one version as imported.
async fn export_version(
    _admin: Admin,
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, format) = path.into_inner();
    let rows = run(&state, move |conn| {
        rates::version(conn, id)?;
        rates::version_rows(conn, id)
    })
    .await?;
    download(&rows, &format, &format!("rates-v{id}"))
}
