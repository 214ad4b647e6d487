//! Outgoing webhooks (issue #13): a company's endpoints (made by the owner
//! at `/app/webhooks` or by a token with the `webhooks` scope), and the
//! events written as delivery rows in the transaction of the change they
//! report. `jobs::webhooks` sends them, signed, with retries.

use super::api_tokens::ApiClient;
use super::audit::{self, Event};
use super::{Actor, Page, ServiceError, ServiceResult, now};
use crate::db::orders::Order;
use crate::db::schema::{orders, tickets, webhook_attempts, webhook_deliveries, webhook_endpoints};
use crate::db::{DbConnection, write_tx};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::{CompanyId, UserId};
use crate::domain::order_state::OrderStatus;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// The events an endpoint may subscribe to.
pub const EVENT_TYPES: &[&str] = &["order.status_changed", "tracking.event", "ticket.updated"];
/// The event of the "send test event" button; every endpoint gets it when asked.
pub const TEST_EVENT: &str = "webhook.test";
/// The most active endpoints a company may have.
pub const MAX_ACTIVE: i64 = 10;
/// The longest URL kept.
const MAX_URL: usize = 500;
/// What a signing secret starts with.
pub const SECRET_PREFIX: &str = "whsec_";

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = webhook_endpoints)]
pub struct WebhookEndpoint {
    pub id: i64,
    pub company_id: i64,
    pub url: String,
    pub events: String,
    pub secret: String,
    pub active: bool,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub disabled_at: Option<NaiveDateTime>,
}

impl std::fmt::Debug for WebhookEndpoint {
    // The signing secret never reaches a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookEndpoint")
            .field("id", &self.id)
            .field("url", &self.url)
            .field("events", &self.events)
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

impl WebhookEndpoint {
    pub fn event_list(&self) -> Vec<&str> {
        self.events.split(',').filter(|e| !e.is_empty()).collect()
    }

    fn wants(&self, event_type: &str) -> bool {
        self.event_list().contains(&event_type)
    }
}

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = webhook_deliveries)]
pub struct Delivery {
    pub id: i64,
    pub endpoint_id: i64,
    pub event_type: String,
    pub event_id: String,
    pub payload: String,
    pub attempts: i64,
    pub next_attempt_at: NaiveDateTime,
    pub leased_until: Option<NaiveDateTime>,
    pub status: String,
    pub last_status_code: Option<i64>,
    pub last_error: String,
    pub created_at: NaiveDateTime,
    pub last_attempt_at: Option<NaiveDateTime>,
    pub delivered_at: Option<NaiveDateTime>,
}

/// One line of the delivery log: the delivery and every answer it got.
#[derive(Clone, Debug)]
pub struct DeliveryRow {
    pub delivery: Delivery,
    /// Each attempt's status code (`None`: no answer), oldest first.
    pub codes: Vec<Option<i64>>,
}

impl DeliveryRow {
    /// The codes as the log shows them: `500, 500, 200`; `—` for no answer.
    pub fn codes_text(&self) -> String {
        self.codes
            .iter()
            .map(|code| code.map_or_else(|| "—".to_owned(), |c| c.to_string()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The endpoint form as typed.
#[derive(Clone, Debug, Default)]
pub struct EndpointForm {
    pub url: String,
    pub events: Vec<String>,
}

/// Who manages the endpoints: the company's owner in the browser, or an
/// ERP token with the `webhooks` scope (checked by the handler).
#[derive(Clone, Copy)]
pub enum Manager<'a> {
    Owner(&'a Actor),
    Token { client: &'a ApiClient, ip: &'a str },
}

impl Manager<'_> {
    fn company(&self) -> ServiceResult<CompanyId> {
        match self {
            Manager::Owner(actor) => actor.require_owner(),
            Manager::Token { client, .. } => Ok(client.company_id),
        }
    }

    fn user(&self) -> UserId {
        match self {
            Manager::Owner(actor) => actor.user_id,
            Manager::Token { client, .. } => client.created_by,
        }
    }

    fn audit(&self, conn: &mut DbConnection, event: Event) -> QueryResult<()> {
        match self {
            Manager::Owner(actor) => audit::record(conn, *actor, event),
            Manager::Token { client, ip } => {
                let email = format!("api:{}", client.name);
                audit::record(
                    conn,
                    audit::By {
                        user_id: Some(client.created_by),
                        email: &email,
                        ip,
                    },
                    event,
                )
            }
        }
    }
}

/// The URL rule: HTTPS, or plain HTTP to this machine's loopback (for
/// testing a receiver locally); no credentials, no fragment.
pub fn check_url(input: &str) -> Result<String, &'static str> {
    let url = input.trim();
    if url.is_empty() {
        return Err("error.required");
    }
    if url.chars().count() > MAX_URL {
        return Err("error.too_long");
    }
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("error.webhook.url");
    }
    let parsed = reqwest::Url::parse(url).map_err(|_| "error.webhook.url")?;
    if !parsed.username().is_empty() || parsed.password().is_some() || parsed.fragment().is_some() {
        return Err("error.webhook.url");
    }
    let host = parsed.host_str().unwrap_or_default();
    if host.is_empty() {
        return Err("error.webhook.url");
    }
    match parsed.scheme() {
        "https" => Ok(parsed.to_string()),
        "http" if matches!(host, "127.0.0.1" | "localhost" | "[::1]") => Ok(parsed.to_string()),
        _ => Err("error.webhook.https_only"),
    }
}

/// The chosen events, known ones only, in [`EVENT_TYPES`] order; `None` for none.
pub fn check_events<'a>(chosen: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let chosen: Vec<&str> = chosen.into_iter().map(str::trim).collect();
    if chosen
        .iter()
        .any(|c| !c.is_empty() && !EVENT_TYPES.contains(c))
    {
        return None;
    }
    let kept: Vec<&str> = EVENT_TYPES
        .iter()
        .copied()
        .filter(|e| chosen.contains(e))
        .collect();
    (!kept.is_empty()).then(|| kept.join(","))
}

