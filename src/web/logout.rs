//! Signing out: `GET /logout` is a page with the sign-out button (a link
//! or a typed address must not sign anyone out, so the act stays a POST
//! with its CSRF token), `POST /logout` ends the session.

use super::ctx::{self, PageCtx};
use super::errors::AppError;
use super::{redirect, render};
use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/logout", web::get().to(page))
        .route("/logout", web::post().to(logout));
}

#[derive(Template)]
#[template(path = "accounts/logout.html")]
struct LogoutPage {
    ctx: PageCtx,
}

/// Handles GET /logout: the sign-out button, or the sign-in page for
/// someone not signed in.
async fn page(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    if ctx.user.is_none() {
        return Ok(redirect("/login"));
    }
    render(&LogoutPage { ctx })
}

/// Handles POST /logout: the server-side session ends, so a copy of the cookie is dead too.
async fn logout(req: HttpRequest, session: Session) -> Result<HttpResponse, AppError> {
    ctx::sign_out(&req, &session).await?;
    Ok(redirect("/"))
}
