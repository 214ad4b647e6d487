//! The proforma invoice: a print page and the same invoice as a PDF.

use super::super::auth::Member;
use super::super::ctx::PageCtx;
use super::super::errors::AppError;
use super::super::{AppState, render, run};
use crate::pdf::{self, Party, ProformaInvoice, format_amount};
use crate::services::orders;
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/orders/{no}/pi", web::get().to(print_page))
        .route("/app/orders/{no}/pi.pdf", web::get().to(pdf_file));
}

#[derive(Template)]
#[template(path = "app/order_pi.html")]
struct PrintPage {
    ctx: PageCtx,
    invoice: ProformaInvoice,
}

impl PrintPage {
    fn amount(&self, cents: impl std::borrow::Borrow<i64>) -> String {
        format_amount(*cents.borrow())
    }

    fn parties(&self) -> [(&'static str, &Party); 2] {
        [
            ("Shipper / Exporter 发件人", &self.invoice.sender),
            ("Consignee 收件人", &self.invoice.recipient),
        ]
    }

    fn weight(&self) -> String {
        crate::domain::measure::kg_text(self.invoice.weight_g)
    }

    fn statement(&self) -> &'static str {
        pdf::NO_COMMERCIAL_VALUE
    }
}

async fn invoice(
    member: &Member,
    state: &AppState,
    no: String,
) -> Result<ProformaInvoice, AppError> {
    let actor = member.0.actor();
    run(state, move |conn| orders::proforma(conn, &actor, &no)).await
}

/// Handles GET /app/orders/{no}/pi: the invoice as a page to print.
async fn print_page(
    ctx: PageCtx,
    member: Member,
    state: web::Data<AppState>,
    no: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let invoice = invoice(&member, &state, no.into_inner()).await?;
    render(&PrintPage { ctx, invoice })
}

/// Handles GET /app/orders/{no}/pi.pdf: the invoice as an A4 PDF download.
async fn pdf_file(
    member: Member,
    state: web::Data<AppState>,
    no: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let invoice = invoice(&member, &state, no.into_inner()).await?;
    let file_name = format!("PI-{}.pdf", invoice.order_no);
    let bytes = web::block(move || pdf::render_pdf(&invoice))
        .await
        .map_err(|error| AppError::Internal(error.to_string()))?
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
