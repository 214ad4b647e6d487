//! `/app/balance/statement.{csv|xlsx}`: the statement's entries that match
//! the page's filters, newest first, in the same words as the page.

use super::StatementQuery;
use crate::domain::spreadsheet;
use crate::i18n::{self, Lang};
use crate::services::balance::{self, StatementRow};
use crate::services::pricing;
use crate::web::auth::Member;
use crate::web::ctx::lang_of;
use crate::web::errors::AppError;
use crate::web::{AppState, run};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

const HEADER: [&str; 8] = [
    "time",
    "kind",
    "kind_name",
    "amount_cny",
    "order_no",
    "topup_id",
    "by",
    "note",
];

/// The column of `amount_cny`, written as a number in XLSX.
const AMOUNT_COLUMN: usize = 3;

fn cells(row: &StatementRow, lang: Lang) -> Vec<String> {
    vec![
        // Stored in UTC, shown in China Standard Time like the page.
        crate::domain::china_time::local(row.at)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string(),
        row.kind.as_str().to_owned(),
        i18n::t(lang, &format!("ledger_kind.{}", row.kind)).to_owned(),
        row.amount.to_string(),
        row.order_no.clone().unwrap_or_default(),
        row.topup_id.map(|id| id.to_string()).unwrap_or_default(),
        row.by.clone().unwrap_or_default(),
        row.note.clone(),
    ]
}

/// Handles GET /app/balance/statement.{csv|xlsx} (owner and managers).
pub async fn statement(
    req: HttpRequest,
    member: Member,
    state: web::Data<AppState>,
    format: web::Path<String>,
    query: web::Query<StatementQuery>,
) -> Result<HttpResponse, AppError> {
    let format = match format.as_str() {
        "csv" => "csv",
        "xlsx" => "xlsx",
        _ => return Err(AppError::NotFound),
    };
    let actor = member.0.actor();
    let filter = query.filter();
    let lang = lang_of(&req);
    // Written on the blocking pool too: a long statement takes a while.
    let bytes = run(&state, move |conn| {
        let rows = balance::statement(conn, &actor, &filter)?;
        let rows = rows.iter().map(|row| cells(row, lang));
        Ok(match format {
            "csv" => Ok(spreadsheet::write_csv(&HEADER, rows)),
            _ => spreadsheet::write_xlsx("statement", &HEADER, rows, &[AMOUNT_COLUMN]),
        })
    })
    .await?
    .map_err(AppError::Internal)?;
    let mime = match format {
        "csv" => "text/csv; charset=utf-8",
        _ => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    };
    let stem = format!("statement-{}", pricing::today().format("%Y%m%d"));
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, mime))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{stem}.{format}\""),
        ))
        .body(bytes))
}
