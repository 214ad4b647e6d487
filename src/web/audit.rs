//! The audit logs: the platform's for staff (`/admin/audit`) and a company's
//! for its owner (`/app/audit`, with a CSV export).

use crate::db::models::AuditEntry;
use crate::services::audit::{self, AuditFilter};
use crate::web::auth::{Admin, Owner};
use crate::web::ctx::PageCtx;
use crate::web::errors::AppError;
use crate::web::{AppState, Pager, render, run};
use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/audit", web::get().to(platform))
        .route("/app/audit", web::get().to(company))
        .route("/app/audit.csv", web::get().to(company_csv));
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    page: Option<String>,
}

impl AuditQuery {
    fn filter(&self) -> AuditFilter {
        let date = |input: &str| NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d").ok();
        AuditFilter {
            actor: self.actor.trim().to_owned(),
            action: self.action.trim().to_owned(),
            from: date(&self.from),
            to: date(&self.to),
        }
    }

    fn page(&self) -> i64 {
        crate::web::PageQuery {
            page: self.page.clone(),
        }
        .number()
    }

    fn pairs(&self) -> [(&'static str, &str); 4] {
        [
            ("actor", &self.actor),
            ("action", &self.action),
            ("from", &self.from),
            ("to", &self.to),
        ]
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    ctx: PageCtx,
    /// The page's own path, for its filter form.
    path: &'static str,
    /// The company view offers a CSV of what is filtered.
    export: Option<String>,
    entries: Vec<AuditEntry>,
    query: AuditQuery,
    pager: Pager,
    /// The company's members (e-mail, name) to filter by; empty for staff,
    /// who search by e-mail.
    members: Vec<(String, String)>,
}

/// Handles GET /admin/audit: who did what, filterable by actor, action and
/// date. The platform-wide log is the admin's (DESIGN §1), not operators'.
async fn platform(
    ctx: PageCtx,
    admin: Admin,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let (filter, page) = (query.filter(), query.page());
    let actor = admin.0.actor();
    let result = run(&state, move |conn| {
        audit::search(conn, &actor, &filter, page)
    })
    .await?;
    render(&AuditPage {
        ctx,
        path: "/admin/audit",
        export: None,
        members: Vec::new(),
        pager: Pager::new("/admin/audit", &query.pairs(), result.page, result.has_next),
        entries: result.items,
        query,
    })
}

/// Handles GET /app/audit: everything members (and staff) did in the company.
async fn company(
    ctx: PageCtx,
    owner: Owner,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let (filter, page) = (query.filter(), query.page());
    let actor = owner.0.actor();
    let (result, members) = run(&state, move |conn| {
        let members = crate::services::orders::members(conn, &actor)?;
        Ok((
            audit::company_log(conn, &actor, &filter, Some(page))?,
            members,
        ))
    })
    .await?;
    let members = members
        .into_iter()
        .map(|(_, name, email)| (email, name))
        .collect();
    let export = serde_urlencoded::to_string(query.pairs()).unwrap_or_default();
    render(&AuditPage {
        ctx,
        path: "/app/audit",
        export: Some(format!("/app/audit.csv?{export}")),
        members,
        pager: Pager::new("/app/audit", &query.pairs(), result.page, result.has_next),
        entries: result.items,
        query,
    })
}

/// Handles GET /app/audit.csv: the filtered company log as CSV (China time).
async fn company_csv(
    owner: Owner,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    let filter = query.filter();
    let actor = owner.0.actor();
    let entries = run(&state, move |conn| {
        audit::company_log(conn, &actor, &filter, None)
    })
    .await?
    .items;
    let rows = entries.into_iter().map(|e| {
        vec![
            crate::domain::china_time::local(e.at)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            e.actor_email,
            e.action,
            e.target_type,
            e.target_id,
            e.detail,
            e.ip,
        ]
    });
    let csv = crate::domain::spreadsheet::write_csv(
        &[
            "time_cst",
            "actor",
            "action",
            "target_type",
            "target_id",
            "detail",
            "ip",
        ],
        rows,
    );
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename("audit.csv".to_owned())],
        })
        .body(csv))
}
