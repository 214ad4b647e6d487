//! Outgoing webhooks, the per-token rate limit, and the tracking, tickets
//! and webhook endpoints of the ERP API (issue #13).

use crate::api::new_token;
use crate::common::{Browser, TestApp, first_id};
use crate::tracking::in_transit;
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use samplepost::db::DbConnection;
use samplepost::db::schema::{webhook_deliveries, webhook_endpoints};
use serde_json::{Value, json};
use sha2::Sha256;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn secret_on(page: &str) -> String {
    let start = page.find("data-secret>").expect("the secret is shown") + "data-secret>".len();
    page[start..].split('<').next().expect("secret").to_owned()
}

/// Adds an endpoint through `/app/webhooks`; returns its id and signing secret.
pub(crate) async fn new_endpoint(owner: &Browser, url: &str, events: &[&str]) -> (i64, String) {
    let mut fields = vec![("url", url)];
    fields.extend(events.iter().map(|event| ("events", *event)));
    let response = owner.post_form("/app/webhooks", &fields).await;
    assert_eq!(response.status(), 200, "the page shows the secret");
    let page = response.text().await.expect("page");
    let secret = secret_on(&page);
    (first_id(&page, "data-webhook=\""), secret)
}

const ALL_EVENTS: [&str; 3] = ["order.status_changed", "tracking.event", "ticket.updated"];

async fn api(
    app: &TestApp,
    method: reqwest::Method,
    token: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path}", app.address))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    let json = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("a JSON answer: {text}"))
    };
    (status, headers, json)
}

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let (status, _, json) = api(app, reqwest::Method::GET, token, path, None).await;
    (status, json)
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let (status, _, json) = api(app, reqwest::Method::POST, token, path, Some(body)).await;
    (status, json)
}

/// The event types queued for an endpoint, oldest first.
fn queued(app: &TestApp, endpoint: i64) -> Vec<String> {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    webhook_deliveries::table
        .filter(webhook_deliveries::endpoint_id.eq(endpoint))
        .order(webhook_deliveries::id.asc())
        .select(webhook_deliveries::event_type)
        .load(conn)
        .expect("deliveries")
}

fn payloads(app: &TestApp, endpoint: i64, event_type: &str) -> Vec<Value> {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    webhook_deliveries::table
        .filter(webhook_deliveries::endpoint_id.eq(endpoint))
        .filter(webhook_deliveries::event_type.eq(event_type))
        .order(webhook_deliveries::id.asc())
        .select(webhook_deliveries::payload)
        .load::<String>(conn)
        .expect("payloads")
        .iter()
        .map(|p| serde_json::from_str(p).expect("JSON payload"))
        .collect()
}

/// One request the test receiver got.
#[derive(Clone, Debug)]
pub(crate) struct Received {
    head: String,
    body: String,
}

impl Received {
    pub(crate) fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    }
}

