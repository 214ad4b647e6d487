//! `POST /api/v1/quote`: the quote engine with the JSON shape of
//! `samplepost quote --json` (issue #3).

use super::{ApiError, Caller, audit, run};
use crate::cli::{QuoteArgs, parcel_from, quote_json};
use crate::domain::api_scope::ApiScope;
use crate::domain::quote::{Options, SortBy};
use crate::domain::route::Attributes;
use crate::services::quote;
use crate::web::AppState;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

/// The parcel to price, as the CLI takes it.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct QuoteRequest {
    to: String,
    #[serde(default)]
    postcode: String,
    weight_g: i64,
    /// `LxWxH` in millimetres, e.g. `300x200x100`.
    #[serde(default)]
    dims_mm: Option<String>,
    #[serde(default)]
    battery: bool,
    #[serde(default)]
    liquid: bool,
    #[serde(default)]
    magnetic: bool,
    #[serde(default)]
    powder: bool,
    /// Declared value in USD, e.g. `"8.00"`.
    #[serde(default)]
    declared_usd: Option<String>,
}

/// Handles POST /api/v1/quote (scope `quote`): every route serving the
/// country, cheapest available first.
#[utoipa::path(
    post,
    path = "/api/v1/quote",
    tag = "quote",
    request_body = QuoteRequest,
    responses(
        (status = 200, description = "Every route serving the country, cheapest first (the JSON of `samplepost quote --json`)", body = Vec<crate::cli::RouteQuoteJson>),
        (status = 400, description = "The parcel cannot be read", body = super::ErrorBody),
        (status = 401, description = "No valid token", body = super::ErrorBody),
        (status = 403, description = "The token lacks the `quote` scope", body = super::ErrorBody),
    ),
    security(("bearer" = ["quote"])),
)]
pub async fn quote(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<QuoteRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.with(ApiScope::Quote)?;
    let request = body.into_inner();
    let args = QuoteArgs {
        to: request.to,
        postcode: request.postcode,
        weight_g: request.weight_g,
        dims_mm: request.dims_mm,
        attributes: Attributes {
            battery: request.battery,
            liquid: request.liquid,
            magnetic: request.magnetic,
            powder: request.powder,
        },
        declared_usd: request.declared_usd,
        json: true,
    };
    let parcel = parcel_from(&args).map_err(|why| ApiError::BadRequest("invalid_parcel", why))?;
    audit(&state, &caller, "api.quote", args.to.clone()).await?;
    let answer = run(&state, move |conn| {
        quote::quote(conn, &parcel, &Options::default(), None, SortBy::Price)
    })
    .await?;
    Ok(HttpResponse::Ok().json(quote_json(&answer)))
}
