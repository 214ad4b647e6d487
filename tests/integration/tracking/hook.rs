//! The carrier webhook: the signature, its freshness, the body, and the
//! same event stored once.

use super::{event, in_transit, new_secret, now_ts, post_hook, sign, signed_hook};
use crate::common::TestApp;
use crate::warehouse::status_of;
use samplepost::domain::status::Role;

/// The only stored event: source, carrier's id, UTC offset, raw payload.
fn stored_event(app: &TestApp) -> (String, Option<String>, i64, String) {
    use diesel::prelude::*;
    use samplepost::db::schema::tracking_events as t;
    let mut conn = app.conn();
    let conn: &mut samplepost::db::DbConnection = &mut conn;
    t::table
        .select((
            t::source,
            t::carrier_event_id,
            t::utc_offset_minutes,
            t::raw_payload,
        ))
        .first(conn)
        .expect("a stored event")
}

async fn error_code(response: reqwest::Response) -> String {
    let body: serde_json::Value = response.json().await.expect("JSON answer");
    body["error"]["code"]
        .as_str()
        .expect("error code")
        .to_owned()
}

#[tokio::test]
async fn a_signed_event_is_stored_once_and_moves_the_parcel() {
    let app = TestApp::spawn().await;
    let (paid, _) = in_transit(&app).await;
    let admin = app.staff(Role::Admin).await;
    let secret = new_secret(&admin, "DHL").await;
    let body = event("dhl-1", "customs_held", "2026-12-02T10:00:00+01:00");
    let response = signed_hook(&app, &secret, &body).await;
    assert_eq!(response.status(), 200);
    let answer: serde_json::Value = response.json().await.expect("json");
    assert_eq!(
        answer,
        serde_json::json!({"stored": true, "duplicate": false})
    );
    assert_eq!(status_of(&app, &paid.no), "customs");
    assert_eq!(app.count("tracking_events"), 1);
    let stored = stored_event(&app);
    assert_eq!(stored.0, "carrier");
    assert_eq!(stored.1.as_deref(), Some("dhl-1"));
    assert_eq!(stored.2, 60, "the place's offset in minutes");
    assert!(
        stored.3.contains("Processed at London Heathrow"),
        "raw payload"
    );
    // The seller heard about the hold at once.
    let notices = paid.seller.get_text("/app/notifications").await;
    assert!(notices.contains(&paid.no), "{notices}");
    // The same event again (a retry, or a replay within the 5 minutes): no change.
    let again = signed_hook(&app, &secret, &body).await;
    assert_eq!(again.status(), 200);
    let answer: serde_json::Value = again.json().await.expect("json");
    assert_eq!(
        answer,
        serde_json::json!({"stored": false, "duplicate": true})
    );
    assert_eq!(app.count("tracking_events"), 1);
    // The same milestone at the same time under another id is the same event too.
    let same = event("dhl-other", "customs_held", "2026-12-02T09:00:00Z");
    let answer: serde_json::Value = signed_hook(&app, &secret, &same)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(answer["duplicate"], true);
    // Customs releases it; a list of events is answered event by event.
    let list = format!(
        "{{\"events\": [{}, {}]}}",
        event("dhl-2", "customs_released", "2026-12-03T08:00:00+01:00"),
        event("dhl-3", "out_for_delivery", "2026-12-04T07:30:00+00:00"),
    );
    let response = signed_hook(&app, &secret, &list).await;
    assert_eq!(response.status(), 200);
    let answer: serde_json::Value = response.json().await.expect("json");
    assert_eq!(answer["events"].as_array().map(Vec::len), Some(2));
    assert_eq!(status_of(&app, &paid.no), "out_for_delivery");
    // The seller's order page shows the timeline, newest first, with China time.
    let page = paid
        .seller
        .get_text(&format!("/app/orders/{}", paid.no))
        .await;
    let newest = page
        .find("data-tracking-event=\"out_for_delivery\"")
        .expect("newest");
    let oldest = page
        .find("data-tracking-event=\"customs_held\"")
        .expect("oldest");
    assert!(newest < oldest);
    assert!(page.contains("2026-12-02 10:00 (+01:00)"), "local time");
    assert!(page.contains("2026-12-02 17:00"), "China time");
    assert!(page.contains("data-estimate"), "an estimate");
}

#[tokio::test]
async fn unsigned_badly_signed_and_stale_requests_are_refused_with_401() {
    let app = TestApp::spawn().await;
    let (paid, _) = in_transit(&app).await;
    let admin = app.staff(Role::Admin).await;
    let secret = new_secret(&admin, "DHL").await;
    let body = event("dhl-1", "delivered", "2026-12-02T10:00:00+01:00");
    let unsigned = post_hook(&app, "DHL", None, None, &body).await;
    assert_eq!(unsigned.status(), 401);
    assert_eq!(error_code(unsigned).await, "unsigned");
    let timestamp = now_ts();
    let wrong = sign("not-the-secret", &timestamp, &body);
    let bad = post_hook(&app, "DHL", Some(&timestamp), Some(&wrong), &body).await;
    assert_eq!(bad.status(), 401);
    assert_eq!(error_code(bad).await, "bad_signature");
    // Signed right, but the body was changed on the way.
    let signature = sign(&secret, &timestamp, &body);
    let tampered = body.replace("delivered", "lost");
    let changed = post_hook(&app, "DHL", Some(&timestamp), Some(&signature), &tampered).await;
    assert_eq!(changed.status(), 401);
    let old = (chrono::Utc::now().timestamp() - 301).to_string();
    let stale_signature = sign(&secret, &old, &body);
    let stale = post_hook(&app, "DHL", Some(&old), Some(&stale_signature), &body).await;
    assert_eq!(stale.status(), 401);
    assert_eq!(error_code(stale).await, "stale_timestamp");
    let unknown = post_hook(&app, "NOPE", Some(&timestamp), Some(&signature), &body).await;
    assert_eq!(unknown.status(), 404);
    assert_eq!(app.count("tracking_events"), 0);
    assert_eq!(status_of(&app, &paid.no), "in_transit");
}

