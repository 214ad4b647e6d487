use crate::common::{TestApp, first_id, location};
use samplepost::domain::status::Role;

#[tokio::test]
async fn the_admin_creates_an_operator_who_must_change_the_password() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let response = admin
        .post_form(
            "/admin/staff",
            &[("email", "Ops@Samplepost.test"), ("display_name", "小王")],
        )
        .await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.expect("body");
    let marker = "data-password>";
    let start = page.find(marker).expect("password shown once") + marker.len();
    let password = &page[start..start + 16];
    let operator = app.browser();
    assert_eq!(
        operator
            .sign_in("ops@samplepost.test", password)
            .await
            .status(),
        303
    );
    assert_eq!(location(&operator.get("/admin").await), "/account/password");
    let audit = admin.get_text("/admin/audit?action=staff").await;
    assert!(audit.contains("staff.create_operator"));
}

#[tokio::test]
async fn disabling_needs_a_confirmation() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let (_, email) = app.owner("Acme").await;
    let list = admin.get_text(&format!("/admin/staff?q={email}")).await;
    let id = first_id(&list, "href=\"/admin/staff/");
    let response = admin
        .post_form(
            &format!("/admin/staff/{id}/access"),
            &[("action", "disable")],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(
        admin
            .get_text(&format!("/admin/staff/{id}"))
            .await
            .contains("data-disabled=\"false\"")
    );
}

#[tokio::test]
async fn the_audit_log_filters_by_action_and_actor() {
    let app = TestApp::spawn().await;
    let (_, email) = app.owner("Acme").await;
    let admin = app.staff(Role::Admin).await;
    let page = admin.get_text("/admin/audit?action=account.register").await;
    assert!(page.contains(&email));
    let page = admin
        .get_text("/admin/audit?action=account.register&actor=nobody")
        .await;
    assert!(!page.contains(&email));
    // Rows are counted by their marker: the filter box echoes the searched
    // word, so the word alone on the page proves nothing.
    let page = admin.get_text("/admin/audit?action=auth.sign_in").await;
    assert!(
        page.contains("data-action=\"auth.sign_in\""),
        "sign-ins are audited"
    );
    assert!(
        !page.contains("data-action=\"account.register\""),
        "the filter keeps other actions out"
    );
    let page = admin.get_text("/admin/audit?action=no.such.action").await;
    assert!(
        !page.contains("data-action="),
        "an unmatched filter lists nothing"
    );
}

#[tokio::test]
async fn a_new_account_has_an_empty_notification_centre() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let page = owner.get_text("/app/notifications").await;
    assert!(page.contains("暂无通知"));
}
