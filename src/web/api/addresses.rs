//! `POST /api/v1/addresses/validate`: the order form's recipient rules for
//! an ERP to call before it pushes an order; and the company's address
//! book (list, create, update, delete) with the same rules.

use super::orders::acting;
use super::{ApiError, Caller, audit, field_problems, run};
use crate::db::addresses::Address;
use crate::domain::api_scope::ApiScope;
use crate::domain::recipient::{Recipient, RecipientFields};
use crate::services::addresses;
use crate::web::AppState;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

/// Handles POST /api/v1/addresses/validate (scope `quote`): always 200 with
/// `{valid, errors, normalized}`; `normalized` only when valid.
#[utoipa::path(
    post,
    path = "/api/v1/addresses/validate",
    tag = "addresses",
    request_body = RecipientFields,
    responses(
        (status = 200, description = "`{valid, errors: [{field, code, message}], normalized}`; `normalized` is null unless valid", body = serde_json::Value),
        (status = 401, description = "No valid token", body = super::ErrorBody),
        (status = 403, description = "The token lacks the `quote` scope", body = super::ErrorBody),
    ),
    security(("bearer" = ["quote"])),
)]
pub async fn validate(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<RecipientFields>,
) -> Result<HttpResponse, ApiError> {
    caller.with(ApiScope::Quote)?;
    audit(&state, &caller, "api.addresses.validate", String::new()).await?;
    let answer = match body.parse() {
        Ok(recipient) => {
            let normalized = recipient.to_fields();
            serde_json::json!({
                "valid": true,
                "errors": [],
                "normalized": {
                    "name": normalized.name,
                    "company": normalized.company,
                    "line1": normalized.line1,
                    "line2": normalized.line2,
                    "city": normalized.city,
                    "state": normalized.state,
                    "postcode": normalized.postcode,
                    "country": normalized.country,
                    "phone_e164": normalized.phone,
                    "email": normalized.email,
                    "tax_id": normalized.tax_id,
                },
            })
        }
        Err(errors) => serde_json::json!({
            "valid": false,
            "errors": field_problems(&errors),
            "normalized": null,
        }),
    };
    Ok(HttpResponse::Ok().json(answer))
}

/// The address book as the API shows it.
fn address_json(address: &Address) -> serde_json::Value {
    serde_json::json!({
        "id": address.id,
        "name": address.name,
        "company": address.company,
        "line1": address.line1,
        "line2": address.line2,
        "city": address.city,
        "state": address.state,
        "postcode": address.postcode,
        "country": address.country,
        "phone": address.phone,
        "email": address.email,
        "tax_id": address.tax_id,
        "updated_at": address.updated_at.and_utc().to_rfc3339(),
    })
}

#[derive(Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct BookParams {
    /// Matches name, company, city or country code.
    q: String,
    /// From 1; 50 addresses a page.
    page: Option<String>,
}

/// Handles GET /api/v1/addresses (scope `orders:read`): the company's
/// address book by name, 50 a page.
#[utoipa::path(
    get,
    path = "/api/v1/addresses",
    tag = "addresses",
    params(BookParams),
    responses(
        (status = 200, description = "`{addresses: [...], page, has_next}`", body = serde_json::Value),
        (status = 403, description = "The token lacks `orders:read`", body = super::ErrorBody),
    ),
    security(("bearer" = ["orders:read"])),
)]
pub async fn list(
    caller: Caller,
    state: web::Data<AppState>,
    params: web::Query<BookParams>,
) -> Result<HttpResponse, ApiError> {
    let actor = acting(&state, &caller, ApiScope::OrdersRead).await?;
    let page = match params.page.as_deref().map(str::trim) {
        None | Some("") => 1,
        Some(page) => page
            .parse::<i64>()
            .ok()
            .filter(|p| *p >= 1)
            .ok_or_else(|| {
                ApiError::BadRequest("invalid_filter", "page cannot be read".to_owned())
            })?,
    };
    let search = params.q.clone();
    audit(&state, &caller, "api.addresses.list", String::new()).await?;
    let found = run(&state, move |conn| {
        addresses::list(conn, &actor, &search, page)
    })
    .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "addresses": found.items.iter().map(address_json).collect::<Vec<_>>(),
        "page": found.page,
        "has_next": found.has_next,
    })))
}

fn parse(fields: &RecipientFields) -> Result<Recipient, ApiError> {
    fields
        .parse()
        .map_err(|errors| ApiError::Invalid(field_problems(&errors)))
}

/// Handles POST /api/v1/addresses (scope `orders:write`): adds an address
/// that passes the order form's recipient rules.
#[utoipa::path(
    post,
    path = "/api/v1/addresses",
    tag = "addresses",
    request_body = RecipientFields,
    responses(
        (status = 201, description = "The stored address (normalized)", body = serde_json::Value),
        (status = 422, description = "`validation_failed` with `errors`", body = super::ErrorBody),
    ),
    security(("bearer" = ["orders:write"])),
)]
pub async fn create(
    caller: Caller,
    state: web::Data<AppState>,
    body: web::Json<RecipientFields>,
) -> Result<HttpResponse, ApiError> {
    let actor = acting(&state, &caller, ApiScope::OrdersWrite).await?;
    let recipient = parse(&body)?;
    let address = run(&state, move |conn| {
        let id = addresses::create(conn, &actor, recipient)?;
        addresses::get(conn, &actor, id)
    })
    .await?;
    audit(
        &state,
        &caller,
        "api.addresses.create",
        address.id.to_string(),
    )
    .await?;
    Ok(HttpResponse::Created().json(address_json(&address)))
}

/// Handles PUT /api/v1/addresses/{id} (scope `orders:write`): replaces an address.
#[utoipa::path(
    put,
    path = "/api/v1/addresses/{id}",
    tag = "addresses",
    params(("id" = i64, Path, description = "The address id")),
    request_body = RecipientFields,
    responses(
        (status = 200, description = "The stored address (normalized)", body = serde_json::Value),
        (status = 404, description = "No such address in the token's company", body = super::ErrorBody),
        (status = 422, description = "`validation_failed` with `errors`", body = super::ErrorBody),
    ),
    security(("bearer" = ["orders:write"])),
)]
pub async fn update(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<RecipientFields>,
) -> Result<HttpResponse, ApiError> {
    let actor = acting(&state, &caller, ApiScope::OrdersWrite).await?;
    let id: i64 = id.trim().parse().map_err(|_| ApiError::NotFound)?;
    let recipient = parse(&body)?;
    audit(&state, &caller, "api.addresses.update", id.to_string()).await?;
    let address = run(&state, move |conn| {
        addresses::update(conn, &actor, id, recipient)?;
        addresses::get(conn, &actor, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(address_json(&address)))
}

/// Handles DELETE /api/v1/addresses/{id} (scope `orders:write`).
#[utoipa::path(
    delete,
    path = "/api/v1/addresses/{id}",
    tag = "addresses",
    params(("id" = i64, Path, description = "The address id")),
    responses(
        (status = 200, description = "`{deleted: id}`", body = serde_json::Value),
        (status = 404, description = "No such address in the token's company", body = super::ErrorBody),
    ),
    security(("bearer" = ["orders:write"])),
)]
pub async fn delete(
    caller: Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let actor = acting(&state, &caller, ApiScope::OrdersWrite).await?;
    let id: i64 = id.trim().parse().map_err(|_| ApiError::NotFound)?;
    audit(&state, &caller, "api.addresses.delete", id.to_string()).await?;
    run(&state, move |conn| addresses::delete(conn, &actor, id)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "deleted": id })))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(list, create, update, delete))]
pub struct AddressBookApi;
