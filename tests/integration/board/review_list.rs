//! A route's reviews: keyset pages, filters, hidden reviews, pseudonyms.

use super::{Spec, next_link, rebuild, review, review_ids, reviewers};
use crate::common::TestApp;
use diesel::prelude::*;
use samplepost::db::DbConnection;
use samplepost::db::schema::{review_replies, reviews};

#[tokio::test]
async fn keyset_pages_have_no_duplicates_or_gaps_while_reviews_are_added() {
    let app = TestApp::spawn().await;
    let firms = reviewers(&app, "Pages", 3).await;
    let mut written: Vec<i64> = (0..25)
        .map(|i| {
            review(
                &app,
                &Spec::new("EU-ECO", "DE", firms[i % 3], 1 + (i as i64 % 5)),
            )
        })
        .collect();
    rebuild(&app);
    let browser = app.browser();
    let first = browser.get_text("/routes/EU-ECO").await;
    let first_ids = review_ids(&first);
    assert_eq!(first_ids.len(), 20, "twenty a page");
    assert!(first_ids.windows(2).all(|w| w[0] > w[1]), "newest first");
    // Three more reviews arrive while the visitor reads the first page.
    let later: Vec<i64> = (0..3)
        .map(|_| review(&app, &Spec::new("EU-ECO", "DE", firms[0], 4)))
        .collect();
    let next = next_link(&first).expect("a link to older reviews");
    assert!(next.contains("before="), "{next}");
    assert!(!next.contains("page="), "keyset, not offsets");
    let second = browser.get_text(&next).await;
    let second_ids = review_ids(&second);
    assert!(next_link(&second).is_none(), "the last page");
    let mut seen: Vec<i64> = first_ids.iter().chain(&second_ids).copied().collect();
    seen.sort_unstable();
    written.sort_unstable();
    assert_eq!(seen, written, "every review once, none of the new ones");
    let fresh = review_ids(&browser.get_text("/routes/EU-ECO").await);
    assert_eq!(
        fresh[..3],
        [later[2], later[1], later[0]],
        "new ones lead the list"
    );
}

#[tokio::test]
async fn reviews_filter_by_country_stars_text_and_photos() {
    let app = TestApp::spawn().await;
    let firms = reviewers(&app, "Filter", 1).await;
    let by = firms[0];
    let de_text = review(
        &app,
        &Spec {
            body: "Arrived in Berlin in nine days.",
            ..Spec::new("EU-ECO", "DE", by, 5)
        },
    );
    let fr_photo = review(
        &app,
        &Spec {
            photos: 2,
            ..Spec::new("EU-ECO", "FR", by, 3)
        },
    );
    let de_plain = review(&app, &Spec::new("EU-ECO", "DE", by, 3));
    rebuild(&app);
    let b = app.browser();
    let ids = |path: &'static str| {
        let b = &b;
        async move { review_ids(&b.get_text(path).await) }
    };
    assert_eq!(ids("/routes/EU-ECO?country=DE").await, [de_plain, de_text]);
    assert_eq!(ids("/routes/EU-ECO?stars=3").await, [de_plain, fr_photo]);
    assert_eq!(ids("/routes/EU-ECO?text=on").await, [de_text]);
    assert_eq!(ids("/routes/EU-ECO?photos=on").await, [fr_photo]);
    assert_eq!(
        ids("/routes/EU-ECO?country=FR&stars=5").await,
        Vec::<i64>::new()
    );
    // Nonsense filters filter nothing and never fail.
    assert_eq!(
        ids("/routes/EU-ECO?stars=9&country=XX&before=abc")
            .await
            .len(),
        3
    );
    assert_eq!(b.get("/routes/NOPE").await.status(), 404);
}

#[tokio::test]
async fn a_hidden_review_shows_only_the_moderation_reason() {
    let app = TestApp::spawn().await;
    let firms = reviewers(&app, "Hidden Trading", 1).await;
    let id = review(
        &app,
        &Spec {
            body: "Rude words here",
            ..Spec::new("EU-ECO", "DE", firms[0], 1)
        },
    );
    let kept = review(
        &app,
        &Spec {
            body: "Fine service",
            ..Spec::new("EU-ECO", "DE", firms[0], 4)
        },
    );
    {
        let mut conn = app.conn();
        let conn: &mut DbConnection = &mut conn;
        diesel::update(reviews::table.find(id))
            .set((
                reviews::status.eq("hidden"),
                reviews::hide_reason.eq("abuse"),
            ))
            .execute(conn)
            .expect("hide");
        diesel::insert_into(review_replies::table)
            .values((
                review_replies::review_id.eq(kept),
                review_replies::body.eq("Thank you for the kind words."),
                review_replies::author_id.eq(firms[0].user_id),
                review_replies::created_at.eq(chrono::Utc::now().naive_utc()),
                review_replies::updated_at.eq(chrono::Utc::now().naive_utc()),
            ))
            .execute(conn)
            .expect("reply");
    }
    rebuild(&app);
    let browser = app.browser();
    browser.english().await;
    let page = browser.get_text("/routes/EU-ECO").await;
    assert!(page.contains("Hidden by moderation: abuse"));
    assert!(!page.contains("Rude words"), "the hidden text is not shown");
    assert!(page.contains("Fine service"));
    assert!(
        page.contains("Thank you for the kind words."),
        "the platform's reply"
    );
    assert!(page.contains("Verified order"));
    assert!(page.contains(&format!("/reviews/{kept}/report")));
    let zh = app.browser().get_text("/routes/EU-ECO").await;
    assert!(zh.contains("因审核隐藏：辱骂"));
    assert!(zh.contains("已验证订单"));
}

#[tokio::test]
async fn reviewers_are_pseudonyms_never_the_company_name() {
    let app = TestApp::spawn().await;
    let firms = reviewers(&app, "Zhangsan Widgets", 2).await;
    for by in &firms {
        review(
            &app,
            &Spec {
                body: "ok",
                ..Spec::new("EU-ECO", "DE", *by, 4)
            },
        );
    }
    rebuild(&app);
    let browser = app.browser();
    browser.english().await;
    for path in ["/routes/EU-ECO", "/", "/compare?routes=EU-ECO,POST-SMALL"] {
        let page = browser.get_text(path).await;
        assert!(!page.contains("Zhangsan"), "{path} names a company");
    }
    let page = browser.get_text("/routes/EU-ECO").await;
    assert!(
        page.contains("深圳 · Electronics seller"),
        "city and category"
    );
    let zh = app.browser().get_text("/routes/EU-ECO").await;
    assert!(zh.contains("深圳 · 电子产品卖家"), "Chinese pseudonym");
    assert!(!zh.contains("Zhangsan"));
}
