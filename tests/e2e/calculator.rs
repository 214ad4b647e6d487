//! The public rate calculator, filled in as a visitor would.

use crate::browser::browser_test;
use crate::common::TestApp;

#[tokio::test]
async fn a_visitor_fills_the_rate_calculator_and_reads_a_price() {
    browser_test(
        "a_visitor_fills_the_rate_calculator_and_reads_a_price",
        async |browsers| {
            let app = TestApp::spawn().await;
            let tab = browsers.open(&app.address).await;

            tab.goto("/").await;
            tab.click(r#"header a[href="/rates"]"#).await;
            tab.wait_for(r#"form.calculator"#).await;
            tab.select_option("#to", "DE").await;
            tab.fill("#postcode", "10115").await;
            tab.fill("#weight_kg", "0.481").await;
            tab.click(r#"form.calculator button[type="submit"]"#).await;

            // EU-ECO to DE: 72.00/kg × 0.49 kg (rounded up to 10 g) + 18.00 = 53.28
            let total = tab.text(r#"tr[data-route="EU-ECO"] .total"#).await;
            assert_eq!(total, "¥53.28");
            tab.wait_until(
                "location.pathname === '/rates' && location.search.includes('to=DE')",
                "the result has its own address, so it can be shared",
            )
            .await;

            // A battery narrows the choice, and the reasons are shown.
            tab.tick(r#"input[name="battery"]"#).await;
            tab.click(r#"form.calculator button[type="submit"]"#).await;
            tab.wait_for(r#"ul.unavailable li[data-route="EU-ECO"]"#)
                .await;
            tab.wait_for(r#"tr[data-route="INTL-EXPRESS"]"#).await;
        },
    )
    .await;
}
