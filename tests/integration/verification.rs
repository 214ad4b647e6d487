use crate::common::{
    Browser, RESIDENT_ID, TestApp, first_id, location, png, refused_beside, verification_form,
};
use samplepost::domain::status::Role;

async fn submit(
    owner: &Browser,
    overrides: &[(&str, &str)],
    licence: Option<(Vec<u8>, &str)>,
) -> reqwest::Response {
    let token = owner.csrf().await;
    owner
        .post_multipart(
            "/app/company",
            verification_form(&token, licence, overrides),
        )
        .await
}

#[tokio::test]
async fn a_company_is_verified_and_activated_from_registration_to_active() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("深圳样品科技").await;
    let operator = app.staff(Role::Operator).await;

    // The owner submits the verification with a licence.
    let response = submit(&owner, &[], Some((png(), "licence.png"))).await;
    assert_eq!(response.status(), 303, "verification accepted");
    let page = owner.get_text("/app/company").await;
    assert!(page.contains("data-company-status=\"submitted\""));
    assert!(
        page.contains("1101**********002X"),
        "the owner sees the ID masked"
    );
    assert!(!page.contains(RESIDENT_ID));

    // Staff see it in the queue, beside the document, and approve.
    let queue = operator.get_text("/admin/verifications").await;
    let company_id = first_id(&queue, "href=\"/admin/verifications/");
    let detail = operator
        .get_text(&format!("/admin/verifications/{company_id}"))
        .await;
    assert!(
        detail.contains(RESIDENT_ID),
        "reviewing staff see the full ID"
    );
    let upload_id = first_id(&detail, "src=\"/uploads/");
    let document = operator.get(&format!("/uploads/{upload_id}")).await;
    assert_eq!(document.status(), 200);
    assert_eq!(document.headers()["content-type"], "image/png");
    let response = operator
        .post_form(
            &format!("/admin/verifications/{company_id}"),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(response.status(), 303);

    // The owner is told, and applies for the module.
    let notifications = owner.get_text("/app/notifications").await;
    assert!(notifications.contains("data-kind=\"company.verified\""));
    assert!(
        owner.get_text("/app").await.contains("data-unread=\"1\"")
            || notifications.contains("unread")
    );
    let module_page = owner.get_text("/app/module").await;
    assert!(
        module_page.contains("2026-11-v1"),
        "the agreement version is shown"
    );
    let response = owner
        .post_form(
            "/app/module",
            &[
                ("expected_monthly_parcels", "120"),
                ("destinations", "US"),
                ("destinations", "DE"),
                ("categories", "electronics"),
                ("accept_agreement", "yes"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303, "application accepted");

    // Staff activate it.
    let queue = operator.get_text("/admin/modules").await;
    let application_id = first_id(&queue, "href=\"/admin/modules/");
    let detail = operator
        .get_text(&format!("/admin/modules/{application_id}"))
        .await;
    assert!(detail.contains("美国 US、德国 DE") && detail.contains("2026-11-v1"));
    assert!(detail.contains("电子产品"), "categories in words");
    let response = operator
        .post_form(
            &format!("/admin/modules/{application_id}"),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(response.status(), 303);

    let dashboard = owner.get_text("/app").await;
    assert!(dashboard.contains("data-module-status=\"active\""));
    assert!(dashboard.contains("已开通"));

    // Every decision is in the audit log.
    let admin = app.staff(Role::Admin).await;
    let audit = admin
        .get_text("/admin/audit?action=company.verification")
        .await;
    assert!(audit.contains("data-action=\"company.verification.submit\""));
    assert!(audit.contains("data-action=\"company.verification.approve\""));
    let audit = admin.get_text("/admin/audit?action=module").await;
    assert!(
        audit.contains("data-action=\"module.apply\"")
            && audit.contains("data-action=\"module.activate\"")
    );
}

#[tokio::test]
async fn a_rejection_needs_a_reason_and_the_owner_can_fix_and_resubmit() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let operator = app.staff(Role::Operator).await;
    assert_eq!(
        submit(&owner, &[], Some((png(), "licence.png")))
            .await
            .status(),
        303
    );
    let company_id = first_id(
        &operator.get_text("/admin/verifications").await,
        "href=\"/admin/verifications/",
    );
    let path = format!("/admin/verifications/{company_id}");

    let response = operator
        .post_form(&path, &[("decision", "reject"), ("reason", "  ")])
        .await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("拒绝时必须填写原因")
    );

    let response = operator
        .post_form(
            &path,
            &[("decision", "reject"), ("reason", "营业执照照片不清晰")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let page = owner.get_text("/app/company").await;
    assert!(page.contains("data-company-status=\"rejected\""));
    assert!(page.contains("营业执照照片不清晰"));
    assert!(
        page.contains("name=\"licence_id\""),
        "the stored licence is kept for the resubmission"
    );

    // Resubmit without choosing the file again and without retyping the ID.
    let token = owner.csrf().await;
    let licence_id = first_id(&page, "name=\"licence_id\" value=\"");
    let form = verification_form(&token, None, &[("legal_rep_id", "")])
        .text("licence_id", licence_id.to_string());
    let response = owner.post_multipart("/app/company", form).await;
    assert_eq!(response.status(), 303);
    assert!(
        owner
            .get_text("/app/company")
            .await
            .contains("data-company-status=\"submitted\"")
    );

    // A decided submission cannot be decided twice.
    let response = operator.post_form(&path, &[("decision", "approve")]).await;
    assert_eq!(response.status(), 303);
    let response = operator.post_form(&path, &[("decision", "approve")]).await;
    assert_eq!(response.status(), 409);
}

#[tokio::test]
async fn an_invalid_credit_code_is_shown_beside_its_field_and_the_rest_is_kept() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let response = submit(
        &owner,
        &[("uscc", "91350100M000100Y44")],
        Some((png(), "licence.png")),
    )
    .await;
    let page = refused_beside(response, &["uscc"]).await;
    assert!(page.contains("校验位不正确"));
    assert!(
        page.contains("Shenzhen Sample Technology Co., Ltd."),
        "other fields keep their values"
    );
    // A refused form stores nothing (issue #8): the licence is chosen again.
    assert!(
        !page.contains("name=\"licence_id\"") && page.contains("data-choose-again"),
        "the licence was not kept"
    );
    assert_eq!(app.count("uploads"), 0);
    assert!(
        owner
            .get_text("/app")
            .await
            .contains("data-company-status=\"unverified\"")
    );
}

#[tokio::test]
async fn a_wrong_id_check_digit_is_refused() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let response = submit(
        &owner,
        &[("legal_rep_id", "110105194912310021")],
        Some((png(), "licence.png")),
    )
    .await;
    refused_beside(response, &["legal_rep_id"]).await;
}

#[tokio::test]
async fn chinese_in_the_english_name_and_a_bad_phone_are_refused() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let response = submit(
        &owner,
        &[("name_en", "深圳 Trading"), ("contact_phone", "12345")],
        Some((png(), "licence.png")),
    )
    .await;
    refused_beside(response, &["name_en", "contact_phone"]).await;
}

