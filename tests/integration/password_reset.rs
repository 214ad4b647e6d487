//! Forgot password, strong passwords and `GET /logout` (issue #9).

use crate::common::smtp::SmtpSink;
use crate::common::{Browser, PASSWORD, TestApp, location, refused_beside};
use diesel::prelude::*;
use samplepost::db::DbConnection;
use samplepost::db::schema::{audit_log, outbox, password_resets};
use std::time::Duration;

const NEW_PASSWORD: &str = "Brand-New-Pass-77";

/// Asks for a link for `email` from a fresh browser; returns the page.
async fn forgot(app: &TestApp, email: &str) -> String {
    let response = app
        .browser()
        .post_form("/password/forgot", &[("email", email)])
        .await;
    assert_eq!(response.status(), 200, "the same answer for every e-mail");
    response.text().await.expect("body")
}

/// The reset links queued in the outbox, oldest first (the worker of
/// `TestApp::spawn` looks only hourly, so they are still there).
pub fn queued_links(app: &TestApp) -> Vec<String> {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    outbox::table
        .filter(outbox::kind.eq("account.password_reset"))
        .order(outbox::id.asc())
        .select(outbox::link)
        .load(conn)
        .expect("outbox links")
}

fn audited(app: &TestApp, action: &str) -> i64 {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    audit_log::table
        .filter(audit_log::action.eq(action))
        .count()
        .get_result(conn)
        .expect("audit count")
}

async fn reset(browser: &Browser, link: &str, password: &str) -> reqwest::Response {
    browser
        .post_form(
            link,
            &[("password", password), ("password_confirm", password)],
        )
        .await
}

/// The link in a mail the sink received (its body is base64, being UTF-8).
fn link_in_mail(mail: &str) -> String {
    use base64::Engine;
    let (_, body) = mail.split_once("\r\n\r\n").expect("head and body");
    let body: String = body.split_whitespace().collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(body)
        .expect("a base64 body");
    let text = String::from_utf8(bytes).expect("UTF-8");
    let marker = "http://samplepost.test/password/reset/";
    let start =
        text.find(marker).expect("the mail holds the link") + "http://samplepost.test".len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
        .collect()
}

#[tokio::test]
async fn a_mailed_link_sets_the_password_once_and_signs_every_device_out() {
    let sink = SmtpSink::start();
    let app = TestApp::spawn_with_smtp(Some(sink.url())).await;
    let (owner, email) = app.owner("Acme").await;
    let laptop = app.browser();
    assert_eq!(laptop.sign_in(&email, PASSWORD).await.status(), 303);

    let page = forgot(&app, &email).await;
    assert!(page.contains("如果这个邮箱有账户"), "says a link was sent");
    for _ in 0..100 {
        if !sink.messages().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mail = sink.messages().first().cloned().expect("the mail was sent");
    assert!(mail.contains(&email), "to the account's address");
    let link = link_in_mail(&mail);

    let stranger = app.browser();
    let form = stranger.get(&link).await;
    assert_eq!(form.status(), 200);
    assert!(form.text().await.expect("body").contains(&email));
    let response = reset(&stranger, &link, NEW_PASSWORD).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/login");
    assert!(
        stranger.get_text("/login").await.contains("密码已重设"),
        "the sign-in page says so"
    );

    for device in [&owner, &laptop] {
        let response = device.get("/app").await;
        assert!(location(&response).starts_with("/login"), "signed out");
    }
    assert_eq!(app.browser().sign_in(&email, PASSWORD).await.status(), 422);
    assert_eq!(
        app.browser().sign_in(&email, NEW_PASSWORD).await.status(),
        303
    );
    assert_eq!(audited(&app, "account.password_reset"), 1);

    let again = app.browser();
    assert_eq!(again.get(&link).await.status(), 404, "used up");
    assert_eq!(
        reset(&again, &link, "Other-Fresh-Pass-31").await.status(),
        404
    );
    assert_eq!(
        app.browser().sign_in(&email, NEW_PASSWORD).await.status(),
        303
    );
}

#[tokio::test]
async fn an_unknown_email_gets_the_same_page_and_no_mail() {
    let app = TestApp::spawn().await;
    let (_, email) = app.owner("Acme").await;
    let known = forgot(&app, &email).await;
    let unknown = forgot(&app, "nobody-here@example.cn").await;
    let notice = |page: &str| {
        let start = page.find("data-sent").expect("the notice");
        let end = start + page[start..].find("</section>").expect("its end");
        page[start..end].to_owned()
    };
    assert_eq!(notice(&known), notice(&unknown));
    assert_eq!(
        queued_links(&app).len(),
        1,
        "only the known e-mail gets a mail"
    );
    assert_eq!(app.count("password_resets"), 1);
}

#[tokio::test]
async fn the_login_page_links_to_the_forgot_form_and_a_malformed_email_is_refused() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    assert!(
        browser
            .get_text("/login")
            .await
            .contains("href=\"/password/forgot\"")
    );
    let response = browser
        .post_form("/password/forgot", &[("email", "not an e-mail")])
        .await;
    refused_beside(response, &["email"]).await;
    assert_eq!(app.count("outbox"), 0);
}

