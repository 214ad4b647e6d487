//! `/reviews/{id}/report`: anyone signed in reports a review with a reason
//! (once); the review stays visible while staff look at it. A signed-out
//! visitor is sent to sign in and comes back here.

use crate::db::reviews::Review;
use crate::domain::field_errors::FieldErrors;
use crate::domain::review::ReportReason;
use crate::services::ServiceError;
use crate::services::reviews::moderation;
use crate::web::auth::SignedIn;
use crate::web::ctx::{self, PageCtx};
use crate::web::errors::AppError;
use crate::web::{AppState, redirect, render, render_with, run};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/reviews/{id}/report", web::get().to(form))
        .route("/reviews/{id}/report", web::post().to(send));
}

#[derive(Template)]
#[template(path = "public/review_report.html")]
struct ReportPage {
    ctx: PageCtx,
    review: Review,
    reason: String,
    note: String,
    errors: FieldErrors,
}

impl ReportPage {
    fn reasons(&self) -> &'static [ReportReason] {
        ReportReason::ALL
    }
}

/// Handles GET /reviews/{id}/report.
async fn form(
    ctx: PageCtx,
    _user: SignedIn,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let review = run(&state, move |conn| moderation::for_report(conn, id)).await?;
    render(&ReportPage {
        ctx,
        review,
        reason: String::new(),
        note: String::new(),
        errors: FieldErrors::new(),
    })
}

#[derive(Deserialize)]
struct ReportForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
}

/// Handles POST /reviews/{id}/report: records the report; a second report
/// by the same user is refused (409).
async fn send(
    ctx: PageCtx,
    user: SignedIn,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<ReportForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let form = form.into_inner();
    let result = match ReportReason::parse(form.reason.trim()) {
        Ok(reason) => {
            let (actor, note) = (user.0.actor(), form.note.clone());
            run(&state, move |conn| {
                moderation::report(conn, &actor, id, reason, &note)
            })
            .await
        }
        Err(_) => Err(ServiceError::Invalid(FieldErrors::single(
            "reason",
            "route_review.report_reason_required",
        ))
        .into()),
    };
    match result {
        Ok(()) => {
            ctx::flash(&session, "success", "flash.route_review.reported");
            Ok(redirect(&format!("/reviews/{id}/report")))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            let review = run(&state, move |conn| moderation::for_report(conn, id)).await?;
            render_with(
                &ReportPage {
                    ctx,
                    review,
                    reason: form.reason,
                    note: form.note,
                    errors,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(error) => Err(error),
    }
}