#[tokio::test]
async fn a_licence_is_required() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let response = submit(&owner, &[], None).await;
    refused_beside(response, &["licence"]).await;
}

#[tokio::test]
async fn an_oversized_upload_is_refused_with_a_message_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let mut big = png();
    big.resize(6 * 1024 * 1024, 0);
    let response = submit(&owner, &[], Some((big, "licence.png"))).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("body");
    assert!(page.contains("文件超过 5 MB"));
    assert_eq!(app.count("uploads"), 0);
}

#[tokio::test]
async fn an_executable_renamed_to_png_is_refused() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".repeat(8);
    let response = submit(&owner, &[], Some((exe, "licence.png"))).await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("文件格式不支持")
    );
    assert_eq!(app.count("uploads"), 0);
}

#[tokio::test]
async fn another_companys_document_answers_404() {
    let app = TestApp::spawn().await;
    let (first, _) = app.owner("First").await;
    assert_eq!(
        submit(&first, &[], Some((png(), "licence.png")))
            .await
            .status(),
        303
    );
    let upload_id = first_id(&first.get_text("/app/company").await, "/uploads/");
    assert_eq!(
        first.get(&format!("/uploads/{upload_id}")).await.status(),
        200
    );
    let (second, _) = app.owner("Second").await;
    assert_eq!(
        second.get(&format!("/uploads/{upload_id}")).await.status(),
        404
    );
    assert_eq!(second.get("/uploads/999999").await.status(), 404);
    let response = app.browser().get(&format!("/uploads/{upload_id}")).await;
    assert!(location(&response).starts_with("/login"));
}

#[tokio::test]
async fn a_submitted_verification_cannot_be_changed_while_under_review() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    assert_eq!(
        submit(&owner, &[], Some((png(), "licence.png")))
            .await
            .status(),
        303
    );
    let response = submit(
        &owner,
        &[("name_en", "Other Name Ltd")],
        Some((png(), "licence.png")),
    )
    .await;
    assert_eq!(response.status(), 409);
}

