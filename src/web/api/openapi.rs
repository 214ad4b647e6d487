//! The OpenAPI 3.1 document of `/api/v1`, generated from the handlers'
//! `#[utoipa::path]` annotations. Each group of endpoints keeps its own
//! `#[derive(OpenApi)]` list beside its handlers; [`document`] merges them.

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Samplepost ERP API",
        version = "1",
        description = "Orders, quotes, tracking and tickets for sellers' ERPs. Every call needs `Authorization: Bearer sp_…` (a token from /app/api-tokens with the listed scope). Errors are JSON `{code, message, errors?}`."
    ),
    paths(super::quote::quote, super::addresses::validate),
    components(schemas(super::ErrorBody, super::FieldProblem)),
    modifiers(&BearerAuth),
)]
struct CoreApi;

/// Declares the bearer-token scheme the paths' `security` refers to.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The whole document: the core endpoints and every group merged in.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut document = CoreApi::openapi();
    document.merge(super::webhooks::HooksApi::openapi());
    document
}

/// Handles GET /api/v1/openapi.json (no token needed: the document is public).
pub async fn json() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().json(document())
}
