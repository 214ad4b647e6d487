//! Reports and moderation: a reported review stays visible; staff hide it
//! only for a listed reason (audited, the text untouched), unhide it,
//! dismiss reports and write the one public reply.

use super::{count_where, review_of, reviewed};
use crate::common::{TestApp, location, refused_beside};
use samplepost::domain::status::Role;

#[tokio::test]
async fn a_report_keeps_the_review_visible_and_counts_once_per_user() {
    let app = TestApp::spawn().await;
    let (paid, id) = reviewed(&app).await;
    let path = format!("/reviews/{id}/report");
    let visitor = app.browser();
    let response = visitor.get(&path).await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        location(&response),
        format!("/login?next=%2Freviews%2F{id}%2Freport")
    );

    let (rival, _) = app.seller("Rival").await;
    let form = rival.get_text(&path).await;
    assert!(form.contains("Arrived in London in five days"));
    refused_beside(
        rival.post_form(&path, &[("reason", "boring")]).await,
        &["reason"],
    )
    .await;
    let sent = rival
        .post_form(
            &path,
            &[("reason", "false"), ("note", "We never saw this parcel")],
        )
        .await;
    assert_eq!(sent.status(), 303);
    let again = rival.post_form(&path, &[("reason", "abuse")]).await;
    assert_eq!(again.status(), 409, "one report per user");
    let operator = app.staff(Role::Operator).await;
    let staff_report = operator.post_form(&path, &[("reason", "other")]).await;
    assert_eq!(staff_report.status(), 303, "anyone signed in");
    let review = review_of(&app, &paid.no).expect("review");
    assert!(review.is_visible(), "a reported review stays visible");
    assert_eq!(review.open_reports, 2);
    assert_eq!(app.count("review_reports"), 2);
    let queue = operator.get_text("/admin/reviews?filter=reported").await;
    assert!(queue.contains(&format!("data-review-row=\"{id}\" data-reported")));
    let page = operator.get_text(&format!("/admin/reviews/{id}")).await;
    assert!(page.contains("We never saw this parcel"));
}

#[tokio::test]
async fn staff_hide_only_for_a_listed_reason_audited_and_never_change_the_text() {
    let app = TestApp::spawn().await;
    let (paid, id) = reviewed(&app).await;
    let (rival, _) = app.seller("Rival").await;
    let report = format!("/reviews/{id}/report");
    assert_eq!(
        rival
            .post_form(&report, &[("reason", "abuse")])
            .await
            .status(),
        303
    );
    assert_eq!(paid.seller.get("/admin/reviews").await.status(), 403);
    let operator = app.staff(Role::Operator).await;
    let hide = format!("/admin/reviews/{id}/hide");
    refused_beside(
        operator
            .post_form(&hide, &[("reason", "bad_for_business"), ("confirm", "yes")])
            .await,
        &["reason"],
    )
    .await;
    refused_beside(
        operator.post_form(&hide, &[("reason", "abuse")]).await,
        &["confirm"],
    )
    .await;
    assert!(review_of(&app, &paid.no).expect("review").is_visible());
    let hidden = operator
        .post_form(&hide, &[("reason", "personal_data"), ("confirm", "yes")])
        .await;
    assert_eq!(hidden.status(), 303);
    let review = review_of(&app, &paid.no).expect("review");
    assert!(!review.is_visible());
    assert_eq!(review.hide_reason.as_deref(), Some("personal_data"));
    assert_eq!(review.body, "Arrived in London in five days, well packed.");
    assert_eq!(review.open_reports, 0);
    assert_eq!(count_where(&app, "review_reports", "status = 'upheld'"), 1);
    assert_eq!(
        count_where(
            &app,
            "audit_log",
            &format!(
                "action = 'route_review.hide' AND target_id = '{id}' AND detail = 'personal_data'"
            )
        ),
        1
    );
    let mine = paid.seller.get_text("/app/reviews").await;
    assert!(mine.contains("data-hidden"));
    let public = rival.get_text(&report).await;
    assert!(public.contains("data-hidden") && !public.contains("Arrived in London"));
    let audit = app.staff(Role::Admin).await.get_text("/admin/audit").await;
    assert!(
        !audit.contains("<code class=\"untranslated\">route_review."),
        "the actions have words"
    );

    let shown = operator
        .post_form(&format!("/admin/reviews/{id}/unhide"), &[])
        .await;
    assert_eq!(shown.status(), 303);
    let review = review_of(&app, &paid.no).expect("review");
    assert!(review.is_visible() && review.hide_reason.is_none());
    assert_eq!(
        count_where(&app, "audit_log", "action = 'route_review.unhide'"),
        1
    );
}

