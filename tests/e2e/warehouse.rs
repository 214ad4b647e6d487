//! The warehouse in the browser: an operator scans a paid order's number,
//! enters a heavier weight, and the seller sees the supplement on the
//! order and on the statement.

use crate::browser::browser_test;
use crate::common::{TestApp, location, order_fields};
use samplepost::domain::status::Role;

/// What a barcode scanner sends after the number: the Enter key.
const ENTER: &str = "\u{E007}";

#[tokio::test]
async fn an_operator_scans_a_heavier_parcel_and_the_seller_sees_the_supplement() {
    browser_test("warehouse_reweigh", async |browsers| {
        let app = TestApp::spawn().await;
        let (seller, email) = app.seller("Acme").await;
        app.credit(app.company_of(&email), 100_000);
        let submitted = seller
            .post_form("/app/orders", &order_fields(&[("acknowledge", "yes")]))
            .await;
        let no = location(&submitted).trim_start_matches("/app/orders/").to_owned();
        let paid = seller.post_form(&format!("/app/orders/{no}/pay"), &[]).await;
        assert_eq!(paid.status(), 303);

        let operator = browsers.open(&app.address).await;
        operator.sign_in(&app.staff_account(Role::Operator)).await;
        operator.wait_for(r#"header a[href="/admin/warehouse"]"#).await;
        operator.goto("/admin/warehouse").await;
        operator.fill("#order_no", &format!("{no}{ENTER}")).await;
        operator
            .wait_until(
                &format!("location.pathname === '/admin/warehouse/{no}'"),
                "the scanned parcel's page",
            )
            .await;
        if std::env::var("PHONE_SHOTS").is_ok() {
            operator.screenshot("warehouse-parcel").await;
        }
        operator.fill("#weight_kg", "0.60").await;
        operator.fill("#length_cm", "30").await;
        operator.fill("#width_cm", "20").await;
        operator.fill("#height_cm", "5").await;
        operator.tick("#contents_match").await;
        operator
            .click_and_load(r#"button[name="action"][value="receive"]"#)
            .await;
        operator.wait_for(r#"[data-status="received"]"#).await;

        let tab = browsers.open(&app.address).await;
        tab.sign_in(&email).await;
        tab.wait_for(r#"header a[href="/app/orders"]"#).await;
        tab.goto(&format!("/app/orders/{no}")).await;
        // 0.60 kg on POST-SMALL to GB: ¥53.20 against the ¥45.76 paid.
        let supplement = tab.text(r#"[data-supplement="744"]"#).await;
        assert!(supplement.contains("7.44"), "{supplement}");
        if std::env::var("PHONE_SHOTS").is_ok() {
            tab.screenshot("warehouse-seller-order").await;
            operator.goto("/admin/warehouse").await;
            operator.screenshot("warehouse-queue").await;
        }
        tab.goto("/app/balance").await;
        tab.wait_until(
            &format!(
                "document.body.innerText.includes('{no}') && document.body.innerText.includes('复重补款')"
            ),
            "the supplement on the statement",
        )
        .await;
    })
    .await;
}
