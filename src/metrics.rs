//! What `/metrics` shows (issue #14), kept in one Prometheus registry.
//!
//! Requests are counted as they finish, labelled by the route's pattern
//! (`/app/orders/{no}`, never the raw path, so a crawler cannot create a
//! series per URL), the method and the status class. The gauges that need
//! the database or the pool are set when Prometheus scrapes
//! (`web::metrics`), so they cost nothing between scrapes.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::time::Duration;

/// The route a request matched; requests no route matched share one label.
pub const UNMATCHED: &str = "unmatched";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub route: String,
    pub method: String,
    /// `2xx`, `3xx`, `4xx` or `5xx`.
    pub status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabel {
    state: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct QueueLabel {
    queue: String,
}

/// What the database holds that an operator watches, read at scrape time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Backlog {
    /// Mails waiting in the outbox (`pending`).
    pub outbox_pending: i64,
    /// Webhook deliveries not yet accepted nor given up.
    pub webhooks_pending: i64,
    /// Orders per state, every state that has at least one.
    pub orders_by_state: Vec<(String, i64)>,
}

/// The registry and its metric families; shared by every worker thread.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RequestLabels, Histogram, fn() -> Histogram>,
    pool_connections: Gauge,
    pool_idle: Gauge,
    queue: Family<QueueLabel, Gauge>,
    orders: Family<StateLabel, Gauge>,
}

/// 5 ms to about 20 s, doubling: a page takes tens of milliseconds, an
/// upload or a PDF seconds.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.005, 2.0, 13))
}

impl Default for Metrics {
    fn default() -> Metrics {
        let mut registry = Registry::with_prefix("samplepost");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "Requests answered, by route pattern, method and status class",
            requests.clone(),
        );
        let latency = Family::<RequestLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram,
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, by route pattern, method and status class",
            latency.clone(),
        );
        let pool_connections = Gauge::default();
        registry.register(
            "db_pool_connections",
            "Database connections the pool holds (in use and idle)",
            pool_connections.clone(),
        );
        let pool_idle = Gauge::default();
        registry.register(
            "db_pool_idle_connections",
            "Database connections idle in the pool",
            pool_idle.clone(),
        );
        let queue = Family::<QueueLabel, Gauge>::default();
        registry.register(
            "outbox_backlog",
            "Background jobs waiting: mails (queue=mail), webhook deliveries (queue=webhook)",
            queue.clone(),
        );
        let orders = Family::<StateLabel, Gauge>::default();
        registry.register("orders", "Orders by state", orders.clone());
        Metrics {
            registry,
            requests,
            latency,
            pool_connections,
            pool_idle,
            queue,
            orders,
        }
    }
}

impl Metrics {
    /// Counts one answered request.
    pub fn record_request(&self, route: &str, method: &str, status: u16, took: Duration) {
        let labels = RequestLabels {
            route: route.to_owned(),
            method: method_label(method).to_owned(),
            status: status_class(status).to_owned(),
        };
        self.requests.get_or_create(&labels).inc();
        self.latency
            .get_or_create(&labels)
            .observe(took.as_secs_f64());
    }

    /// The pool's state as r2d2 reports it.
    pub fn set_pool(&self, connections: u32, idle: u32) {
        self.pool_connections.set(i64::from(connections));
        self.pool_idle.set(i64::from(idle));
    }

    /// The database's side, read just before encoding.
    pub fn set_backlog(&self, backlog: &Backlog) {
        self.queue
            .get_or_create(&QueueLabel {
                queue: "mail".to_owned(),
            })
            .set(backlog.outbox_pending);
        self.queue
            .get_or_create(&QueueLabel {
                queue: "webhook".to_owned(),
            })
            .set(backlog.webhooks_pending);
        // A state no order is in any more disappears instead of showing a stale count.
        self.orders.clear();
        for (state, count) in &backlog.orders_by_state {
            self.orders
                .get_or_create(&StateLabel {
                    state: state.clone(),
                })
                .set(*count);
        }
    }

    /// The text exposition format Prometheus scrapes.
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut text = String::new();
        encode(&mut text, &self.registry)?;
        Ok(text)
    }
}

/// Methods the site serves keep their name; anything else is `other`, so a
/// client inventing methods cannot add series.
fn method_label(method: &str) -> &'static str {
    match method {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    }
}

fn status_class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_by_pattern_and_status_class() {
        let metrics = Metrics::default();
        metrics.record_request("/app/orders/{no}", "GET", 200, Duration::from_millis(12));
        metrics.record_request("/app/orders/{no}", "GET", 204, Duration::from_millis(3));
        metrics.record_request("/app/orders/{no}", "BREW", 404, Duration::from_millis(1));
        let text = metrics.encode().expect("encode");
        assert!(
            text.contains(
                r#"samplepost_http_requests_total{route="/app/orders/{no}",method="GET",status="2xx"} 2"#
            ),
            "{text}"
        );
        assert!(text.contains(r#"method="other",status="4xx"} 1"#), "{text}");
        assert!(text.contains("samplepost_http_request_duration_seconds_bucket"));
    }

    #[test]
    fn a_state_without_orders_disappears() {
        let metrics = Metrics::default();
        metrics.set_backlog(&Backlog {
            orders_by_state: vec![("draft".to_owned(), 2), ("paid".to_owned(), 1)],
            ..Backlog::default()
        });
        metrics.set_backlog(&Backlog {
            orders_by_state: vec![("paid".to_owned(), 3)],
            ..Backlog::default()
        });
        let text = metrics.encode().expect("encode");
        assert!(
            text.contains(r#"samplepost_orders{state="paid"} 3"#),
            "{text}"
        );
        assert!(!text.contains(r#"state="draft""#), "{text}");
        assert!(text.contains(r#"samplepost_outbox_backlog{queue="mail"} 0"#));
    }
}
