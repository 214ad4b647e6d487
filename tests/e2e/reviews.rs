//! Reviews in the browser: a seller opens a delivered order, follows
//! "Review this route", gives the six scores, a tag and a text, and sees
//! the review listed as theirs, editable (issue #12).

use crate::browser::browser_test;
use crate::common::{TestApp, location, order_fields};

#[tokio::test]
async fn a_seller_writes_a_review_from_the_order_page() {
    browser_test("reviews", async |browsers| {
        let app = TestApp::spawn().await;
        let (seller, email) = app.seller("Acme").await;
        app.credit(app.company_of(&email), 100_000);
        let submitted = seller
            .post_form("/app/orders", &order_fields(&[("acknowledge", "yes")]))
            .await;
        let no = location(&submitted)
            .trim_start_matches("/app/orders/")
            .to_owned();
        let paid = seller
            .post_form(&format!("/app/orders/{no}/pay"), &[])
            .await;
        assert_eq!(paid.status(), 303);
        crate::tracking::dispatch(&app, &no).await;
        let an_hour_ago = (chrono::Utc::now() - chrono::Duration::hours(1))
            .format("%Y-%m-%dT%H:%M")
            .to_string();
        crate::tracking::deliver(&app, &no, &an_hour_ago).await;

        let tab = browsers.open(&app.address).await;
        tab.sign_in(&email).await;
        tab.wait_for(r#"header a[href="/app/orders"]"#).await;
        tab.goto("/lang/en").await;
        tab.goto(&format!("/app/orders/{no}")).await;
        tab.wait_for(r#"[data-review-offer="write"]"#).await;
        tab.click_and_load(&format!(r#"a[href="/app/orders/{no}/review"]"#))
            .await;
        tab.wait_for("[data-review-form]").await;
        for (field, stars) in [
            ("score_overall", "5"),
            ("score_timeliness", "4"),
            ("score_service", "4"),
            ("score_customs", "5"),
            ("score_tracking", "3"),
            ("score_packaging", "5"),
        ] {
            tab.click(&format!(r#"input[name="{field}"][value="{stars}"]"#))
                .await;
        }
        tab.tick(r#"input[name="tags"][value="ddp_worked"]"#).await;
        tab.fill(
            "#text",
            "DDP worked: the recipient paid nothing on arrival.",
        )
        .await;
        tab.click_and_load(r#"[data-review-form] button[type="submit"]"#)
            .await;
        tab.wait_for(&format!(r#"[data-written="{no}"] [data-edit-review]"#))
            .await;
        assert_eq!(tab.path().await, "/app/reviews");
        tab.goto(&format!("/app/orders/{no}")).await;
        tab.wait_for(r#"[data-review-offer="edit"]"#).await;
    })
    .await;
}
