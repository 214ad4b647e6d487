//! `/admin/outbox`: notification e-mails and what became of them.

use crate::db::models::OutboxMail;
use crate::services::outbox;
use crate::web::auth::Admin;
use crate::web::ctx::PageCtx;
use crate::web::errors::AppError;
use crate::web::{AppState, Pager, render, run};
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/outbox", web::get().to(list));
}

#[derive(Deserialize, Default)]
pub struct OutboxQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage {
    ctx: PageCtx,
    mails: Vec<OutboxMail>,
    status: String,
    pager: Pager,
}

impl OutboxPage {
    fn statuses(&self) -> [&'static str; 4] {
        ["pending", "sent", "failed", "skipped"]
    }
}

/// Handles GET /admin/outbox.
async fn list(
    ctx: PageCtx,
    admin: Admin,
    state: web::Data<AppState>,
    query: web::Query<OutboxQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let page = crate::web::PageQuery {
        page: query.page.clone(),
    }
    .number();
    let actor = admin.0.actor();
    let status = query.status.clone();
    let result = run(&state, move |conn| {
        outbox::list(conn, &actor, &status, page)
    })
    .await?;
    render(&OutboxPage {
        ctx,
        pager: Pager::new(
            "/admin/outbox",
            &[("status", &query.status)],
            result.page,
            result.has_next,
        ),
        mails: result.items,
        status: query.status,
    })
}
