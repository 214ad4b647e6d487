//! The seller's side of handover: choosing a drop-off warehouse on a paid
//! order's page, and the company's pickup requests (`/app/pickups`).

use super::auth::Member;
use super::ctx::{self, PageCtx};
use super::errors::AppError;
use super::{AppState, redirect, render, render_with, run};
use crate::domain::field_errors::FieldErrors;
use crate::domain::pickup::{self, TimeWindow};
use crate::services::handover::pickups::{Candidate, PickupRequest, PickupRow, SenderAddress};
use crate::services::handover::{self, pickups};
use crate::services::{ServiceError, pricing};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Duration;
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/orders/{no}/handover", web::post().to(drop_off))
        .route("/app/pickups", web::get().to(list))
        .route("/app/pickups", web::post().to(create))
        .route("/app/pickups/new", web::get().to(new_form))
        .route("/app/pickups/{id}/cancel", web::post().to(cancel))
        .route("/app/pickups/{id}/accept", web::post().to(accept));
}

#[derive(Deserialize)]
struct DropOffForm {
    #[serde(default)]
    warehouse: String,
}

/// Handles POST /app/orders/{no}/handover: the parcel will be dropped off
/// at the chosen warehouse. A missing or withdrawn warehouse is said on the
/// order page.
async fn drop_off(
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    no: web::Path<String>,
    form: web::Form<DropOffForm>,
) -> Result<HttpResponse, AppError> {
    let no = no.into_inner().to_uppercase();
    let back = format!("/app/orders/{no}#handover");
    let Ok(warehouse) = form.warehouse.trim().parse::<i64>() else {
        ctx::flash(&session, "error", "error.handover.warehouse");
        return Ok(redirect(&back));
    };
    let actor = member.0.actor();
    let target = no.clone();
    match run(&state, move |conn| {
        handover::choose_drop_off(conn, &actor, &target, warehouse)
    })
    .await
    {
        Ok(()) => {
            ctx::flash(&session, "success", "flash.drop_off_chosen");
            Ok(redirect(&back))
        }
        Err(AppError::Service(ServiceError::Invalid(_))) => {
            ctx::flash(&session, "error", "error.handover.warehouse");
            Ok(redirect(&back))
        }
        Err(error) => Err(error),
    }
}

#[derive(Template)]
#[template(path = "app/pickups.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<PickupRow>,
}

/// Handles GET /app/pickups: the company's requests, newest first.
async fn list(
    ctx: PageCtx,
    member: Member,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let actor = member.0.actor();
    let rows = run(&state, move |conn| pickups::list(conn, &actor)).await?;
    render(&ListPage { ctx, rows })
}

/// The pickup form as typed (`orders` may repeat).
#[derive(Default)]
pub struct PickupForm {
    orders: Vec<String>,
    address: String,
    date: String,
    window: String,
    /// Blank means one parcel per order.
    parcels: String,
}

impl PickupForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> PickupForm {
        let mut form = PickupForm::default();
        for (key, value) in pairs {
            match key.as_str() {
                "orders" | "order" => form.orders.push(value.trim().to_uppercase()),
                "address" => form.address = value,
                "date" => form.date = value,
                "window" => form.window = value,
                "parcels" => form.parcels = value,
                _ => {}
            }
        }
        form
    }

    fn parse(&self) -> Result<PickupRequest, FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.orders.is_empty() {
            errors.add("orders", "error.pickup.no_orders");
        }
        if self.address.trim().is_empty() {
            errors.add("address", "error.pickup.address");
        }
        let date = errors.check(
            "date",
            pickup::parse_date(&self.date)
                .and_then(|d| pickup::check_seller_date(pricing::today(), d)),
            |e| e,
        );
        let window = errors.check("window", pickup::parse_window(&self.window), |e| e);
        let parcels = if self.parcels.trim().is_empty() {
            Some(
                u32::try_from(self.orders.len())
                    .map_or(pickup::MAX_PARCELS, |n| n.clamp(1, pickup::MAX_PARCELS)),
            )
        } else {
            errors.check("parcels", pickup::parse_parcels(&self.parcels), |e| e)
        };
        match (date, window, parcels) {
            (Some(date), Some(window), Some(parcels)) if errors.is_empty() => Ok(PickupRequest {
                orders: self.orders.clone(),
                address: self.address.trim().to_owned(),
                date,
                window,
                parcels,
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "app/pickup_new.html")]
struct NewPage {
    ctx: PageCtx,
    candidates: Vec<Candidate>,
    addresses: Vec<SenderAddress>,
    form: PickupForm,
    errors: FieldErrors,
    windows: &'static [TimeWindow],
    /// The first and last day the date field offers.
    first_day: String,
    last_day: String,
}

impl NewPage {
    fn is_chosen(&self, order_no: &str) -> bool {
        self.form.orders.iter().any(|o| o == order_no)
    }
}

async fn new_page(
    ctx: PageCtx,
    member: &Member,
    state: &AppState,
    form: PickupForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let actor = member.0.actor();
    let (candidates, addresses) = run(state, move |conn| {
        Ok((
            pickups::candidates(conn, &actor)?,
            pickups::sender_addresses(conn, &actor)?,
        ))
    })
    .await?;
    let today = pricing::today();
    render_with(
        &NewPage {
            ctx,
            candidates,
            addresses,
            form,
            errors,
            windows: TimeWindow::ALL,
            first_day: (today + Duration::days(1)).to_string(),
            last_day: (today + Duration::days(pickup::MAX_DAYS_AHEAD)).to_string(),
        },
        status,
    )
}

/// Handles GET /app/pickups/new (`?order=NO` preselects orders).
async fn new_form(
    ctx: PageCtx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let mut form = PickupForm::from_pairs(query.into_inner());
    form.address = "company".to_owned();
    form.date = (pricing::today() + Duration::days(1)).to_string();
    if !form.orders.is_empty() {
        form.parcels = form.orders.len().to_string();
    }
    new_page(
        ctx,
        &member,
        &state,
        form,
        FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// Handles POST /app/pickups: a new request.
async fn create(
    ctx: PageCtx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let form = PickupForm::from_pairs(body.into_inner());
    let result = match form.parse() {
        Ok(request) => {
            let actor = member.0.actor();
            run(&state, move |conn| pickups::request(conn, &actor, &request)).await
        }
        Err(errors) => Err(AppError::Service(ServiceError::Invalid(errors))),
    };
    match result {
        Ok(_) => {
            ctx::flash(&session, "success", "flash.pickup_requested");
            Ok(redirect("/app/pickups"))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            new_page(
                ctx,
                &member,
                &state,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(error) => Err(error),
    }
}

#[derive(Deserialize)]
struct ConfirmForm {
    #[serde(default)]
    confirm: String,
}

/// Handles POST /app/pickups/{id}/cancel: only with the confirmation ticked.
async fn cancel(
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    if form.confirm != "yes" {
        ctx::flash(&session, "error", "flash.pickup_confirm_cancel");
        return Ok(redirect("/app/pickups"));
    }
    let id = id.into_inner();
    let actor = member.0.actor();
    run(&state, move |conn| pickups::cancel(conn, &actor, id)).await?;
    ctx::flash(&session, "success", "flash.pickup_cancelled");
    Ok(redirect("/app/pickups"))
}

/// Handles POST /app/pickups/{id}/accept: the operator's proposed slot is fine.
async fn accept(
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let actor = member.0.actor();
    run(&state, move |conn| pickups::accept(conn, &actor, id)).await?;
    ctx::flash(&session, "success", "flash.pickup_accepted");
    Ok(redirect("/app/pickups"))
}
