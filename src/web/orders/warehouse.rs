//! The seller's answers to the warehouse on the order page: pay a held
//! parcel's difference, correct a refused parcel's declaration, or have the
//! parcel sent back for the return fee.

use super::{ConfirmForm, detail_page, unconfirmed};
use crate::domain::customs::{Battery, Declared};
use crate::domain::field_errors::FieldErrors;
use crate::services::ServiceError;
use crate::services::warehouse;
use crate::web::auth::Member;
use crate::web::ctx::{self, PageCtx};
use crate::web::errors::AppError;
use crate::web::{AppState, redirect, render_with, run};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/app/orders/{no}/pay-difference",
        web::post().to(pay_difference),
    )
    .route("/app/orders/{no}/correct", web::post().to(correct))
    .route("/app/orders/{no}/return", web::post().to(return_to_sender));
}

/// Handles POST /app/orders/{no}/pay-difference: the held parcel's
/// difference from the balance, or what the balance still lacks.
async fn pay_difference(
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    no: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let no = no.into_inner();
    let actor = member.0.actor();
    let target = no.clone();
    let paid = run(&state, move |conn| {
        warehouse::pay_difference(conn, &actor, &target)
    })
    .await?;
    match paid {
        Ok(_) => ctx::flash(&session, "success", "flash.warehouse.difference_paid"),
        Err(_) => ctx::flash(&session, "error", "flash.warehouse.difference_short"),
    }
    Ok(redirect(&format!("/app/orders/{no}")))
}

#[derive(Deserialize)]
pub struct CorrectForm {
    #[serde(default)]
    battery: String,
    #[serde(default)]
    liquid: Option<String>,
    #[serde(default)]
    magnetic: Option<String>,
    #[serde(default)]
    powder: Option<String>,
}

/// Handles POST /app/orders/{no}/correct: the corrected sensitive goods of
/// a refused parcel; the warehouse weighs it again.
async fn correct(
    ctx: PageCtx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    no: web::Path<String>,
    form: web::Form<CorrectForm>,
) -> Result<HttpResponse, AppError> {
    let no = no.into_inner();
    let form = form.into_inner();
    let result = match Battery::parse(form.battery.trim()) {
        Ok(battery) => {
            let declared = Declared {
                battery,
                liquid: form.liquid.is_some(),
                magnetic: form.magnetic.is_some(),
                powder: form.powder.is_some(),
            };
            let actor = member.0.actor();
            let target = no.clone();
            run(&state, move |conn| {
                warehouse::correct(conn, &actor, &target, declared)
            })
            .await
        }
        Err(_) => Err(ServiceError::Invalid(FieldErrors::single(
            "battery",
            "error.warehouse.battery_choice",
        ))
        .into()),
    };
    match result {
        Ok(()) => {
            ctx::flash(&session, "success", "flash.warehouse.corrected");
            Ok(redirect(&format!("/app/orders/{no}")))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            let mut page = detail_page(ctx, &member, &session, &state, no).await?;
            page.warehouse_errors = errors;
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(error) => Err(error),
    }
}

/// Handles POST /app/orders/{no}/return: the parcel comes back from the
/// warehouse; refunded, less the return fee. Only with the confirmation ticked.
async fn return_to_sender(
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    no: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let no = no.into_inner();
    if let Some(back) = unconfirmed(&session, &form, &no, "flash.warehouse.confirm_return") {
        return Ok(back);
    }
    let actor = member.0.actor();
    let target = no.clone();
    run(&state, move |conn| {
        warehouse::return_to_sender(conn, &actor, &target)
    })
    .await?;
    ctx::flash(&session, "success", "flash.warehouse.returned");
    Ok(redirect(&format!("/app/orders/{no}")))
}
