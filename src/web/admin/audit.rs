//! The platform audit log.

use crate::db::models::AuditEntry;
use crate::services::audit::{self, AuditFilter};
use crate::web::auth::Staff;
use crate::web::ctx::PageCtx;
use crate::web::errors::AppError;
use crate::web::{AppState, Pager, render, run};
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/audit", web::get().to(list));
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

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    ctx: PageCtx,
    entries: Vec<AuditEntry>,
    query: AuditQuery,
    pager: Pager,
}

fn date(input: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d").ok()
}

/// Handles GET /admin/audit: who did what, filterable by actor, action and date.
async fn list(
    ctx: PageCtx,
    staff: Staff,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let filter = AuditFilter {
        actor: query.actor.trim().to_owned(),
        action: query.action.trim().to_owned(),
        from: date(&query.from),
        to: date(&query.to),
    };
    let page = crate::web::PageQuery {
        page: query.page.clone(),
    }
    .number();
    let actor = staff.0.actor();
    let result = run(&state, move |conn| {
        audit::search(conn, &actor, &filter, page)
    })
    .await?;
    render(&AuditPage {
        ctx,
        pager: Pager::new(
            "/admin/audit",
            &[
                ("actor", &query.actor),
                ("action", &query.action),
                ("from", &query.from),
                ("to", &query.to),
            ],
            result.page,
            result.has_next,
        ),
        entries: result.items,
        query,
    })
}
