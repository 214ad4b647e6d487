//! `/admin/warehouse`: the scan box and the day's queues, hand-over by
//! sheet, the day's manifest per route, and the re-weigh settings. One
//! parcel's page is in `parcel`.

mod parcel;

use crate::domain::field_errors::FieldErrors;
use crate::domain::money::Fen;
use crate::domain::spreadsheet;
use crate::domain::warehouse::Tolerance;
use crate::services::ServiceError;
use crate::services::warehouse::{self, DispatchReport, Queue, WarehouseRules};
use crate::web::auth::{Admin, Staff};
use crate::web::ctx::{self, PageCtx};
use crate::web::errors::AppError;
use crate::web::{AppState, redirect, render, render_with, run};
use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as FilePart;
use actix_multipart::form::text::Text;
use actix_session::Session;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/warehouse", web::get().to(page))
        .route("/admin/warehouse/scan", web::get().to(scan))
        .route("/admin/warehouse/dispatch", web::post().to(dispatch_sheet))
        .route("/admin/warehouse/settings", web::post().to(save_settings))
        .route("/admin/warehouse/manifest.csv", web::get().to(manifest_csv))
        .route("/admin/warehouse/manifest.pdf", web::get().to(manifest_pdf));
    parcel::routes(cfg);
}

#[derive(Deserialize, Default)]
pub struct DayQuery {
    #[serde(default)]
    day: String,
    #[serde(default)]
    order_no: String,
}

#[derive(Template)]
#[template(path = "admin/warehouse.html")]
struct WarehousePage {
    ctx: PageCtx,
    day: NaiveDate,
    queue: Queue,
    /// What was typed into the scan box, kept when it is refused.
    order_no: String,
    errors: FieldErrors,
    /// The hand-over sheet's problems, in words, or how many went out.
    sheet_problems: Vec<String>,
    dispatched: Option<usize>,
    carriers: Vec<(String, String)>,
    /// Routes with parcels handed over that day, for the manifests.
    routes: Vec<String>,
    tolerance_g: String,
    tolerance_percent: String,
    return_fee: String,
}

fn parse_day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .unwrap_or_else(|_| crate::services::pricing::today())
}

async fn load(
    ctx: PageCtx,
    state: &AppState,
    staff: &Staff,
    day: NaiveDate,
) -> Result<WarehousePage, AppError> {
    let actor = staff.0.actor();
    let (queue, carriers, routes, rules) = run(state, move |conn| {
        let queue = warehouse::queue(conn, &actor, day)?;
        let carriers = warehouse::carriers(conn)?;
        let routes = warehouse::routes_handed_over(conn, &actor, day)?;
        let rules = warehouse::rules(conn)?;
        Ok((queue, carriers, routes, rules))
    })
    .await?;
    Ok(WarehousePage {
        ctx,
        day,
        queue,
        order_no: String::new(),
        errors: FieldErrors::new(),
        sheet_problems: Vec::new(),
        dispatched: None,
        carriers,
        routes,
        tolerance_g: rules.tolerance.grams.to_string(),
        tolerance_percent: percent_text(rules.tolerance.basis_points),
        return_fee: rules.return_fee.to_string(),
    })
}

