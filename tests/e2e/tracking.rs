//! Tracking in the browser: staff add an event on the order's staff page,
//! the seller sees it on the order, and a visitor with the order number and
//! the recipient's postcode sees it on `/track`.

use crate::browser::browser_test;
use crate::common::{TestApp, location, order_fields};
use samplepost::domain::status::Role;

/// Receives the paid order `no` at the warehouse and hands it to DHL, as
/// the warehouse tests do it.
pub async fn dispatch(app: &TestApp, no: &str) {
    let warehouse = app.staff(Role::Operator).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", warehouse.csrf().await)
        .text("action", "receive")
        .text("weight_kg", "0.48")
        .text("length_cm", "30")
        .text("width_cm", "20")
        .text("height_cm", "5")
        .text("contents_match", "yes");
    let received = warehouse
        .post_multipart(&format!("/admin/warehouse/{no}"), form)
        .await;
    assert_eq!(received.status(), 303);
    // A waybill of the order's own (JD and its number's ten digits): one per parcel.
    let waybill: String = "JD"
        .chars()
        .chain(no.chars().filter(char::is_ascii_digit))
        .collect();
    let handed = warehouse
        .post_form(
            &format!("/admin/warehouse/{no}/dispatch"),
            &[("carrier", "DHL"), ("waybill", &waybill)],
        )
        .await;
    assert_eq!(handed.status(), 303);
}

/// An operator records the dispatched order `no` delivered in London at
/// `local_time` (`YYYY-MM-DDTHH:MM`, UTC).
pub async fn deliver(app: &TestApp, no: &str, local_time: &str) {
    let operator = app.staff(Role::Operator).await;
    let delivered = [
        ("milestone", "delivered"),
        ("local_time", local_time),
        ("utc_offset", "+00:00"),
        ("city", "London"),
        ("country", "GB"),
        ("text", "Delivered"),
        ("reason", ""),
    ];
    let path = format!("/admin/orders/{no}/tracking");
    assert_eq!(operator.post_form(&path, &delivered).await.status(), 303);
}

#[tokio::test]
async fn a_staff_event_reaches_the_seller_and_the_public_page() {
    browser_test("tracking", async |browsers| {
        let app = TestApp::spawn().await;
        let (seller, email) = app.seller("Acme").await;
        app.credit(app.company_of(&email), 100_000);
        let submitted = seller
            .post_form("/app/orders", &order_fields(&[("acknowledge", "yes")]))
            .await;
        let no = location(&submitted).trim_start_matches("/app/orders/").to_owned();
        let paid = seller.post_form(&format!("/app/orders/{no}/pay"), &[]).await;
        assert_eq!(paid.status(), 303);
        dispatch(&app, &no).await;

        let operator = browsers.open(&app.address).await;
        operator.sign_in(&app.staff_account(Role::Operator)).await;
        operator.wait_for(r#"header a[href="/admin"]"#).await;
        operator.goto(&format!("/admin/orders/{no}")).await;
        operator.select_option("#milestone", "customs_held").await;
        // A datetime-local input types differently per locale; set its value directly.
        operator
            .wait_until(
                "(() => { document.querySelector('#local_time').value = '2026-12-02T10:00'; return true; })()",
                "the local time set",
            )
            .await;
        operator.fill("#utc_offset", "+00:00").await;
        operator.fill("#city", "London").await;
        operator.fill("#country", "GB").await;
        operator.fill("#text", "Held for inspection").await;
        operator
            .click_and_load(&format!(r#"form[action="/admin/orders/{no}/tracking"] button[type="submit"]"#))
            .await;
        operator.wait_for(r#"[data-tracking-event="customs_held"]"#).await;
        operator.wait_for(r#"[data-status="customs"]"#).await;

        let tab = browsers.open(&app.address).await;
        tab.sign_in(&email).await;
        tab.wait_for(r#"header a[href="/app/orders"]"#).await;
        tab.goto(&format!("/app/orders/{no}")).await;
        let event = tab.text(r#"[data-tracking-event="customs_held"]"#).await;
        assert!(event.contains("Held for inspection"), "{event}");

        let visitor = browsers.open(&app.address).await;
        visitor.goto("/track").await;
        visitor.fill("#order_no", &no).await;
        visitor.fill("#postcode", "SW1A 1AA").await;
        visitor
            .click_and_load(r#"form[action="/track"] button[type="submit"]"#)
            .await;
        let public = visitor.text(r#"[data-tracking-event="customs_held"]"#).await;
        assert!(public.contains("London"), "{public}");
        assert!(!public.contains("Held for inspection"), "no carrier text in public");
    })
    .await;
}
