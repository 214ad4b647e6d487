use crate::common::{TestApp, csrf_in, location, png, verification_form};
use reqwest::header::HeaderMap;
use samplepost::domain::status::Role;

/// What is wrong with the security headers and the session cookie of the
/// answer to `path` (issue #14); `every_page` runs it on every page, with
/// `https` as the server's `COOKIE_SECURE`.
pub fn header_problems(path: &str, headers: &HeaderMap, https: bool) -> Vec<String> {
    let mut found = Vec::new();
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let csp = header("content-security-policy").unwrap_or("");
    for part in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ] {
        if !csp.contains(part) {
            found.push(format!("{path}: CSP without {part}: {csp:?}"));
        }
    }
    if csp.contains("unsafe-inline") || csp.contains("unsafe-eval") {
        found.push(format!("{path}: CSP allows inline code: {csp:?}"));
    }
    for (name, expected) in [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
    ] {
        if header(name) != Some(expected) {
            found.push(format!("{path}: {name} is {:?}", header(name)));
        }
    }
    match (header("strict-transport-security"), https) {
        (Some(hsts), true) if hsts.contains("max-age=31536000") => {}
        (None, false) => {}
        (hsts, _) => found.push(format!("{path}: HSTS {hsts:?} with COOKIE_SECURE={https}")),
    }
    let session_cookies = headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter(|c| c.starts_with("sp_session="));
    for cookie in session_cookies {
        let secure = cookie.split(';').any(|a| a.trim() == "Secure");
        if !cookie.contains("HttpOnly") || !cookie.contains("SameSite=Lax") || secure != https {
            found.push(format!("{path}: session cookie flags: {cookie}"));
        }
    }
    found
}

#[tokio::test]
async fn every_page_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let response = app.browser().get("/login").await;
    let headers = response.headers();
    let csp = headers["content-security-policy"].to_str().expect("csp");
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "same-origin");
    let cookie = headers["set-cookie"].to_str().expect("cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
}

#[tokio::test]
async fn behind_https_the_cookie_is_secure_and_hsts_is_sent_on_every_kind_of_answer() {
    let plain = TestApp::spawn().await;
    let https = TestApp::spawn_with(|settings| settings.cookie_secure = true).await;
    let mut found = Vec::new();
    for (app, secure) in [(&plain, false), (&https, true)] {
        let browser = app.browser();
        let login = browser.get("/login").await;
        assert!(
            login.headers().get("set-cookie").is_some(),
            "a session cookie"
        );
        found.extend(header_problems("/login", login.headers(), secure));
        // Error pages, redirects, files, JSON and the metrics' 404 too.
        for path in [
            "/no/such/page",
            "/app",
            "/static/app.css",
            "/healthz",
            "/metrics",
        ] {
            let response = browser.get(path).await;
            found.extend(header_problems(path, response.headers(), secure));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[tokio::test]
async fn a_post_without_the_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let browser = app.browser();
    browser.get("/register").await; // has a session and a token, but does not send it
    let form = [
        ("company_name", "Acme"),
        ("display_name", "Li"),
        ("email", "li@example.cn"),
        ("password", "Correct-Horse-42"),
        ("password_confirm", "Correct-Horse-42"),
    ];
    let response = browser
        .client
        .post(browser.url("/register"))
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 403);
    let mut forged = form.to_vec();
    forged.push(("csrf_token", "0000"));
    let response = browser
        .client
        .post(browser.url("/register"))
        .form(&forged)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 403);
    assert_eq!(app.count("users"), 0);
    assert_eq!(app.count("companies"), 0);
}

#[tokio::test]
async fn a_multipart_post_with_a_wrong_token_stores_no_file() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let form = verification_form("not-the-token", Some((png(), "licence.png")), &[]);
    let response = owner.post_multipart("/app/company", form).await;
    assert_eq!(response.status(), 403);
    assert_eq!(app.count("uploads"), 0);
}

#[tokio::test]
async fn the_csrf_token_changes_at_sign_in() {
    let app = TestApp::spawn().await;
    let (owner, email) = app.owner("Acme").await;
    owner.post_form("/logout", &[]).await;
    let before = csrf_in(&owner.get_text("/login").await).expect("token");
    owner.sign_in(&email, crate::common::PASSWORD).await;
    let after = owner.csrf().await;
    assert_ne!(before, after);
}

#[tokio::test]
async fn a_seller_opening_an_admin_page_gets_403() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    for path in [
        "/admin",
        "/admin/verifications",
        "/admin/audit",
        "/admin/staff",
    ] {
        assert_eq!(owner.get(path).await.status(), 403, "{path}");
    }
}

#[tokio::test]
async fn a_visitor_opening_a_protected_page_is_sent_to_sign_in() {
    let app = TestApp::spawn().await;
    let response = app.browser().get("/admin/verifications?status=all").await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        location(&response),
        "/login?next=%2Fadmin%2Fverifications%3Fstatus%3Dall"
    );
}

#[tokio::test]
async fn an_operator_cannot_manage_accounts() {
    let app = TestApp::spawn().await;
    let operator = app.staff(Role::Operator).await;
    assert_eq!(operator.get("/admin/verifications").await.status(), 200);
    assert_eq!(operator.get("/admin/staff").await.status(), 403);
}

#[tokio::test]
async fn a_cookie_from_before_the_account_was_disabled_is_signed_out() {
    let app = TestApp::spawn().await;
    let (owner, email) = app.owner("Acme").await;
    assert_eq!(owner.get("/app").await.status(), 200);
    let admin = app.staff(Role::Admin).await;
    let user_id = {
        use diesel::prelude::*;
        use samplepost::db::schema::users;
        let mut conn = app.conn();
        let conn: &mut samplepost::db::DbConnection = &mut conn;
        users::table
            .filter(users::email.eq(&email))
            .select(users::id)
            .first::<i64>(conn)
            .expect("user")
    };
    let response = admin
        .post_form(
            &format!("/admin/staff/{user_id}/access"),
            &[("action", "disable"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let response = owner.get("/app").await;
    assert_eq!(response.status(), 303);
    assert!(location(&response).starts_with("/login"));
    assert!(
        owner.get_text("/login").await.contains("您的登录已失效"),
        "the reason is shown"
    );
    let response = app.browser().sign_in(&email, crate::common::PASSWORD).await;
    assert_eq!(response.status(), 422, "a disabled account cannot sign in");
}

#[tokio::test]
async fn unknown_pages_answer_404_with_a_page() {
    let app = TestApp::spawn().await;
    let response = app.browser().get("/no/such/page").await;
    assert_eq!(response.status(), 404);
    let page = response.text().await.expect("body");
    assert!(page.contains("页面不存在") && page.contains("This page does not exist"));
}
