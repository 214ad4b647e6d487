//! `GET /api/docs`: the OpenAPI document as a readable page, rendered on the
//! server from the same [`super::openapi::document`] (no script viewer to
//! vendor, and it passes the CSP and the page checks like any other page).

use super::openapi;
use crate::web::ctx::PageCtx;
use crate::web::errors::AppError;
use crate::web::render;
use actix_web::HttpResponse;
use askama::Template;
use serde_json::Value;

/// One operation as the page lists it.
pub struct Operation {
    pub method: String,
    pub path: String,
    /// The path cut into literal text and `{parameter}` names, so the page
    /// marks parameters as `<var>` (bare braces would read as a forgotten
    /// placeholder).
    pub path_parts: Vec<PathPart>,
    /// `GET /api/v1/orders` → `get-api-v1-orders`, the entry's anchor.
    pub anchor: String,
    pub summary: Vec<PathPart>,
    pub description: Vec<PathPart>,
    pub scopes: Vec<String>,
    pub parameters: Vec<Parameter>,
    pub request_body: Option<String>,
    pub responses: Vec<(String, Vec<PathPart>)>,
}

pub enum PathPart {
    Text(String),
    Parameter(String),
}

/// `/orders/{order_no}/cancel` → text, parameter `order_no`, text; any text
/// that names a path (a summary, a description) is cut the same way.
fn path_parts(path: &str) -> Vec<PathPart> {
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|at| open + at) else {
            break;
        };
        parts.push(PathPart::Text(rest[..open].to_owned()));
        parts.push(PathPart::Parameter(rest[open + 1..close].to_owned()));
        rest = &rest[close + 1..];
    }
    parts.push(PathPart::Text(rest.to_owned()));
    parts
}

pub struct Parameter {
    pub name: String,
    pub location: String,
    pub required: bool,
    pub description: Vec<PathPart>,
}

#[derive(Template)]
#[template(path = "public/api_docs.html")]
struct DocsPage {
    ctx: PageCtx,
    description: String,
    operations: Vec<Operation>,
}

/// Handles GET /api/docs.
pub async fn page(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    let document = serde_json::to_value(openapi::document())
        .map_err(|error| AppError::Internal(error.to_string()))?;
    render(&DocsPage {
        ctx,
        description: text(&document["info"]["description"]),
        operations: operations(&document),
    })
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

/// Every operation of the document, by path then method.
pub fn operations(document: &Value) -> Vec<Operation> {
    let Some(paths) = document["paths"].as_object() else {
        return Vec::new();
    };
    let mut operations = Vec::new();
    for (path, item) in paths {
        for method in ["get", "post", "put", "patch", "delete"] {
            let Some(operation) = item.get(method) else {
                continue;
            };
            operations.push(Operation {
                method: method.to_uppercase(),
                path: path.clone(),
                path_parts: path_parts(path),
                anchor: format!("{method}{}", path.replace(['/', '{', '}', '.'], "-")),
                summary: path_parts(&text(&operation["summary"])),
                description: path_parts(&text(&operation["description"])),
                scopes: scopes(operation),
                parameters: parameters(operation),
                request_body: request_body(operation),
                responses: responses(operation),
            });
        }
    }
    operations
}

fn scopes(operation: &Value) -> Vec<String> {
    operation["security"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|requirement| requirement["bearer"].as_array())
        .flatten()
        .filter_map(|scope| scope.as_str().map(str::to_owned))
        .collect()
}

fn parameters(operation: &Value) -> Vec<Parameter> {
    operation["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|parameter| Parameter {
            name: text(&parameter["name"]),
            location: text(&parameter["in"]),
            required: parameter["required"].as_bool().unwrap_or(false),
            description: path_parts(&text(&parameter["description"])),
        })
        .collect()
}

/// The request body's schema name (`QuoteRequest`) or media type.
fn request_body(operation: &Value) -> Option<String> {
    let content = operation["requestBody"]["content"].as_object()?;
    let (media_type, body) = content.iter().next()?;
    let schema = body["schema"]["$ref"]
        .as_str()
        .and_then(|reference| reference.rsplit('/').next())
        .map(str::to_owned);
    Some(match schema {
        Some(name) => format!("{name} ({media_type})"),
        None => media_type.clone(),
    })
}

fn responses(operation: &Value) -> Vec<(String, Vec<PathPart>)> {
    operation["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(status, response)| (status.clone(), path_parts(&text(&response["description"]))))
        .collect()
}