#[tokio::test]
async fn an_expired_link_answers_410_in_both_languages_with_a_way_to_ask_again() {
    let app = TestApp::spawn().await;
    let (_, email) = app.owner("Acme").await;
    forgot(&app, &email).await;
    let link = queued_links(&app).remove(0);
    {
        let mut conn = app.conn();
        let conn: &mut DbConnection = &mut conn;
        let past = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1);
        diesel::update(password_resets::table)
            .set(password_resets::expires_at.eq(past))
            .execute(conn)
            .expect("expire the link");
    }
    let response = app.browser().get(&link).await;
    assert_eq!(response.status(), 410);
    let page = response.text().await.expect("body");
    assert!(
        page.contains("已过期") && page.contains("has expired"),
        "{page}"
    );
    assert!(page.contains("href=\"/password/forgot\""));
    let response = reset(&app.browser(), &link, NEW_PASSWORD).await;
    assert_eq!(response.status(), 410, "and cannot be used");
}

#[tokio::test]
async fn an_unknown_or_replaced_link_answers_404_in_both_languages() {
    let app = TestApp::spawn().await;
    let (_, email) = app.owner("Acme").await;
    let response = app
        .browser()
        .get(&format!("/password/reset/{}", "ab".repeat(32)))
        .await;
    assert_eq!(response.status(), 404);
    let page = response.text().await.expect("body");
    assert!(
        page.contains("无效") && page.contains("not valid"),
        "{page}"
    );
    assert!(page.contains("href=\"/password/forgot\""));

    forgot(&app, &email).await;
    forgot(&app, &email).await;
    let links = queued_links(&app);
    assert_eq!(links.len(), 2);
    assert_eq!(app.browser().get(&links[0]).await.status(), 404, "replaced");
    assert_eq!(
        app.browser().get(&links[1]).await.status(),
        200,
        "the newest works"
    );
}

#[tokio::test]
async fn one_account_gets_at_most_five_links_an_hour() {
    let app = TestApp::spawn().await;
    let (_, email) = app.owner("Acme").await;
    for _ in 0..7 {
        forgot(&app, &email).await;
    }
    assert_eq!(queued_links(&app).len(), 5);
}

#[tokio::test]
async fn a_reset_lifts_the_sign_in_lock() {
    let app = TestApp::spawn().await;
    let (_, email) = app.owner("Acme").await;
    let browser = app.browser();
    for _ in 0..5 {
        browser.sign_in(&email, "wrong-password-1").await;
    }
    assert_eq!(
        browser.sign_in(&email, PASSWORD).await.status(),
        429,
        "locked"
    );
    forgot(&app, &email).await;
    let link = queued_links(&app).remove(0);
    assert_eq!(reset(&browser, &link, NEW_PASSWORD).await.status(), 303);
    assert_eq!(browser.sign_in(&email, NEW_PASSWORD).await.status(), 303);
}