/// A local HTTP receiver answering each request with the next of `codes`
/// (the last one again when they run out); returns its URL and what it got.
pub(crate) async fn receiver(codes: Vec<u16>) -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!(
        "http://127.0.0.1:{}/samplepost",
        listener.local_addr().expect("addr").port()
    );
    let got: Arc<Mutex<Vec<Received>>> = Arc::default();
    let log = got.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let mut buffer = Vec::new();
            let mut chunk = [0u8; 4096];
            let (head, body) = loop {
                let Ok(n) = socket.read(&mut chunk).await else {
                    break (String::new(), String::new());
                };
                if n == 0 {
                    break (String::new(), String::new());
                }
                buffer.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&buffer).into_owned();
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let length: usize = head
                        .lines()
                        .find_map(|l| {
                            let (k, v) = l.split_once(':')?;
                            k.eq_ignore_ascii_case("content-length")
                                .then(|| v.trim().parse().ok())?
                        })
                        .unwrap_or(0);
                    if body.len() >= length {
                        break (head.to_owned(), body.to_owned());
                    }
                }
            };
            let code = {
                let mut log = log.lock().expect("log");
                log.push(Received { head, body });
                codes
                    .get(log.len() - 1)
                    .or(codes.last())
                    .copied()
                    .unwrap_or(200)
            };
            let answer =
                format!("HTTP/1.1 {code} X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
            let _ = socket.write_all(answer.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    (url, got)
}

/// A server whose webhook worker looks every 100 ms and retries after 200 ms.
async fn fast_worker() -> TestApp {
    TestApp::spawn_with(|settings| {
        settings.webhooks.poll = Duration::from_millis(100);
        settings.webhooks.retry_base = Duration::from_millis(200);
    })
    .await
}

fn delivery_state(app: &TestApp, id: i64) -> (String, i64, Option<i64>) {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    webhook_deliveries::table
        .find(id)
        .select((
            webhook_deliveries::status,
            webhook_deliveries::attempts,
            webhook_deliveries::last_status_code,
        ))
        .first(conn)
        .expect("delivery")
}

fn verify(secret: &str, request: &Received) {
    let signature = request.header("X-Samplepost-Signature").expect("signed");
    let (t, v1) = signature.split_once(',').expect("t=…,v1=…");
    let t = t.strip_prefix("t=").expect("t=");
    let v1 = v1.strip_prefix("v1=").expect("v1=");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(format!("{t}.{}", request.body).as_bytes());
    assert_eq!(
        hex::encode(mac.finalize().into_bytes()),
        v1,
        "the HMAC of t.body"
    );
    let age = chrono::Utc::now().timestamp() - t.parse::<i64>().expect("unix time");
    assert!((0..60).contains(&age), "a fresh timestamp");
}

#[actix_web::test]
async fn a_signed_test_event_is_retried_until_the_receiver_accepts_it() {
    let app = fast_worker().await;
    let (owner, _) = app.seller("Acme").await;
    let (url, got) = receiver(vec![500, 500, 200]).await;
    let (endpoint, secret) = new_endpoint(&owner, &url, &["ticket.updated"]).await;
    assert!(
        secret.starts_with("whsec_") && secret.len() > 40,
        "{secret}"
    );
    let list = owner.get_text("/app/webhooks").await;
    assert!(list.contains(&url) && !list.contains(&secret), "shown once");

    let sent = owner
        .post_form(&format!("/app/webhooks/{endpoint}/test"), &[])
        .await;
    assert_eq!(sent.status(), 303);
    let delivery: i64 = {
        let mut conn = app.conn();
        let conn: &mut DbConnection = &mut conn;
        webhook_deliveries::table
            .filter(webhook_deliveries::endpoint_id.eq(endpoint))
            .select(webhook_deliveries::id)
            .first(conn)
            .expect("a queued test event")
    };
    let mut state = delivery_state(&app, delivery);
    for _ in 0..150 {
        if state.0 != "pending" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        state = delivery_state(&app, delivery);
    }
    assert_eq!(state, ("delivered".to_owned(), 3, Some(200)));

    let requests = got.lock().expect("log").clone();
    assert_eq!(requests.len(), 3, "two refusals, then accepted");
    for request in &requests {
        assert!(
            request.head.starts_with("POST /samplepost "),
            "{}",
            request.head
        );
        verify(&secret, request);
        assert_eq!(
            request.header("X-Samplepost-Event").as_deref(),
            Some("webhook.test")
        );
        assert_eq!(
            request.header("X-Samplepost-Delivery"),
            Some(delivery.to_string())
        );
        assert_eq!(request.body, requests[0].body, "the same body every time");
    }
    let body: Value = serde_json::from_str(&requests[0].body).expect("JSON");
    assert_eq!(body["type"], "webhook.test");
    assert!(body["id"].as_str().is_some_and(|id| id.starts_with("evt_")));
    assert!(body["created_at"].is_string() && body["data"].is_object());

    let log = owner.get_text(&format!("/app/webhooks/{endpoint}")).await;
    assert!(log.contains("<td data-codes>500, 500, 200</td>"), "{log}");
    assert!(log.contains(&format!(
        "data-delivery=\"{delivery}\" data-status=\"delivered\""
    )));
    assert_eq!(
        app.count("audit_log WHERE action = 'webhook.test'"),
        1,
        "the button is audited"
    );
}

#[actix_web::test]
async fn only_https_or_loopback_urls_are_accepted_and_endpoints_are_managed_by_owner_or_token() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.seller("Acme").await;
    let refused = owner
        .post_form(
            "/app/webhooks",
            &[
                ("url", "http://erp.example.com/hook"),
                ("events", "tracking.event"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.expect("page");
    assert!(page.contains("url-error") && page.contains("value=\"http://erp.example.com/hook\""));
    let refused = owner
        .post_form("/app/webhooks", &[("url", "https://erp.example.com/hook")])
        .await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.expect("page").contains("events-error"));
    assert_eq!(app.count("webhook_endpoints"), 0);

    let token = new_token(&owner, "ERP", &["webhooks"]).await;
    let (status, answer) = post(
        &app,
        &token,
        "/api/v1/webhooks",
        json!({"url": "http://erp.example.com/hook", "events": ["ticket.updated"]}),
    )
    .await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(answer["errors"][0]["code"], "webhook.https_only");
    let (status, made) = post(
        &app,
        &token,
        "/api/v1/webhooks",
        json!({"url": "https://erp.example.com/hook", "events": ["ticket.updated", "tracking.event"]}),
    )
    .await;
    assert_eq!(status, 201, "{made}");
    assert!(
        made["secret"]
            .as_str()
            .is_some_and(|s| s.starts_with("whsec_"))
    );
    assert_eq!(made["events"], json!(["tracking.event", "ticket.updated"]));
    let id = made["id"].as_i64().expect("id");
    let (status, listed) = get(&app, &token, "/api/v1/webhooks").await;
    assert_eq!(status, 200);
    assert_eq!(listed[0]["id"], id);
    assert!(
        listed[0].get("secret").is_none(),
        "the secret is shown once"
    );
    let (status, queued) = post(
        &app,
        &token,
        &format!("/api/v1/webhooks/{id}/test"),
        json!({}),
    )
    .await;
    assert_eq!(status, 202, "{queued}");

    // Another company's token, or one without the scope, gets nowhere.
    let (other, _) = app.seller("Other").await;
    let stranger = new_token(&other, "Their ERP", &["webhooks"]).await;
    let (status, _, _) = api(
        &app,
        reqwest::Method::DELETE,
        &stranger,
        &format!("/api/v1/webhooks/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = post(
        &app,
        &stranger,
        &format!("/api/v1/webhooks/{id}/test"),
        json!({}),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        other.get(&format!("/app/webhooks/{id}")).await.status(),
        404
    );
    let reader = new_token(&owner, "Reader", &["orders:read"]).await;
    let (status, answer) = get(&app, &reader, "/api/v1/webhooks").await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (403, Some("missing_scope"))
    );

    // Disabling needs the confirmation; what was waiting is given up.
    let unconfirmed = owner
        .post_form(&format!("/app/webhooks/{id}/disable"), &[])
        .await;
    assert_eq!(unconfirmed.status(), 303);
    assert_eq!(app.count("webhook_endpoints WHERE active = TRUE"), 1);
    let disabled = owner
        .post_form(
            &format!("/app/webhooks/{id}/disable"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(disabled.status(), 303);
    assert_eq!(app.count("webhook_endpoints WHERE active = TRUE"), 0);
    assert_eq!(app.count("webhook_deliveries WHERE status = 'failed'"), 1);
    let (status, _, _) = api(
        &app,
        reqwest::Method::DELETE,
        &token,
        &format!("/api/v1/webhooks/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(app.count("webhook_endpoints"), 0);
    assert_eq!(app.count("webhook_deliveries"), 0);
    assert_eq!(
        app.count("audit_log WHERE action IN ('webhook.create', 'webhook.disable', 'webhook.delete', 'webhook.test')"),
        4
    );
    let operator = app.staff(samplepost::domain::status::Role::Operator).await;
    assert_eq!(operator.get("/app/webhooks").await.status(), 403);
}

#[actix_web::test]
async fn status_changes_tracking_events_and_tickets_queue_events_for_subscribed_endpoints() {
    let app = TestApp::spawn().await;
    let (paid, operator) = in_transit(&app).await;
    let (all, _) = new_endpoint(&paid.seller, "https://erp.example.com/all", &ALL_EVENTS).await;
    let (tickets_only, _) = new_endpoint(
        &paid.seller,
        "https://erp.example.com/tickets",
        &["ticket.updated"],
    )
    .await;
    let (other, _) = app.seller("Other").await;
    let (theirs, _) = new_endpoint(&other, "https://other.example.com/", &ALL_EVENTS).await;

    let form = [
        ("milestone", "exception"),
        ("reason", "address_problem"),
        ("local_time", "2026-12-02T10:00"),
        ("utc_offset", "+01:00"),
        ("city", "Berlin"),
        ("country", "DE"),
        ("text", "Addressee unknown"),
    ];
    let added = operator
        .post_form(&format!("/admin/orders/{}/tracking", paid.no), &form)
        .await;
    assert_eq!(added.status(), 303);
    assert_eq!(
        queued(&app, all),
        ["order.status_changed", "tracking.event"]
    );
    let changed = &payloads(&app, all, "order.status_changed")[0];
    assert_eq!(changed["data"]["order_no"], paid.no.as_str());
    assert_eq!(changed["data"]["from"], "in_transit");
    assert_eq!(changed["data"]["to"], "exception");
    let event = &payloads(&app, all, "tracking.event")[0];
    assert_eq!(event["data"]["milestone"], "exception");
    assert_eq!(event["data"]["milestone_name"], "Exception");
    assert_eq!(event["data"]["reason"], "address_problem");
    assert_eq!(event["data"]["at"], "2026-12-02T10:00:00+01:00");
    assert_eq!(event["data"]["city"], "Berlin");

    let token = new_token(&paid.seller, "ERP", &["orders:write", "orders:read"]).await;
    let (status, ticket) = post(
        &app,
        &token,
        "/api/v1/tickets",
        json!({"order_no": paid.no, "category": "delay", "subject": "Where is it?", "body": "The address is right."}),
    )
    .await;
    assert_eq!(status, 201, "{ticket}");
    let id = ticket["id"].as_i64().expect("id");
    let (status, _) = post(
        &app,
        &token,
        &format!("/api/v1/tickets/{id}/messages"),
        json!({"body": "Any news?"}),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(
        queued(&app, all),
        [
            "order.status_changed",
            "tracking.event",
            "ticket.updated",
            "ticket.updated"
        ]
    );
    assert_eq!(
        queued(&app, tickets_only),
        ["ticket.updated", "ticket.updated"]
    );
    let updates = payloads(&app, tickets_only, "ticket.updated");
    assert_eq!(updates[0]["data"]["change"], "created");
    assert_eq!(updates[0]["data"]["order_no"], paid.no.as_str());
    assert_eq!(updates[1]["data"]["change"], "message");
    assert_eq!(
        updates[0]["id"],
        payloads(&app, all, "ticket.updated")[0]["id"],
        "one event id for every endpoint"
    );
    assert!(
        queued(&app, theirs).is_empty(),
        "another company hears nothing"
    );

    // Staff resolving it is a status change.
    let resolved = operator
        .post_form(
            &format!("/admin/tickets/{id}/resolve"),
            &[("note", "Delivered after all.")],
        )
        .await;
    assert_eq!(resolved.status(), 303);
    let updates = payloads(&app, tickets_only, "ticket.updated");
    assert_eq!(updates.len(), 3, "{updates:?}");
    assert_eq!(updates[2]["data"]["status"], "resolved");

    // A disabled endpoint is not given new events.
    let count = queued(&app, tickets_only).len();
    let disabled = paid
        .seller
        .post_form(
            &format!("/app/webhooks/{tickets_only}/disable"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(disabled.status(), 303);
    let (status, _) = post(
        &app,
        &token,
        "/api/v1/tickets",
        json!({"category": "other", "subject": "A general question", "body": "Hello"}),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(queued(&app, tickets_only).len(), count);
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    let active: bool = webhook_endpoints::table
        .find(all)
        .select(webhook_endpoints::active)
        .first(conn)
        .expect("endpoint");
    assert!(active);
}

#[actix_web::test]
async fn a_token_over_its_rate_is_answered_429_with_retry_after() {
    let app = TestApp::spawn_with(|settings| {
        settings.api_rate.per_second = 0.5;
        settings.api_rate.burst = 3.0;
    })
    .await;
    let (owner, _) = app.seller("Acme").await;
    let token = new_token(&owner, "Busy ERP", &["webhooks"]).await;
    let other = new_token(&owner, "Calm ERP", &["webhooks"]).await;
    for _ in 0..3 {
        assert_eq!(get(&app, &token, "/api/v1/webhooks").await.0, 200);
    }
    let (status, headers, answer) =
        api(&app, reqwest::Method::GET, &token, "/api/v1/webhooks", None).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (429, Some("rate_limited"))
    );
    assert_eq!(
        headers.get("Retry-After").and_then(|v| v.to_str().ok()),
        Some("2")
    );
    assert_eq!(
        get(&app, &other, "/api/v1/webhooks").await.0,
        200,
        "per token"
    );
    // Every endpoint counts against the same bucket.
    let (status, _) = post(&app, &token, "/api/v1/webhooks/1/test", json!({})).await;
    assert_eq!(status, 429);
}

#[actix_web::test]
async fn tracking_and_tickets_answer_only_within_the_company_and_scope() {
    let app = TestApp::spawn().await;
    let (paid, operator) = in_transit(&app).await;
    let form = [
        ("milestone", "arrived_destination"),
        ("reason", ""),
        ("local_time", "2026-12-03T08:30"),
        ("utc_offset", "+01:00"),
        ("city", "Frankfurt"),
        ("country", "DE"),
        ("text", "Arrived at the hub"),
    ];
    let added = operator
        .post_form(&format!("/admin/orders/{}/tracking", paid.no), &form)
        .await;
    assert_eq!(added.status(), 303);
    let tracker = new_token(&paid.seller, "Tracker", &["tracking:read"]).await;
    let (status, tracking) = get(
        &app,
        &tracker,
        &format!("/api/v1/orders/{}/tracking", paid.no),
    )
    .await;
    assert_eq!(status, 200, "{tracking}");
    assert_eq!(tracking["order_no"], paid.no.as_str());
    let events = tracking["events"].as_array().expect("events");
    let last = events.last().expect("an event");
    assert_eq!(last["milestone"], "arrived_destination");
    assert_eq!(last["milestone_name"], "Arrived in the destination country");
    assert_eq!(last["at"], "2026-12-03T08:30:00+01:00");
    assert!(last.get("text").is_none(), "the carrier's words stay out");
    let (status, _) = get(&app, &tracker, "/api/v1/orders/SP-NOPE/tracking").await;
    assert_eq!(status, 404);
    let (status, answer) = get(&app, &tracker, "/api/v1/tickets").await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (403, Some("missing_scope"))
    );

    let (other, _) = app.seller("Other").await;
    let stranger = new_token(
        &other,
        "Theirs",
        &["tracking:read", "orders:read", "orders:write"],
    )
    .await;
    let (status, answer) = get(
        &app,
        &stranger,
        &format!("/api/v1/orders/{}/tracking", paid.no),
    )
    .await;
    assert_eq!((status, answer["code"].as_str()), (404, Some("not_found")));

    let reader = new_token(&paid.seller, "Reader", &["orders:read"]).await;
    let writer = new_token(&paid.seller, "Writer", &["orders:write"]).await;
    let opening = json!({"order_no": paid.no, "category": "customs", "subject": "Papers?", "body": "Do you need an invoice?"});
    let (status, answer) = post(&app, &reader, "/api/v1/tickets", opening.clone()).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (403, Some("missing_scope"))
    );
    let (status, ticket) = post(&app, &writer, "/api/v1/tickets", opening).await;
    assert_eq!(status, 201, "{ticket}");
    assert_eq!(ticket["status"], "open");
    assert_eq!(ticket["messages"][0]["body"], "Do you need an invoice?");
    let id = ticket["id"].as_i64().expect("id");

    let (status, answer) = post(
        &app,
        &writer,
        "/api/v1/tickets",
        json!({"order_no": "SP-NOPE", "category": "sideways", "subject": "", "body": "x"}),
    )
    .await;
    assert_eq!(status, 422, "{answer}");
    let fields: Vec<&str> = answer["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert!(
        fields.contains(&"category") && fields.contains(&"subject"),
        "{answer}"
    );
    let (status, answer) = post(
        &app,
        &writer,
        "/api/v1/tickets",
        json!({"order_no": "SP-NOPE", "category": "other", "subject": "Hm", "body": "x"}),
    )
    .await;
    assert_eq!(
        (status, answer["errors"][0]["field"].as_str()),
        (422, Some("order"))
    );

    let (status, listed) = get(&app, &reader, "/api/v1/tickets").await;
    assert_eq!(status, 200);
    assert_eq!(listed["tickets"][0]["id"], id);
    assert_eq!(listed["tickets"][0]["order_no"], paid.no.as_str());
    assert_eq!(listed["next_page"], Value::Null);
    let (status, _) = get(&app, &reader, "/api/v1/tickets?status=resolved").await;
    assert_eq!(status, 200);
    let (status, answer) = get(&app, &reader, "/api/v1/tickets?status=sideways").await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (400, Some("invalid_status"))
    );
    let (status, shown) = get(&app, &reader, &format!("/api/v1/tickets/{id}")).await;
    assert_eq!((status, shown["subject"].as_str()), (200, Some("Papers?")));

    let (status, _) = post(
        &app,
        &writer,
        &format!("/api/v1/tickets/{id}/messages"),
        json!({"body": "  "}),
    )
    .await;
    assert_eq!(status, 422);
    let (status, answer) = post(
        &app,
        &writer,
        &format!("/api/v1/tickets/{id}/messages"),
        json!({"body": "Here it is."}),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(answer["messages"].as_array().map(Vec::len), Some(2));

    // Another company's ticket does not exist for them.
    let (status, _) = get(&app, &stranger, &format!("/api/v1/tickets/{id}")).await;
    assert_eq!(status, 404);
    let (status, _) = post(
        &app,
        &stranger,
        &format!("/api/v1/tickets/{id}/messages"),
        json!({"body": "Hi"}),
    )
    .await;
    assert_eq!(status, 404);
    let (status, theirs) = get(&app, &stranger, "/api/v1/tickets").await;
    assert_eq!(
        (status, theirs["tickets"].as_array().map(Vec::len)),
        (200, Some(0))
    );
    let (status, _) = get(&app, &stranger, "/api/v1/tickets/not-a-number").await;
    assert_eq!(status, 404);

    assert!(
        app.count("audit_log WHERE actor_email = 'api:Writer' AND action = 'ticket.open'") == 1
    );
}

#[actix_web::test]
async fn the_openapi_document_lists_the_new_paths() {
    let app = TestApp::spawn().await;
    let document: Value = reqwest::get(format!("{}/api/v1/openapi.json", app.address))
        .await
        .expect("document")
        .json()
        .await
        .expect("JSON");
    for path in [
        "/api/v1/webhooks",
        "/api/v1/webhooks/{id}",
        "/api/v1/webhooks/{id}/test",
        "/api/v1/orders/{order_no}/tracking",
        "/api/v1/tickets",
        "/api/v1/tickets/{id}",
        "/api/v1/tickets/{id}/messages",
    ] {
        assert!(document["paths"][path].is_object(), "{path} is documented");
    }
}

/// A round asked to stop (SIGTERM, issue #14) sends nothing more and hands
/// its claimed deliveries back at once; the next round sends them.
#[actix_web::test]
async fn a_stopping_worker_hands_back_the_deliveries_it_has_not_sent() {
    use samplepost::config::WebhookSettings;
    use samplepost::jobs::shutdown::{Shutdown, Workers};
    use samplepost::jobs::webhooks::round;
    let app = TestApp::spawn().await;
    let (owner, _) = app.seller("Acme").await;
    let (url, got) = receiver(vec![200, 200]).await;
    let (endpoint, _) = new_endpoint(&owner, &url, &["ticket.updated"]).await;
    for _ in 0..2 {
        let path = format!("/app/webhooks/{endpoint}/test");
        assert_eq!(owner.post_form(&path, &[]).await.status(), 303);
    }
    let client = reqwest::Client::new();
    let settings = WebhookSettings::default();
    let workers = Workers::default();
    let stopping = workers.shutdown();
    assert!(workers.stop(Duration::from_secs(1)).await);
    let sent = round(&app.pool, &settings, &client, &stopping).await;
    assert_eq!(sent.expect("round"), 0);
    assert!(got.lock().expect("log").is_empty(), "nothing sent");
    let leased: Vec<Option<chrono::NaiveDateTime>> = {
        let mut conn = app.conn();
        let conn: &mut DbConnection = &mut conn;
        webhook_deliveries::table
            .filter(webhook_deliveries::endpoint_id.eq(endpoint))
            .filter(webhook_deliveries::status.eq("pending"))
            .select(webhook_deliveries::leased_until)
            .load(conn)
            .expect("deliveries")
    };
    assert_eq!(leased, vec![None, None], "handed back, still pending");
    let running = Shutdown::default();
    let sent = round(&app.pool, &settings, &client, &running).await;
    assert_eq!(sent.expect("round"), 2, "the next round sends both");
    assert_eq!(got.lock().expect("log").len(), 2);
}
