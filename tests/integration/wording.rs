//! No message key, code name or placeholder shows through on a page
//! (issue #9): what the system writes is put into words in the reader's
//! language.

use crate::common::{Browser, TestApp};
use crate::orders::{order_no, post_order};

/// A message key as it would show through: `word.word_word`.
pub fn message_keys(page: &str) -> Vec<String> {
    let text = visible_text(page);
    let pattern = regex::Regex::new(r"\b[a-z]+(?:\.[a-z0-9]+(?:_[a-z0-9]+)*)+\b").expect("regex");
    pattern
        .find_iter(&text)
        .map(|m| m.as_str().to_owned())
        .filter(|word| {
            // Domains, e-mail addresses and file names are user data, not keys.
            !word.ends_with(".cn")
                && !word.ends_with(".com")
                && !word.ends_with(".test")
                && !word.ends_with(".local")
                && !word.ends_with(".png")
                && !word.ends_with(".pdf")
                && !word.ends_with(".csv")
                && !word.ends_with(".xlsx")
                && word.contains('_')
                || word.starts_with("warning.")
                || word.starts_with("error.")
        })
        .collect()
}

/// The page without tags, attributes, scripts and styles: what a reader sees.
pub fn visible_text(page: &str) -> String {
    let without_blocks =
        regex::Regex::new(r"(?s)<(script|style|title)[^>]*>.*?</(script|style|title)>")
            .expect("regex")
            .replace_all(page, " ");
    regex::Regex::new(r"(?s)<[^>]*>")
        .expect("regex")
        .replace_all(&without_blocks, " ")
        .into_owned()
}

pub async fn both_languages(browser: &Browser, path: &str) -> (String, String) {
    browser.get("/lang/zh-CN").await;
    let zh = browser.get_text(path).await;
    browser.english().await;
    let en = browser.get_text(path).await;
    browser.get("/lang/zh-CN").await;
    (zh, en)
}

#[tokio::test]
async fn acknowledged_warnings_and_attached_documents_read_as_words_on_the_timeline() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    // Batteries need their papers first; the document events land on the timeline.
    let no = crate::orders::submitted_with_battery_papers(
        &seller,
        &[
            ("battery", "in_equipment"),
            ("route", "INTL-EXPRESS"),
            ("item0_description_en", "Bluetooth speaker"),
            ("item0_hs_code", "851822"),
            ("item0_unit_value_usd", "6.00"),
        ],
    )
    .await;
    let (zh, en) = both_languages(&seller, &format!("/app/orders/{no}")).await;
    assert!(
        zh.contains("data-warning=\"declared_over_10\""),
        "the warning is on the timeline"
    );
    assert!(zh.contains("申报总价值超过 10 美元"), "in Chinese");
    assert!(
        en.contains("The total declared value is over USD 10"),
        "in English"
    );
    assert!(zh.contains("UN38.3 测试报告") && en.contains("UN38.3 test report"));
    for page in [&zh, &en] {
        let keys = message_keys(page);
        assert!(keys.is_empty(), "message keys on the page: {keys:?}");
        assert!(
            !visible_text(page).contains("un38_3"),
            "a document code shows"
        );
    }
}

#[test]
fn the_key_detector_finds_keys_and_spares_user_data() {
    let page = "<p>warning.declared_over_10 USD 15.50</p><p>jane@example.cn</p>\
                <a href=\"/x\" data-kind=\"order.approval_requested\">ok</a>";
    assert_eq!(message_keys(page), ["warning.declared_over_10"]);
    assert_eq!(message_keys("<p>auth.sign_in</p>"), ["auth.sign_in"]);
    assert!(message_keys("<p>Samplepost · ¥12.50 · 0.48 kg</p>").is_empty());
}

#[tokio::test]
async fn unavailable_routes_give_their_reason_in_words_on_the_order_form() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let response = post_order(
        &seller,
        &[
            ("action", "save"),
            ("battery", "standalone"),
            ("country", "US"),
            ("postcode", "10001"),
            ("city", "New York"),
            ("state", "NY"),
            ("phone", "212 555 0100"),
        ],
    )
    .await;
    let no = order_no(&response);
    let (zh, en) = both_languages(&seller, &format!("/app/orders/{no}/edit")).await;
    for page in [&zh, &en] {
        assert!(!page.contains("{detail}"), "a placeholder shows through");
        assert!(
            page.contains("class=\"unavailable\""),
            "some route refuses the parcel"
        );
    }
    assert!(
        zh.contains("不接受电池") || zh.contains("该线路不到"),
        "reason in Chinese"
    );
    assert!(
        en.contains("Does not accept battery") || en.contains("Does not serve"),
        "reason in English"
    );
}

