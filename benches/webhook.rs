//! The carrier webhook's answer time (issue #11: "answers within 100 ms"),
//! measured beside a yardstick page in the same run.
//!
//! `cargo bench --bench webhook` (SQLite; with `TEST_DATABASE_URL` set, on a
//! fresh PostgreSQL database). It starts the real server as the integration
//! tests do, hands one parcel to DHL, then posts signed events that each move
//! the order (customs held, customs released, …) and so store *and* process.
//! The yardstick is the smallest page of the same stack: actix-web, an
//! askama template and one diesel query over an r2d2 SQLite pool. Requests
//! alternate between the two, one at a time, so both see the same machine.
//! The run fails (exit 1) when the webhook's p99 is over 100 ms.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "support/yardstick.rs"]
mod yardstick;

use common::{PASSWORD, TestApp, order_fields};
use hmac::{Hmac, Mac};
use samplepost::domain::status::Role;
use sha2::Sha256;
use std::time::{Duration, Instant};

const ROUNDS: usize = 400;
const WARM_UP: usize = 20;
const GOAL: Duration = Duration::from_millis(100);
const WAYBILL: &str = "JD0009990001";

#[tokio::main]
async fn main() {
    let app = TestApp::spawn().await;
    let secret = in_transit(&app).await;
    let yardstick = yardstick::start().await;
    let client = reqwest::Client::new();

    let mut hook = Vec::with_capacity(ROUNDS);
    let mut page = Vec::with_capacity(ROUNDS);
    let start = chrono::Utc::now() - chrono::Duration::days(20);
    for round in 0..WARM_UP + ROUNDS {
        let at = start + chrono::Duration::seconds(60 * round as i64);
        // Alternating milestones: every event moves the order (in_transit ⇄ customs).
        let milestone = if round % 2 == 0 {
            "customs_held"
        } else {
            "customs_released"
        };
        let body = serde_json::json!({
            "event_id": format!("bench-{round}"),
            "waybill": WAYBILL,
            "milestone": milestone,
            "time": at.to_rfc3339(),
            "location": {"city": "London", "country": "GB"},
            "text": "Customs",
        })
        .to_string();
        let timestamp = chrono::Utc::now().timestamp().to_string();
        let signature = sign(&secret, &timestamp, &body);
        let took = timed(
            client
                .post(format!("{}/hooks/carrier/DHL", app.address))
                .header("Content-Type", "application/json")
                .header("X-Samplepost-Timestamp", timestamp)
                .header("X-Samplepost-Signature", signature)
                .body(body),
        )
        .await;
        let took_page = timed(client.get(&yardstick)).await;
        if round >= WARM_UP {
            hook.push(took);
            page.push(took_page);
        }
    }
    let backend = if std::env::var("TEST_DATABASE_URL").is_ok() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let (hook50, hook99) = percentiles(&mut hook);
    let (page50, page99) = percentiles(&mut page);
    println!("carrier webhook on {backend}, {ROUNDS} signed events, each moving the order:");
    println!("  webhook   p50 {hook50:>8.2?}  p99 {hook99:>8.2?}");
    println!("  yardstick p50 {page50:>8.2?}  p99 {page99:>8.2?}");
    println!(
        "  ratio     p50 {:.1}×  p99 {:.1}×",
        ratio(hook50, page50),
        ratio(hook99, page99)
    );
    if hook99 > GOAL {
        println!("  FAIL: p99 over the 100 ms goal");
        std::process::exit(1);
    }
    println!("  ok: p99 within the 100 ms goal");
}

/// Sends one request and returns how long the answer took; a refused one ends the run.
async fn timed(request: reqwest::RequestBuilder) -> Duration {
    let started = Instant::now();
    let response = request.send().await.expect("request");
    let status = response.status();
    response.bytes().await.expect("body");
    let took = started.elapsed();
    assert!(status.is_success(), "answered {status}");
    took
}

fn percentiles(times: &mut [Duration]) -> (Duration, Duration) {
    times.sort_unstable();
    let at = |percent: usize| times[(times.len() * percent).div_ceil(100).max(1) - 1];
    (at(50), at(99))
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

fn sign(secret: &str, timestamp: &str, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(format!("{timestamp}.{body}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// A paid order received and handed to DHL under [`WAYBILL`]; returns DHL's webhook secret.
async fn in_transit(app: &TestApp) -> String {
    let (seller, email) = app.seller("Bench").await;
    app.credit(app.company_of(&email), 100_000);
    let fields = order_fields(&[("acknowledge", "yes")]);
    let created = seller.post_form("/app/orders", &fields).await;
    assert_eq!(created.status(), 303, "order submitted");
    let no = common::location(&created)
        .trim_start_matches("/app/orders/")
        .to_owned();
    let paid = seller
        .post_form(&format!("/app/orders/{no}/pay"), &[])
        .await;
    assert_eq!(paid.status(), 303, "paid");

    let operator = app.staff(Role::Operator).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", operator.csrf().await)
        .text("action", "receive")
        .text("weight_kg", "0.48")
        .text("length_cm", "30")
        .text("width_cm", "20")
        .text("height_cm", "5")
        .text("contents_match", "yes");
    let received = operator
        .post_multipart(&format!("/admin/warehouse/{no}"), form)
        .await;
    assert_eq!(received.status(), 303, "received");
    let dispatched = operator
        .post_form(
            &format!("/admin/warehouse/{no}/dispatch"),
            &[("carrier", "DHL"), ("waybill", WAYBILL)],
        )
        .await;
    assert_eq!(dispatched.status(), 303, "dispatched");

    let admin = app.browser();
    let signed_in = admin
        .sign_in(&app.staff_account(Role::Admin), PASSWORD)
        .await;
    assert_eq!(signed_in.status(), 303, "admin signed in");
    let page = admin
        .post_form("/admin/tracking/secrets/DHL", &[])
        .await
        .text()
        .await
        .expect("secret page");
    let marker = "data-secret=\"DHL\">";
    let start = page.find(marker).expect("the new secret") + marker.len();
    page[start..].split('<').next().expect("secret").to_owned()
}
