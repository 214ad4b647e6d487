//! `/admin/reviews`: staff moderation of route reviews — the list (reported
//! first), one review with its versions, reports and order, and the
//! actions: hide for a listed reason (confirmed), unhide, dismiss reports,
//! the one public reply. Staff never edit what the reviewer wrote.

use crate::domain::field_errors::FieldErrors;
use crate::domain::review::{Dimension, HideReason};
use crate::services::reviews::moderation;
use crate::services::reviews::staff_view::{self, Filter, Row, StaffView};
use crate::services::{Page, ServiceError};
use crate::web::auth::Staff;
use crate::web::ctx::{self, PageCtx};
use crate::web::errors::AppError;
use crate::web::{AppState, PageQuery, Pager, redirect, render, render_with, run};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/reviews", web::get().to(list))
        .route("/admin/reviews/{id}", web::get().to(detail))
        .route("/admin/reviews/{id}/hide", web::post().to(hide))
        .route("/admin/reviews/{id}/unhide", web::post().to(unhide))
        .route("/admin/reviews/{id}/dismiss", web::post().to(dismiss))
        .route("/admin/reviews/{id}/reply", web::post().to(reply));
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    filter: String,
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/reviews.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Page<Row>,
    filter: Filter,
    pager: Pager,
}

impl ListPage {
    fn filters(&self) -> [Filter; 3] {
        Filter::ALL
    }
}

/// Handles GET /admin/reviews: reviews with open reports first, then
/// newest; `?filter=reported|hidden|all`.
async fn list(
    ctx: PageCtx,
    staff: Staff,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let filter = Filter::parse(query.filter.trim());
    let page = PageQuery { page: query.page }.number();
    let actor = staff.0.actor();
    let rows = run(&state, move |conn| {
        staff_view::list(conn, &actor, filter, page)
    })
    .await?;
    let pager = Pager::new(
        "/admin/reviews",
        &[("filter", filter.as_str())],
        page,
        rows.has_next,
    );
    render(&ListPage {
        ctx,
        rows,
        filter,
        pager,
    })
}

#[derive(Template)]
#[template(path = "admin/review.html")]
struct DetailPage {
    ctx: PageCtx,
    view: StaffView,
    reason: String,
    reply: String,
    errors: FieldErrors,
}

impl DetailPage {
    fn dimensions(&self) -> &'static [Dimension] {
        Dimension::ALL
    }

    fn hide_reasons(&self) -> &'static [HideReason] {
        HideReason::ALL
    }

    fn tags<'a>(&self, stored: &'a str) -> Vec<&'a str> {
        stored.split(',').filter(|t| !t.is_empty()).collect()
    }

    fn version_scores(&self, scores: &(i64, i64, i64, i64, i64, i64)) -> [i64; 6] {
        [scores.0, scores.1, scores.2, scores.3, scores.4, scores.5]
    }

    fn has_open_reports(&self) -> bool {
        self.view.review.open_reports > 0
    }
}

async fn detail_page(
    ctx: PageCtx,
    staff: &Staff,
    state: &AppState,
    id: i64,
) -> Result<DetailPage, AppError> {
    let actor = staff.0.actor();
    let view = run(state, move |conn| staff_view::view(conn, &actor, id)).await?;
    let reply = view
        .reply
        .as_ref()
        .map(|r| r.body.clone())
        .unwrap_or_default();
    Ok(DetailPage {
        ctx,
        view,
        reason: String::new(),
        reply,
        errors: FieldErrors::new(),
    })
}

/// Handles GET /admin/reviews/{id}.
async fn detail(
    ctx: PageCtx,
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    render(&detail_page(ctx, &staff, &state, id.into_inner()).await?)
}

#[derive(Deserialize)]
struct HideForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    confirm: String,
}

/// Handles POST /admin/reviews/{id}/hide: only with a listed reason and
/// the confirmation ticked.
async fn hide(
    ctx: PageCtx,
    staff: Staff,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<HideForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let form = form.into_inner();
    let mut errors = FieldErrors::new();
    let reason = HideReason::parse(form.reason.trim())
        .map_err(|_| errors.add("reason", "route_review.hide_reason_required"))
        .ok();
    if form.confirm != "yes" {
        errors.add("confirm", "route_review.confirm_hide");
    }
    match reason {
        Some(reason) if errors.is_empty() => {
            let actor = staff.0.actor();
            run(&state, move |conn| {
                moderation::hide(conn, &actor, id, reason)
            })
            .await?;
            ctx::flash(&session, "success", "flash.route_review.hidden");
            Ok(redirect(&format!("/admin/reviews/{id}")))
        }
        _ => {
            let mut page = detail_page(ctx, &staff, &state, id).await?;
            page.reason = form.reason;
            page.errors = errors;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// Handles POST /admin/reviews/{id}/unhide.
async fn unhide(
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
        moderation::unhide,
        "flash.route_review.unhidden",
        "/admin/reviews",
    )
    .await
}

/// Handles POST /admin/reviews/{id}/dismiss: the open reports are closed;
/// the review stays as it is.
async fn dismiss(
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
        moderation::dismiss_reports,
        "flash.route_review.dismissed",
        "/admin/reviews",
    )
    .await
}

#[derive(Deserialize)]
struct ReplyForm {
    #[serde(default)]
    reply: String,
}

/// Handles POST /admin/reviews/{id}/reply: writes or replaces the one
/// public reply.
async fn reply(
    ctx: PageCtx,
    staff: Staff,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<ReplyForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let typed = form.into_inner().reply;
    let (actor, body) = (staff.0.actor(), typed.clone());
    match run(&state, move |conn| {
        moderation::reply(conn, &actor, id, &body)
    })
    .await
    {
        Ok(()) => {
            ctx::flash(&session, "success", "flash.route_review.replied");
            Ok(redirect(&format!("/admin/reviews/{id}")))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            let mut page = detail_page(ctx, &staff, &state, id).await?;
            page.reply = typed;
            page.errors = errors;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(error) => Err(error),
    }
}