#[tokio::test]
async fn malformed_json_and_unknown_waybills_are_refused_with_422_and_store_nothing() {
    let app = TestApp::spawn().await;
    let (paid, _) = in_transit(&app).await;
    let admin = app.staff(Role::Admin).await;
    let secret = new_secret(&admin, "DHL").await;
    let malformed = signed_hook(&app, &secret, "{\"waybill\": ").await;
    assert_eq!(malformed.status(), 422);
    assert_eq!(error_code(malformed).await, "malformed_json");
    let unknown = event("dhl-1", "delivered", "2026-12-02T10:00:00+01:00")
        .replace(super::WAYBILL, "XX9999999999");
    let response = signed_hook(&app, &secret, &unknown).await;
    assert_eq!(response.status(), 422);
    assert_eq!(error_code(response).await, "unknown_waybill");
    // One bad event in a list: none of the list is stored.
    let list = format!(
        "{{\"events\": [{}, {}]}}",
        event("dhl-2", "in_transit", "2026-12-02T10:00:00+01:00"),
        event("dhl-3", "teleported", "2026-12-02T11:00:00+01:00"),
    );
    let response = signed_hook(&app, &secret, &list).await;
    assert_eq!(response.status(), 422);
    assert_eq!(error_code(response).await, "unknown_milestone");
    let nul = event("dhl-5", "in_transit", "2026-12-02T10:00:00+01:00")
        .replace(super::WAYBILL, "JD00\\u0000");
    let response = signed_hook(&app, &secret, &nul).await;
    assert_eq!(response.status(), 422);
    let nul_text = event("dhl-6", "in_transit", "2026-12-02T10:00:00+01:00")
        .replace("Processed at", "Processed\\u0000at");
    let response = signed_hook(&app, &secret, &nul_text).await;
    assert_eq!(response.status(), 422);
    assert_eq!(error_code(response).await, "bad_text");
    let no_offset = event("dhl-4", "in_transit", "2026-12-02 10:00");
    assert_eq!(signed_hook(&app, &secret, &no_offset).await.status(), 422);
    assert_eq!(app.count("tracking_events"), 0);
    assert_eq!(status_of(&app, &paid.no), "in_transit");
}

#[tokio::test]
async fn the_previous_secret_works_for_a_day_after_a_rotation() {
    let app = TestApp::spawn().await;
    in_transit(&app).await;
    let admin = app.staff(Role::Admin).await;
    let first = new_secret(&admin, "DHL").await;
    let second = new_secret(&admin, "DHL").await;
    assert_ne!(first, second);
    let body = event("dhl-1", "arrived_destination", "2026-12-02T10:00:00+01:00");
    assert_eq!(signed_hook(&app, &first, &body).await.status(), 200);
    let body = event("dhl-2", "customs_clearance", "2026-12-02T12:00:00+01:00");
    assert_eq!(signed_hook(&app, &second, &body).await.status(), 200);
    // A third rotation ends the first secret's overlap.
    new_secret(&admin, "DHL").await;
    let body = event("dhl-3", "customs_released", "2026-12-02T13:00:00+01:00");
    assert_eq!(signed_hook(&app, &first, &body).await.status(), 401);
    let page = admin.get_text("/admin/tracking").await;
    assert!(!page.contains(&second), "secrets are shown only once");
}

#[tokio::test]
async fn two_webhooks_racing_for_one_order_store_each_event_once() {
    let app = TestApp::spawn().await;
    let (paid, _) = in_transit(&app).await;
    let admin = app.staff(Role::Admin).await;
    let secret = new_secret(&admin, "DHL").await;
    // The same event delivered twice at the same moment.
    let body = event("dhl-race", "customs_held", "2026-12-02T10:00:00+01:00");
    let (first, second) = tokio::join!(
        signed_hook(&app, &secret, &body),
        signed_hook(&app, &secret, &body)
    );
    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (200, 200)
    );
    let first: serde_json::Value = first.json().await.expect("json");
    let second: serde_json::Value = second.json().await.expect("json");
    let duplicates = [&first, &second]
        .iter()
        .filter(|answer| answer["duplicate"] == true)
        .count();
    assert_eq!(duplicates, 1, "{first} {second}");
    assert_eq!(app.count("tracking_events"), 1);
    assert_eq!(status_of(&app, &paid.no), "customs");
    // Two different events at once: both kept, and the newer one decides.
    let released = event("dhl-a", "customs_released", "2026-12-03T08:00:00+01:00");
    let out = event("dhl-b", "out_for_delivery", "2026-12-04T08:00:00+01:00");
    let (first, second) = tokio::join!(
        signed_hook(&app, &secret, &released),
        signed_hook(&app, &secret, &out)
    );
    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (200, 200)
    );
    assert_eq!(app.count("tracking_events"), 3);
    assert_eq!(status_of(&app, &paid.no), "out_for_delivery");
}
