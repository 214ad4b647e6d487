//! Staff review of company verifications.

use super::{DecisionForm, QueueQuery};
use crate::db::models::Company;
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::CompanyId;
use crate::domain::status::CompanyStatus;
use crate::services::company;
use crate::web::auth::Staff;
use crate::web::ctx::{self, PageCtx};
use crate::web::errors::AppError;
use crate::web::{AppState, Pager, redirect, render, render_with, run};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/verifications", web::get().to(queue))
        .route("/admin/verifications/{id}", web::get().to(detail))
        .route("/admin/verifications/{id}", web::post().to(decide));
}

#[derive(Template)]
#[template(path = "admin/verifications.html")]
struct QueuePage {
    ctx: PageCtx,
    items: Vec<Company>,
    status: String,
    q: String,
    statuses: &'static [CompanyStatus],
    pager: Pager,
}

/// Handles GET /admin/verifications: submitted companies first; filter by state and name/USCC.
async fn queue(
    ctx: PageCtx,
    staff: Staff,
    state: web::Data<AppState>,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, AppError> {
    let status_text = query
        .status
        .clone()
        .unwrap_or_else(|| "submitted".to_owned());
    let status = CompanyStatus::parse(&status_text).ok();
    let (q, page) = (query.q.clone(), query.page());
    let actor = staff.0.actor();
    let search = q.clone();
    let result = run(&state, move |conn| {
        company::queue(conn, &actor, status, &search, page)
    })
    .await?;
    render(&QueuePage {
        ctx,
        pager: Pager::new(
            "/admin/verifications",
            &[("status", &status_text), ("q", &q)],
            result.page,
            result.has_next,
        ),
        items: result.items,
        status: status_text,
        q,
        statuses: CompanyStatus::ALL,
    })
}

#[derive(Template)]
#[template(path = "admin/verification.html")]
struct DetailPage {
    ctx: PageCtx,
    company: Company,
    /// Other companies with the same credit code or representative's ID.
    duplicates: Vec<company::Duplicate>,
    errors: FieldErrors,
    reason: String,
}

impl DetailPage {
    fn pending(&self) -> bool {
        self.company.status == CompanyStatus::Submitted
    }

    fn action(&self) -> String {
        format!("/admin/verifications/{}", self.company.id)
    }

    /// Label key and upload of each document the company sent.
    fn documents(&self) -> Vec<(&'static str, Option<i64>)> {
        vec![
            ("field.licence", self.company.licence_upload_id),
            ("field.id_front", self.company.id_front_upload_id),
            ("field.id_back", self.company.id_back_upload_id),
        ]
    }
}

/// Handles GET /admin/verifications/{id}: the data beside the documents.
async fn detail(
    ctx: PageCtx,
    _staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = CompanyId(id.into_inner());
    let (company, duplicates) = run(&state, move |conn| {
        let company = company::get(conn, id)?;
        let duplicates = company::duplicates(conn, &company)?;
        Ok((company, duplicates))
    })
    .await?;
    render(&DetailPage {
        ctx,
        company,
        duplicates,
        errors: FieldErrors::new(),
        reason: String::new(),
    })
}

/// Handles POST /admin/verifications/{id}: approve, or reject with a reason.
async fn decide(
    ctx: PageCtx,
    staff: Staff,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let id = CompanyId(id.into_inner());
    let actor = staff.0.actor();
    let outcome = form
        .apply(&state, move |conn, decision| {
            company::review(conn, &actor, id, decision)
        })
        .await?;
    match outcome {
        Ok(()) => {
            ctx::flash(&session, "success", "flash.decision_saved");
            Ok(redirect("/admin/verifications"))
        }
        Err(errors) => {
            let (company, duplicates) = run(&state, move |conn| {
                let company = company::get(conn, id)?;
                let duplicates = company::duplicates(conn, &company)?;
                Ok((company, duplicates))
            })
            .await?;
            render_with(
                &DetailPage {
                    ctx,
                    company,
                    duplicates,
                    errors,
                    reason: form.reason.clone(),
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}
