//! Crash safety (issue #14): the real binary is killed with SIGKILL while
//! orders are being created, submitted and paid through it; every request
//! that was answered with success is in the database afterwards, nothing is
//! half-written (`samplepost check` passes) and the binary starts again.

use crate::api::new_token;
use crate::common::{Browser, TestApp};
use crate::demo::cli;
use base64::Engine;
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Starts the binary on a free port against `database_url` with the
/// session `key` and `settings` (environment variables); returns the child
/// and its address once it serves.
pub(crate) fn start(
    database_url: &str,
    key: &[u8],
    data_dir: &std::path::Path,
    settings: &[(&str, &str)],
) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_samplepost"))
        .args(["--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .env("DATABASE_URL", database_url)
        .env(
            "SESSION_KEY",
            base64::engine::general_purpose::STANDARD.encode(key),
        )
        .env("API_RATE_PER_SECOND", "10000")
        .env("API_RATE_BURST", "10000")
        .env("RUST_LOG", "warn")
        // After the defaults above, so a test may change them.
        .envs(settings.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start samplepost");
    let stdout = child.stdout.take().expect("stdout");
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("line");
        if let Some(address) = line.split("serving on ").nth(1) {
            return (child, address.trim().to_owned());
        }
    }
    child.kill().ok();
    child.wait().ok();
    panic!("the binary never said it serves");
}

/// What the workers were told, success answers only.
#[derive(Default)]
struct Answered {
    created: Vec<String>,
    paid: Vec<String>,
}

/// Creates and submits orders through the API and pays them through the
/// seller's form until the server goes away.
async fn work(
    client: reqwest::Client,
    base: String,
    token: String,
    csrf: String,
    worker: usize,
    answered: Arc<Mutex<Answered>>,
) {
    for n in 0.. {
        let body = json!({
            "recipient": {"name": "Jane Smith", "line1": "1 High Street", "city": "London",
                "postcode": "SW1A 1AA", "country": "GB", "phone": "020 7946 0958"},
            "reference": format!("CRASH-{worker}-{n}"),
            "parcel": {"weight_kg": 0.48, "length_cm": 30, "width_cm": 20, "height_cm": 5},
            "items": [{"description_en": "Cotton T-shirt", "quantity": 2,
                "unit_value_usd": "3.50", "hs_code": "6109.10"}],
            "route": "POST-SMALL", "submit": true, "acknowledge_warnings": true,
        });
        let Ok(created) = client
            .post(format!("{base}/api/v1/orders"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
        else {
            return;
        };
        if created.status() != 201 {
            return;
        }
        let Ok(order) = created.json::<serde_json::Value>().await else {
            return;
        };
        let no = order["order_no"].as_str().unwrap_or_default().to_owned();
        answered.lock().expect("lock").created.push(no.clone());
        let paid = client
            .post(format!("{base}/app/orders/{no}/pay"))
            .form(&[("csrf_token", csrf.as_str())])
            .send()
            .await;
        match paid {
            Ok(response) if response.status() == 303 => {
                answered.lock().expect("lock").paid.push(no);
            }
            _ => return,
        }
    }
}

#[actix_web::test]
async fn sigkill_while_orders_are_paid_loses_no_answered_request_and_leaves_nothing_half_written() {
    let (app, key) = TestApp::spawn_sharing_key(|_| {}).await;
    let (seller, email) = app.seller("Acme").await;
    app.credit(app.company_of(&email), 100_000_000);
    let token = new_token(&seller, "ERP", &["orders:write"]).await;
    let csrf = seller.csrf().await;
    let data_dir = tempfile::tempdir().expect("temp dir");
    let (mut child, base) = start(&app.database_url, &key, data_dir.path(), &[]);
    // The seller's cookie (the same key signs it) works on the binary too.
    let on_binary = Browser {
        base: base.clone(),
        client: seller.client.clone(),
    };
    assert_eq!(on_binary.get("/app/orders").await.status(), 200);

    let answered = Arc::new(Mutex::new(Answered::default()));
    let workers: Vec<_> = (0..4)
        .map(|worker| {
            actix_web::rt::spawn(work(
                seller.client.clone(),
                base.clone(),
                token.clone(),
                csrf.clone(),
                worker,
                answered.clone(),
            ))
        })
        .collect();
    // Kill once a few payments went through, in the middle of more.
    for _ in 0..200 {
        if answered.lock().expect("lock").paid.len() >= 8 {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    for worker in workers {
        worker.await.expect("worker ends");
    }

    let answered = std::mem::take(&mut *answered.lock().expect("lock"));
    assert!(
        answered.paid.len() >= 8,
        "payments before the kill: {}",
        answered.paid.len()
    );
    for no in &answered.created {
        let page = seller.get_text(&format!("/app/orders/{no}")).await;
        assert!(page.contains(no.as_str()), "created {no} is there");
    }
    for no in &answered.paid {
        let page = seller.get_text(&format!("/app/orders/{no}")).await;
        assert!(
            page.contains("data-status=\"paid\""),
            "paid {no} stayed paid"
        );
    }
    let check = cli(&app, &["check"]);
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );

    // And it starts again on the same database.
    let (mut again, base) = start(&app.database_url, &key, data_dir.path(), &[]);
    let on_binary = Browser {
        base,
        client: seller.client.clone(),
    };
    assert_eq!(on_binary.get("/app/orders").await.status(), 200);
    again.kill().ok();
    again.wait().ok();
}
