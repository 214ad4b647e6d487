//! Writing and editing a review: only a finished order of the member's own
//! company, once, within 90 days; edits for 30 days keep the earlier
//! wording; photos through the upload checks.

use super::{
    Typed, backdate_events, backdate_review, count_where, delivered, photos, post_review,
    review_of, reviewed,
};
use crate::common::{TestApp, location, refused_beside};
use crate::paid::pay_new;
use samplepost::domain::status::Role;

#[tokio::test]
async fn a_member_reviews_a_delivered_order_once_from_its_page() {
    let app = TestApp::spawn().await;
    let paid = delivered(&app).await;
    let order = paid
        .seller
        .get_text(&format!("/app/orders/{}", paid.no))
        .await;
    assert!(
        order.contains("data-review-offer=\"write\""),
        "the order page offers it"
    );
    let dashboard = paid.seller.get_text("/app").await;
    assert!(dashboard.contains(&format!("data-waiting=\"{}\"", paid.no)));
    let waiting = paid.seller.get_text("/app/reviews").await;
    assert!(waiting.contains(&format!("data-waiting=\"{}\"", paid.no)));
    assert!(waiting.contains("data-empty-written"));
    let form = paid
        .seller
        .get(&format!("/app/orders/{}/review", paid.no))
        .await;
    assert_eq!(form.status(), 200);
    let form = form.text().await.expect("form");
    assert!(form.contains("type=\"radio\" name=\"score_packaging\" value=\"5\""));

    let response = post_review(&paid.seller, &paid.no, Typed::default()).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/app/reviews");
    let review = review_of(&app, &paid.no).expect("stored");
    assert_eq!(review.route_code, "POST-SMALL");
    assert_eq!(review.country, "GB");
    assert_eq!(review.company_id, paid.company);
    assert_eq!(review.scores(), [5, 4, 4, 3, 5, 4]);
    assert_eq!(review.tags, "fast_clearance,well_packed");
    assert_eq!(review.weight_band, "0-0.5", "the re-weighed 0.48 kg");
    assert_eq!(review.reviewer_city, "深圳市");
    assert_eq!(review.reviewer_category, "other", "no module application");
    assert!(review.has_text && review.is_visible());
    assert!(review.weight > 0.0);

    let listed = paid.seller.get_text("/app/reviews").await;
    assert!(listed.contains(&format!("data-written=\"{}\"", paid.no)));
    assert!(listed.contains("data-edit-review") && listed.contains("data-empty-waiting"));
    let order = paid
        .seller
        .get_text(&format!("/app/orders/{}", paid.no))
        .await;
    assert!(order.contains("data-review-offer=\"edit\""));

    // The same form posted twice (a double click): no second review, no error page.
    let again = post_review(&paid.seller, &paid.no, Typed::default()).await;
    assert_eq!(again.status(), 303);
    assert_eq!(app.count("reviews"), 1);
    assert_eq!(app.count("review_versions"), 0);
    assert_eq!(
        count_where(&app, "audit_log", "action = 'route_review.write'"),
        1
    );
}

#[tokio::test]
async fn only_the_ordering_company_reviews_and_only_a_finished_order() {
    let app = TestApp::spawn().await;
    let paid = delivered(&app).await;
    let path = format!("/app/orders/{}/review", paid.no);
    let (other, _) = app.seller("Rival").await;
    assert_eq!(other.get(&path).await.status(), 404);
    assert_eq!(
        post_review(&other, &paid.no, Typed::default())
            .await
            .status(),
        404
    );
    let operator = app.staff(Role::Operator).await;
    assert_eq!(
        operator.get(&path).await.status(),
        403,
        "staff never review"
    );
    assert_eq!(
        post_review(&operator, &paid.no, Typed::default())
            .await
            .status(),
        403
    );
    let moving = pay_new(&paid.seller, &[("form_token", "second")]).await;
    let not_yet = format!("/app/orders/{moving}/review");
    assert_eq!(paid.seller.get(&not_yet).await.status(), 409);
    assert_eq!(
        post_review(&paid.seller, &moving, Typed::default())
            .await
            .status(),
        409
    );
    let order = paid.seller.get_text(&format!("/app/orders/{moving}")).await;
    assert!(!order.contains("data-review-offer"));
    assert_eq!(app.count("reviews"), 0);
}

#[tokio::test]
async fn ninety_days_after_the_finish_the_order_can_no_longer_be_reviewed() {
    let app = TestApp::spawn().await;
    let paid = delivered(&app).await;
    backdate_events(&app, &paid.no, 89);
    let path = format!("/app/orders/{}/review", paid.no);
    assert_eq!(paid.seller.get(&path).await.status(), 200, "day 89");
    backdate_events(&app, &paid.no, 2);
    assert_eq!(paid.seller.get(&path).await.status(), 409, "day 91");
    assert_eq!(
        post_review(&paid.seller, &paid.no, Typed::default())
            .await
            .status(),
        409
    );
    assert!(
        !paid
            .seller
            .get_text("/app/reviews")
            .await
            .contains("data-waiting=")
    );
    assert_eq!(app.count("reviews"), 0);
}

#[tokio::test]
async fn a_refused_form_comes_back_with_errors_beside_the_fields_and_nothing_lost() {
    let app = TestApp::spawn().await;
    let paid = delivered(&app).await;
    let typed = Typed {
        scores: ["", "4", "9", "3", "5", "4"],
        text: "Quick <b>and</b> cheap",
        tags: &["well_packed", "best_ever"],
        ..Typed::default()
    };
    let page = refused_beside(
        post_review(&paid.seller, &paid.no, typed).await,
        &["score_overall", "score_service", "tags"],
    )
    .await;
    assert!(
        page.contains("Quick &#60;b&#62;and"),
        "the text kept, escaped"
    );
    assert!(page.contains("name=\"score_timeliness\" value=\"4\" checked"));
    assert!(page.contains("name=\"tags\" value=\"well_packed\" checked"));
    let long = "好".repeat(2001);
    let typed = Typed {
        text: &long,
        ..Typed::default()
    };
    refused_beside(post_review(&paid.seller, &paid.no, typed).await, &["text"]).await;
    assert_eq!(app.count("reviews"), 0);
}