#[tokio::test]
async fn an_unverified_company_cannot_apply_for_the_module() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let response = owner
        .post_form(
            "/app/module",
            &[
                ("expected_monthly_parcels", "10"),
                ("destinations", "US"),
                ("categories", "toys"),
                ("accept_agreement", "yes"),
            ],
        )
        .await;
    assert_eq!(response.status(), 409);
    assert_eq!(app.count("module_applications"), 0);
}

#[tokio::test]
async fn a_module_application_is_declined_only_with_a_reason_the_owner_then_reads() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let operator = app.staff(Role::Operator).await;
    submit(&owner, &[], Some((png(), "licence.png"))).await;
    let company_id = first_id(
        &operator.get_text("/admin/verifications").await,
        "href=\"/admin/verifications/",
    );
    operator
        .post_form(
            &format!("/admin/verifications/{company_id}"),
            &[("decision", "approve")],
        )
        .await;
    let response = owner
        .post_form(
            "/app/module",
            &[
                ("expected_monthly_parcels", "120"),
                ("destinations", "US"),
                ("categories", "electronics"),
                ("accept_agreement", "yes"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303, "applied");
    let application = first_id(
        &operator.get_text("/admin/modules").await,
        "href=\"/admin/modules/",
    );
    let path = format!("/admin/modules/{application}");
    let response = operator
        .post_form(&path, &[("decision", "reject"), ("reason", " ")])
        .await;
    refused_beside(response, &["reason"]).await;
    assert!(
        !owner
            .get_text("/app")
            .await
            .contains("data-module-status=\"declined\""),
        "nothing is declined without a reason"
    );
    let response = operator
        .post_form(
            &path,
            &[("decision", "reject"), ("reason", "主要目的地暂不支持")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert!(
        owner
            .get_text("/app")
            .await
            .contains("data-module-status=\"declined\"")
    );
    let module_page = owner.get_text("/app/module").await;
    assert!(
        module_page.contains("主要目的地暂不支持"),
        "the owner reads the reason"
    );
    assert!(
        owner
            .get_text("/app/notifications")
            .await
            .contains("data-kind=\"module.declined\"")
    );
    let admin = app.staff(Role::Admin).await;
    assert!(
        admin
            .get_text("/admin/audit?action=module")
            .await
            .contains("data-action=\"module.decline\"")
    );
}

#[tokio::test]
async fn the_reviewer_is_warned_when_two_companies_give_the_same_credit_code() {
    let app = TestApp::spawn().await;
    let (first, _) = app.owner("Acme").await;
    let (second, _) = app.owner("Copycat").await;
    assert_eq!(
        submit(&first, &[], Some((png(), "licence.png")))
            .await
            .status(),
        303
    );
    assert_eq!(
        submit(&second, &[], Some((png(), "licence.png")))
            .await
            .status(),
        303
    );
    let operator = app.staff(Role::Operator).await;
    let queue = operator.get_text("/admin/verifications").await;
    let ids: Vec<i64> = queue
        .match_indices("href=\"/admin/verifications/")
        .filter_map(|(at, m)| {
            queue[at + m.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .ok()
        })
        .collect();
    assert!(ids.len() >= 2, "{ids:?}");
    let pages = [
        operator
            .get_text(&format!("/admin/verifications/{}", ids[0]))
            .await,
        operator
            .get_text(&format!("/admin/verifications/{}", ids[1]))
            .await,
    ];
    for (page, other) in pages.iter().zip([ids[1], ids[0]]) {
        assert!(page.contains("data-duplicate=\"uscc\""), "the warning");
        assert!(page.contains("另一家公司填写了相同的统一社会信用代码"));
        assert!(
            page.contains(&format!("href=\"/admin/verifications/{other}\"")),
            "a link to the other company"
        );
    }
    let admin = app.staff(Role::Admin).await;
    assert!(
        admin
            .get_text("/admin/audit?action=company.verification.duplicate")
            .await
            .contains("data-action=\"company.verification.duplicate\""),
        "audited at submission"
    );
}

#[tokio::test]
async fn the_sender_for_the_invoice_must_be_in_latin_letters() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let response = submit(
        &owner,
        &[
            ("sender_address_en", "深圳市南山区科苑路 15 号"),
            ("sender_name_en", ""),
        ],
        Some((png(), "licence.png")),
    )
    .await;
    refused_beside(response, &["sender_address_en", "sender_name_en"]).await;
}
