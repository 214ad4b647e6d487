//! The board's order: Bayesian ratings, the company cap, per-destination figures.

use super::{Spec, board_order, rating_of, rebuild, review, reviewers};
use crate::common::TestApp;

#[tokio::test]
async fn many_good_reviews_rank_above_a_few_perfect_ones() {
    let app = TestApp::spawn().await;
    let firms = reviewers(&app, "Bayes", 5).await;
    // EU-ECO: one 5★ review from each of five companies.
    for by in &firms {
        review(&app, &Spec::new("EU-ECO", "DE", *by, 5));
    }
    // NA-SAVER: five reviews from each company, four 5★ and one 4★.
    for by in &firms {
        for stars in [5, 5, 5, 5, 4] {
            review(&app, &Spec::new("NA-SAVER", "US", *by, stars));
        }
    }
    // POST-SMALL: one 2★ review from each company.
    for by in &firms {
        review(&app, &Spec::new("POST-SMALL", "GB", *by, 2));
    }
    rebuild(&app);

    // By hand: C = (25 + 120 + 10) / 35 = 4.428571, m = 5, nobody is capped
    // (every company has the same weight on a route).
    // EU-ECO     (5·C + 25)  / 10 = 4.714…
    // NA-SAVER   (5·C + 120) / 30 = 4.738…
    // POST-SMALL (5·C + 10)  / 10 = 3.214…
    let browser = app.browser();
    browser.english().await;
    let page = browser.get_text("/").await;
    assert!(
        rating_of(&page, "NA-SAVER").contains("4.74 / 5"),
        "{}",
        rating_of(&page, "NA-SAVER")
    );
    assert!(rating_of(&page, "EU-ECO").contains("4.71 / 5"));
    assert!(rating_of(&page, "POST-SMALL").contains("3.21 / 5"));
    assert!(
        rating_of(&page, "NA-SAVER").starts_with("★★★★★"),
        "stars as text"
    );
    assert!(rating_of(&page, "POST-SMALL").starts_with("★★★☆☆"));
    let order = board_order(&page);
    assert_eq!(
        order[..3],
        ["NA-SAVER", "EU-ECO", "POST-SMALL"],
        "{order:?}"
    );
    assert_eq!(rating_of(&page, "AU-LINE"), "no reviews yet");
    assert_eq!(order.len(), 8, "every active route is listed");
}

#[tokio::test]
async fn one_company_cannot_carry_more_than_a_fifth_of_a_route() {
    let app = TestApp::spawn().await;
    let firms = reviewers(&app, "Cap", 5).await;
    // EU-ECO: company 1 writes twenty 5★ reviews, the four others one 2★ each.
    for _ in 0..20 {
        review(&app, &Spec::new("EU-ECO", "DE", firms[0], 5));
    }
    for by in &firms[1..] {
        review(&app, &Spec::new("EU-ECO", "DE", *by, 2));
    }
    // POST-SMALL: one 4★ review from each company.
    for by in &firms {
        review(&app, &Spec::new("POST-SMALL", "DE", *by, 4));
    }
    rebuild(&app);

    // Uncapped, EU-ECO's mean is 108 / 24 = 4.5, above POST-SMALL's 4.0.
    // C = (100 + 8 + 20) / 29 = 4.413793 (every review counts for the mean).
    // Capped: company 1 is cut to the level L = 0.2·(L + 4) = 1, so EU-ECO
    // weighs 5 with Σ w·s = 5 + 8 = 13: (5·C + 13) / 10 = 3.506…;
    // POST-SMALL (5·C + 20) / 10 = 4.206….
    let browser = app.browser();
    browser.english().await;
    let page = browser.get_text("/").await;
    assert!(
        rating_of(&page, "EU-ECO").contains("3.51 / 5"),
        "{}",
        rating_of(&page, "EU-ECO")
    );
    assert!(rating_of(&page, "POST-SMALL").contains("4.21 / 5"));
    let order = board_order(&page);
    assert_eq!(order[..2], ["POST-SMALL", "EU-ECO"], "{order:?}");
}

#[tokio::test]
async fn a_destination_uses_its_own_figures_and_says_when_there_are_too_few() {
    let app = TestApp::spawn().await;
    let firms = reviewers(&app, "Scope", 5).await;
    for by in &firms {
        review(&app, &Spec::new("EU-ECO", "DE", *by, 3));
    }
    for by in &firms[..2] {
        review(&app, &Spec::new("EU-ECO", "FR", *by, 5));
    }
    rebuild(&app);
    let browser = app.browser();
    browser.english().await;

    // Germany: five 3★ reviews against a German board mean of 3.
    let de = browser.get_text("/?country=DE").await;
    assert!(
        rating_of(&de, "EU-ECO").contains("3.00 / 5"),
        "{}",
        rating_of(&de, "EU-ECO")
    );
    assert!(
        !board_order(&de).contains(&"NA-SAVER".to_owned()),
        "no rate to DE"
    );
    // France: two reviews are too few for a number.
    let fr = browser.get_text("/?country=FR").await;
    assert_eq!(rating_of(&fr, "EU-ECO"), "too few reviews for France");
    // All destinations: seven reviews, C = 25 / 7. The two companies with
    // two reviews each (3★ and 5★) are capped to the level L = 1 (weights
    // 2, 2, 1, 1, 1: L = 0.2·(2L + 3)), each keeping its mean 4:
    // (5·C + 4 + 4 + 3 + 3 + 3) / 10 = 3.486….
    let all = browser.get_text("/").await;
    assert!(
        rating_of(&all, "EU-ECO").contains("3.49 / 5"),
        "{}",
        rating_of(&all, "EU-ECO")
    );
    // The route page's table per destination says the same.
    let route = browser.get_text("/routes/EU-ECO").await;
    assert!(route.contains("too few reviews for France"), "{route}");
    assert!(route.contains("3.00 / 5"), "{route}");
}

#[tokio::test]
async fn filters_narrow_the_board_and_price_sorts_the_reference_parcel() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    browser.english().await;
    let battery_us = browser.get_text("/?country=US&battery=on").await;
    let mut listed = board_order(&battery_us);
    listed.sort();
    assert_eq!(listed, ["INTL-EXPRESS", "US-BATT"]);
    let express = browser.get_text("/?transport=express").await;
    let mut listed = board_order(&express);
    listed.sort();
    assert_eq!(listed, ["INTL-EXPRESS", "JPKR-EXP"]);
    // Cheapest first; each card says the reference parcel's price.
    let by_price = browser.get_text("/?country=US&sort=price").await;
    let prices: Vec<f64> = regex::Regex::new(r"data-price>¥([0-9.]+)<")
        .expect("regex")
        .captures_iter(&by_price)
        .filter_map(|c| c[1].parse().ok())
        .collect();
    assert!(prices.len() >= 3, "{prices:?}");
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");
    assert!(by_price.contains("0.5 kg, 20 × 15 × 10 cm"));
}
