//! How much the request log says about an answer: a 5xx is an ERROR, with
//! its cause; every expected answer (303 to sign in, 403, 404, 409, 422,
//! 429, the edge's 4xx) is DEBUG, so a real failure is not buried.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, ResponseError};
use tracing::Span;
use tracing::field::Empty;
use tracing_actix_web::RootSpanBuilder;

/// The request span of `tracing_actix_web::TracingLogger` (request id,
/// method, route, status), with the levels above. The crate's own event
/// (`emit_event_on_error`, off in Cargo.toml) logs a 303 at ERROR.
///
/// The span is built here rather than by the crate's `root_span!`: its
/// request id is always a new UUID, and ours is the one `request_id::stamp`
/// kept or made, the one the `X-Request-Id` header shows.
pub struct Spans;

impl RootSpanBuilder for Spans {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let route = request.match_pattern();
        tracing::info_span!(
            "HTTP request",
            request_id = %super::request_id::of(request),
            http.method = %request.method(),
            http.route = route.as_deref().unwrap_or(crate::metrics::UNMATCHED),
            http.target = request.uri().path_and_query().map_or("", |p| p.as_str()),
            // The same address the audit log and throttling use; actix's
            // `realip_remote_addr` would believe any client's header.
            http.client_ip = %crate::web::ctx::client_ip(request.request()),
            http.status_code = Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let (status, error): (_, Option<&dyn ResponseError>) = match outcome {
            Ok(response) => (
                response.status(),
                response.response().error().map(Error::as_response_error),
            ),
            Err(error) => (
                error.as_response_error().status_code(),
                Some(error.as_response_error()),
            ),
        };
        span.in_scope(|| match error {
            Some(error) if status.is_server_error() => {
                tracing::error!(status = status.as_u16(), %error, "request failed");
            }
            Some(error) => {
                tracing::debug!(status = status.as_u16(), %error, "request answered with an error");
            }
            // A handler that built its own 5xx (the health check) logged why.
            None => {}
        });
        span.record("http.status_code", status.as_u16());
    }
}