#[tokio::test]
async fn the_notifications_page_title_is_only_its_title() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let page = seller.get_text("/app/notifications").await;
    let start = page.find("<title>").expect("title") + "<title>".len();
    let end = page.find("</title>").expect("end of title");
    let title = &page[start..end];
    assert!(!title.contains('<'), "markup inside <title>: {title}");
    assert!(title.starts_with("通知"), "{title}");
    assert_eq!(page.matches("class=\"email-preferences\"").count(), 1);
}

#[tokio::test]
async fn the_activity_log_reads_as_words_in_both_languages() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.seller("Acme").await;
    let response = owner
        .post_form(
            "/app/settings/approval",
            &[
                ("always", "yes"),
                ("above", "1000"),
                ("require_backup_route", "yes"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    crate::team::invite(&owner, "wang@example.cn", "manager").await;
    let (zh, en) = both_languages(&owner, "/app/audit").await;
    for page in [&zh, &en] {
        assert!(!page.contains("Policy {"), "no debug dump");
        assert!(
            !page.contains("class=\"untranslated\""),
            "every action in words"
        );
        assert!(page.contains("data-action=\"company.approval_policy\""));
    }
    assert!(
        zh.contains("修改审批规则") && zh.contains("所有订单都需审批") && zh.contains("¥1000.00")
    );
    assert!(zh.contains("邀请成员") && zh.contains("经理"));
    assert!(
        en.contains("Changed the approval policy") && en.contains("a backup route is required")
    );
    assert!(en.contains("Invited a member") && en.contains("Manager"));
    let english = visible_text(&en);
    assert!(!english.contains("auth.sign_in") && !english.contains("team.invite"));
}

#[tokio::test]
async fn the_invitation_page_names_the_company_and_the_role() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.seller("Acme").await;
    let link = crate::team::invite(&owner, "wang@example.cn", "manager").await;
    let visitor = app.browser();
    let page = visitor.get_text(&link).await;
    assert!(page.contains("data-company>Acme"), "the company");
    assert!(
        page.contains("data-role=\"manager\"") && page.contains("经理"),
        "the role"
    );
}

#[tokio::test]
async fn a_recipient_abroad_is_no_sender() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let response = seller
        .post_form(
            "/app/addresses",
            &[
                ("name", "Jane Doe"),
                ("line1", "1 Main Street"),
                ("city", "New York"),
                ("state", "NY"),
                ("postcode", "10118"),
                ("country", "US"),
                ("phone", "(212) 555-0123"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let id = crate::common::first_id(&seller.get_text("/app/addresses").await, "data-address=\"");
    let form = seller.get_text("/app/orders/new").await;
    let start = form.find("id=\"sender\"").expect("sender select");
    let end = form[start..].find("</select>").expect("end") + start;
    assert!(
        !form[start..end].contains(&format!("value=\"{id}\"")),
        "the recipient abroad is not offered as a sender"
    );
    let id = id.to_string();
    let refused = post_order(&seller, &[("action", "save"), ("sender", id.as_str())]).await;
    crate::common::refused_beside(refused, &["sender"]).await;
}

#[tokio::test]
async fn the_order_list_offers_routes_and_destinations_as_choices() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    post_order(&seller, &[("action", "save")]).await;
    let list = seller.get_text("/app/orders").await;
    let select = |id: &str| {
        let start = list
            .find(&format!("<select id=\"{id}\""))
            .expect("a select");
        let end = list[start..].find("</select>").expect("end") + start;
        list[start..end].to_owned()
    };
    assert!(
        select("route").contains("value=\"POST-SMALL\""),
        "routes of the catalogue"
    );
    let countries = select("country");
    assert!(
        countries.contains("value=\"GB\"") && countries.contains("英国"),
        "{countries}"
    );
    assert!(
        !countries.contains("value=\"DE\""),
        "only destinations the company shipped to"
    );
    let filtered = seller
        .get_text("/app/orders?country=GB&route=POST-SMALL")
        .await;
    assert!(filtered.contains("value=\"GB\" selected"));
}

#[tokio::test]
async fn the_calculator_warns_about_a_postcode_the_order_form_would_refuse() {
    let app = TestApp::spawn().await;
    let visitor = app.browser();
    let bad = visitor
        .get_text("/rates?to=US&postcode=ABC&weight_kg=0.5")
        .await;
    assert!(bad.contains("id=\"postcode-warning\""), "the warning");
    assert!(bad.contains("这个邮编不符合目的国的格式"));
    assert!(bad.contains("data-route="), "still priced");
    let good = visitor
        .get_text("/rates?to=US&postcode=10001&weight_kg=0.5")
        .await;
    assert!(!good.contains("id=\"postcode-warning\""));
}

#[tokio::test]
async fn weight_limits_are_given_in_the_unit_of_the_form() {
    let app = TestApp::spawn().await;
    let page = app
        .browser()
        .get_text("/rates?to=US&postcode=10001&weight_kg=60")
        .await;
    let text = visible_text(&page);
    assert!(
        text.contains("超过最大重量"),
        "some route is over its limit"
    );
    assert!(
        regex::Regex::new(r"超过最大重量 [0-9.]+ kg")
            .expect("regex")
            .is_match(&text),
        "in kg, as typed"
    );
}

#[tokio::test]
async fn a_battery_order_cannot_be_submitted_before_its_documents_are_attached() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let response = post_order(
        &seller,
        &[
            ("action", "save"),
            ("battery", "in_equipment"),
            ("route", "INTL-EXPRESS"),
            ("item0_description_en", "Bluetooth speaker"),
            ("item0_hs_code", "851822"),
        ],
    )
    .await;
    let no = order_no(&response);
    let page = seller.get_text(&format!("/app/orders/{no}")).await;
    assert!(
        page.contains("data-field=\"documents\""),
        "listed as missing"
    );
    let refused = seller
        .post_form(
            &format!("/app/orders/{no}/submit"),
            &[("acknowledge", "yes")],
        )
        .await;
    let page = crate::common::refused_beside(refused, &["documents"]).await;
    assert!(page.contains("提交或付款前，请先上传这些货物所需的文件"));
    crate::orders::attach(&seller, &no, "un38_3").await;
    crate::orders::attach(&seller, &no, "battery_test_summary").await;
    let submitted = seller
        .post_form(
            &format!("/app/orders/{no}/submit"),
            &[("acknowledge", "yes")],
        )
        .await;
    assert_eq!(submitted.status(), 303, "with both papers it goes");
    // Still unpaid, another document can be added.
    assert_eq!(
        crate::orders::attach(&seller, &no, "msds").await.status(),
        303
    );
}

#[tokio::test]
async fn a_chinese_landline_too_short_to_call_is_refused_beside_the_field() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let token = owner.csrf().await;
    let form = crate::common::verification_form(
        &token,
        Some((crate::common::png(), "licence.png")),
        &[("sender_phone", "0755-1234")],
    );
    let response = owner.post_multipart("/app/company", form).await;
    crate::common::refused_beside(response, &["sender_phone"]).await;
}

#[tokio::test]
async fn an_import_of_a_picture_is_refused_in_the_pages_language() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let upload = |token: String| {
        reqwest::multipart::Form::new()
            .text("csrf_token", token)
            .part(
                "file",
                reqwest::multipart::Part::bytes(crate::common::png()).file_name("orders.png"),
            )
    };
    let response = seller
        .post_multipart("/app/orders/import", upload(seller.csrf().await))
        .await;
    assert!(response.status().is_client_error(), "{}", response.status());
    let zh = response.text().await.expect("page");
    let keys = message_keys(&zh);
    assert!(keys.is_empty(), "{keys:?}");
    assert!(
        !visible_text(&zh).contains("expected a .csv or .xlsx file"),
        "no English internal message on the Chinese page"
    );
    assert!(zh.contains("只能读取 .csv 或 .xlsx 文件"));
    seller.english().await;
    let en = seller
        .post_multipart("/app/orders/import", upload(seller.csrf().await))
        .await
        .text()
        .await
        .expect("page");
    assert!(
        en.contains("Only .csv and .xlsx files can be read"),
        "says which files are read"
    );
}
