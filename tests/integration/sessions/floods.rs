//! HSTS, per-address rate limits, the sign-in lock per account and address,
//! and sign-in floods that must not starve the connection pool.

use crate::common::{PASSWORD, TestApp};
use chrono::{Timelike, Utc};
use diesel::prelude::*;
use samplepost::db::DbConnection;
use samplepost::services::accounts::{self, SignIn, SignInStart};

#[tokio::test]
async fn hsts_is_sent_only_when_cookies_are_secure() {
    let plain = TestApp::spawn().await;
    let response = plain.browser().get("/login").await;
    assert!(
        response
            .headers()
            .get("strict-transport-security")
            .is_none()
    );

    let https = TestApp::spawn_with(|settings| settings.cookie_secure = true).await;
    for path in ["/login", "/rates", "/no-such-page"] {
        let response = https.browser().get(path).await;
        assert_eq!(
            response.headers()["strict-transport-security"],
            "max-age=31536000; includeSubDomains",
            "{path}"
        );
    }
}

#[tokio::test]
async fn too_many_sign_ins_from_one_address_get_429_with_retry_after_in_the_visitors_language() {
    let app = TestApp::spawn().await;
    // The limit counts per minute: start early in one, so all posts land in it.
    let second = Utc::now().second();
    if second >= 45 {
        tokio::time::sleep(std::time::Duration::from_secs(u64::from(61 - second))).await;
    }
    let browser = app.browser();
    browser.english().await;
    for n in 0..20 {
        let response = browser
            .sign_in(&format!("nobody-{n}@example.cn"), "wrong-password-1")
            .await;
        assert_eq!(response.status(), 422, "attempt {n} is within the limit");
    }
    let response = browser.sign_in("nobody@example.cn", PASSWORD).await;
    assert_eq!(response.status(), 429);
    let retry_after: i64 = response.headers()["retry-after"]
        .to_str()
        .expect("header")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let page = response.text().await.expect("body");
    assert!(page.contains("<html lang=\"en\">"));
    let english = page.find("Too many attempts").expect("English message");
    let chinese = page.find("请求过于频繁").expect("Chinese beside it");
    assert!(english < chinese, "the visitor's language first");
    assert!(page.contains(&format!("{retry_after} seconds")));
}

#[tokio::test]
async fn failed_sign_ins_lock_the_account_only_for_the_address_they_came_from() {
    let app = TestApp::spawn().await;
    let (_, email) = app.owner("Acme").await;
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    let attacker = "203.0.113.7";
    let owner_at_home = "198.51.100.20";
    for _ in 0..5 {
        let SignInStart::Check(pending) =
            accounts::start_sign_in(conn, &email, attacker).expect("start")
        else {
            panic!("locked too early");
        };
        let outcome =
            accounts::finish_sign_in(conn, pending.check("wrong-password-1")).expect("finish");
        assert!(matches!(outcome, SignIn::BadCredentials));
    }
    assert!(matches!(
        accounts::start_sign_in(conn, &email, attacker).expect("start"),
        SignInStart::Throttled { minutes: 15 }
    ));
    let SignInStart::Check(pending) =
        accounts::start_sign_in(conn, &email, owner_at_home).expect("start")
    else {
        panic!("the owner's own address is locked out");
    };
    let outcome = accounts::finish_sign_in(conn, pending.check(PASSWORD)).expect("finish");
    assert!(matches!(outcome, SignIn::Success(_)));
    // The owner's success elsewhere does not lift the lock on the attacker's address.
    assert!(matches!(
        accounts::start_sign_in(conn, &email, attacker).expect("start"),
        SignInStart::Throttled { .. }
    ));
}

#[tokio::test]
async fn a_flood_of_wrong_sign_ins_does_not_make_other_pages_fail() {
    let app = TestApp::spawn().await;
    let attacker = app.browser();
    let token = attacker.csrf().await;
    let flood = (0..40).map(|n| {
        let email = format!("victim-{n}@example.cn");
        let token = token.clone();
        let attacker = &attacker;
        async move {
            attacker
                .client
                .post(attacker.url("/login"))
                .form(&[
                    ("csrf_token", token.as_str()),
                    ("email", email.as_str()),
                    ("password", "wrong-password-1"),
                ])
                .send()
                .await
                .expect("answered")
                .status()
                .as_u16()
        }
    });
    let visitor = app.browser();
    let done = std::sync::atomic::AtomicBool::new(false);
    let browsing = async {
        let mut statuses = Vec::new();
        while !done.load(std::sync::atomic::Ordering::SeqCst) || statuses.is_empty() {
            statuses.push(visitor.get("/rates").await.status().as_u16());
        }
        statuses
    };
    let flooding = async {
        let statuses = futures_util::future::join_all(flood).await;
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        statuses
    };
    let (flood_statuses, page_statuses) = tokio::join!(flooding, browsing);

    assert!(
        flood_statuses.iter().all(|s| *s == 422 || *s == 429),
        "{flood_statuses:?}"
    );
    assert!(
        flood_statuses.iter().filter(|s| **s == 422).count() >= 20,
        "the sign-ins within the limit were really checked: {flood_statuses:?}"
    );
    assert!(page_statuses.iter().all(|s| *s == 200), "{page_statuses:?}");
    // That no hash runs while a connection is held is not timed here (a
    // timing is a benchmark's job): `accounts::start_sign_in` returns the
    // stored hash and `PendingSignIn::check` takes no connection, so the
    // types keep the connection out of the argon2 work.
}

#[tokio::test]
async fn every_limited_form_answers_429_once_the_address_used_up_its_window() {
    use samplepost::db::schema::rate_limits;
    use samplepost::web::rate_limit::{
        INVITATION, Limit, PASSWORD_CHANGE, RECIPIENT_LINK, REGISTER, SIGN_IN,
    };
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let cases: [(&Limit, &str); 5] = [
        (&SIGN_IN, "/login"),
        (&REGISTER, "/register"),
        (&INVITATION, "/invite/0000"),
        (&RECIPIENT_LINK, "/r/0000"),
        (&PASSWORD_CHANGE, "/account/password"),
    ];
    {
        let mut conn = app.conn();
        let conn: &mut DbConnection = &mut conn;
        let now = Utc::now().timestamp();
        // Registering the owner counted already; start from a clean slate.
        diesel::delete(rate_limits::table)
            .execute(conn)
            .expect("clear");
        for (limit, _) in &cases {
            // The current window and the next, so a boundary passing mid-test changes nothing.
            let start = now - now.rem_euclid(limit.window_seconds);
            for window in [start, start + limit.window_seconds] {
                diesel::insert_into(rate_limits::table)
                    .values((
                        rate_limits::bucket.eq(limit.bucket),
                        rate_limits::ip.eq("127.0.0.1"),
                        rate_limits::window_start.eq(chrono::DateTime::from_timestamp(window, 0)
                            .expect("time")
                            .naive_utc()),
                        rate_limits::hits.eq(limit.max),
                    ))
                    .execute(conn)
                    .expect("fill the window");
            }
        }
    }
    for (limit, path) in cases {
        let response = owner.post_form(path, &[]).await;
        assert_eq!(response.status(), 429, "{path}");
        let retry_after: i64 = response.headers()["retry-after"]
            .to_str()
            .expect("header")
            .parse()
            .expect("seconds");
        assert!((1..=limit.window_seconds).contains(&retry_after), "{path}");
    }
    assert_eq!(owner.get("/app").await.status(), 200, "pages stay open");
}