/// 300 basis points → "3", 250 → "2.5".
fn percent_text(basis_points: u32) -> String {
    let text = format!("{}.{:02}", basis_points / 100, basis_points % 100);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Handles GET /admin/warehouse: the scan box and the day's queues.
async fn page(
    ctx: PageCtx,
    staff: Staff,
    state: web::Data<AppState>,
    query: web::Query<DayQuery>,
) -> Result<HttpResponse, AppError> {
    let day = parse_day(&query.day);
    render(&load(ctx, &state, &staff, day).await?)
}

/// Handles GET /admin/warehouse/scan: what the scanner typed opens the
/// parcel; a typo the check characters catch stays in the box with the reason.
async fn scan(
    ctx: PageCtx,
    staff: Staff,
    state: web::Data<AppState>,
    query: web::Query<DayQuery>,
) -> Result<HttpResponse, AppError> {
    let typed = query.order_no.trim().to_owned();
    let actor = staff.0.actor();
    let text = typed.clone();
    let found = run(&state, move |conn| {
        Ok(warehouse::parcel(conn, &actor, &text)?.order.order_no)
    })
    .await;
    match found {
        Ok(number) => Ok(redirect(&format!("/admin/warehouse/{number}"))),
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            let mut page = load(ctx, &state, &staff, parse_day(&query.day)).await?;
            page.order_no = typed;
            page.errors = errors;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(error) => Err(error),
    }
}

#[derive(MultipartForm)]
pub struct SheetUpload {
    sheet: Option<FilePart>,
    carrier: Option<Text<String>>,
    day: Option<Text<String>>,
}

/// Handles POST /admin/warehouse/dispatch: a sheet of `order_no,waybill[,carrier]`,
/// all handed over or none, with every problem by row and column.
async fn dispatch_sheet(
    ctx: PageCtx,
    staff: Staff,
    state: web::Data<AppState>,
    form: MultipartForm<SheetUpload>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let day = parse_day(&form.day.map(Text::into_inner).unwrap_or_default());
    let carrier = form.carrier.map(Text::into_inner).unwrap_or_default();
    let Some(file) = form.sheet.filter(|f| !f.data.is_empty()) else {
        let mut page = load(ctx, &state, &staff, day).await?;
        page.sheet_problems = vec![page.ctx.t("error.upload.none").to_owned()];
        return render_with(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let actor = staff.0.actor();
    let name = file.file_name.clone().unwrap_or_default();
    let report = run(&state, move |conn| {
        warehouse::dispatch_sheet(conn, &actor, &name, &file.data, &carrier)
    })
    .await?;
    let mut page = load(ctx, &state, &staff, day).await?;
    match report {
        DispatchReport::Dispatched(count) => {
            page.dispatched = Some(count);
            render(&page)
        }
        DispatchReport::Refused(problems) => {
            page.sheet_problems = problems
                .iter()
                .take(spreadsheet::MAX_LISTED_PROBLEMS)
                .map(|problem| page.ctx.row_problem(problem))
                .collect();
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    tolerance_g: String,
    #[serde(default)]
    tolerance_percent: String,
    #[serde(default)]
    return_fee: String,
}

/// Handles POST /admin/warehouse/settings: the re-weigh tolerance and the return fee (admin).
async fn save_settings(
    ctx: PageCtx,
    admin: Admin,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let mut errors = FieldErrors::new();
    let grams = form
        .tolerance_g
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|g| *g <= 5_000)
        .ok_or_else(|| errors.add("tolerance_g", "error.warehouse.tolerance_grams"))
        .ok();
    let basis_points = crate::domain::money::Fen::parse(form.tolerance_percent.trim())
        .ok()
        .and_then(|p| u32::try_from(p.0).ok())
        .filter(|bp| *bp <= 2_000)
        .ok_or_else(|| errors.add("tolerance_percent", "error.warehouse.tolerance_percent"))
        .ok();
    let fee = crate::domain::money::Fen::parse(form.return_fee.trim())
        .ok()
        .filter(|fee| *fee >= Fen::ZERO)
        .ok_or_else(|| errors.add("return_fee", "error.warehouse.return_fee"))
        .ok();
    let (Some(grams), Some(basis_points), Some(return_fee)) = (grams, basis_points, fee) else {
        let staff = Staff(admin.0);
        let mut page = load(ctx, &state, &staff, crate::services::pricing::today()).await?;
        page.tolerance_g = form.tolerance_g;
        page.tolerance_percent = form.tolerance_percent;
        page.return_fee = form.return_fee;
        page.errors = errors;
        return render_with(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let actor = admin.0.actor();
    let rules = WarehouseRules {
        tolerance: Tolerance {
            grams,
            basis_points,
        },
        return_fee,
    };
    run(&state, move |conn| {
        warehouse::update_rules(conn, &actor, rules)
    })
    .await?;
    ctx::flash(&session, "success", "flash.warehouse.settings_saved");
    Ok(redirect("/admin/warehouse"))
}

#[derive(Deserialize)]
pub struct ManifestQuery {
    #[serde(default)]
    day: String,
    #[serde(default)]
    route: String,
}

/// The day, the route and the parcels of the manifest the query asks for.
async fn manifest_rows(
    staff: &Staff,
    state: &AppState,
    query: &ManifestQuery,
) -> Result<(NaiveDate, String, Vec<warehouse::ManifestRow>), AppError> {
    let day = parse_day(&query.day);
    let route = query.route.trim().to_owned();
    let actor = staff.0.actor();
    let wanted = route.clone();
    let rows = run(state, move |conn| {
        warehouse::manifest(conn, &actor, day, &wanted)
    })
    .await?;
    Ok((day, route, rows))
}

/// Handles GET /admin/warehouse/manifest.csv: the parcels handed over on a
/// day on one route, for the carrier's driver to sign.
async fn manifest_csv(
    staff: Staff,
    state: web::Data<AppState>,
    query: web::Query<ManifestQuery>,
) -> Result<HttpResponse, AppError> {
    let (day, route, rows) = manifest_rows(&staff, &state, &query).await?;
    let body = spreadsheet::write_csv(
        &[
            "order_no",
            "carrier",
            "waybill",
            "company",
            "country",
            "weight_kg",
            "handed_over_at_china_time",
        ],
        rows.iter().map(|row| {
            vec![
                row.order_no.clone(),
                row.carrier.clone(),
                row.waybill.clone(),
                row.company.clone(),
                row.country.clone(),
                crate::domain::measure::kg_text(u32::try_from(row.weight_g).unwrap_or(0)),
                crate::domain::china_time::local(row.handed_over_at)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
            ]
        }),
    );
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"manifest-{day}-{}.csv\"",
                safe_name(&route)
            ),
        ))
        .body(body))
}

/// Handles GET /admin/warehouse/manifest.pdf: the same manifest to print,
/// with lines for the warehouse and the driver to sign.
async fn manifest_pdf(
    staff: Staff,
    state: web::Data<AppState>,
    query: web::Query<ManifestQuery>,
) -> Result<HttpResponse, AppError> {
    let (day, route, rows) = manifest_rows(&staff, &state, &query).await?;
    let manifest = crate::pdf::Manifest {
        route: route.clone(),
        day: day.to_string(),
        lines: rows
            .into_iter()
            .map(|row| crate::pdf::ManifestLine {
                order_no: row.order_no,
                carrier: row.carrier,
                waybill: row.waybill,
                country: row.country,
                weight_g: u32::try_from(row.weight_g).unwrap_or(0),
            })
            .collect(),
        generated_at: crate::domain::china_time::local(crate::services::now())
            .format("%Y-%m-%d %H:%M")
            .to_string(),
    };
    let pdf = web::block(move || crate::pdf::render_manifest(&manifest))
        .await
        .map_err(|error| AppError::Internal(error.to_string()))?
        .map_err(|error| AppError::Internal(error.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "inline; filename=\"manifest-{day}-{}.pdf\"",
                safe_name(&route)
            ),
        ))
        .body(pdf))
}

/// A route code as it may appear in a file name.
fn safe_name(route: &str) -> String {
    route
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}
