//! `POST /api/v1/addresses/validate`: the order form's recipient rules for
//! an ERP to call before it pushes an order; and the company's address
//! book (list, create, update, delete) with the same rules.

use super::{ApiError, Caller, FieldProblem, acting, audit, field_problems, run};
use crate::db::addresses::Address;
use crate::domain::api_scope::ApiScope;
use crate::domain::recipient::{Recipient, RecipientFields};
use crate::services::addresses;
use crate::web::AppState;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Handles POST /api/v1/addresses/validate (scope `quote`): always 200 with
/// `{valid, errors, normalized}`; `normalized` only when valid.
#[utoipa::path(
    post,
    path = "/api/v1/addresses/validate",
    tag = "addresses",
    request_body = RecipientFields,
    responses(
        (status = 200, description = "`normalized` is null unless valid", body = ValidationOut),
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
            ValidationOut {
                valid: true,
                errors: Vec::new(),
                normalized: Some(NormalizedOut {
                    name: normalized.name,
                    company: normalized.company,
                    line1: normalized.line1,
                    line2: normalized.line2,
                    city: normalized.city,
                    state: normalized.state,
                    postcode: normalized.postcode,
                    country: normalized.country,
                    phone_e164: normalized.phone,
                    email: normalized.email,
                    tax_id: normalized.tax_id,
                }),
            }
        }
        Err(errors) => ValidationOut {
            valid: false,
            errors: field_problems(&errors),
            normalized: None,
        },
    };
    Ok(HttpResponse::Ok().json(answer))
}

/// The answer of the validation.
#[derive(Serialize, ToSchema)]
pub struct ValidationOut {
    pub valid: bool,
    /// Empty when valid.
    pub errors: Vec<FieldProblem>,
    /// The address as the order form would store it; null unless valid.
    pub normalized: Option<NormalizedOut>,
}

/// A valid address, normalized (postcode formatted, phone in E.164).
#[derive(Serialize, ToSchema)]
pub struct NormalizedOut {
    pub name: String,
    pub company: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub state: String,
    pub postcode: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// E.164, e.g. `+442079460958`.
    pub phone_e164: String,
    pub email: String,
    pub tax_id: String,
}

/// An address of the book.
#[derive(Serialize, ToSchema)]
pub struct AddressOut {
    pub id: i64,
    pub name: String,
    pub company: Option<String>,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub state: Option<String>,
    pub postcode: String,
    pub country: String,
    pub phone: String,
    pub email: Option<String>,
    pub tax_id: Option<String>,
    pub updated_at: String,
}

/// One page of the address book.
#[derive(Serialize, ToSchema)]
pub struct AddressPageOut {
    pub addresses: Vec<AddressOut>,
    pub page: i64,
    pub has_next: bool,
}

/// The answer of a deletion.
#[derive(Serialize, ToSchema)]
pub struct DeletedOut {
    pub deleted: i64,
}

fn address_out(address: &Address) -> AddressOut {
    AddressOut {
        id: address.id,
        name: address.name.clone(),
        company: address.company.clone(),
        line1: address.line1.clone(),
        line2: address.line2.clone(),
        city: address.city.clone(),
        state: address.state.clone(),
        postcode: address.postcode.clone(),
        country: address.country.clone(),
        phone: address.phone.clone(),
        email: address.email.clone(),
        tax_id: address.tax_id.clone(),
        updated_at: super::order_out::at(address.updated_at),
    }
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
        (status = 200, description = "One page of the book, by name", body = AddressPageOut),
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
    Ok(HttpResponse::Ok().json(AddressPageOut {
        addresses: found.items.iter().map(address_out).collect(),
        page: found.page,
        has_next: found.has_next,
    }))
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
        (status = 201, description = "The stored address (normalized)", body = AddressOut),
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
    Ok(HttpResponse::Created().json(address_out(&address)))
}

/// Handles PUT /api/v1/addresses/{id} (scope `orders:write`): replaces an address.
#[utoipa::path(
    put,
    path = "/api/v1/addresses/{id}",
    tag = "addresses",
    params(("id" = i64, Path, description = "The address id")),
    request_body = RecipientFields,
    responses(
        (status = 200, description = "The stored address (normalized)", body = AddressOut),
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
    Ok(HttpResponse::Ok().json(address_out(&address)))
}

/// Handles DELETE /api/v1/addresses/{id} (scope `orders:write`).
#[utoipa::path(
    delete,
    path = "/api/v1/addresses/{id}",
    tag = "addresses",
    params(("id" = i64, Path, description = "The address id")),
    responses(
        (status = 200, description = "Deleted", body = DeletedOut),
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
    Ok(HttpResponse::Ok().json(DeletedOut { deleted: id }))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(list, create, update, delete))]
pub struct AddressBookApi;
