//! Two instances on one database (issue #14): the test server and the real
//! binary, both running their background workers. A session opened on one
//! goes on on the other and ends on both; webhook deliveries are sent once
//! each, whichever worker leases them; payments spread over both instances
//! never overdraw the balance.

use crate::api::new_token;
use crate::common::{Browser, TestApp};
use crate::crash::start;
use crate::demo::cli;
use crate::webhooks::{new_endpoint, receiver};
use samplepost::config::Secret;
use serde_json::json;
use std::collections::HashSet;
use std::time::Duration;

/// The order the ERP sends; every copy costs the same.
fn order(reference: &str) -> serde_json::Value {
    json!({
        "recipient": {"name": "Jane Smith", "line1": "1 High Street", "city": "London",
            "postcode": "SW1A 1AA", "country": "GB", "phone": "020 7946 0958"},
        "reference": reference,
        "parcel": {"weight_kg": 0.48, "length_cm": 30, "width_cm": 20, "height_cm": 5},
        "items": [{"description_en": "Cotton T-shirt", "quantity": 2,
            "unit_value_usd": "3.50", "hs_code": "6109.10"}],
        "route": "POST-SMALL", "submit": true, "acknowledge_warnings": true,
    })
}

#[actix_web::test]
async fn two_instances_share_sessions_webhook_deliveries_and_the_balance() {
    let key: Vec<u8> = (0..64).map(|_| rand::random::<u8>()).collect();
    let app = {
        let key = key.clone();
        TestApp::spawn_with(move |settings| {
            settings.session_key = Secret::new(key);
            settings.webhooks.poll = Duration::from_millis(100);
        })
        .await
    };
    let (one, email) = app.seller("Acme").await;
    let data_dir = tempfile::tempdir().expect("temp dir");
    let (mut child, base) = start(
        &app.database_url,
        &key,
        data_dir.path(),
        &[("WEBHOOK_POLL_SECONDS", "1")],
    );
    let two = Browser {
        base,
        client: one.client.clone(),
    };

    // Signed in on one, the session goes on on the other.
    assert_eq!(two.get("/app/orders").await.status(), 200);

    // Webhook deliveries queued through both instances reach the receiver
    // once each, though both workers look for due deliveries.
    let (url, got) = receiver(vec![200]).await;
    let (endpoint, _) = new_endpoint(&one, &url, &["order.status_changed"]).await;
    for n in 0..20 {
        let instance = if n % 2 == 0 { &one } else { &two };
        let queued = instance
            .post_form(&format!("/app/webhooks/{endpoint}/test"), &[])
            .await;
        assert_eq!(queued.status(), 303);
    }
    for _ in 0..150 {
        if got.lock().expect("log").len() >= 20 {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    // Time for a second worker to send anything twice.
    actix_web::rt::time::sleep(Duration::from_millis(2_500)).await;
    let deliveries: Vec<String> = got
        .lock()
        .expect("log")
        .iter()
        .filter_map(|r| r.header("X-Samplepost-Delivery"))
        .collect();
    let distinct: HashSet<&String> = deliveries.iter().collect();
    assert_eq!(
        deliveries.len(),
        20,
        "each delivery sent once: {deliveries:?}"
    );
    assert_eq!(distinct.len(), 20);

    // Eight approved orders, money for three: paid concurrently through
    // both instances, exactly three go through and nothing overdraws.
    let token = new_token(&one, "ERP", &["orders:write"]).await;
    let client = reqwest::Client::new();
    let mut orders = Vec::new();
    let mut total = 0;
    for n in 0..8 {
        let created: serde_json::Value = client
            .post(format!("{}/api/v1/orders", app.address))
            .bearer_auth(&token)
            .json(&order(&format!("TWO-{n}")))
            .send()
            .await
            .expect("create")
            .json()
            .await
            .expect("JSON");
        assert_eq!(created["status"], "approved", "{created}");
        total = created["quote"]["total_fen"].as_i64().expect("total");
        orders.push(created["order_no"].as_str().expect("no").to_owned());
    }
    let company = app.company_of(&email);
    app.credit(company, 3 * total);
    let csrf = one.csrf().await;
    let payments: Vec<_> = orders
        .iter()
        .enumerate()
        .map(|(n, no)| {
            let base = if n % 2 == 0 {
                one.base.clone()
            } else {
                two.base.clone()
            };
            let request = one
                .client
                .post(format!("{base}/app/orders/{no}/pay"))
                .form(&[("csrf_token", csrf.as_str())]);
            actix_web::rt::spawn(async move { request.send().await.map(|r| r.status()) })
        })
        .collect();
    for payment in payments {
        let status = payment.await.expect("task").expect("answer");
        assert!(status.as_u16() < 500, "{status}");
    }
    let paid = orders.len() as i64
        - app.count(&format!(
            "orders WHERE status = 'approved' AND company_id = {company}"
        ));
    assert_eq!(paid, 3, "the balance paid three orders");
    let check = cli(&app, &["check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );

    // Signing out on the second instance ends the session on the first.
    let out = two.post_form("/logout", &[]).await;
    assert_eq!(out.status(), 303);
    let after = one.get("/app/orders").await;
    assert_eq!(after.status(), 303, "signed out everywhere");
    child.kill().ok();
    child.wait().ok();
}
