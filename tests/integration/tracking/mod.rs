//! Tracking after hand-over (issue #11): carrier webhooks, staff events and
//! sheets through one code path, the state they move the order to, and the
//! public tracking page.

mod hook;
mod public;
mod staff;
pub(crate) mod watchdog;

use crate::common::{Browser, TestApp};
use crate::paid::{Paid, paid_order};
use crate::warehouse::{BOX, receive, status_of};
use hmac::{Hmac, Mac};
use samplepost::domain::status::Role;
use sha2::Sha256;

/// The waybill the standard in-transit parcel is handed over under.
pub const WAYBILL: &str = "JD0001234567";

/// A paid order received at the warehouse and handed to DHL under [`WAYBILL`].
pub async fn in_transit(app: &TestApp) -> (Paid, Browser) {
    let paid = paid_order(app, 100_000, &[]).await;
    let operator = app.staff(Role::Operator).await;
    receive(&operator, &paid.no, "0.48", BOX).await;
    let path = format!("/admin/warehouse/{}/dispatch", paid.no);
    let response = operator
        .post_form(&path, &[("carrier", "DHL"), ("waybill", WAYBILL)])
        .await;
    assert_eq!(response.status(), 303, "dispatched");
    assert_eq!(status_of(app, &paid.no), "in_transit");
    (paid, operator)
}

/// Sets a new webhook secret for `carrier` as an admin and returns it, as the page shows it once.
pub async fn new_secret(admin: &Browser, carrier: &str) -> String {
    let response = admin
        .post_form(&format!("/admin/tracking/secrets/{carrier}"), &[])
        .await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.expect("page");
    let marker = format!("data-secret=\"{carrier}\">");
    let start = page.find(&marker).expect("the new secret") + marker.len();
    page[start..].split('<').next().expect("secret").to_owned()
}

/// The hex HMAC-SHA256 of `timestamp.body` under `secret`.
pub fn sign(secret: &str, timestamp: &str, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(format!("{timestamp}.{body}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Now, as unix seconds.
pub fn now_ts() -> String {
    chrono::Utc::now().timestamp().to_string()
}

/// Posts `body` to the carrier's webhook with the given headers (no cookies).
pub async fn post_hook(
    app: &TestApp,
    carrier: &str,
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &str,
) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(format!("{}/hooks/carrier/{carrier}", app.address))
        .header("Content-Type", "application/json")
        .body(body.to_owned());
    if let Some(timestamp) = timestamp {
        request = request.header("X-Samplepost-Timestamp", timestamp);
    }
    if let Some(signature) = signature {
        request = request.header("X-Samplepost-Signature", signature);
    }
    request.send().await.expect("webhook request")
}

/// Posts `body` signed now with `secret`.
pub async fn signed_hook(app: &TestApp, secret: &str, body: &str) -> reqwest::Response {
    let timestamp = now_ts();
    let signature = sign(secret, &timestamp, body);
    post_hook(app, "DHL", Some(&timestamp), Some(&signature), body).await
}

/// One webhook event for [`WAYBILL`].
pub fn event(id: &str, milestone: &str, time: &str) -> String {
    serde_json::json!({
        "event_id": id,
        "waybill": WAYBILL,
        "milestone": milestone,
        "time": time,
        "location": {"city": "London", "country": "GB"},
        "text": "Processed at London Heathrow",
        "reason": null,
    })
    .to_string()
}
