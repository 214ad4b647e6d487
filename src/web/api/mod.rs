//! The ERP API under `/api/v1` (issue #13, DESIGN.md §8): JSON in and out,
//! signed in by `Authorization: Bearer <token>`, never by a session. Every
//! answer, errors included, is JSON with a stable `code`.

mod addresses;
pub(crate) mod docs;
mod idempotency;
pub mod openapi;
mod order_out;
mod orders;
mod quote;
mod routes;
mod tickets;
mod tracking;
mod webhooks;

use super::AppState;
use super::ctx::client_ip;
use crate::domain::api_scope::ApiScope;
use crate::domain::field_errors::FieldErrors;
use crate::i18n::{self, Lang};
use crate::services::ServiceError;
use crate::services::api_rate;
use crate::services::api_tokens::{self, ApiClient};
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use serde::Serialize;
use std::future::Future;
use std::pin::Pin;

/// The largest JSON body the API reads.
pub const MAX_JSON_BYTES: usize = 256 * 1024;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/docs", web::get().to(docs::page));
    cfg.service(
        web::scope("/api/v1")
            .app_data(
                web::JsonConfig::default()
                    .limit(MAX_JSON_BYTES)
                    .error_handler(|error, _| {
                        ApiError::BadRequest("invalid_json", error.to_string()).into()
                    }),
            )
            .app_data(web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into()))
            .app_data(web::QueryConfig::default().error_handler(|error, _| {
                ApiError::BadRequest("invalid_query", error.to_string()).into()
            }))
            .route("/openapi.json", web::get().to(openapi::json))
            .route("/addresses/validate", web::post().to(addresses::validate))
            .route("/quote", web::post().to(quote::quote))
            .route("/orders", web::post().to(orders::create))
            .route("/orders", web::get().to(orders::list))
            .route("/orders/{order_no}", web::get().to(orders::get))
            .route("/orders/{order_no}/cancel", web::post().to(orders::cancel))
            .route("/orders/{order_no}/label.pdf", web::get().to(orders::label))
            .route("/addresses", web::get().to(addresses::list))
            .route("/addresses", web::post().to(addresses::create))
            .route("/addresses/{id}", web::put().to(addresses::update))
            .route("/addresses/{id}", web::delete().to(addresses::delete))
            .route("/routes", web::get().to(routes::list))
            .route("/routes/{code}", web::get().to(routes::get))
            .configure(tracking::routes)
            .configure(tickets::routes)
            .configure(webhooks::routes)
            .wrap(actix_web::middleware::from_fn(idempotency::middleware))
            .default_service(web::to(not_found)),
    );
}

async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}

/// One problem with one field of the request.
#[derive(Clone, Debug, Serialize, PartialEq, utoipa::ToSchema)]
pub struct FieldProblem {
    pub field: String,
    /// The message key without its `error.` prefix: `postcode.format`.
    pub code: String,
    /// The message in English.
    pub message: String,
}

/// Every field problem, with messages in English.
pub fn field_problems(errors: &FieldErrors) -> Vec<FieldProblem> {
    errors
        .iter()
        .map(|(field, key)| {
            let mut message = i18n::t(Lang::En, key).to_owned();
            if let Some(detail) = errors.detail(field) {
                message = message.replace("{detail}", detail);
                if !message.contains(detail) {
                    message = format!("{message} ({detail})");
                }
            }
            FieldProblem {
                field: field.to_owned(),
                code: key.strip_prefix("error.").unwrap_or(key).to_owned(),
                message,
            }
        })
        .collect()
}

/// The body of every error answer (documentation only; built in
/// [`ApiError::error_response`]).
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code: `unauthorized`, `missing_scope`,
    /// `not_found`, `invalid_json`, `validation_failed`, …
    pub code: String,
    /// What went wrong, in English.
    pub message: String,
    /// With `validation_failed` only: one entry per field problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldProblem>>,
    /// With `warnings_unacknowledged` only: what to acknowledge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Vec<order_out::WarningOut>>,
}