/// The company's endpoints, newest first, disabled ones included.
pub fn list(conn: &mut DbConnection, by: Manager) -> ServiceResult<Vec<WebhookEndpoint>> {
    let company = by.company()?;
    Ok(webhook_endpoints::table
        .filter(webhook_endpoints::company_id.eq(company.0))
        .order(webhook_endpoints::id.desc())
        .select(WebhookEndpoint::as_select())
        .load(conn)?)
}

/// One of the company's endpoints; another company's is "not found".
pub fn find(conn: &mut DbConnection, by: Manager, id: i64) -> ServiceResult<WebhookEndpoint> {
    let company = by.company()?;
    Ok(webhook_endpoints::table
        .filter(webhook_endpoints::id.eq(id))
        .filter(webhook_endpoints::company_id.eq(company.0))
        .select(WebhookEndpoint::as_select())
        .first(conn)?)
}

/// Adds an endpoint; returns it with its signing secret, shown this once.
pub fn create(
    conn: &mut DbConnection,
    by: Manager,
    form: &EndpointForm,
) -> ServiceResult<(WebhookEndpoint, String)> {
    let company = by.company()?;
    let mut errors = FieldErrors::new();
    let url = errors.check("url", check_url(&form.url), |e| e);
    let events = check_events(form.events.iter().map(String::as_str));
    if events.is_none() {
        errors.add("events", "error.webhook.events");
    }
    let (Some(url), Some(events)) = (url, events) else {
        return Err(ServiceError::Invalid(errors));
    };
    let secret = format!("{SECRET_PREFIX}{}", super::tokens::generate());
    write_tx(conn, |conn| {
        let active: i64 = webhook_endpoints::table
            .filter(webhook_endpoints::company_id.eq(company.0))
            .filter(webhook_endpoints::active.eq(true))
            .count()
            .get_result(conn)?;
        if active >= MAX_ACTIVE {
            return Err(ServiceError::Invalid(FieldErrors::single(
                "url",
                "error.webhook.too_many",
            )));
        }
        let id: i64 = crate::with_backend!(&mut *conn, |c| diesel::insert_into(
            webhook_endpoints::table
        )
        .values((
            webhook_endpoints::company_id.eq(company.0),
            webhook_endpoints::url.eq(&url),
            webhook_endpoints::events.eq(&events),
            webhook_endpoints::secret.eq(&secret),
            webhook_endpoints::active.eq(true),
            webhook_endpoints::created_by.eq(by.user().0),
            webhook_endpoints::created_at.eq(now()),
        ))
        .returning(webhook_endpoints::id)
        .get_result(c))?;
        by.audit(
            conn,
            Event {
                action: "webhook.create",
                company: Some(company),
                target_type: "webhook",
                target_id: id.to_string(),
                detail: format!("{url} [{events}]"),
            },
        )?;
        let endpoint = find(conn, by, id)?;
        Ok((endpoint, secret))
    })
}

/// Stops sending to an endpoint; what was still waiting for it is given up.
pub fn disable(conn: &mut DbConnection, by: Manager, id: i64) -> ServiceResult<()> {
    let company = by.company()?;
    write_tx(conn, |conn| {
        let endpoint = find(conn, by, id)?;
        if !endpoint.active {
            return Ok(());
        }
        diesel::update(webhook_endpoints::table.find(id))
            .set((
                webhook_endpoints::active.eq(false),
                webhook_endpoints::disabled_at.eq(Some(now())),
            ))
            .execute(conn)?;
        diesel::update(
            webhook_deliveries::table
                .filter(webhook_deliveries::endpoint_id.eq(id))
                .filter(webhook_deliveries::status.eq("pending")),
        )
        .set((
            webhook_deliveries::status.eq("failed"),
            webhook_deliveries::last_error.eq("endpoint disabled"),
        ))
        .execute(conn)?;
        by.audit(
            conn,
            Event {
                action: "webhook.disable",
                company: Some(company),
                target_type: "webhook",
                target_id: id.to_string(),
                detail: endpoint.url,
            },
        )?;
        Ok(())
    })
}

