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
    document.merge(super::orders::OrdersApi::openapi());
    document.merge(super::addresses::AddressBookApi::openapi());
    document.merge(super::routes::RoutesApi::openapi());
    document.merge(super::webhooks::HooksApi::openapi());
    document
}

/// Handles GET /api/v1/openapi.json (no token needed: the document is public).
pub async fn json() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().json(document())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `.route("/…", web::get()…)` registered under `/api/v1` in
    /// `api/mod.rs`, as (`GET`, `/api/v1/…`), read from the source so that a
    /// route added without documentation fails here.
    fn registered() -> Vec<(String, String)> {
        // The groups that register their own routes through `.configure`.
        let source = [
            include_str!("mod.rs"),
            include_str!("tracking.rs"),
            include_str!("tickets.rs"),
            include_str!("webhooks.rs"),
        ]
        .concat();
        source
            .split(".route(")
            .skip(1)
            .filter_map(|call| {
                let path = call.split('"').nth(1)?;
                let method = call.split("web::").nth(1)?.split("()").next()?;
                Some((method.to_uppercase(), format!("/api/v1{path}")))
            })
            .filter(|(_, path)| path != "/api/v1/api/docs")
            .collect()
    }

    #[test]
    fn every_registered_route_is_documented() {
        let document = serde_json::to_value(document()).expect("serialises");
        let routes = registered();
        assert!(routes.len() >= 3, "the scan found the routes: {routes:?}");
        for (method, path) in routes {
            if path == "/api/v1/openapi.json" {
                continue;
            }
            let documented = &document["paths"][path.as_str()][method.to_lowercase()];
            assert!(
                documented.is_object(),
                "{method} {path} is registered but not in the OpenAPI document"
            );
        }
    }

    #[test]
    fn every_documented_operation_names_its_scope() {
        let document = serde_json::to_value(document()).expect("serialises");
        let operations = crate::web::api::docs::operations(&document);
        assert!(!operations.is_empty());
        for operation in operations {
            assert!(
                !operation.scopes.is_empty(),
                "{} {} has no bearer scope",
                operation.method,
                operation.path
            );
        }
    }
}
