//! The notification centre of a signed-in user.

use super::auth::SignedIn;
use super::ctx::PageCtx;
use super::errors::AppError;
use super::{AppState, PageQuery, Pager, redirect, render, run};
use crate::db::models::Notification;
use crate::services::notifications;
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/notifications", web::get().to(list))
        .route("/app/notifications/read", web::post().to(mark_read));
}

#[derive(Template)]
#[template(path = "app/notifications.html")]
struct NotificationsPage {
    ctx: PageCtx,
    items: Vec<Notification>,
    pager: Pager,
}

/// Handles GET /app/notifications.
async fn list(
    ctx: PageCtx,
    user: SignedIn,
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let id = user.0.id;
    let page = query.number();
    let result = run(&state, move |conn| notifications::list(conn, id, page)).await?;
    render(&NotificationsPage {
        ctx,
        pager: Pager::new("/app/notifications", &[], result.page, result.has_next),
        items: result.items,
    })
}

/// Handles POST /app/notifications/read: marks every notification read.
async fn mark_read(user: SignedIn, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let id = user.0.id;
    run(&state, move |conn| notifications::mark_all_read(conn, id)).await?;
    Ok(redirect("/app/notifications"))
}