#[tokio::test]
async fn reports_can_be_dismissed_and_a_review_has_one_platform_reply() {
    let app = TestApp::spawn().await;
    let (paid, id) = reviewed(&app).await;
    let (rival, _) = app.seller("Rival").await;
    let report = format!("/reviews/{id}/report");
    assert_eq!(
        rival
            .post_form(&report, &[("reason", "other")])
            .await
            .status(),
        303
    );
    let admin = app.staff(Role::Admin).await;
    let dismiss = format!("/admin/reviews/{id}/dismiss");
    assert_eq!(admin.post_form(&dismiss, &[]).await.status(), 303);
    assert_eq!(
        admin.post_form(&dismiss, &[]).await.status(),
        409,
        "nothing open"
    );
    let review = review_of(&app, &paid.no).expect("review");
    assert!(review.is_visible() && review.open_reports == 0);
    assert_eq!(
        count_where(&app, "review_reports", "status = 'dismissed'"),
        1
    );

    let reply = format!("/admin/reviews/{id}/reply");
    refused_beside(
        admin.post_form(&reply, &[("reply", "  ")]).await,
        &["reply"],
    )
    .await;
    assert_eq!(
        admin
            .post_form(&reply, &[("reply", "Thank you for the kind words.")])
            .await
            .status(),
        303
    );
    assert_eq!(
        admin
            .post_form(&reply, &[("reply", "Thank you, we passed it on to DHL.")])
            .await
            .status(),
        303
    );
    assert_eq!(app.count("review_replies"), 1, "one reply per review");
    assert_eq!(
        count_where(
            &app,
            "review_replies",
            "body = 'Thank you, we passed it on to DHL.'"
        ),
        1
    );
    assert_eq!(
        count_where(
            &app,
            "audit_log",
            "action LIKE 'route_review.%' AND actor_id IS NOT NULL AND action <> 'route_review.write'"
        ),
        3,
        "dismiss, reply, reply changed"
    );
    let page = admin.get_text(&format!("/admin/reviews/{id}")).await;
    assert!(page.contains("Thank you, we passed it on to DHL.") && page.contains("data-reply"));
}

#[tokio::test]
async fn every_write_edit_hide_and_unhide_keeps_the_board_statistics_equal_to_a_recompute() {
    let app = TestApp::spawn().await;
    let (paid, id) = reviewed(&app).await;
    let stats_equal = |when: &str| {
        let mut conn = app.conn();
        let differences = samplepost::services::route_stats::rebuild(&mut conn).expect("recompute");
        assert!(differences.is_empty(), "{when}: {differences:?}");
    };
    stats_equal("written");
    let changed = super::Typed {
        scores: ["1", "2", "2", "2", "2", "2"],
        editing: true,
        ..super::Typed::default()
    };
    let edited = super::post_review(&paid.seller, &paid.no, changed).await;
    assert_eq!(edited.status(), 303);
    stats_equal("edited");
    let operator = app.staff(Role::Operator).await;
    let hide = [("reason", "abuse"), ("confirm", "yes")];
    let path = format!("/admin/reviews/{id}/hide");
    assert_eq!(operator.post_form(&path, &hide).await.status(), 303);
    stats_equal("hidden");
    let path = format!("/admin/reviews/{id}/unhide");
    assert_eq!(operator.post_form(&path, &[]).await.status(), 303);
    stats_equal("shown again");
}

#[tokio::test]
async fn two_staff_replying_at_once_leave_one_reply_and_no_error() {
    let app = TestApp::spawn().await;
    let (_, id) = reviewed(&app).await;
    let reply = format!("/admin/reviews/{id}/reply");
    let (admin, operator) = (
        app.staff(Role::Admin).await,
        app.staff(Role::Operator).await,
    );
    for round in 0..5 {
        let (by_admin, by_operator) = (
            format!("Admin answer {round}"),
            format!("Operator answer {round}"),
        );
        let (admin_form, operator_form) = (
            [("reply", by_admin.as_str())],
            [("reply", by_operator.as_str())],
        );
        let (a, b) = tokio::join!(
            admin.post_form(&reply, &admin_form),
            operator.post_form(&reply, &operator_form),
        );
        assert_eq!(
            (a.status().as_u16(), b.status().as_u16()),
            (303, 303),
            "round {round}"
        );
    }
    assert_eq!(app.count("review_replies"), 1, "still one reply");
}
