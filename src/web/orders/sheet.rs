//! Import and export of orders as CSV/XLSX (`/app/orders/import`,
//! `/app/orders/export.{csv|xlsx}`): the upload page with its error report,
//! the template, and the export of a filtered list.

use crate::domain::order_sheet::{
    self, COLUMNS, ITEM_FIELDS, ITEM_SLOTS, REQUIRED, SheetError, SheetOrder,
};
use crate::domain::spreadsheet::MAX_LISTED_PROBLEMS;
use crate::services::orders::OrderFilter;
use crate::services::orders::sheet::{self, ImportError};
use crate::services::pricing;
use crate::web::auth::Member;
use crate::web::ctx::PageCtx;
use crate::web::errors::AppError;
use crate::web::{AppState, redirect, render, render_with, run};
use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as FilePart;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;

/// Registered before `/app/orders/{no}`, whose pattern would take these paths.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/orders/import", web::get().to(page))
        .route("/app/orders/import", web::post().to(upload))
        .route(
            "/app/orders/import/template.{format}",
            web::get().to(template),
        )
        .route("/app/orders/export.{format}", web::get().to(export));
}

/// One line of the column list on the import page.
struct ColumnHelp {
    /// The header name, or the names of the same field of each item.
    names: Vec<String>,
    /// The catalogue key of what the column holds.
    key: String,
    required: bool,
}

/// Every column of the sheet, each item field once for its three columns.
fn column_help() -> Vec<ColumnHelp> {
    let order_columns = COLUMNS.iter().filter(|c| !c.starts_with("item"));
    let mut help: Vec<ColumnHelp> = order_columns
        .map(|column| ColumnHelp {
            names: vec![(*column).to_owned()],
            key: format!("order_import.help.{column}"),
            required: REQUIRED.contains(column),
        })
        .collect();
    help.extend(ITEM_FIELDS.iter().map(|field| {
        let names: Vec<String> = (1..=ITEM_SLOTS)
            .map(|slot| format!("item{slot}_{field}"))
            .collect();
        ColumnHelp {
            required: REQUIRED.contains(&names[0].as_str()),
            names,
            key: format!("order_import.help.item_{field}"),
        }
    }));
    help
}

#[derive(Template)]
#[template(path = "app/order_import.html")]
struct ImportPage {
    ctx: PageCtx,
    /// The first problems of a refused file (at most `MAX_LISTED_PROBLEMS`).
    problems: Vec<SheetError>,
    /// How many problems there are in all.
    total_problems: usize,
    /// How many drafts the last import created.
    imported: Option<usize>,
    columns: Vec<ColumnHelp>,
}

impl ImportPage {
    fn new(ctx: PageCtx) -> ImportPage {
        ImportPage {
            ctx,
            problems: Vec::new(),
            total_problems: 0,
            imported: None,
            columns: column_help(),
        }
    }

    /// Lists the first problems of a refused file: a file with thousands of
    /// bad cells must not make a page of megabytes.
    fn refuse(&mut self, mut problems: Vec<SheetError>) {
        self.total_problems = problems.len();
        problems.truncate(MAX_LISTED_PROBLEMS);
        self.problems = problems;
    }

    fn imported_text(&self, count: &usize) -> String {
        self.ctx
            .t("order_import.imported")
            .replace("{count}", &count.to_string())
    }
}

#[derive(serde::Deserialize)]
struct PageQuery {
    imported: Option<String>,
}

/// Handles GET /app/orders/import: the upload form, the templates and the
/// columns explained; after an import, how many drafts it created.
async fn page(
    ctx: PageCtx,
    _member: Member,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let mut page = ImportPage::new(ctx);
    page.imported = query.imported.as_deref().and_then(|n| n.parse().ok());
    render(&page)
}

#[derive(MultipartForm)]
pub struct ImportUpload {
    file: Option<FilePart>,
}

/// Handles POST /app/orders/import: creates one draft per row, or creates
/// nothing and lists every problem by row and column.
async fn upload(
    ctx: PageCtx,
    member: Member,
    state: web::Data<AppState>,
    form: MultipartForm<ImportUpload>,
) -> Result<HttpResponse, AppError> {
    let mut page = ImportPage::new(ctx);
    let Some(file) = form.into_inner().file.filter(|f| !f.data.is_empty()) else {
        page.refuse(vec![SheetError {
            row: 0,
            column: String::new(),
            message_key: "error.rates.no_file",
            detail: None,
        }]);
        return render_with(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let actor = member.0.actor();
    let name = file.file_name.clone().unwrap_or_default();
    let result = run(&state, move |conn| {
        match sheet::import(conn, &actor, &name, &file.data) {
            Ok(count) => Ok(Ok(count)),
            Err(ImportError::Sheet(errors)) => Ok(Err(errors)),
            Err(ImportError::Service(error)) => Err(error),
        }
    })
    .await?;
    match result {
        // A redirect, so that reloading the page cannot import the file twice.
        Ok(count) => Ok(redirect(&format!("/app/orders/import?imported={count}"))),
        Err(errors) => {
            page.refuse(errors);
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// The file format of a download path, or 404.
fn format_of(format: &str) -> Result<&'static str, AppError> {
    match format {
        "csv" => Ok("csv"),
        "xlsx" => Ok("xlsx"),
        _ => Err(AppError::NotFound),
    }
}

/// Orders as a download in the sheet format.
fn write(orders: &[SheetOrder], format: &str) -> Result<Vec<u8>, String> {
    match format {
        "csv" => Ok(order_sheet::write_csv(orders)),
        _ => order_sheet::write_xlsx(orders),
    }
}

fn download(bytes: Vec<u8>, format: &str, stem: &str) -> HttpResponse {
    let mime = match format {
        "csv" => "text/csv; charset=utf-8",
        _ => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    };
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, mime))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{stem}.{format}\""),
        ))
        .body(bytes)
}

/// Handles GET /app/orders/import/template.{csv|xlsx}: the header and an example row.
async fn template(
    _member: Member,
    state: web::Data<AppState>,
    format: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let format = format_of(&format)?;
    let bytes = run(&state, move |conn| {
        Ok(write(&[sheet::template(conn)?], format))
    })
    .await?
    .map_err(AppError::Internal)?;
    Ok(download(bytes, format, "order-template"))
}

/// Handles GET /app/orders/export.{csv|xlsx}: every order of the company
/// matching the list's filters, in the list's order.
async fn export(
    member: Member,
    state: web::Data<AppState>,
    format: web::Path<String>,
    query: web::Query<OrderFilter>,
) -> Result<HttpResponse, AppError> {
    let format = format_of(&format)?;
    let actor = member.0.actor();
    let filter = query.into_inner();
    // Written on the blocking pool too: a large XLSX takes a while.
    let bytes = run(&state, move |conn| {
        Ok(write(&sheet::export(conn, &actor, &filter)?, format))
    })
    .await?
    .map_err(AppError::Internal)?;
    let stem = format!("orders-{}", pricing::today().format("%Y%m%d"));
    Ok(download(bytes, format, &stem))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{self, Lang};

    #[test]
    fn every_column_is_explained_in_both_languages() {
        let help = column_help();
        let listed: usize = help.iter().map(|h| h.names.len()).sum();
        assert_eq!(listed, COLUMNS.len());
        for h in &help {
            for lang in [Lang::ZhCn, Lang::En] {
                assert_ne!(i18n::t(lang, &h.key), h.key, "{lang:?} lacks {}", h.key);
            }
        }
    }
}
