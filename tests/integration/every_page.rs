//! Every page of the URL map, rendered in both languages, shows no
//! placeholder and no message key, and the English page no Chinese outside
//! what users typed and what is bilingual by design (issue #9).

use crate::common::{Browser, TestApp};
use crate::wording::{both_languages, message_keys, visible_text};
use samplepost::domain::status::Role;

/// A `{name}` placeholder as it would show through.
fn placeholders(text: &str) -> Vec<String> {
    regex::Regex::new(r"\{[a-z_]+\}")
        .expect("regex")
        .find_iter(text)
        .map(|m| m.as_str().to_owned())
        .collect()
}

/// Chinese characters on an English page, minus what is Chinese on purpose:
/// the switch to Chinese, the product's name, and what a test typed.
fn chinese_on_english(page: &str, allowed: &[&str]) -> Vec<String> {
    let mut text = visible_text(page);
    for fine in ["中文", "样品邮"].iter().chain(allowed) {
        text = text.replace(fine, " ");
    }
    regex::Regex::new(r"[\p{Han}]+")
        .expect("regex")
        .find_iter(&text)
        .map(|m| m.as_str().to_owned())
        .collect()
}

/// Checks one page in both languages and returns what is wrong with it.
async fn problems(browser: &Browser, path: &str, allowed: &[&str]) -> Vec<String> {
    let (zh, en) = both_languages(browser, path).await;
    let mut found = Vec::new();
    for (lang, page) in [("zh", &zh), ("en", &en)] {
        let text = visible_text(page);
        for p in placeholders(&text) {
            found.push(format!("{path} [{lang}]: placeholder {p}"));
        }
        for key in message_keys(page) {
            found.push(format!("{path} [{lang}]: message key {key}"));
        }
    }
    for han in chinese_on_english(&en, allowed) {
        found.push(format!("{path} [en]: Chinese {han}"));
    }
    found
}

#[tokio::test]
async fn every_page_reads_cleanly_in_both_languages() {
    let app = TestApp::spawn().await;
    let (seller, seller_email) = app.seller("Acme").await;
    let draft = crate::orders::post_order(&seller, &[("action", "save")]).await;
    let draft = crate::orders::order_no(&draft);
    let submitted = crate::orders::submitted(&seller, &[("form_token", "second")]).await;
    let company = crate::paid::company_of(&app, &seller_email);
    crate::paid::credit(&app, company, 100_000);
    let paid = crate::paid::pay_new(&seller, &[("form_token", "third")]).await;
    // Chinese the tests typed (the item's description, the verified
    // company's name and address), the transliteration example the English
    // hint gives, and the sheet values an import accepts (是/否).
    let typed = [
        "棉质T恤",
        "深圳市南山区",
        "是",
        "否",
        "样品有限公司",
        "广东省",
        "深圳市",
        "南山区科技园",
        "号",
    ];
    let mut found = Vec::new();
    for path in [
        "/".to_owned(),
        "/rates".to_owned(),
        "/rates?to=US&postcode=10001&weight_kg=0.5".to_owned(),
        "/app".to_owned(),
        "/app/orders".to_owned(),
        "/app/orders/new".to_owned(),
        format!("/app/orders/{draft}"),
        format!("/app/orders/{draft}/edit"),
        format!("/app/orders/{submitted}"),
        format!("/app/orders/{paid}"),
        "/app/orders/import".to_owned(),
        "/app/addresses".to_owned(),
        "/app/addresses/new".to_owned(),
        "/app/approvals".to_owned(),
        "/app/balance".to_owned(),
        "/app/company".to_owned(),
        "/app/module".to_owned(),
        "/app/notifications".to_owned(),
        "/app/team".to_owned(),
        "/app/audit".to_owned(),
        "/app/settings/approval".to_owned(),
        "/account/password".to_owned(),
        "/account/sessions".to_owned(),
        "/logout".to_owned(),
    ] {
        found.extend(problems(&seller, &path, &typed).await);
    }
    // The label is bilingual by design: it travels with the parcel, read by
    // the warehouse (Chinese) and the carrier abroad (English).
    let label = ["收件人", "寄件城市", "申报重量", "交货仓", "上门揽收"];
    let allowed: Vec<&str> = typed.iter().chain(&label).copied().collect();
    found.extend(problems(&seller, &format!("/app/orders/{paid}/label"), &allowed).await);
    let admin = app.staff(Role::Admin).await;
    for path in [
        "/admin",
        "/admin/verifications",
        "/admin/modules",
        "/admin/topups",
        "/admin/staff",
        "/admin/audit",
        "/admin/outbox",
        "/admin/payee",
        "/admin/rates",
        "/admin/pricing",
    ] {
        found.extend(problems(&admin, path, &typed).await);
    }
    // The catalogue pages edit names in both languages: they show both, so
    // only placeholders and keys are checked there.
    for path in ["/admin/routes", "/admin/countries"] {
        let (zh, en) = both_languages(&admin, path).await;
        for page in [&zh, &en] {
            assert!(placeholders(&visible_text(page)).is_empty(), "{path}");
            assert!(
                message_keys(page).is_empty(),
                "{path}: {:?}",
                message_keys(page)
            );
        }
    }
    let visitor = app.browser();
    for path in ["/login", "/register", "/password/forgot"] {
        found.extend(problems(&visitor, path, &typed).await);
    }
    assert!(
        found.is_empty(),
        "{} problems:\n{}",
        found.len(),
        found.join("\n")
    );
}
