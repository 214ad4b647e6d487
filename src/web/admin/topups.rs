//! The platform admin confirms top-ups against their bank receipts.

use super::{DecisionForm, QueueQuery};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ledger::TopupStatus;
use crate::domain::money::Fen;
use crate::services::topups::{self, QueueRow, TopupView};
use crate::web::auth::Admin;
use crate::web::ctx::{self, PageCtx};
use crate::web::errors::AppError;
use crate::web::{AppState, Pager, redirect, render, render_with, run};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/topups", web::get().to(queue))
        .route("/admin/topups/{id}", web::get().to(detail))
        .route("/admin/topups/{id}", web::post().to(decide));
}

#[derive(Template)]
#[template(path = "admin/topups.html")]
struct QueuePage {
    ctx: PageCtx,
    items: Vec<QueueRow>,
    status: String,
    q: String,
    statuses: &'static [TopupStatus],
    pager: Pager,
}

impl QueuePage {
    fn money(&self, fen: &i64) -> String {
        Fen(*fen).to_string()
    }
}

/// Handles GET /admin/topups: pending requests first, oldest first; filter by
/// state and company.
async fn queue(
    ctx: PageCtx,
    admin: Admin,
    state: web::Data<AppState>,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, AppError> {
    let status_text = query.status.clone().unwrap_or_else(|| "pending".to_owned());
    let status = TopupStatus::parse(&status_text).ok();
    let (q, page) = (query.q.clone(), query.page());
    let actor = admin.0.actor();
    let search = q.clone();
    let result = run(&state, move |conn| {
        topups::queue(conn, &actor, status, &search, page)
    })
    .await?;
    render(&QueuePage {
        ctx,
        pager: Pager::new(
            "/admin/topups",
            &[("status", &status_text), ("q", &q)],
            result.page,
            result.has_next,
        ),
        items: result.items,
        status: status_text,
        q,
        statuses: TopupStatus::ALL,
    })
}

#[derive(Template)]
#[template(path = "admin/topup.html")]
struct DetailPage {
    ctx: PageCtx,
    view: TopupView,
    errors: FieldErrors,
    reason: String,
}

impl DetailPage {
    /// The transfer memo this company was asked to use.
    fn reference(&self) -> String {
        crate::services::payee::reference(crate::domain::ids::CompanyId(self.view.topup.company_id))
    }

    fn pending(&self) -> bool {
        self.view.topup.status == TopupStatus::Pending
    }

    fn action(&self) -> String {
        format!("/admin/topups/{}", self.view.topup.id)
    }

    fn amount(&self) -> Fen {
        Fen(self.view.topup.amount_fen)
    }

    /// A PDF receipt is linked; an image is shown.
    fn is_image(&self) -> bool {
        self.view.receipt_mime.starts_with("image/")
    }
}

/// Handles GET /admin/topups/{id}: the request beside its receipt.
async fn detail(
    ctx: PageCtx,
    admin: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let actor = admin.0.actor();
    let view = run(&state, move |conn| topups::get(conn, &actor, id)).await?;
    render(&DetailPage {
        ctx,
        view,
        errors: FieldErrors::new(),
        reason: String::new(),
    })
}

/// Handles POST /admin/topups/{id}: confirm (the ledger is credited), or
/// reject with a reason the company reads.
async fn decide(
    ctx: PageCtx,
    admin: Admin,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let actor = admin.0.actor();
    let decider = actor.clone();
    let outcome = form
        .apply(&state, move |conn, decision| {
            topups::decide(conn, &decider, id, decision)
        })
        .await?;
    match outcome {
        Ok(()) => {
            let key = if form.decision == "approve" {
                "flash.topup.confirmed"
            } else {
                "flash.topup.rejected"
            };
            ctx::flash(&session, "success", key);
            Ok(redirect("/admin/topups"))
        }
        Err(errors) => {
            let view = run(&state, move |conn| topups::get(conn, &actor, id)).await?;
            render_with(
                &DetailPage {
                    ctx,
                    view,
                    errors,
                    reason: form.reason.clone(),
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}
