//! How much the request log says about an answer: a 5xx is an ERROR, with
//! its cause; every expected answer (303 to sign in, 403, 404, 409, 422,
//! 429, the edge's 4xx) is DEBUG, so a real failure is not buried.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, ResponseError};
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RootSpanBuilder};

/// The request span of `tracing_actix_web::TracingLogger` (request id,
/// method, route, status), with the levels above. The crate's own event
/// (`emit_event_on_error`, off in Cargo.toml) logs a 303 at ERROR.
pub struct Spans;

impl RootSpanBuilder for Spans {
    fn on_request_start(request: &ServiceRequest) -> Span {
        DefaultRootSpanBuilder::on_request_start(request)
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
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}