#[tokio::test]
async fn weak_passwords_are_refused_beside_the_field_in_chinese_and_english() {
    let app = TestApp::spawn().await;
    let (_, email) = app.owner("Acme").await;
    forgot(&app, &email).await;
    let link = queued_links(&app).remove(0);
    let local_part = email.split('@').next().expect("local part").to_owned();
    let browser = app.browser();
    let cases = [
        (
            "password123",
            "这是一个非常常见的密码",
            "This is a very common password",
        ),
        (
            "aaaaaaaaaa",
            "重复字符很容易被猜到",
            "Repeats like “aaa” are easy to guess",
        ),
        (
            &format!("Garden-{local_part}-9") as &str,
            "密码不能包含邮箱",
            "may not contain the name before the @",
        ),
    ];
    for (password, chinese, _) in &cases {
        let page = refused_beside(reset(&browser, &link, password).await, &["password"]).await;
        assert!(page.contains(chinese), "{password}: {chinese}");
    }
    browser.english().await;
    for (password, _, english) in &cases {
        let page = refused_beside(reset(&browser, &link, password).await, &["password"]).await;
        assert!(page.contains(english), "{password}: {english}");
        assert!(
            !page.contains("这是"),
            "no Chinese advice on the English page"
        );
    }
    assert_eq!(
        reset(&browser, &link, NEW_PASSWORD).await.status(),
        303,
        "still usable"
    );
}

#[tokio::test]
async fn registration_password_change_and_invitations_refuse_weak_passwords_too() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let response = browser
        .post_form(
            "/register",
            &[
                ("company_name", "Blue Lantern"),
                ("display_name", "Li"),
                ("email", "li@example.cn"),
                ("password", "lantern-Garden-9"),
                ("password_confirm", "lantern-Garden-9"),
            ],
        )
        .await;
    let page = refused_beside(response, &["password"]).await;
    assert!(page.contains("公司名称"), "names the company name rule");

    let (owner, email) = app.seller("Acme").await;
    let response = owner
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "aaaaaaaaaa"),
                ("new_password_confirm", "aaaaaaaaaa"),
            ],
        )
        .await;
    refused_beside(response, &["new_password"]).await;
    assert_eq!(app.browser().sign_in(&email, PASSWORD).await.status(), 303);

    let link = crate::team::invite(&owner, "wang.fang@example.cn", "seller").await;
    let response = app
        .browser()
        .post_form(
            &link,
            &[
                ("display_name", "Wang Fang"),
                ("password", "wang.fang-Garden-9"),
                ("password_confirm", "wang.fang-Garden-9"),
            ],
        )
        .await;
    refused_beside(response, &["password"]).await;
    assert_eq!(app.count("users"), 1);
}

#[tokio::test]
async fn get_logout_signed_in_shows_a_form_that_posts_to_logout() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let response = owner.get("/logout").await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.expect("body");
    assert!(page.contains("<form method=\"post\" action=\"/logout\" class=\"logout\">"));
    assert!(page.contains("name=\"csrf_token\""));
    let response = owner.post_form("/logout", &[]).await;
    assert_eq!(response.status(), 303);
    assert!(location(&owner.get("/app").await).starts_with("/login"));
}

#[tokio::test]
async fn get_logout_signed_out_redirects_to_login() {
    let app = TestApp::spawn().await;
    let response = app.browser().get("/logout").await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/login");
}

#[tokio::test]
async fn one_address_is_held_back_after_ten_requests() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    let mut statuses = Vec::new();
    // 21 requests: even if a 15-minute window ends among them, one window
    // holds more than ten.
    for n in 0..21 {
        let email = format!("nobody-{n}@example.cn");
        let response = browser
            .post_form("/password/forgot", &[("email", &email)])
            .await;
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses[0], 200);
    assert!(statuses.contains(&429), "{statuses:?}");
}
