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
    let (app, key) = TestApp::spawn_sharing_key(|settings| {
        settings.webhooks.poll = Duration::from_millis(100);
    })
    .await;
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

#[actix_web::test]
async fn a_tokens_rate_limit_is_shared_by_both_instances() {
    let (app, key) = TestApp::spawn_sharing_key(|settings| {
        settings.api_rate.per_second = 1.0;
        settings.api_rate.burst = 4.0;
    })
    .await;
    let (owner, _) = app.seller("Acme").await;
    let token = new_token(&owner, "ERP", &["quote"]).await;
    let data_dir = tempfile::tempdir().expect("temp dir");
    let (mut child, base) = start(
        &app.database_url,
        &key,
        data_dir.path(),
        &[("API_RATE_PER_SECOND", "1"), ("API_RATE_BURST", "4")],
    );
    let client = reqwest::Client::new();
    // Both instances have their catalogue read before the clock starts.
    for instance in [&app.address, &base] {
        let board = client
            .get(format!("{instance}/"))
            .send()
            .await
            .expect("board");
        assert_eq!(board.status(), 200);
    }
    let started = std::time::Instant::now();
    let mut statuses = Vec::new();
    for n in 0..12 {
        let instance = if n % 2 == 0 { &app.address } else { &base };
        let answer = client
            .get(format!("{instance}/api/v1/routes"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("call");
        if answer.status() == 429 {
            assert!(answer.headers().get("retry-after").is_some());
        }
        statuses.push(answer.status().as_u16());
    }
    let refilled = started.elapsed().as_secs_f64().ceil() as usize;
    let passed = statuses.iter().filter(|s| **s == 200).count();
    assert_eq!(&statuses[..4], [200; 4], "the burst: {statuses:?}");
    // Two buckets of four (one per instance) would pass eight at once.
    assert!(
        passed <= 4 + refilled && statuses.contains(&429),
        "one bucket of four across both instances, refilled at most 1/s: {statuses:?} in {refilled} s"
    );
    child.kill().ok();
    child.wait().ok();
}

#[actix_web::test]
async fn wrong_passwords_spread_over_both_instances_lock_the_account_on_both() {
    let (app, key) = TestApp::spawn_sharing_key(|_| {}).await;
    let (_, email) = app.owner("Acme").await;
    let data_dir = tempfile::tempdir().expect("temp dir");
    let (mut child, base) = start(&app.database_url, &key, data_dir.path(), &[]);
    let one = app.browser();
    let two = Browser {
        base,
        client: one.client.clone(),
    };
    // Five wrong passwords, alternately on each instance: one count, kept
    // in the database, not five on one and none on the other.
    for n in 0..5 {
        let instance = if n % 2 == 0 { &one } else { &two };
        let answer = instance.sign_in(&email, "wrong-password-1").await;
        assert_eq!(answer.status(), 422, "attempt {n}");
    }
    for instance in [&one, &two] {
        let answer = instance.sign_in(&email, crate::common::PASSWORD).await;
        assert_eq!(answer.status(), 429, "locked on {}", instance.base);
    }
    child.kill().ok();
    child.wait().ok();
}

#[actix_web::test]
async fn the_shared_bucket_refills_at_the_rate_and_ignores_a_clock_behind() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.seller("Acme").await;
    new_token(&owner, "ERP", &["quote"]).await;
    let token_id = {
        use diesel::prelude::*;
        use samplepost::db::schema::api_tokens;
        api_tokens::table
            .select(api_tokens::id)
            .first::<i64>(&mut *app.conn())
            .expect("token")
    };
    let rate = samplepost::config::ApiRate {
        per_second: 2.0,
        burst: 3.0,
    };
    let mut conn = app.conn();
    let mut take = |at: i64| {
        samplepost::services::api_rate::take(&mut conn, token_id, rate, at).expect("take")
    };
    let t = 1_800_000_000_000;
    assert_eq!([take(t), take(t), take(t)], [Ok(()), Ok(()), Ok(())]);
    assert_eq!(take(t), Err(1), "empty: half a second to wait, said as 1");
    assert_eq!(take(t + 500), Ok(()), "half a second refills one at 2/s");
    assert_eq!(
        take(t - 60_000),
        Err(1),
        "an instance whose clock is behind"
    );
    assert_eq!(
        take(t + 10_000),
        Ok(()),
        "refilled to the burst, not beyond"
    );
    assert_eq!([take(t + 10_000), take(t + 10_000)], [Ok(()), Ok(())]);
    assert_eq!(take(t + 10_000), Err(1));
}

#[actix_web::test]
async fn both_instances_watch_for_silence_and_one_ticket_is_opened() {
    let (app, key) = TestApp::spawn_sharing_key(|settings| {
        settings.watchdog_poll = Duration::from_millis(200);
    })
    .await;
    let (paid, _) = crate::tracking::watchdog::silent_for_six_days(&app).await;
    let data_dir = tempfile::tempdir().expect("temp dir");
    let (mut child, _) = start(
        &app.database_url,
        &key,
        data_dir.path(),
        &[("WATCHDOG_POLL_SECONDS", "1")],
    );
    // Several rounds of each instance's watchdog.
    actix_web::rt::time::sleep(Duration::from_millis(3_000)).await;
    child.kill().ok();
    child.wait().ok();
    let tickets = crate::tracking::watchdog::tickets_of(&app, &paid.no);
    assert_eq!(tickets.len(), 1, "one ticket for one silence: {tickets:?}");
}

#[actix_web::test]
async fn both_mail_workers_send_each_queued_mail_once() {
    let sink = crate::common::smtp::SmtpSink::start();
    let (app, key) = {
        let url = sink.url();
        TestApp::spawn_sharing_key(move |settings| {
            settings.smtp_url = Some(Secret::new(url));
            settings.outbox_poll = Duration::from_millis(300);
        })
        .await
    };
    let data_dir = tempfile::tempdir().expect("temp dir");
    let (mut child, _) = start(
        &app.database_url,
        &key,
        data_dir.path(),
        &[("SMTP_URL", &sink.url()), ("OUTBOX_POLL_SECONDS", "1")],
    );
    // Queued in waves, so both workers find due mails.
    for wave in 0..4 {
        {
            let mut conn = app.conn();
            for n in 0..10 {
                samplepost::services::notifications::mail(
                    &mut conn,
                    None,
                    &format!("seller{wave}-{n}@example.com"),
                    samplepost::services::password_reset::MAIL_KIND,
                    "",
                    "http://samplepost.test/password-reset/x",
                )
                .expect("queue a mail");
            }
        }
        actix_web::rt::time::sleep(Duration::from_millis(450)).await;
    }
    for _ in 0..100 {
        if app.count("outbox WHERE status = 'pending'") == 0 {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    actix_web::rt::time::sleep(Duration::from_millis(1_500)).await;
    child.kill().ok();
    child.wait().ok();
    let messages = sink.messages();
    let mut recipients: Vec<String> = messages
        .iter()
        .filter_map(|m| {
            m.lines()
                .find(|l| l.to_ascii_lowercase().starts_with("to:"))
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(messages.len(), 40, "each mail once");
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 40, "forty different mails");
    assert_eq!(app.count("outbox WHERE status = 'sent'"), 40);
}