/// Deletes an endpoint with its delivery log.
pub fn delete(conn: &mut DbConnection, by: Manager, id: i64) -> ServiceResult<()> {
    let company = by.company()?;
    write_tx(conn, |conn| {
        let endpoint = find(conn, by, id)?;
        let deliveries = webhook_deliveries::table
            .filter(webhook_deliveries::endpoint_id.eq(id))
            .select(webhook_deliveries::id);
        diesel::delete(
            webhook_attempts::table.filter(webhook_attempts::delivery_id.eq_any(deliveries)),
        )
        .execute(conn)?;
        diesel::delete(webhook_deliveries::table.filter(webhook_deliveries::endpoint_id.eq(id)))
            .execute(conn)?;
        diesel::delete(webhook_endpoints::table.find(id)).execute(conn)?;
        by.audit(
            conn,
            Event {
                action: "webhook.delete",
                company: Some(company),
                target_type: "webhook",
                target_id: id.to_string(),
                detail: endpoint.url,
            },
        )?;
        Ok(())
    })
}

/// Queues a test event for one active endpoint; returns the delivery's id.
pub fn send_test(conn: &mut DbConnection, by: Manager, id: i64) -> ServiceResult<i64> {
    let company = by.company()?;
    write_tx(conn, |conn| {
        let endpoint = find(conn, by, id)?;
        if !endpoint.active {
            return Err(ServiceError::Conflict("error.webhook.disabled"));
        }
        let data = serde_json::json!({
            "endpoint_id": endpoint.id,
            "message": "This is a test event from Samplepost.",
        });
        let event = NewEvent::new(TEST_EVENT, data);
        let delivery = insert_delivery(conn, &endpoint, &event)?;
        by.audit(
            conn,
            Event {
                action: "webhook.test",
                company: Some(company),
                target_type: "webhook",
                target_id: id.to_string(),
                detail: event.id,
            },
        )?;
        Ok(delivery)
    })
}

/// The endpoint's deliveries, newest first, one page, with each attempt's code.
pub fn deliveries(
    conn: &mut DbConnection,
    by: Manager,
    id: i64,
    page: i64,
) -> ServiceResult<(WebhookEndpoint, Page<DeliveryRow>)> {
    let endpoint = find(conn, by, id)?;
    let rows: Vec<Delivery> = webhook_deliveries::table
        .filter(webhook_deliveries::endpoint_id.eq(id))
        .order(webhook_deliveries::id.desc())
        .offset(Page::<DeliveryRow>::offset(page))
        .limit(Page::<DeliveryRow>::SIZE + 1)
        .select(Delivery::as_select())
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|d| d.id).collect();
    let attempts: Vec<(i64, Option<i64>)> = webhook_attempts::table
        .filter(webhook_attempts::delivery_id.eq_any(&ids))
        .order(webhook_attempts::id.asc())
        .select((webhook_attempts::delivery_id, webhook_attempts::status_code))
        .load(conn)?;
    let rows = rows
        .into_iter()
        .map(|delivery| DeliveryRow {
            codes: attempts
                .iter()
                .filter(|(of, _)| *of == delivery.id)
                .map(|(_, code)| *code)
                .collect(),
            delivery,
        })
        .collect();
    Ok((endpoint, Page::from_rows(rows, page.max(1))))
}

/// An event about to be queued: its id, type and body (`{id, type, created_at, data}`).
struct NewEvent {
    id: String,
    kind: &'static str,
    body: String,
}

impl NewEvent {
    fn new(kind: &'static str, data: serde_json::Value) -> NewEvent {
        let id = format!("evt_{}", hex::encode(rand::random::<[u8; 12]>()));
        let body = serde_json::json!({
            "id": id,
            "type": kind,
            "created_at": now().and_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "data": data,
        })
        .to_string();
        NewEvent { id, kind, body }
    }
}

