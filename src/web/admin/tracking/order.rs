//! `/admin/orders/{no}`: the staff page of one order — its summary, its
//! tracking timeline and the form to add a tracking event by hand.

use crate::db::orders::Order;
use crate::domain::field_errors::FieldErrors;
use crate::domain::tracking::{ExceptionReason, Milestone};
use crate::services::ServiceError;
use crate::services::returns::{self, ReturnLinks};
use crate::services::tracking::{self, Recorded, StaffEvent, TrackingView};
use crate::web::auth::Staff;
use crate::web::ctx::{self, PageCtx};
use crate::web::errors::AppError;
use crate::web::{AppState, redirect, render, render_with, run};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/orders/{no}", web::get().to(page))
        .route("/admin/orders/{no}/tracking", web::post().to(add))
        .route(
            "/admin/orders/{no}/return-waybill",
            web::post().to(return_waybill),
        );
}

/// China's offset, the default for the form: most first events happen there.
const CHINA_OFFSET: &str = "+08:00";

#[derive(Template)]
#[template(path = "admin/order.html")]
struct OrderPage {
    ctx: PageCtx,
    order: Order,
    tracking: TrackingView,
    form: StaffEvent,
    errors: FieldErrors,
    milestones: &'static [Milestone],
    reasons: &'static [ExceptionReason],
    /// The return of this order, or the order this return brings back.
    links: ReturnLinks,
    /// The carrier and waybill of a return, as typed.
    waybill: WaybillForm,
    waybill_errors: FieldErrors,
}

/// The carrier's code and number for a return order.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct WaybillForm {
    carrier: String,
    waybill: String,
}

impl OrderPage {
    fn is_milestone(&self, milestone: &Milestone) -> bool {
        self.form.milestone == milestone.as_str()
    }

    fn is_reason(&self, reason: &ExceptionReason) -> bool {
        self.form.reason == reason.as_str()
    }
}

async fn load(
    ctx: PageCtx,
    state: &AppState,
    staff: &Staff,
    no: String,
) -> Result<OrderPage, AppError> {
    let actor = staff.0.actor();
    let (order, tracking, links) = run(state, move |conn| {
        let (order, tracking) = tracking::staff_view(conn, &actor, &no)?;
        let links = returns::links_of(conn, &order)?;
        Ok((order, tracking, links))
    })
    .await?;
    Ok(OrderPage {
        links,
        waybill: WaybillForm::default(),
        waybill_errors: FieldErrors::new(),
        ctx,
        order,
        tracking,
        form: StaffEvent {
            utc_offset: CHINA_OFFSET.to_owned(),
            ..StaffEvent::default()
        },
        errors: FieldErrors::new(),
        milestones: Milestone::ALL,
        reasons: ExceptionReason::ALL,
    })
}

/// Handles GET /admin/orders/{no}: the order's summary and tracking.
async fn page(
    ctx: PageCtx,
    staff: Staff,
    state: web::Data<AppState>,
    no: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    render(&load(ctx, &state, &staff, no.into_inner()).await?)
}

/// Handles POST /admin/orders/{no}/tracking: adds a tracking event by hand.
async fn add(
    ctx: PageCtx,
    staff: Staff,
    session: Session,
    state: web::Data<AppState>,
    no: web::Path<String>,
    form: web::Form<StaffEvent>,
) -> Result<HttpResponse, AppError> {
    let no = no.into_inner();
    let form = form.into_inner();
    let actor = staff.0.actor();
    let (number, event) = (no.clone(), form.clone());
    let result = run(&state, move |conn| {
        tracking::add_by_staff(conn, &actor, &number, &event)
    })
    .await;
    match result {
        Ok(recorded) => {
            let key = match recorded {
                Recorded::Stored { .. } => "flash.tracking.added",
                Recorded::Duplicate => "flash.tracking.duplicate",
            };
            ctx::flash(&session, "success", key);
            Ok(redirect(&format!("/admin/orders/{no}")))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            let mut page = load(ctx, &state, &staff, no).await?;
            page.form = form;
            page.errors = errors;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(error) => Err(error),
    }
}

/// Handles POST /admin/orders/{no}/return-waybill: the carrier and waybill
/// of a return order; its tracking events then find it by the waybill.
async fn return_waybill(
    ctx: PageCtx,
    staff: Staff,
    session: Session,
    state: web::Data<AppState>,
    no: web::Path<String>,
    form: web::Form<WaybillForm>,
) -> Result<HttpResponse, AppError> {
    let no = no.into_inner();
    let form = form.into_inner();
    let actor = staff.0.actor();
    let (number, typed) = (no.clone(), form.clone());
    let result = run(&state, move |conn| {
        returns::set_waybill(conn, &actor, &number, &typed.carrier, &typed.waybill)
    })
    .await;
    match result {
        Ok(()) => {
            ctx::flash(&session, "success", "returns.waybill_set");
            Ok(redirect(&format!("/admin/orders/{no}")))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            let mut page = load(ctx, &state, &staff, no).await?;
            page.waybill = form;
            page.waybill_errors = errors;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(error) => Err(error),
    }
}
