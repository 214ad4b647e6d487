//! `GET /api/v1/routes` and `/api/v1/routes/{code}`: the active routes with
//! the review board's facts, for all destinations or one (`?country=XX`).

use super::{ApiError, Caller, audit, run};
use crate::domain::api_scope::ApiScope;
use crate::domain::country::CountryCode;
use crate::domain::review::Dimension;
use crate::services::board::figures::Rating;
use crate::services::board::{self, BoardQuery, BoardRow};
use crate::services::now;
use crate::web::AppState;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(utoipa::OpenApi)]
#[openapi(paths(list, get))]
pub struct RoutesApi;

#[derive(Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct RouteParams {
    /// ISO code of a destination: facts to that country only, and the
    /// price of the reference parcel (0.5 kg, 20 × 15 × 10 cm).
    country: Option<String>,
}

fn round(value: Option<f64>) -> Option<f64> {
    value.map(|v| (v * 1000.0).round() / 1000.0)
}

/// A route's nominal transit days (the provider's).
#[derive(Serialize, ToSchema)]
pub struct NominalDaysOut {
    pub min: i64,
    pub max: i64,
}

/// What the route's orders measured (DESIGN.md §6); rates are 0–1.
#[derive(Serialize, ToSchema)]
pub struct MeasuredOut {
    pub deliveries: i64,
    pub median_days: Option<i64>,
    pub p90_days: Option<i64>,
    pub on_time_rate: Option<f64>,
    pub customs_success_rate: Option<f64>,
    pub exception_rate: Option<f64>,
    /// Recipients' condition ratings, 1–5.
    pub condition_average: Option<f64>,
    /// Share of parcels whose re-weigh bill equalled the quote.
    pub quote_accuracy: Option<f64>,
    pub longest_silence_median_hours: Option<i64>,
}

/// The reference parcel's price (0.5 kg, 20 × 15 × 10 cm) to `country`.
#[derive(Serialize, ToSchema)]
pub struct PriceOut {
    pub available: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_fen: Option<i64>,
    /// `CNY` when available.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Why not, when unavailable (a message key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A route with the review board's figures.
#[derive(Serialize, ToSchema)]
pub struct RouteOut {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// `air`, `sea`, `rail`, `truck`, `express`.
    pub transport: String,
    pub nominal_transit_days: NominalDaysOut,
    /// Sensitive goods accepted: `battery`, `liquid`, `magnetic`, `powder`.
    pub accepts: Vec<String>,
    pub max_weight_g: i64,
    pub ddp_offered: bool,
    /// The figures' scope: a country code, or empty for all destinations.
    pub scope: String,
    /// The Bayesian rating 1–5; null unless `rating_status` is `rated`.
    pub rating: Option<f64>,
    /// `rated`, `too_few_reviews` or `no_reviews`.
    pub rating_status: String,
    pub review_count: i64,
    /// Mean stars per dimension: `overall`, `timeliness`, `service`, …
    pub averages: BTreeMap<String, Option<f64>>,
    pub measured: MeasuredOut,
    /// Only with `?country=`.
    pub reference_price: Option<PriceOut>,
}

/// Every active route.
#[derive(Serialize, ToSchema)]
pub struct RoutesOut {
    pub routes: Vec<RouteOut>,
}

fn row_out(row: &BoardRow) -> RouteOut {
    let route = &row.route;
    let figures = &row.figures;
    let (rating, rating_status) = match figures.rating {
        Rating::Rated(value) => (round(Some(value)), "rated"),
        Rating::TooFew => (None, "too_few_reviews"),
        Rating::NoReviews => (None, "no_reviews"),
    };
    let facts = &figures.facts;
    let price = row.price.as_ref().map(|price| match price {
        Ok(fen) => PriceOut {
            available: true,
            total_fen: Some(fen.0),
            currency: Some("CNY".to_owned()),
            reason: None,
        },
        Err(why) => PriceOut {
            available: false,
            total_fen: None,
            currency: None,
            reason: Some(why.message_key().to_owned()),
        },
    });
    RouteOut {
        code: route.code.clone(),
        name_zh: route.name_zh.clone(),
        name_en: route.name_en.clone(),
        transport: route.transport.as_str().to_owned(),
        nominal_transit_days: NominalDaysOut {
            min: route.transit_min_days,
            max: route.transit_max_days,
        },
        accepts: route
            .accepted()
            .iter()
            .map(|a| a.as_str().to_owned())
            .collect(),
        max_weight_g: route.max_weight_g,
        ddp_offered: route.ddp_offered,
        scope: figures.stats.country.clone(),
        rating,
        rating_status: rating_status.to_owned(),
        review_count: figures.stats.reviews,
        averages: Dimension::ALL
            .iter()
            .map(|d| (d.as_str().to_owned(), round(figures.average(*d))))
            .collect(),
        measured: MeasuredOut {
            deliveries: facts.delivered,
            median_days: facts.transit_median,
            p90_days: facts.transit_p90,
            on_time_rate: round(figures.on_time_rate()),
            customs_success_rate: round(figures.customs_success_rate()),
            exception_rate: round(figures.exception_rate()),
            condition_average: round(figures.condition_average()),
            quote_accuracy: round(figures.quote_accuracy()),
            longest_silence_median_hours: facts.silence_median_hours,
        },
        reference_price: price,
    }
}

async fn board_rows(state: &AppState, params: &RouteParams) -> Result<Vec<BoardRow>, ApiError> {
    let country = match params.country.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => Some(CountryCode::parse(code).map_err(|_| {
            ApiError::BadRequest("invalid_country", format!("unknown country code {code:?}"))
        })?),
    };
    let query = BoardQuery {
        country,
        ..BoardQuery::default()
    };
    let cache = state.catalogue.clone();
    let catalogue = run(state, move |conn| cache.current(conn)).await?;
    Ok(board::board(&catalogue, &query, now()).rows)
}

