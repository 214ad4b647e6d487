//! `POST /api/v1/addresses/validate`: the order form's recipient rules for
//! an ERP to call before it pushes an order.

use super::{ApiError, Caller, audit, field_problems};
use crate::domain::api_scope::ApiScope;
use crate::domain::recipient::RecipientFields;
use crate::web::AppState;
use actix_web::{HttpResponse, web};

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