fn insert_delivery(
    conn: &mut DbConnection,
    endpoint: &WebhookEndpoint,
    event: &NewEvent,
) -> QueryResult<i64> {
    let at = now();
    crate::with_backend!(&mut *conn, |c| diesel::insert_into(
        webhook_deliveries::table
    )
    .values((
        webhook_deliveries::endpoint_id.eq(endpoint.id),
        webhook_deliveries::event_type.eq(event.kind),
        webhook_deliveries::event_id.eq(&event.id),
        webhook_deliveries::payload.eq(&event.body),
        webhook_deliveries::attempts.eq(0_i64),
        webhook_deliveries::next_attempt_at.eq(at),
        webhook_deliveries::status.eq("pending"),
        webhook_deliveries::last_error.eq(""),
        webhook_deliveries::created_at.eq(at),
    ))
    .returning(webhook_deliveries::id)
    .get_result(c))
}

/// Queues `kind` with `data` for every active endpoint of `company` that
/// subscribed to it, in the caller's transaction. Returns how many.
pub fn enqueue(
    conn: &mut DbConnection,
    company: CompanyId,
    kind: &'static str,
    data: serde_json::Value,
) -> QueryResult<usize> {
    let endpoints: Vec<WebhookEndpoint> = webhook_endpoints::table
        .filter(webhook_endpoints::company_id.eq(company.0))
        .filter(webhook_endpoints::active.eq(true))
        .select(WebhookEndpoint::as_select())
        .load(conn)?;
    let subscribed: Vec<&WebhookEndpoint> = endpoints.iter().filter(|e| e.wants(kind)).collect();
    if subscribed.is_empty() {
        return Ok(0);
    }
    let event = NewEvent::new(kind, data);
    for endpoint in &subscribed {
        insert_delivery(conn, endpoint, &event)?;
    }
    Ok(subscribed.len())
}

/// `order.status_changed`, from `orders::transition`.
pub fn order_status_changed(
    conn: &mut DbConnection,
    order: &Order,
    event: &str,
    to: OrderStatus,
) -> QueryResult<usize> {
    enqueue(
        conn,
        CompanyId(order.company_id),
        "order.status_changed",
        serde_json::json!({
            "order_no": order.order_no,
            "event": event,
            "from": order.status.as_str(),
            "to": to.as_str(),
        }),
    )
}

/// `tracking.event`, from `tracking::record`: the public milestone, its
/// time and place (the carrier's own words may name people; they stay out).
pub fn tracking_event(
    conn: &mut DbConnection,
    order: &Order,
    event: &super::tracking::NewEvent,
) -> QueryResult<usize> {
    let milestone = event.milestone.as_str();
    enqueue(
        conn,
        CompanyId(order.company_id),
        "tracking.event",
        serde_json::json!({
            "order_no": order.order_no,
            "milestone": milestone,
            "milestone_name": crate::i18n::t(crate::i18n::Lang::En, &format!("milestone.{milestone}")),
            "reason": event.reason.map(|r| r.as_str()),
            "at": event.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "city": event.city,
            "country": event.country,
        }),
    )
}

/// `ticket.updated`, from `services::tickets`: `change` is `created`,
/// `message` or `status`; the ticket is read as it is now in the transaction.
pub fn ticket_updated(conn: &mut DbConnection, ticket_id: i64, change: &str) -> QueryResult<usize> {
    let (company, order_id, category, subject, status): (i64, Option<i64>, String, String, String) =
        tickets::table
            .find(ticket_id)
            .select((
                tickets::company_id,
                tickets::order_id,
                tickets::category,
                tickets::subject,
                tickets::status,
            ))
            .first(conn)?;
    let order_no: Option<String> = match order_id {
        Some(id) => Some(
            orders::table
                .find(id)
                .select(orders::order_no)
                .first(conn)?,
        ),
        None => None,
    };
    enqueue(
        conn,
        CompanyId(company),
        "ticket.updated",
        serde_json::json!({
            "ticket_id": ticket_id,
            "order_no": order_no,
            "change": change,
            "status": status,
            "category": category,
            "subject": subject,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_http_is_accepted() {
        assert!(check_url("https://erp.example.com/hooks").is_ok());
        assert!(check_url("http://127.0.0.1:9000/x").is_ok());
        assert!(check_url("http://localhost:9000/x").is_ok());
        assert!(check_url("http://[::1]:9000/x").is_ok());
        assert_eq!(
            check_url("http://erp.example.com/hooks"),
            Err("error.webhook.https_only")
        );
        assert_eq!(
            check_url("ftp://example.com/"),
            Err("error.webhook.https_only")
        );
        assert_eq!(
            check_url("https://u:p@example.com/"),
            Err("error.webhook.url")
        );
        assert_eq!(check_url("not a url"), Err("error.webhook.url"));
        assert_eq!(check_url(" "), Err("error.required"));
    }

    #[test]
    fn events_are_known_ones_in_a_fixed_order() {
        assert_eq!(
            check_events(["ticket.updated", "order.status_changed"]).as_deref(),
            Some("order.status_changed,ticket.updated")
        );
        assert_eq!(check_events(["order.deleted"]), None);
        assert_eq!(check_events([]), None);
    }
}
