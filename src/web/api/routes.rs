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
use serde::Deserialize;
use serde_json::{Value, json};

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

fn row_json(row: &BoardRow) -> Value {
    let route = &row.route;
    let figures = &row.figures;
    let (rating, rating_status) = match figures.rating {
        Rating::Rated(value) => (round(Some(value)), "rated"),
        Rating::TooFew => (None, "too_few_reviews"),
        Rating::NoReviews => (None, "no_reviews"),
    };
    let averages: serde_json::Map<String, Value> = Dimension::ALL
        .iter()
        .map(|d| (d.as_str().to_owned(), json!(round(figures.average(*d)))))
        .collect();
    let facts = &figures.facts;
    let price = row.price.as_ref().map(|price| match price {
        Ok(fen) => json!({"available": true, "total_fen": fen.0, "currency": "CNY"}),
        Err(why) => json!({"available": false, "reason": why.message_key()}),
    });
    json!({
        "code": route.code,
        "name_zh": route.name_zh,
        "name_en": route.name_en,
        "transport": route.transport.as_str(),
        "nominal_transit_days": {"min": route.transit_min_days, "max": route.transit_max_days},
        "accepts": route.accepted().iter().map(|a| a.as_str().to_owned()).collect::<Vec<_>>(),
        "max_weight_g": route.max_weight_g,
        "ddp_offered": route.ddp_offered,
        "scope": figures.stats.country,
        "rating": rating,
        "rating_status": rating_status,
        "review_count": figures.stats.reviews,
        "averages": averages,
        "measured": {
            "deliveries": facts.delivered,
            "median_days": facts.transit_median,
            "p90_days": facts.transit_p90,
            "on_time_rate": round(figures.on_time_rate()),
            "customs_success_rate": round(figures.customs_success_rate()),
            "exception_rate": round(figures.exception_rate()),
            "condition_average": round(figures.condition_average()),
            "quote_accuracy": round(figures.quote_accuracy()),
            "longest_silence_median_hours": facts.silence_median_hours,
        },
        "reference_price": price,
    })
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
        (status = 200, description = "`{routes: [...]}` with rating, review count, dimension averages, measured median/p90 days, on-time rate, …", body = serde_json::Value),
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
    Ok(HttpResponse::Ok().json(json!({
        "routes": rows.iter().map(row_json).collect::<Vec<_>>(),
    })))
}

/// Handles GET /api/v1/routes/{code} (scope `quote`): one active route.
#[utoipa::path(
    get,
    path = "/api/v1/routes/{code}",
    tag = "routes",
    params(("code" = String, Path, description = "The route code"), RouteParams),
    responses(
        (status = 200, description = "The route with its board facts", body = serde_json::Value),
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
    Ok(HttpResponse::Ok().json(row_json(row)))
}
