//! Returns (issue #11): a refused or undeliverable parcel comes back as a
//! paid return order linked to the original; a delivered sample is asked
//! back with a link the recipient opens to print the return label. A
//! return's money and states.

use crate::common::{Browser, TestApp, location};
use crate::paid::Paid;
use crate::tracking::{in_transit, new_secret, signed_hook};
use crate::warehouse::{balance_of, ledger_of, status_of};
use diesel::prelude::*;
use samplepost::db::DbConnection;
use samplepost::db::schema::routes;
use samplepost::domain::status::Role;

/// The standard order's route offers returns (the demo catalogue's does not).
pub fn offer_returns(app: &TestApp) {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    diesel::update(routes::table.filter(routes::code.eq("POST-SMALL")))
        .set(routes::returns_offered.eq(true))
        .execute(conn)
        .expect("returns offered");
}

/// Staff report a tracking event on the order's staff page.
async fn report(staff: &Browser, no: &str, milestone: &str, reason: &str, time: &str) {
    let response = staff
        .post_form(
            &format!("/admin/orders/{no}/tracking"),
            &[
                ("milestone", milestone),
                ("local_time", time),
                ("utc_offset", "+00:00"),
                ("city", "London"),
                ("country", "GB"),
                ("text", "Reported by the carrier"),
                ("reason", reason),
            ],
        )
        .await;
    assert_eq!(response.status(), 303, "{milestone} recorded");
}

/// An in-transit parcel the recipient refused: the order is in exception.
async fn refused_abroad(app: &TestApp) -> (Paid, Browser) {
    let (paid, operator) = in_transit(app).await;
    report(
        &operator,
        &paid.no,
        "exception",
        "recipient_refused",
        "2026-12-05T10:00",
    )
    .await;
    assert_eq!(status_of(app, &paid.no), "exception");
    (paid, operator)
}

/// The return's price as the order page offers it.
fn offered_price(page: &str) -> i64 {
    crate::common::first_id(page, "data-return-price=\"")
}

async fn send_back(seller: &Browser, no: &str) -> reqwest::Response {
    seller
        .post_form(
            &format!("/app/orders/{no}/send-back"),
            &[("confirm", "yes")],
        )
        .await
}

#[tokio::test]
async fn a_refused_parcel_comes_back_as_a_paid_return_order_linked_both_ways() {
    let app = TestApp::spawn().await;
    offer_returns(&app);
    let (paid, _) = refused_abroad(&app).await;
    let page = paid
        .seller
        .get_text(&format!("/app/orders/{}", paid.no))
        .await;
    assert!(page.contains("data-return-offer="), "the offer is shown");
    let price = offered_price(&page);
    assert!(price > 0, "the return has its own price");
    let before = balance_of(&app, paid.company);

    // Not confirmed: nothing happens.
    let unconfirmed = paid
        .seller
        .post_form(&format!("/app/orders/{}/send-back", paid.no), &[])
        .await;
    assert_eq!(unconfirmed.status(), 303);
    assert_eq!(app.count("order_returns"), 0);
    assert_eq!(balance_of(&app, paid.company), before);

    let created = send_back(&paid.seller, &paid.no).await;
    assert_eq!(created.status(), 303);
    let return_no = location(&created)
        .strip_prefix("/app/orders/")
        .expect("to the return order")
        .to_owned();
    assert_ne!(return_no, paid.no);
    assert_eq!(balance_of(&app, paid.company), before - price);
    assert_eq!(
        ledger_of(&app, &return_no),
        vec![("payment".to_owned(), -price)]
    );
    assert_eq!(status_of(&app, &paid.no), "returned");
    assert_eq!(status_of(&app, &return_no), "paid");

    let back = paid
        .seller
        .get_text(&format!("/app/orders/{return_no}"))
        .await;
    assert!(back.contains(&format!("data-return-of=\"{}\"", paid.no)));
    assert!(
        back.contains(&format!("data-total=\"{price}\"")),
        "its own quote"
    );
    let original = paid
        .seller
        .get_text(&format!("/app/orders/{}", paid.no))
        .await;
    assert!(original.contains(&format!("data-returned-by=\"{return_no}\"")));
    assert!(original.contains("data-event=\"returns.send_back\""));
    assert!(!original.contains("data-return-offer="), "no second offer");
    let list = paid.seller.get_text("/app/orders").await;
    assert!(list.contains("data-return>"), "the list marks the return");

    // A second request is a conflict and charges nothing.
    let again = send_back(&paid.seller, &paid.no).await;
    assert_eq!(again.status(), 409);
    assert_eq!(app.count("order_returns"), 1);
    assert_eq!(balance_of(&app, paid.company), before - price);
    // A return cannot be returned in turn.
    assert_eq!(send_back(&paid.seller, &return_no).await.status(), 409);
}

#[tokio::test]
async fn a_route_without_returns_offers_none_and_refuses_the_request() {
    let app = TestApp::spawn().await;
    let (paid, _) = refused_abroad(&app).await;
    let page = paid
        .seller
        .get_text(&format!("/app/orders/{}", paid.no))
        .await;
    assert!(!page.contains("data-return-offer="));
    assert!(
        page.contains("data-return-refusal"),
        "the seller is told why"
    );
    let before = balance_of(&app, paid.company);
    let refused = send_back(&paid.seller, &paid.no).await;
    assert_eq!(refused.status(), 409);
    let body = refused.text().await.expect("page");
    assert!(body.contains("此线路不提供退回服务"), "a clear message");
    assert_eq!(app.count("order_returns"), 0);
    assert_eq!(balance_of(&app, paid.company), before);
    assert_eq!(status_of(&app, &paid.no), "exception");
}

