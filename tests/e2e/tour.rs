//! Not a check but a look: `cargo test --test e2e tour -- --ignored` walks a
//! seller through the order pages and saves a screenshot of each to
//! `target/e2e-screenshots/tour-*.png`, for a person to review the layout.

use crate::browser::browser_test;
use crate::common::TestApp;

#[tokio::test]
#[ignore = "produces screenshots to look at; asserts nothing new"]
async fn tour() {
    browser_test("tour", async |browsers| {
        let app = TestApp::spawn().await;
        let (seller, email) = app.seller("Acme").await;
        let fields = crate::common::order_fields(&[("form_token", "tour")]);
        seller.post_form("/app/orders", &fields).await;
        let tab = browsers.open(&app.address).await;
        tab.sign_in(&email).await;
        tab.wait_for(r#"header a[href="/app/orders"]"#).await;
        tab.screenshot("tour-1-dashboard").await;
        tab.goto("/app/orders").await;
        tab.screenshot("tour-2-orders").await;
        tab.click("table.orders a.order-no").await;
        tab.wait_for("[data-status]").await;
        tab.screenshot("tour-3-order").await;
        tab.click(r#".actions a[href$="/pi"]"#).await;
        tab.wait_for("main.invoice").await;
        tab.screenshot("tour-4-invoice").await;
        tab.goto("/app/orders/new").await;
        tab.select_option("#country", "US").await;
        tab.fill("#weight_kg", "1.2").await;
        tab.fill("#item0_description_en", "Power bank 10000mAh")
            .await;
        tab.click_and_load(r#"button[value="refresh"]"#).await;
        tab.wait_for("table.routes").await;
        tab.screenshot("tour-5-form").await;
        tab.goto("/lang/en").await;
        tab.goto("/app/orders/new").await;
        tab.wait_for("form.order-form").await;
        tab.screenshot("tour-11-form-english").await;
        tab.goto("/lang/zh-CN").await;
        for (path, name) in [
            ("/app/team", "tour-6-team"),
            ("/app/settings/approval", "tour-7-approval-rules"),
            ("/app/balance", "tour-8-balance"),
            ("/app/notifications", "tour-9-notifications"),
            ("/app/audit", "tour-10-activity"),
        ] {
            tab.goto(path).await;
            tab.wait_for("main").await;
            tab.screenshot(name).await;
        }
    })
    .await;
}
