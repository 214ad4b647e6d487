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
        .route("/app/notifications/read", web::post().to(mark_read))
        .route("/app/notifications/email", web::post().to(set_email));
}

#[derive(Template)]
#[template(path = "app/notifications.html")]
struct NotificationsPage {
    ctx: PageCtx,
    items: Vec<Notification>,
    pager: Pager,
    /// The kinds this user gets by e-mail.
    email_kinds: Vec<&'static str>,
}

impl NotificationsPage {
    fn kinds(&self) -> &'static [&'static str] {
        notifications::KINDS
    }

    fn by_email(&self, kind: &str) -> bool {
        self.email_kinds.contains(&kind)
    }
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
    let (result, email_kinds) = run(&state, move |conn| {
        Ok((
            notifications::list(conn, id, page)?,
            notifications::email_kinds(conn, id)?,
        ))
    })
    .await?;
    render(&NotificationsPage {
        ctx,
        email_kinds,
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

/// Handles POST /app/notifications/email: the kinds ticked come by e-mail.
async fn set_email(
    user: SignedIn,
    session: actix_session::Session,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = user.0.id;
    let wanted: Vec<String> = form
        .into_inner()
        .into_iter()
        .filter(|(name, _)| name == "kind")
        .map(|(_, kind)| kind)
        .collect();
    run(&state, move |conn| {
        notifications::set_email_kinds(conn, id, &wanted)
    })
    .await?;
    super::ctx::flash(&session, "success", "flash.email_preferences_saved");
    Ok(redirect("/app/notifications"))
}
