//! `GET /api/v1/orders/{order_no}/tracking`: an order's tracking events for
//! the ERP, oldest first, with the public milestone names.

use super::{ApiError, Caller, acting, audit, run};
use crate::domain::api_scope::ApiScope;
use crate::i18n::{self, Lang};
use crate::services::tracking;
use crate::web::AppState;
use actix_web::{HttpResponse, web};
use chrono::Offset;
use serde::Serialize;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/orders/{order_no}/tracking", web::get().to(events));
}

/// One tracking event.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TrackingEventOut {
    /// `info_received`, `in_transit`, `customs_held`, `delivered`, …
    pub milestone: String,
    /// The milestone's public name in English.
    pub milestone_name: String,
    /// For an exception: `address_problem`, `damaged`, …
    pub reason: Option<String>,
    /// When it happened, with the offset of the place (RFC 3339).
    pub at: String,
    pub city: String,
    /// ISO code, or empty.
    pub country: String,
}

/// An order's journey.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TrackingOut {
    pub order_no: String,
    /// The order's status now.
    pub status: String,
    pub carrier: Option<String>,
    pub waybill: Option<String>,
    /// Oldest first.
    pub events: Vec<TrackingEventOut>,
}

/// Handles GET /api/v1/orders/{order_no}/tracking (scope `tracking:read`);
/// another company's order is 404.
#[utoipa::path(
    get,
    path = "/api/v1/orders/{order_no}/tracking",
    tag = "tracking",
    params(("order_no" = String, Path, description = "The order number")),
    responses(
        (status = 200, description = "The order's tracking events, oldest first", body = TrackingOut),
        (status = 401, description = "No valid token", body = super::ErrorBody),
        (status = 403, description = "The token lacks the `tracking:read` scope", body = super::ErrorBody),
        (status = 404, description = "No such order in the token's company", body = super::ErrorBody),
        (status = 429, description = "Rate limited; see `Retry-After`", body = super::ErrorBody),
    ),
    security(("bearer" = ["tracking:read"])),
)]
pub async fn events(
    caller: Caller,
    state: web::Data<AppState>,
    order_no: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let actor = acting(&state, &caller, ApiScope::TrackingRead).await?;
    let order_no = order_no.into_inner();
    if order_no.len() > 40 {
        return Err(ApiError::NotFound);
    }
    audit(&state, &caller, "api.tracking", order_no.clone()).await?;
    let view = run(&state, move |conn| {
        let order = crate::services::orders::find(conn, &actor, &order_no)?;
        tracking::tracking_of(conn, &order)
    })
    .await?;
    let events = view
        .rows
        .iter()
        .rev()
        .map(|row| {
            let event = &row.event;
            let offset = chrono::FixedOffset::east_opt(
                i32::try_from(event.utc_offset_minutes * 60).unwrap_or(0),
            )
            .unwrap_or(chrono::Utc.fix());
            let milestone = event.milestone.as_str();
            TrackingEventOut {
                milestone: milestone.to_owned(),
                milestone_name: i18n::t(Lang::En, &format!("milestone.{milestone}")).to_owned(),
                reason: event.reason.clone(),
                at: event
                    .event_at
                    .and_utc()
                    .with_timezone(&offset)
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                city: event.city.clone(),
                country: event.country.clone(),
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(TrackingOut {
        order_no: view.order_no,
        status: view.status.as_str().to_owned(),
        carrier: view.carrier,
        waybill: view.waybill,
        events,
    }))
}
