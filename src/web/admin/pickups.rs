//! `/admin/pickups`: sellers' pickup requests by day, for operators to
//! confirm or to answer with another slot.

use crate::domain::field_errors::FieldErrors;
use crate::domain::pickup::{self, TimeWindow};
use crate::domain::warehouse::PickupStatus;
use crate::services::handover::operators::{self, Proposal, QueueFilter, StaffPickup};
use crate::services::{ServiceError, pricing};
use crate::web::auth::Staff;
use crate::web::ctx::{self, PageCtx};
use crate::web::errors::AppError;
use crate::web::{AppState, redirect, render, render_with, run};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/pickups", web::get().to(list))
        .route("/admin/pickups/{id}", web::get().to(detail))
        .route("/admin/pickups/{id}/confirm", web::post().to(confirm))
        .route("/admin/pickups/{id}/propose", web::post().to(propose));
}

/// `?status=…&from=YYYY-MM-DD`; anything odd means the default.
#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    from: String,
}

#[derive(Template)]
#[template(path = "admin/pickups.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<StaffPickup>,
    /// The status filter as chosen (`all` or a status).
    status: String,
    from: String,
    statuses: &'static [PickupStatus],
}

/// Handles GET /admin/pickups: from today on unless another day is chosen.
async fn list(
    ctx: PageCtx,
    staff: Staff,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let from = pickup::parse_date(&query.from).unwrap_or_else(|_| pricing::today());
    let status = PickupStatus::parse(&query.status).ok();
    let actor = staff.0.actor();
    let filter = QueueFilter { from, status };
    let rows = run(&state, move |conn| operators::queue(conn, &actor, &filter)).await?;
    render(&ListPage {
        ctx,
        rows,
        status: status.map_or("all", PickupStatus::as_str).to_owned(),
        from: from.to_string(),
        statuses: PickupStatus::ALL,
    })
}

/// The propose form as typed.
#[derive(Deserialize, Default)]
pub struct ProposeForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    window: String,
    #[serde(default)]
    note: String,
}

impl ProposeForm {
    fn parse(&self) -> Result<Proposal, FieldErrors> {
        let mut errors = FieldErrors::new();
        let date = errors.check(
            "date",
            pickup::parse_date(&self.date)
                .and_then(|d| pickup::check_proposed_date(pricing::today(), d)),
            |e| e,
        );
        let window = errors.check("window", pickup::parse_window(&self.window), |e| e);
        let note = self.note.trim();
        if note.is_empty() {
            errors.add("note", "error.pickup.note_required");
        } else if note.chars().count() > 300 {
            errors.add("note", "error.pickup.note_long");
        }
        match (date, window) {
            (Some(date), Some(window)) if errors.is_empty() => Ok(Proposal {
                date,
                window,
                note: note.to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/pickup.html")]
struct DetailPage {
    ctx: PageCtx,
    row: StaffPickup,
    form: ProposeForm,
    errors: FieldErrors,
    windows: &'static [TimeWindow],
}

async fn detail_page(
    ctx: PageCtx,
    staff: &Staff,
    state: &AppState,
    id: i64,
    form: ProposeForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let actor = staff.0.actor();
    let row = run(state, move |conn| operators::get(conn, &actor, id)).await?;
    render_with(
        &DetailPage {
            ctx,
            row,
            form,
            errors,
            windows: TimeWindow::ALL,
        },
        status,
    )
}

/// Handles GET /admin/pickups/{id}.
async fn detail(
    ctx: PageCtx,
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    detail_page(
        ctx,
        &staff,
        &state,
        id.into_inner(),
        ProposeForm::default(),
        FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// Handles POST /admin/pickups/{id}/confirm: the requested slot is fine.
async fn confirm(
    staff: Staff,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    super::act_on(
        &staff,
        &session,
        &state,
        id.into_inner(),
        operators::confirm,
        "flash.pickup_confirmed",
        "/admin/pickups",
    )
    .await
}

/// Handles POST /admin/pickups/{id}/propose: another day and window, with why.
async fn propose(
    ctx: PageCtx,
    staff: Staff,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<ProposeForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let form = form.into_inner();
    let result = match form.parse() {
        Ok(proposal) => {
            let actor = staff.0.actor();
            run(&state, move |conn| {
                operators::propose(conn, &actor, id, &proposal)
            })
            .await
        }
        Err(errors) => Err(AppError::Service(ServiceError::Invalid(errors))),
    };
    match result {
        Ok(()) => {
            ctx::flash(&session, "success", "flash.pickup_proposed");
            Ok(redirect(&format!("/admin/pickups/{id}")))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            detail_page(
                ctx,
                &staff,
                &state,
                id,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(error) => Err(error),
    }
}