#[tokio::test]
async fn a_short_balance_writes_nothing_and_says_so() {
    let app = TestApp::spawn().await;
    offer_returns(&app);
    let (paid, _) = refused_abroad(&app).await;
    let balance = balance_of(&app, paid.company);
    app.credit(paid.company, -balance);
    let orders_before = app.count("orders");
    let entries_before = app.count("ledger_entries");
    let response = send_back(&paid.seller, &paid.no).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("/app/orders/{}", paid.no));
    let page = paid
        .seller
        .get_text(&format!("/app/orders/{}", paid.no))
        .await;
    assert!(page.contains("余额不足以支付退回费用"), "the message");
    assert_eq!(app.count("orders"), orders_before);
    assert_eq!(app.count("ledger_entries"), entries_before);
    assert_eq!(app.count("order_returns"), 0);
    assert_eq!(status_of(&app, &paid.no), "exception");
}

#[tokio::test]
async fn a_delivered_sample_asked_back_travels_on_its_own_waybill_to_delivered() {
    let app = TestApp::spawn().await;
    offer_returns(&app);
    let (paid, operator) = in_transit(&app).await;
    report(&operator, &paid.no, "delivered", "", "2026-12-06T10:00").await;
    assert_eq!(status_of(&app, &paid.no), "delivered");
    let page = paid
        .seller
        .get_text(&format!("/app/orders/{}", paid.no))
        .await;
    assert!(page.contains("申请退回"), "ask for it back");
    let created = send_back(&paid.seller, &paid.no).await;
    assert_eq!(created.status(), 303);
    let return_no = location(&created)
        .strip_prefix("/app/orders/")
        .expect("to the return")
        .to_owned();
    assert_eq!(
        status_of(&app, &paid.no),
        "delivered",
        "the original stays delivered"
    );
    let page = paid
        .seller
        .get_text(&format!("/app/orders/{return_no}"))
        .await;
    let link = crate::links::shown_link(&page, "return-link");
    assert!(link.starts_with("/return/"), "{link}");
    let again = paid
        .seller
        .get_text(&format!("/app/orders/{return_no}"))
        .await;
    assert!(!again.contains("return-link"), "shown once");

    // The recipient, without an account or cookies, in English.
    let outsider = reqwest::Client::new();
    let response = outsider
        .get(format!("{}{link}", app.address))
        .header("Accept-Language", "en-GB,en;q=0.9")
        .send()
        .await
        .expect("page");
    assert_eq!(response.status(), 200);
    let text = response.text().await.expect("text");
    assert!(text.contains("Return a sample"));
    assert!(text.contains(&format!("data-return-no=\"{return_no}\"")));
    let pdf = outsider
        .get(format!("{}{link}/label.pdf", app.address))
        .send()
        .await
        .expect("label");
    assert_eq!(pdf.status(), 200);
    assert_eq!(
        pdf.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    assert!(pdf.bytes().await.expect("bytes").starts_with(b"%PDF"));
    let unknown = outsider
        .get(format!("{}/return/0000000000000000", app.address))
        .send()
        .await
        .expect("unknown");
    assert_eq!(unknown.status(), 404);

    // Staff see the return, set its waybill; the carrier's events move it.
    let tracking = operator.get_text("/admin/tracking").await;
    assert!(tracking.contains(&format!("data-return=\"{return_no}\"")));
    let bad = operator
        .post_form(
            &format!("/admin/orders/{return_no}/return-waybill"),
            &[("carrier", "DHL"), ("waybill", "x")],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let set = operator
        .post_form(
            &format!("/admin/orders/{return_no}/return-waybill"),
            &[("carrier", "DHL"), ("waybill", "RT0009876543")],
        )
        .await;
    assert_eq!(set.status(), 303);
    let admin = app.staff(Role::Admin).await;
    let secret = new_secret(&admin, "DHL").await;
    for (id, milestone, time) in [
        ("rt-1", "in_transit", "2026-12-08T09:00:00Z"),
        ("rt-2", "delivered", "2026-12-12T09:00:00+08:00"),
    ] {
        let body = serde_json::json!({
            "event_id": id,
            "waybill": "RT0009876543",
            "milestone": milestone,
            "time": time,
            "location": {"city": "Shenzhen", "country": "CN"},
            "text": "Return parcel",
            "reason": null,
        })
        .to_string();
        let response = signed_hook(&app, &secret, &body).await;
        assert!(response.status().is_success(), "{milestone} accepted");
        if milestone == "in_transit" {
            assert_eq!(status_of(&app, &return_no), "in_transit");
        }
    }
    assert_eq!(status_of(&app, &return_no), "delivered");
    let page = paid
        .seller
        .get_text(&format!("/app/orders/{}", paid.no))
        .await;
    assert!(page.contains(&format!("data-returned-by=\"{return_no}\"")));
}

#[tokio::test]
async fn another_companys_member_finds_no_return_to_make() {
    let app = TestApp::spawn().await;
    offer_returns(&app);
    let (paid, _) = refused_abroad(&app).await;
    let (stranger, _) = app.seller("Other").await;
    let response = send_back(&stranger, &paid.no).await;
    assert_eq!(response.status(), 404);
    assert_eq!(app.count("order_returns"), 0);
    assert_eq!(status_of(&app, &paid.no), "exception");
}
