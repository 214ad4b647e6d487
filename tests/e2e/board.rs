//! The public review board, read as a visitor would (issue #12).

use crate::browser::browser_test;
use crate::common::TestApp;
use crate::common::board::{Spec, rebuild, review, reviewers};

#[tokio::test]
async fn a_visitor_filters_the_board_opens_a_route_and_compares_two() {
    browser_test(
        "a_visitor_filters_the_board_opens_a_route_and_compares_two",
        async |browsers| {
            let app = TestApp::spawn().await;
            let firms = reviewers(&app, "Visitor", 1).await;
            review(
                &app,
                &Spec {
                    body: "Power banks reached Chicago in eight days.",
                    ..Spec::new("US-BATT", "US", firms[0], 5)
                },
            );
            rebuild(&app);
            let tab = browsers.open(&app.address).await;
            tab.goto("/lang/en").await;
            tab.goto("/").await;

            // Batteries to the United States: only the routes that take them.
            tab.select_option("#country", "US").await;
            tab.tick(r#"form.board-filters input[name="battery"]"#)
                .await;
            tab.click_and_load(r#"form.board-filters button[type="submit"]"#)
                .await;
            tab.wait_for(r#"article[data-route="US-BATT"]"#).await;
            tab.wait_for(r#"article[data-route="INTL-EXPRESS"]"#).await;
            tab.wait_until(
                "!document.querySelector('article[data-route=\"EU-ECO\"]')",
                "routes that do not go to the US with batteries are left out",
            )
            .await;

            // The route: its chart (an image with a name) and its reviews.
            tab.click_and_load(r#"article[data-route="US-BATT"] h2 a"#)
                .await;
            tab.wait_for(r#"svg[role="img"][aria-label="Star ratings"]"#)
                .await;
            let review = tab.text("li.review").await;
            assert!(review.contains("Power banks reached Chicago"), "{review}");
            assert!(review.contains("Verified order"), "{review}");
            let stars = tab.text("details summary").await;
            assert!(!stars.is_empty(), "the chart's numbers are a table away");

            // Back to the board, two routes side by side.
            tab.goto("/?country=US&battery=on").await;
            tab.tick(r#"article[data-route="US-BATT"] input[name="routes"]"#)
                .await;
            tab.tick(r#"article[data-route="INTL-EXPRESS"] input[name="routes"]"#)
                .await;
            tab.click_and_load(r#"form.board button[type="submit"]"#)
                .await;
            tab.wait_for(r#"table.compare th[data-route="US-BATT"]"#)
                .await;
            tab.wait_for(r#"table.compare th[data-route="INTL-EXPRESS"]"#)
                .await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_visitor_pages_through_a_long_board_keeping_the_sort() {
    browser_test(
        "a_visitor_pages_through_a_long_board_keeping_the_sort",
        async |browsers| {
            let app = TestApp::spawn().await;
            {
                let mut conn = app.conn();
                samplepost::bench_data::generate(
                    &mut conn,
                    &samplepost::bench_data::Params {
                        routes: 60,
                        companies: 3,
                        reviews: 30,
                        seed: 5,
                    },
                )
                .expect("bench data");
            }
            let tab = browsers.open(&app.address).await;
            tab.goto("/lang/en").await;
            tab.goto("/").await;
            tab.select_option("#sort", "speed").await;
            tab.click_and_load(r#"form.board-filters button[type="submit"]"#)
                .await;
            let shown = tab.text("[data-shown]").await;
            assert!(shown.starts_with("Routes 1–50 of "), "{shown}");
            tab.click_and_load(r#"nav.pager a[rel="next"]"#).await;
            tab.wait_until(
                "location.search === '?sort=speed&page=2'",
                "the next page's link keeps the sort",
            )
            .await;
            let shown = tab.text("[data-shown]").await;
            assert!(shown.starts_with("Routes 51–"), "{shown}");
            tab.wait_until(
                "document.querySelector('#sort').value === 'speed'",
                "the sort stays chosen on the next page",
            )
            .await;
        },
    )
    .await;
}