#[tokio::test]
async fn an_edit_within_thirty_days_keeps_the_earlier_wording_and_later_is_refused() {
    let app = TestApp::spawn().await;
    let (paid, id) = reviewed(&app).await;
    let form = paid
        .seller
        .get_text(&format!("/app/orders/{}/review", paid.no))
        .await;
    assert!(form.contains("name=\"editing\" value=\"yes\""));
    assert!(
        form.contains("Arrived in London in five days"),
        "the form shows what was written"
    );
    let changed = Typed {
        scores: ["2", "2", "3", "3", "3", "3"],
        text: "Customs held it for a week after all.",
        tags: &["customs_delay"],
        editing: true,
        ..Typed::default()
    };
    assert_eq!(
        post_review(&paid.seller, &paid.no, changed).await.status(),
        303
    );
    let review = review_of(&app, &paid.no).expect("review");
    assert_eq!(review.id, id);
    assert_eq!(review.overall, 2);
    assert_eq!(review.body, "Customs held it for a week after all.");
    assert_eq!(
        count_where(
            &app,
            "review_versions",
            &format!(
                "review_id = {id} AND overall = 5 AND body LIKE 'Arrived in London%' AND tags = 'fast_clearance,well_packed'"
            )
        ),
        1,
        "the earlier wording is kept"
    );
    backdate_review(&app, id, 31);
    let late = Typed {
        editing: true,
        ..Typed::default()
    };
    assert_eq!(
        post_review(&paid.seller, &paid.no, late).await.status(),
        409
    );
    let path = format!("/app/orders/{}/review", paid.no);
    assert_eq!(paid.seller.get(&path).await.status(), 409);
    assert_eq!(review_of(&app, &paid.no).expect("review").overall, 2);
    let order = paid
        .seller
        .get_text(&format!("/app/orders/{}", paid.no))
        .await;
    assert!(order.contains("data-review-offer=\"show\""));
}

#[tokio::test]
async fn photos_pass_the_upload_checks_and_are_at_most_four() {
    let app = TestApp::spawn().await;
    let paid = delivered(&app).await;
    let five = Typed {
        photos: photos(5),
        ..Typed::default()
    };
    refused_beside(post_review(&paid.seller, &paid.no, five).await, &["photos"]).await;
    let pdf = Typed {
        photos: vec![b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n".to_vec()],
        ..Typed::default()
    };
    refused_beside(post_review(&paid.seller, &paid.no, pdf).await, &["photos"]).await;
    assert_eq!(app.count("reviews") + app.count("review_photos"), 0);
    let two = Typed {
        photos: photos(2),
        ..Typed::default()
    };
    assert_eq!(post_review(&paid.seller, &paid.no, two).await.status(), 303);
    let review = review_of(&app, &paid.no).expect("review");
    assert_eq!(review.photo_count, 2);
    assert_eq!(count_where(&app, "uploads", "kind = 'review_photo'"), 2);
    // Two more fit when editing; a third would make five.
    let three = Typed {
        photos: photos(3),
        editing: true,
        ..Typed::default()
    };
    refused_beside(
        post_review(&paid.seller, &paid.no, three).await,
        &["photos"],
    )
    .await;
    let two = Typed {
        photos: photos(2),
        editing: true,
        ..Typed::default()
    };
    assert_eq!(post_review(&paid.seller, &paid.no, two).await.status(), 303);
    assert_eq!(review_of(&app, &paid.no).expect("review").photo_count, 4);
    assert_eq!(
        count_where(&app, "review_photos", &format!("review_id = {}", review.id)),
        4
    );
    let form = paid
        .seller
        .get_text(&format!("/app/orders/{}/review", paid.no))
        .await;
    assert!(!form.contains("name=\"photos\""), "no room for more");

    // The photos are public with the review, and go when moderation hides it.
    let route: String = {
        use diesel::prelude::*;
        use samplepost::db::schema::reviews;
        reviews::table
            .find(review.id)
            .select(reviews::route_code)
            .first(&mut app.conn())
            .expect("route")
    };
    let visitor = app.browser();
    let page = visitor.get_text(&format!("/routes/{route}")).await;
    let first = format!("/reviews/{}/photos/1", review.id);
    assert!(
        page.contains(&format!("src=\"{first}\"")),
        "thumbnail shown"
    );
    let photo = visitor.get(&first).await;
    assert_eq!(photo.status(), 200);
    assert_eq!(photo.headers()["content-type"], "image/png");
    assert!(
        photo.headers()["cache-control"]
            .to_str()
            .expect("ascii")
            .starts_with("public")
    );
    let missing = format!("/reviews/{}/photos/5", review.id);
    assert_eq!(visitor.get(&missing).await.status(), 404);
    assert_eq!(
        visitor
            .get(&format!("/reviews/{}/photos/0", review.id))
            .await
            .status(),
        404
    );
    let operator = app.staff(samplepost::domain::status::Role::Operator).await;
    let hide = format!("/admin/reviews/{}/hide", review.id);
    let hidden = operator
        .post_form(&hide, &[("reason", "personal_data"), ("confirm", "yes")])
        .await;
    assert_eq!(hidden.status(), 303);
    assert_eq!(
        visitor.get(&first).await.status(),
        404,
        "hidden with the review"
    );
}