/// Handles GET /api/v1/routes (scope `quote`): every active route with its
/// board facts, best rated first.
#[utoipa::path(
    get,
    path = "/api/v1/routes",
    tag = "routes",
    params(RouteParams),
    responses(
        (status = 200, description = "Every active route with rating, review count, dimension averages and measured facts, best rated first", body = RoutesOut),
        (status = 400, description = "`invalid_country`", body = super::ErrorBody),
        (status = 403, description = "The token lacks `quote`", body = super::ErrorBody),
    ),
    security(("bearer" = ["quote"])),
)]
pub async fn list(
    caller: Caller,
    state: web::Data<AppState>,
    params: web::Query<RouteParams>,
) -> Result<HttpResponse, ApiError> {
    caller.with(ApiScope::Quote)?;
    audit(&state, &caller, "api.routes.list", String::new()).await?;
    let rows = board_rows(&state, &params).await?;
    Ok(HttpResponse::Ok().json(RoutesOut {
        routes: rows.iter().map(row_out).collect(),
    }))
}

/// Handles GET /api/v1/routes/{code} (scope `quote`): one active route.
#[utoipa::path(
    get,
    path = "/api/v1/routes/{code}",
    tag = "routes",
    params(("code" = String, Path, description = "The route code"), RouteParams),
    responses(
        (status = 200, description = "The route with its board facts", body = RouteOut),
        (status = 404, description = "No active route with this code (or it does not serve `country`)", body = super::ErrorBody),
    ),
    security(("bearer" = ["quote"])),
)]
pub async fn get(
    caller: Caller,
    state: web::Data<AppState>,
    code: web::Path<String>,
    params: web::Query<RouteParams>,
) -> Result<HttpResponse, ApiError> {
    caller.with(ApiScope::Quote)?;
    let code = code.into_inner().trim().to_ascii_uppercase();
    audit(&state, &caller, "api.routes.get", code.clone()).await?;
    let rows = board_rows(&state, &params).await?;
    let row = rows
        .iter()
        .find(|row| row.route.code == code)
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(row_out(row)))
}
