//! Parcel labels and the shipment proof: the label's print page and PDF (A6,
//! or four to an A4 sheet), several labels from the order list, staff's
//! re-print, and the proof PDF once the warehouse has the parcel.

use super::auth::{Member, Staff};
use super::ctx::PageCtx;
use super::errors::AppError;
use super::{AppState, render, run};
use crate::domain::barcode::{Barcode, QUIET_ZONE};
use crate::domain::order_no::OrderNo;
use crate::pdf::{self, Label, LabelPaper, Mark, PdfError};
use crate::services::labels;
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, web};
use askama::Template;
use std::fmt::Write;

/// Registered before the order pages: `/app/orders/labels.pdf` is not an order.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/orders/labels.pdf", web::get().to(many_pdf))
        .route("/app/orders/{no}/label", web::get().to(print_page))
        .route("/app/orders/{no}/label.pdf", web::get().to(one_pdf))
        .route("/app/orders/{no}/proof.pdf", web::get().to(proof_pdf))
        .route("/admin/orders/{no}/label.pdf", web::get().to(staff_pdf));
}

#[derive(Template)]
#[template(path = "app/order_label.html")]
struct PrintPage {
    ctx: PageCtx,
    label: Label,
    barcode_svg: String,
}

impl PrintPage {
    fn weight(&self) -> String {
        crate::domain::measure::kg_text(self.label.weight_g)
    }

    fn warehouse(&self) -> &str {
        self.label
            .warehouse
            .as_deref()
            .unwrap_or(pdf::label::PICKUP)
    }

    fn marks(&self) -> Vec<(&'static str, &'static str)> {
        self.label
            .marks
            .iter()
            .map(|m: &Mark| (m.symbol(), m.words()))
            .collect()
    }
}

/// The bars as SVG: one rectangle per bar in a viewBox one module wide per
/// unit, quiet zones included, stretched to the width the stylesheet gives.
fn barcode_svg(barcode: &Barcode) -> String {
    let width = barcode.modules() + 2 * QUIET_ZONE;
    let mut path = String::new();
    for (start, w) in barcode.bars() {
        // Writing to a String cannot fail.
        let _ = write!(path, "M{} 0h{w}v40h-{w}z", start + QUIET_ZONE);
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} 40\" \
         preserveAspectRatio=\"none\" shape-rendering=\"crispEdges\" role=\"img\" \
         aria-label=\"{}\" data-modules=\"{width}\">\
         <rect width=\"{width}\" height=\"40\" fill=\"#fff\"/>\
         <path d=\"{path}\" fill=\"#000\"/></svg>",
        barcode.text()
    )
}

#[derive(serde::Deserialize)]
struct SizeQuery {
    size: Option<String>,
}

fn paper(query: &SizeQuery) -> Result<LabelPaper, AppError> {
    LabelPaper::parse(query.size.as_deref()).ok_or(AppError::BadRequest("error.label.size"))
}

/// Handles GET /app/orders/{no}/label: the label as a page to print.
async fn print_page(
    ctx: PageCtx,
    member: Member,
    state: web::Data<AppState>,
    no: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let actor = member.0.actor();
    let no = no.into_inner();
    let label = run(&state, move |conn| labels::label(conn, &actor, &no)).await?;
    let barcode_svg = barcode_svg(&label.barcode);
    render(&PrintPage {
        ctx,
        label,
        barcode_svg,
    })
}

/// Handles GET /app/orders/{no}/label.pdf: A6, or `?size=a4`.
async fn one_pdf(
    member: Member,
    state: web::Data<AppState>,
    no: web::Path<String>,
    query: web::Query<SizeQuery>,
) -> Result<HttpResponse, AppError> {
    let paper = paper(&query)?;
    let actor = member.0.actor();
    let no = no.into_inner();
    let label = run(&state, move |conn| labels::label(conn, &actor, &no)).await?;
    let name = format!("label-{}.pdf", label.order_no);
    pdf_response(name, move || pdf::render_labels(&[label], paper)).await
}

/// Handles GET /admin/orders/{no}/label.pdf: staff re-print any order's label.
async fn staff_pdf(
    staff: Staff,
    state: web::Data<AppState>,
    no: web::Path<String>,
    query: web::Query<SizeQuery>,
) -> Result<HttpResponse, AppError> {
    let paper = paper(&query)?;
    let actor = staff.0.actor();
    let no = no.into_inner();
    let label = run(&state, move |conn| labels::staff_label(conn, &actor, &no)).await?;
    let name = format!("label-{}.pdf", label.order_no);
    pdf_response(name, move || pdf::render_labels(&[label], paper)).await
}

/// Handles GET /app/orders/labels.pdf?no=…&no=…: one PDF of several labels.
async fn many_pdf(
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let mut size = None;
    let mut numbers = Vec::new();
    for (key, value) in query.into_inner() {
        match key.as_str() {
            "no" => numbers.push(value),
            "size" => size = Some(value),
            _ => {}
        }
    }
    let paper = paper(&SizeQuery { size })?;
    if numbers.is_empty() {
        return Err(AppError::BadRequest("error.label.none_chosen"));
    }
    if numbers.len() > labels::MAX_LABELS {
        return Err(AppError::BadRequest("error.label.too_many"));
    }
    // A number that is not one cannot be anyone's order.
    let numbers = numbers
        .iter()
        .map(|n| OrderNo::parse(n).map_err(|_| AppError::NotFound))
        .collect::<Result<Vec<_>, _>>()?;
    let actor = member.0.actor();
    let found = run(&state, move |conn| labels::labels(conn, &actor, &numbers)).await?;
    let name = match found.as_slice() {
        [one] => format!("label-{}.pdf", one.order_no),
        _ => format!("labels-{}.pdf", found.len()),
    };
    pdf_response(name, move || pdf::render_labels(&found, paper)).await
}

/// Handles GET /app/orders/{no}/proof.pdf: once the warehouse has the parcel.
async fn proof_pdf(
    member: Member,
    state: web::Data<AppState>,
    no: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let actor = member.0.actor();
    let no = no.into_inner();
    let storage = state.storage.clone();
    let proof = run(&state, move |conn| {
        labels::proof(conn, storage.as_ref(), &actor, &no)
    })
    .await?;
    let name = format!("proof-{}.pdf", proof.order_no);
    pdf_response(name, move || pdf::render_proof(&proof)).await
}

/// Renders a PDF off the async threads and sends it as a download.
pub(crate) async fn pdf_response(
    file_name: String,
    make: impl FnOnce() -> Result<Vec<u8>, PdfError> + Send + 'static,
) -> Result<HttpResponse, AppError> {
    let bytes = web::block(make)
        .await?
        .map_err(|error| AppError::Internal(error.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(file_name)],
        })
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_svg_has_one_bar_per_bar_of_the_symbol_inside_the_quiet_zones() {
        let barcode = Barcode::code128("SP2611250001BU").expect("encodes");
        let svg = barcode_svg(&barcode);
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("v40h-").count(), barcode.bars().len());
        let width = barcode.modules() + 2 * QUIET_ZONE;
        assert!(svg.contains(&format!("viewBox=\"0 0 {width} 40\"")));
        assert!(
            svg.contains(&format!("M{} 0h", QUIET_ZONE)),
            "first bar after the quiet zone"
        );
        assert!(svg.contains("aria-label=\"SP2611250001BU\""));
    }
}
