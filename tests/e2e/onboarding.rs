//! A seller's first steps, clicked through in two browsers: the seller's and
//! an operator's.

use crate::browser::{Tab, browser_test};
use crate::common::{self, PASSWORD, RESIDENT_ID, TestApp, USCC};
use base64::Engine;
use samplepost::domain::email::Email;
use samplepost::domain::status::Role;
use samplepost::services::accounts;
use std::path::Path;

/// A real 1×1 PNG, so the operator's page can show the licence as an image.
const ONE_PIXEL_PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

#[tokio::test]
async fn a_new_seller_is_verified_and_activated_by_clicking_through_the_pages() {
    browser_test(
        "a_new_seller_is_verified_and_activated_by_clicking_through_the_pages",
        async |browsers| {
            let app = TestApp::spawn().await;
            let files = tempfile::tempdir().expect("temp dir");
            let licence = files.path().join("licence.png");
            let png = base64::engine::general_purpose::STANDARD
                .decode(ONE_PIXEL_PNG)
                .expect("PNG");
            std::fs::write(&licence, png).expect("write licence");
            let operator_email = operator(&app, "operator-e2e@samplepost.test");

            let seller = browsers.open(&app.address).await;
            register(&seller, "Sample Trading E2E", "seller-e2e@example.cn").await;
            submit_verification(&seller, &licence).await;

            let operator = browsers.open(&app.address).await;
            sign_in(&operator, &operator_email).await;
            approve_verification(&operator).await;

            apply_for_module(&seller).await;
            activate_module(&operator).await;

            seller.click(r#"header a[href="/app"]"#).await;
            seller.wait_for(r#"[data-module-status="active"]"#).await;
            seller.wait_for(r#"[data-company-status="verified"]"#).await;
        },
    )
    .await;
}

/// Creates an operator with a known password and returns the e-mail.
fn operator(app: &TestApp, email: &str) -> String {
    let parsed = Email::parse(email).expect("email");
    let mut conn = app.conn();
    let (user, _one_time) =
        accounts::create_staff_account(&mut conn, &parsed, "Operator", Role::Operator)
            .expect("operator");
    common::set_password(&mut conn, user.id, PASSWORD);
    email.to_owned()
}

/// Registers through /register and lands on the dashboard.
async fn register(tab: &Tab, company: &str, email: &str) {
    tab.goto("/register").await;
    tab.fill("#company_name", company).await;
    tab.fill("#display_name", "Li Lei").await;
    tab.fill("#email", email).await;
    tab.fill("#password", PASSWORD).await;
    tab.fill("#password_confirm", PASSWORD).await;
    tab.click(r#"form[action="/register"] button[type="submit"]"#)
        .await;
    tab.wait_for(r#"[data-company-status="unverified"]"#).await;
    tab.wait_for("[data-module-status]").await;
    assert_eq!(tab.path().await, "/app");
}

/// Follows the dashboard's next step to /app/company and submits every field.
async fn submit_verification(tab: &Tab, licence: &Path) {
    tab.click(r#"section.next-step a[href="/app/company"]"#)
        .await;
    tab.wait_for(r#"form[action="/app/company"]"#).await;
    let fields = [
        ("name_zh", "深圳市样品科技有限公司"),
        ("name_en", "Shenzhen Sample Technology Co., Ltd."),
        ("uscc", USCC),
        ("contact_phone", "13812345678"),
        ("legal_rep_name", "王芳"),
        ("legal_rep_id", RESIDENT_ID),
        ("sender_name", "张伟"),
        ("sender_phone", "0755-86013388"),
        ("sender_province", "广东省"),
        ("sender_city", "深圳市"),
        ("sender_address", "南山区科技园科苑路 15 号"),
        ("sender_postcode", "518000"),
        ("sender_name_en", "Zhang Wei"),
        (
            "sender_address_en",
            "15 Keyuan Road, Nanshan District, Shenzhen, Guangdong 518000",
        ),
    ];
    for (name, value) in fields {
        tab.fill(&format!("#{name}"), value).await;
    }
    tab.choose_file("#licence", licence).await;
    tab.click(r#"form[action="/app/company"] button[type="submit"]"#)
        .await;
    tab.wait_for(r#"[data-company-status="submitted"]"#).await;
    assert_eq!(tab.path().await, "/app/company");
}

/// Signs in through the /login page.
async fn sign_in(tab: &Tab, email: &str) {
    tab.sign_in(email).await;
    tab.wait_for(r#"header a[href="/admin/verifications"]"#)
        .await;
}

/// Opens the verification queue, looks at the company and its licence, approves.
async fn approve_verification(tab: &Tab) {
    tab.click(r#"header a[href="/admin/verifications"]"#).await;
    tab.click(r#"table a[href^="/admin/verifications/"]"#).await;
    tab.wait_for(r#"[data-company-status="submitted"]"#).await;
    tab.wait_until(
        "(() => { const img = document.querySelector('.documents img'); \
         return img && img.complete && img.naturalWidth === 1; })()",
        "the licence is shown as an image",
    )
    .await;
    tab.click(r#"form.decision button[name="decision"][value="approve"]"#)
        .await;
    tab.wait_for(".flash-success").await;
    assert_eq!(tab.path().await, "/admin/verifications");
}

/// Follows the dashboard's next step to /app/module and applies.
async fn apply_for_module(tab: &Tab) {
    tab.click(r#"header a[href="/app"]"#).await;
    tab.wait_for(r#"[data-company-status="verified"]"#).await;
    tab.click(r#"section.next-step a[href="/app/module"]"#)
        .await;
    tab.wait_for(r#"form[action="/app/module"]"#).await;
    tab.fill("#expected_monthly_parcels", "120").await;
    tab.tick("#dest-US").await;
    tab.tick("#dest-DE").await;
    tab.select_option("#other_destinations", "HK").await;
    tab.tick(r#"input[name="categories"]"#).await;
    tab.tick(r#"input[name="accept_agreement"]"#).await;
    tab.click(r#"form[action="/app/module"] button[type="submit"]"#)
        .await;
    tab.wait_for(r#"[data-module-status="applied"]"#).await;
    assert_eq!(tab.path().await, "/app/module");
}

/// Opens the module queue, looks at the application, activates it.
async fn activate_module(tab: &Tab) {
    tab.click(r#"header a[href="/admin/modules"]"#).await;
    tab.click(r#"table a[href^="/admin/modules/"]"#).await;
    tab.wait_for(r#"[data-application-status="applied"]"#).await;
    let summary = tab.text("dl.summary").await;
    assert!(
        summary.contains("US") && summary.contains("DE") && summary.contains("HK"),
        "every chosen destination reached the operator:\n{summary}"
    );
    tab.click(r#"form.decision button[name="decision"][value="approve"]"#)
        .await;
    tab.wait_for(".flash-success").await;
    assert_eq!(tab.path().await, "/admin/modules");
}
