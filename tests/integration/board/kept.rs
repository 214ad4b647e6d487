//! The board's kept pages (`web::board::kept`): a kept page changes as soon
//! as the data does, and its variants (language, filters, page, signed in
//! or not) never mix.

use super::{Spec, board_order, get_with_tag, rating_of, rebuild, review, reviewers};
use crate::common::TestApp;
use samplepost::bench_data::{self, Params};
use samplepost::domain::status::Role;

/// The body and ETag of an anonymous visit.
async fn visit(browser: &crate::common::Browser, path: &str) -> (String, String) {
    let response = browser.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    let etag = response.headers()["etag"]
        .to_str()
        .expect("etag")
        .to_owned();
    (response.text().await.expect("body"), etag)
}

#[tokio::test]
async fn a_kept_board_changes_with_a_new_review_and_never_goes_stale() {
    let app = TestApp::spawn().await;
    let firms = reviewers(&app, "Kept", 1).await;
    review(&app, &Spec::new("EU-ECO", "DE", firms[0], 5));
    rebuild(&app);
    let browser = app.browser();
    browser.english().await;
    let (first, tag) = visit(&browser, "/").await;
    let (again, same) = visit(&browser, "/").await;
    assert_eq!(
        (first.as_str(), tag.as_str()),
        (again.as_str(), same.as_str())
    );
    assert!(first.contains("data-reviews>1<"), "one review counted");
    // Three more reviews, one after another; each shows on the very next visit.
    let mut seen = first;
    let mut tags = vec![tag];
    for count in 2..=4 {
        review(&app, &Spec::new("EU-ECO", "DE", firms[0], 1));
        rebuild(&app);
        let (page, tag) = visit(&browser, "/").await;
        assert!(
            page.contains(&format!("data-reviews>{count}<")),
            "the new review is counted at once"
        );
        assert_ne!(rating_of(&page, "EU-ECO"), rating_of(&seen, "EU-ECO"));
        assert!(!tags.contains(&tag), "a new body has a new tag");
        // The old tag is no longer the page's: no 304 for it.
        assert_eq!(get_with_tag(&browser, "/", &tags[0]).await.status(), 200);
        assert_eq!(get_with_tag(&browser, "/", &tag).await.status(), 304);
        tags.push(tag);
        seen = page;
    }
}

#[tokio::test]
async fn languages_filters_and_visitors_do_not_mix() {
    let app = TestApp::spawn().await;
    let firms = reviewers(&app, "Mix", 1).await;
    review(&app, &Spec::new("EU-ECO", "DE", firms[0], 4));
    rebuild(&app);
    let zh = app.browser();
    let en = app.browser();
    en.english().await;
    for _ in 0..2 {
        let (page, _) = visit(&zh, "/").await;
        assert!(
            page.contains("<html lang=\"zh-CN\">"),
            "Chinese stays Chinese"
        );
        let (page, _) = visit(&en, "/").await;
        assert!(page.contains("<html lang=\"en\">"), "English stays English");
        assert!(page.contains("Verified orders only."));
    }
    let (de, de_tag) = visit(&en, "/?country=DE").await;
    let (us, us_tag) = visit(&en, "/?country=US").await;
    let (de_again, _) = visit(&en, "/?country=DE&sort=").await;
    assert_ne!(de_tag, us_tag);
    for (page, chosen, other) in [
        (&de, "DE", "US"),
        (&us, "US", "DE"),
        (&de_again, "DE", "US"),
    ] {
        assert!(page.contains(&format!("<option value=\"{chosen}\" selected>")));
        assert!(!page.contains(&format!("<option value=\"{other}\" selected>")));
        assert!(page.contains(&format!(
            "<input type=\"hidden\" name=\"country\" value=\"{chosen}\">"
        )));
    }
    // A signed-in visitor gets their own page around the same list, and
    // nobody else gets theirs.
    let staff = app.staff(Role::Operator).await;
    let mine = staff.get("/?country=DE").await;
    assert_eq!(mine.headers()["cache-control"], "private, no-cache");
    let mine = mine.text().await.expect("body");
    assert!(mine.contains("/logout"));
    assert_eq!(board_order(&mine), board_order(&de_again));
    let (after, _) = visit(&app.browser(), "/?country=DE").await;
    assert!(
        !after.contains("/logout"),
        "the anonymous page names nobody"
    );
    assert!(!after.contains("csrf_token"));
}

#[tokio::test]
async fn the_board_is_paged_and_its_links_keep_the_filters() {
    let app = TestApp::spawn().await;
    {
        let mut conn = app.conn();
        bench_data::generate(
            &mut conn,
            &Params {
                routes: 120,
                companies: 4,
                reviews: 40,
                seed: 3,
            },
        )
        .expect("bench data");
    }
    let browser = app.browser();
    browser.english().await;
    let (first, _) = visit(&browser, "/").await;
    let routes = board_order(&first);
    assert_eq!(routes.len(), 50, "fifty routes a page");
    let total = first
        .split("data-shown>Routes 1–50 of ")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .and_then(|n| n.parse::<usize>().ok())
        .expect("how many routes match");
    assert!(total > 100, "{total}");
    assert!(first.contains("href=\"/?page=2\" rel=\"next\""));
    // Every route once over all pages, in one order.
    let mut all = routes;
    let mut page = 2;
    loop {
        let (text, _) = visit(&browser, &format!("/?page={page}")).await;
        all.extend(board_order(&text));
        if !text.contains("rel=\"next\"") {
            break;
        }
        page += 1;
    }
    assert_eq!(all.len(), total);
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), total, "no route twice");
    // Past the end: the last page. Filters and sort stay in the links.
    let (last, _) = visit(&browser, "/?page=999").await;
    assert!(last.contains(&format!("of {total}<")) && !last.contains("rel=\"next\""));
    let (sorted, _) = visit(&browser, "/?sort=speed&battery=on&transport=&ddp=on").await;
    if sorted.contains("rel=\"next\"") {
        assert!(sorted.contains("href=\"/?battery=on&#38;ddp=on&#38;sort=speed&#38;page=2\""));
    }
    let (second, _) = visit(&browser, "/?sort=speed&page=2").await;
    assert!(
        second.contains("href=\"/?sort=speed&#38;page=1\" rel=\"prev\""),
        "{}",
        &second[second.find("class=\"pager\"").unwrap_or(0)..][..300]
    );
    assert!(second.contains("<option value=\"speed\" selected>"));
}
