//! `/account/sessions`: where the user is signed in, and ending those
//! sessions ("end this one", "end all others").

use super::auth::SignedIn;
use super::ctx::{self, PageCtx};
use super::errors::AppError;
use super::{AppState, redirect, render, run};
use crate::db::sessions::Session as SessionRow;
use crate::domain::ids::SessionId;
use crate::domain::user_agent;
use crate::services::sessions;
use actix_session::Session;
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/account/sessions", web::get().to(page))
        .route("/account/sessions/end-others", web::post().to(end_others))
        .route("/account/sessions/{id}/end", web::post().to(end_one));
}

/// One line of the list.
struct Line {
    id: i64,
    created_at: chrono::NaiveDateTime,
    last_seen_at: chrono::NaiveDateTime,
    /// "Firefox · Windows", or `None` when the browser said nothing we know.
    device: Option<String>,
    ip: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "account/sessions.html")]
struct SessionsPage {
    ctx: PageCtx,
    lines: Vec<Line>,
    /// The limits in words, from the settings.
    intro: String,
}

impl SessionsPage {
    fn has_others(&self) -> bool {
        self.lines.iter().any(|line| !line.current)
    }
}

/// Handles GET /account/sessions: the user's live sessions, this one marked.
async fn page(
    ctx: PageCtx,
    user: SignedIn,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let actor = user.0.actor();
    let current = user.0.session;
    let lifetime = state.settings.session_lifetime;
    let rows = run(&state, move |conn| sessions::list(conn, &actor, &lifetime)).await?;
    let lines = rows
        .into_iter()
        .map(|row: SessionRow| Line {
            current: row.id == current.0,
            id: row.id,
            created_at: row.created_at,
            last_seen_at: row.last_seen_at,
            device: user_agent::summary(&row.user_agent),
            ip: row.ip,
        })
        .collect();
    let intro = ctx
        .t("sessions.intro")
        .replace("{idle_hours}", &lifetime.idle_hours.to_string())
        .replace("{max_days}", &lifetime.max_days.to_string());
    render(&SessionsPage { ctx, lines, intro })
}

/// Handles POST /account/sessions/{id}/end: signs that device out.
async fn end_one(
    user: SignedIn,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let actor = user.0.actor();
    let current = user.0.session;
    let target = SessionId(id.into_inner());
    run(&state, move |conn| {
        sessions::end_other(conn, &actor, current, target)
    })
    .await?;
    ctx::flash(&session, "success", "sessions.flash_ended");
    Ok(redirect("/account/sessions"))
}

/// Handles POST /account/sessions/end-others: every device but this one is signed out.
async fn end_others(
    user: SignedIn,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let actor = user.0.actor();
    let current = user.0.session;
    run(&state, move |conn| {
        sessions::end_others(conn, &actor, current)
    })
    .await?;
    ctx::flash(&session, "success", "sessions.flash_others_ended");
    Ok(redirect("/account/sessions"))
}
