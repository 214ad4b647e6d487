//! A seller fills in the order form the way a person would: two items, a
//! route and a backup, submit, then the proforma invoice.

use crate::browser::browser_test;
use crate::common::TestApp;

#[tokio::test]
async fn a_seller_fills_the_order_form_submits_and_prints_the_invoice() {
    browser_test(
        "a_seller_fills_the_order_form_submits_and_prints_the_invoice",
        async |browsers| {
            let app = TestApp::spawn().await;
            let (_, email) = app.seller("Acme").await;
            let tab = browsers.open(&app.address).await;

            tab.sign_in(&email).await;
            tab.click(r#"header a[href="/app/orders"]"#).await;
            tab.click(r#".empty a[href="/app/orders/new"]"#).await;
            tab.wait_for("form.order-form").await;

            for (field, value) in [
                ("name", "Jane Smith"),
                ("line1", "1 High Street"),
                ("city", "London"),
                ("postcode", "SW1A 1AA"),
                ("phone", "020 7946 0958"),
                ("reference", "SPRING-26"),
                ("weight_kg", "0.48"),
                ("length_cm", "30"),
                ("width_cm", "20"),
                ("height_cm", "5"),
                ("item0_description_en", "Cotton T-shirt"),
                ("item0_quantity", "2"),
                ("item0_unit_value_usd", "3.50"),
                ("item0_hs_code", "610910"),
            ] {
                tab.fill(&format!("#{field}"), value).await;
            }
            tab.select_option("#country", "GB").await;
            tab.select_option("#purpose", "influencer").await;

            // A second item row; what was typed in the first stays.
            tab.click_and_load(r#"button[value="add_item"]"#).await;
            tab.wait_for("#item1_description_en").await;
            assert_eq!(
                tab.text("#item0_description_en").await,
                "",
                "inputs show their value, not text"
            );
            tab.wait_until(
                "document.querySelector('#item0_description_en').value === 'Cotton T-shirt'",
                "the first item is kept",
            )
            .await;
            tab.fill("#item1_description_en", "Silk scarf").await;
            tab.fill("#item1_quantity", "1").await;
            tab.fill("#item1_unit_value_usd", "2.00").await;
            tab.fill("#item1_hs_code", "621410").await;

            // Routes for this parcel, then the choice and a backup.
            tab.click_and_load(r#"button[value="refresh"]"#).await;
            tab.click("#route-POST-SMALL").await;
            tab.select_option("#backup_route", "INTL-EXPRESS").await;
            tab.click(r#".actions button[value="submit"]"#).await;

            tab.wait_for(r#"[data-status="approved"]"#).await;
            let total = tab.text("[data-total]").await;
            assert!(total.starts_with('¥'), "the frozen price: {total}");
            assert!(tab.text("table.items").await.contains("Silk scarf"));

            tab.click(r#".actions a[href$="/pi"]"#).await;
            tab.wait_for("main.invoice").await;
            let invoice = tab.text("main.invoice").await;
            assert!(invoice.contains("PROFORMA INVOICE"));
            assert!(invoice.contains("Cotton T-shirt") && invoice.contains("Silk scarf"));
            assert!(invoice.contains("USD 9.00"), "2 × 3.50 + 2.00");
        },
    )
    .await;
}
