//! Staff review of module applications.

use super::{DecisionForm, QueueQuery};
use crate::db::models::{Company, ModuleApplication};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::ApplicationId;
use crate::domain::status::ApplicationStatus;
use crate::services::module;
use crate::web::auth::Staff;
use crate::web::ctx::{self, PageCtx};
use crate::web::errors::AppError;
use crate::web::{AppState, Pager, redirect, render, render_with, run};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/modules", web::get().to(queue))
        .route("/admin/modules/{id}", web::get().to(detail))
        .route("/admin/modules/{id}", web::post().to(decide));
}

#[derive(Template)]
#[template(path = "admin/modules.html")]
struct QueuePage {
    ctx: PageCtx,
    items: Vec<(ModuleApplication, Company)>,
    status: String,
    statuses: &'static [ApplicationStatus],
    pager: Pager,
}

/// Handles GET /admin/modules: applications, pending first by default.
async fn queue(
    ctx: PageCtx,
    staff: Staff,
    state: web::Data<AppState>,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, AppError> {
    let status_text = query.status.clone().unwrap_or_else(|| "applied".to_owned());
    let status = ApplicationStatus::parse(&status_text).ok();
    let page = query.page();
    let actor = staff.0.actor();
    let result = run(&state, move |conn| {
        module::queue(conn, &actor, status, page)
    })
    .await?;
    render(&QueuePage {
        ctx,
        pager: Pager::new(
            "/admin/modules",
            &[("status", &status_text)],
            result.page,
            result.has_next,
        ),
        items: result.items,
        status: status_text,
        statuses: ApplicationStatus::ALL,
    })
}

#[derive(Template)]
#[template(path = "admin/module.html")]
struct DetailPage {
    ctx: PageCtx,
    application: ModuleApplication,
    company: Company,
    errors: FieldErrors,
    reason: String,
}

impl DetailPage {
    fn pending(&self) -> bool {
        self.application.status == ApplicationStatus::Applied
    }

    fn action(&self) -> String {
        format!("/admin/modules/{}", self.application.id)
    }
}

/// Handles GET /admin/modules/{id}.
async fn detail(
    ctx: PageCtx,
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = ApplicationId(id.into_inner());
    let actor = staff.0.actor();
    let (application, company) =
        run(&state, move |conn| module::application(conn, &actor, id)).await?;
    render(&DetailPage {
        ctx,
        application,
        company,
        errors: FieldErrors::new(),
        reason: String::new(),
    })
}

/// Handles POST /admin/modules/{id}: activate, or decline with a reason.
async fn decide(
    ctx: PageCtx,
    staff: Staff,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let id = ApplicationId(id.into_inner());
    let actor = staff.0.actor();
    let reviewer = actor.clone();
    let outcome = form
        .apply(&state, move |conn, decision| {
            module::review(conn, &reviewer, id, decision)
        })
        .await?;
    match outcome {
        Ok(()) => {
            ctx::flash(&session, "success", "flash.decision_saved");
            Ok(redirect("/admin/modules"))
        }
        Err(errors) => {
            let (application, company) =
                run(&state, move |conn| module::application(conn, &actor, id)).await?;
            render_with(
                &DetailPage {
                    ctx,
                    application,
                    company,
                    errors,
                    reason: form.reason.clone(),
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}