/// Why an API request failed, answered as `{code, message, errors?}`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("a valid API token is required (Authorization: Bearer …)")]
    Unauthorized,
    #[error("this token lacks the scope {0}")]
    MissingScope(ApiScope),
    #[error("not found")]
    NotFound,
    #[error("{1}")]
    BadRequest(&'static str, String),
    #[error("the request has invalid fields")]
    Invalid(Vec<FieldProblem>),
    /// Any other refusal with its own status and code (`conflict` 409,
    /// `idempotency_key_reused` 422, `token_owner_inactive` 401, …).
    #[error("{2}")]
    Refused(StatusCode, &'static str, String),
    #[error("the service is unavailable, try again")]
    Unavailable,
    /// The token's rate limit; the seconds until the next request may pass.
    #[error("too many requests for this token, retry after {0} s")]
    RateLimited(u64),
    #[error("internal error")]
    Internal,
}

impl ApiError {
    fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthorized => "unauthorized",
            ApiError::MissingScope(_) => "missing_scope",
            ApiError::NotFound => "not_found",
            ApiError::BadRequest(code, _) => code,
            ApiError::Invalid(_) => "validation_failed",
            ApiError::Refused(_, code, _) => code,
            ApiError::Unavailable => "unavailable",
            ApiError::RateLimited(_) => "rate_limited",
            ApiError::Internal => "internal",
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::MissingScope(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::BadRequest(..) => StatusCode::BAD_REQUEST,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Refused(status, ..) => *status,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut body = serde_json::json!({"code": self.code(), "message": self.to_string()});
        if let ApiError::Invalid(problems) = self {
            body["errors"] = serde_json::json!(problems);
        }
        let mut response = HttpResponse::build(self.status_code());
        if self.status_code() == StatusCode::UNAUTHORIZED {
            response.insert_header(("WWW-Authenticate", "Bearer"));
        }
        if let ApiError::RateLimited(seconds) = self {
            response.insert_header(("Retry-After", seconds.to_string()));
        }
        response.json(body)
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> ApiError {
        match error {
            ServiceError::Invalid(errors) => ApiError::Invalid(field_problems(&errors)),
            ServiceError::Forbidden | ServiceError::Db(diesel::result::Error::NotFound) => {
                ApiError::NotFound
            }
            ServiceError::Conflict(key) => ApiError::Refused(
                StatusCode::CONFLICT,
                "conflict",
                i18n::t(Lang::En, key).to_owned(),
            ),
            ServiceError::Pool(_) => ApiError::Unavailable,
            ServiceError::Storage(error) => {
                tracing::error!(%error, "the storage did not take a file; nothing was saved");
                ApiError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "API request failed");
                ApiError::Internal
            }
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(_: actix_web::error::BlockingError) -> ApiError {
        ApiError::Unavailable
    }
}

/// Runs a service call for the API on the blocking pool.
pub async fn run<T, F>(state: &AppState, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut crate::db::DbConnection) -> Result<T, ServiceError> + Send + 'static,
    T: Send + 'static,
{
    let pool = state.pool.clone();
    Ok(web::block(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await??)
}

/// The calling machine, signed in by its bearer token; `ip` for the audit log.
pub struct Caller {
    pub client: ApiClient,
    pub ip: String,
}

impl Caller {
    /// The client, if its token carries `scope`.
    pub fn with(&self, scope: ApiScope) -> Result<&ApiClient, ApiError> {
        if self.client.scopes.allows(scope) {
            Ok(&self.client)
        } else {
            Err(ApiError::MissingScope(scope))
        }
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let secret = req
            .headers()
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(|secret| secret.trim().to_owned());
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let ip = client_ip(req);
        Box::pin(async move {
            let (Some(secret), Some(state)) = (secret, state) else {
                return Err(ApiError::Unauthorized);
            };
            if secret.is_empty() || secret.len() > 200 {
                return Err(ApiError::Unauthorized);
            }
            let rate = state.settings.api_rate;
            let found = run(&state, move |conn| {
                let Some(client) = api_tokens::authenticate(conn, &secret)? else {
                    return Ok(None);
                };
                // The one place every authenticated call passes.
                let now_ms = chrono::Utc::now().timestamp_millis();
                let taken = api_rate::take(conn, client.token_id, rate, now_ms)?;
                Ok(Some((client, taken)))
            })
            .await?;
            let (client, taken) = found.ok_or(ApiError::Unauthorized)?;
            taken.map_err(ApiError::RateLimited)?;
            Ok(Caller { client, ip })
        })
    }
}

/// Writes the call into the company's audit log under the token's name.
pub async fn audit(
    state: &AppState,
    caller: &Caller,
    action: &'static str,
    target: String,
) -> Result<(), ApiError> {
    let client = caller.client.clone();
    let ip = caller.ip.clone();
    run(state, move |conn| {
        Ok(api_tokens::audit_call(conn, &client, &ip, action, target)?)
    })
    .await
}

/// The member the token acts as, once the token has `scope`; a creator
/// who was disabled or left answers 401 `token_owner_inactive` everywhere.
pub async fn acting(
    state: &AppState,
    caller: &Caller,
    scope: ApiScope,
) -> Result<crate::services::Actor, ApiError> {
    let client = caller.with(scope)?.clone();
    let ip = caller.ip.clone();
    run(state, move |conn| {
        crate::services::api_orders::actor_of(conn, &client, &ip)
    })
    .await?
    .ok_or_else(|| {
        ApiError::Refused(
            StatusCode::UNAUTHORIZED,
            "token_owner_inactive",
            "the member who created this token is disabled or left the company".to_owned(),
        )
    })
}
