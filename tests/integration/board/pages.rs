//! The board's pages as a browser sees them: empty states, charts,
//! comparison errors, and caching.

use super::{Spec, get_with_tag, rebuild, review, reviewers};
use crate::common::TestApp;
use samplepost::domain::status::Role;

#[tokio::test]
async fn a_board_without_reviews_says_so_and_still_lists_routes() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    browser.english().await;
    let page = browser.get_text("/").await;
    assert!(page.contains("No reviews yet"));
    assert!(page.contains("Verified orders only."));
    assert!(page.contains("href=\"#formula\""));
    assert!(page.contains("EU-ECO"));
    let none = browser.get_text("/?country=NZ&transport=express").await;
    assert!(none.contains("No route matches these filters."));
}

#[tokio::test]
async fn the_route_page_draws_its_charts_with_the_numbers_beside_them() {
    let app = TestApp::spawn().await;
    let firms = reviewers(&app, "Charts", 1).await;
    for stars in [5, 5, 4] {
        review(&app, &Spec::new("EU-ECO", "DE", firms[0], stars));
    }
    rebuild(&app);
    let browser = app.browser();
    browser.english().await;
    let page = browser.get_text("/routes/EU-ECO").await;
    assert!(page.contains("<svg role=\"img\" aria-label=\"Star ratings\""));
    assert!(page.contains("<svg role=\"img\" aria-label=\"Monthly trend (last 12 months)\""));
    assert!(
        page.contains("<td>5★</td><td class=\"num\">2</td>"),
        "the star table"
    );
    assert!(page.contains("No deliveries measured yet."));
}

#[tokio::test]
async fn compare_refuses_too_few_too_many_and_unknown_routes_with_a_form() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    browser.english().await;
    for (path, status, text) in [
        ("/compare", 400, "Choose at least 2 routes"),
        ("/compare?routes=EU-ECO", 400, "Choose at least 2 routes"),
        (
            "/compare?routes=EU-ECO,POST-SMALL,NA-SAVER,AU-LINE,US-BATT",
            400,
            "At most 4 routes",
        ),
        (
            "/compare?routes=EU-ECO,NOPE-1",
            404,
            "Unknown route code: NOPE-1",
        ),
    ] {
        let response = browser.get(path).await;
        assert_eq!(response.status(), status, "{path}");
        let page = response.text().await.expect("page");
        assert!(page.contains(text), "{path}");
        assert!(
            page.contains("action=\"/compare\""),
            "{path}: a form to pick routes"
        );
    }
    let page = browser
        .get_text("/compare?routes=EU-ECO&routes=POST-SMALL&country=DE")
        .await;
    assert!(page.contains("data-route=\"EU-ECO\"") && page.contains("data-route=\"POST-SMALL\""));
    assert!(
        page.contains("data-price>¥"),
        "the reference parcel's price"
    );
}

#[tokio::test]
async fn public_pages_answer_an_unchanged_etag_with_304() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    for path in ["/", "/routes/EU-ECO", "/compare?routes=EU-ECO,POST-SMALL"] {
        let first = browser.get(path).await;
        assert_eq!(first.status(), 200, "{path}");
        let headers = first.headers().clone();
        assert_eq!(headers["cache-control"], "public, max-age=60", "{path}");
        let etag = headers["etag"].to_str().expect("etag").to_owned();
        assert!(etag.starts_with('"'), "a strong tag");
        let again = get_with_tag(&browser, path, &etag).await;
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(again.text().await.expect("body"), "");
        let other = get_with_tag(&browser, path, "\"stale\"").await;
        assert_eq!(other.status(), 200);
    }
    // A new review changes the page, so the old tag no longer matches.
    let before = browser.get("/routes/EU-ECO").await;
    let etag = before.headers()["etag"].to_str().expect("etag").to_owned();
    let firms = reviewers(&app, "Etag", 1).await;
    review(&app, &Spec::new("EU-ECO", "DE", firms[0], 4));
    rebuild(&app);
    let after = get_with_tag(&browser, "/routes/EU-ECO", &etag).await;
    assert_eq!(after.status(), 200);
    // Signed in, the page names the user: private.
    let staff = app.staff(Role::Operator).await;
    let response = staff.get("/").await;
    assert_eq!(response.headers()["cache-control"], "private, no-cache");
}
