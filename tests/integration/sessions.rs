//! Sessions that really end (server-side rows) and the session list; HSTS,
//! rate limits, the sign-in lock and floods are in `sessions/floods.rs`.

mod floods;

use crate::common::{Browser, PASSWORD, TestApp, csrf_in, location};
use chrono::{Duration, Utc};
use diesel::prelude::*;
use samplepost::db::DbConnection;
use samplepost::db::schema::{audit_log, sessions, users};

const CHROME_ON_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
                                 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/// A browser that sends `user_agent`, signed in as `email`.
async fn signed_in_with_agent(app: &TestApp, email: &str, user_agent: &str) -> Browser {
    let browser = Browser {
        base: app.address.clone(),
        client: reqwest::Client::builder()
            .cookie_store(true)
            .user_agent(user_agent)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
    };
    assert_eq!(browser.sign_in(email, PASSWORD).await.status(), 303);
    browser
}

/// The ids of the sessions listed on `/account/sessions`, and the current one.
async fn listed_sessions(browser: &Browser) -> (Vec<i64>, Option<i64>) {
    let page = browser.get_text("/account/sessions").await;
    let mut ids = Vec::new();
    let mut current = None;
    for chunk in page.split("data-session=\"").skip(1) {
        let id: i64 = chunk
            .split('"')
            .next()
            .and_then(|n| n.parse().ok())
            .expect("a session id");
        if chunk
            .split('>')
            .next()
            .unwrap_or_default()
            .contains("data-current")
        {
            current = Some(id);
        }
        ids.push(id);
    }
    (ids, current)
}

fn user_id(conn: &mut DbConnection, email: &str) -> i64 {
    users::table
        .filter(users::email.eq(email))
        .select(users::id)
        .first(conn)
        .expect("user")
}

/// Moves the times of every session of `email` back by `by`.
fn age_sessions(app: &TestApp, email: &str, column: &str, by: Duration) {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    let id = user_id(conn, email);
    let at = Utc::now().naive_utc() - by;
    let update = diesel::update(sessions::table.filter(sessions::user_id.eq(id)));
    match column {
        "last_seen_at" => update.set(sessions::last_seen_at.eq(at)).execute(conn),
        "created_at" => update
            .set((
                sessions::created_at.eq(at),
                sessions::expires_at.eq(at + Duration::days(30)),
            ))
            .execute(conn),
        other => panic!("no column {other}"),
    }
    .expect("age sessions");
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

/// Asserts `browser` is sent to the sign-in page, told its session ended.
async fn assert_signed_out(browser: &Browser) {
    let response = browser.get("/app").await;
    assert_eq!(response.status(), 303, "signed out");
    assert!(location(&response).starts_with("/login"));
    let page = browser.get_text("/login").await;
    assert!(page.contains("您的登录已失效"), "says the session ended");
}

#[tokio::test]
async fn a_cookie_copied_before_logout_is_signed_out_after_logout() {
    let app = TestApp::spawn().await;
    let (_, email) = app.owner("Acme").await;
    // A client without a cookie jar, so the cookie can be copied by hand.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let cookie_of = |response: &reqwest::Response| {
        response.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .split(';')
            .next()
            .expect("name=value")
            .to_owned()
    };
    let login = client
        .get(format!("{}/login", app.address))
        .send()
        .await
        .expect("GET");
    let anonymous = cookie_of(&login);
    let token = csrf_in(&login.text().await.expect("body")).expect("token");
    let response = client
        .post(format!("{}/login", app.address))
        .header("cookie", &anonymous)
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", &email),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 303);
    let copied = cookie_of(&response);
    let get_app = || {
        client
            .get(format!("{}/app", app.address))
            .header("cookie", &copied)
            .send()
    };
    assert_eq!(get_app().await.expect("GET").status(), 200, "signed in");
    let page = get_app().await.expect("GET").text().await.expect("body");
    let token = csrf_in(&page).expect("token");
    let response = client
        .post(format!("{}/logout", app.address))
        .header("cookie", &copied)
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 303);

    let response = get_app().await.expect("GET");
    assert_eq!(response.status(), 303, "the copy is dead");
    assert!(location(&response).starts_with("/login"));
    assert_eq!(audited(&app, "auth.sign_out"), 1);
}

#[tokio::test]
async fn the_session_list_shows_both_devices_and_ending_the_other_signs_it_out() {
    let app = TestApp::spawn().await;
    let (laptop, email) = app.owner("Acme").await;
    let phone = signed_in_with_agent(&app, &email, CHROME_ON_WINDOWS).await;

    let page = laptop.get_text("/account/sessions").await;
    assert!(
        page.contains("Chrome · Windows"),
        "the other device in words"
    );
    assert!(page.contains("127.0.0.1"));
    assert!(page.contains("当前设备"), "this device is marked");
    let (ids, current) = listed_sessions(&laptop).await;
    assert_eq!(ids.len(), 2);
    let current = current.expect("this device is marked");
    let other = *ids.iter().find(|id| **id != current).expect("the phone");

    let response = laptop
        .post_form(&format!("/account/sessions/{other}/end"), &[])
        .await;
    assert_eq!(response.status(), 303);
    assert!(
        laptop
            .get_text("/account/sessions")
            .await
            .contains("该会话已结束")
    );
    assert_signed_out(&phone).await;
    assert_eq!(laptop.get("/app").await.status(), 200, "this one stays");
    assert_eq!(listed_sessions(&laptop).await.0, vec![current]);
    assert_eq!(audited(&app, "session.end"), 1);
}

#[tokio::test]
async fn ending_all_others_keeps_the_current_session() {
    let app = TestApp::spawn().await;
    let (laptop, email) = app.owner("Acme").await;
    let phone = signed_in_with_agent(&app, &email, CHROME_ON_WINDOWS).await;
    let tablet = signed_in_with_agent(&app, &email, "Mozilla/5.0 (iPad)").await;
    assert_eq!(listed_sessions(&laptop).await.0.len(), 3);

    laptop.english().await;
    let response = laptop.post_form("/account/sessions/end-others", &[]).await;
    assert_eq!(response.status(), 303);
    let page = laptop.get_text("/account/sessions").await;
    assert!(page.contains("All other sessions have ended"));
    assert!(
        page.contains("Signed-in devices"),
        "the page speaks English"
    );

    assert_signed_out(&phone).await;
    assert_signed_out(&tablet).await;
    assert_eq!(laptop.get("/app").await.status(), 200);
    let (ids, current) = listed_sessions(&laptop).await;
    assert_eq!(ids.len(), 1);
    assert_eq!(current, Some(ids[0]));
    assert_eq!(audited(&app, "session.end_others"), 1);
}

#[tokio::test]
async fn nobody_can_end_a_session_of_someone_else() {
    let app = TestApp::spawn().await;
    let (victim, victim_email) = app.owner("Acme").await;
    let (attacker, _) = app.owner("Evil").await;
    let victim_session: i64 = {
        let mut conn = app.conn();
        let conn: &mut DbConnection = &mut conn;
        let id = user_id(conn, &victim_email);
        sessions::table
            .filter(sessions::user_id.eq(id))
            .select(sessions::id)
            .first(conn)
            .expect("session")
    };
    let response = attacker
        .post_form(&format!("/account/sessions/{victim_session}/end"), &[])
        .await;
    assert_eq!(response.status(), 404);
    assert_eq!(victim.get("/app").await.status(), 200, "still signed in");
    let response = attacker
        .post_form("/account/sessions/not-a-number/end", &[])
        .await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn a_session_idle_longer_than_twelve_hours_is_signed_out() {
    let app = TestApp::spawn().await;
    let (owner, email) = app.owner("Acme").await;
    age_sessions(&app, &email, "last_seen_at", Duration::hours(11));
    assert_eq!(
        owner.get("/app").await.status(),
        200,
        "11 idle hours are fine"
    );
    age_sessions(&app, &email, "last_seen_at", Duration::hours(12));
    assert_signed_out(&owner).await;
    assert_eq!(app.browser().sign_in(&email, PASSWORD).await.status(), 303);
}

#[tokio::test]
async fn a_session_older_than_thirty_days_is_signed_out_even_when_active() {
    let app = TestApp::spawn().await;
    let (owner, email) = app.owner("Acme").await;
    age_sessions(&app, &email, "created_at", Duration::days(29));
    assert_eq!(owner.get("/app").await.status(), 200);
    age_sessions(&app, &email, "created_at", Duration::days(30));
    assert_signed_out(&owner).await;
}

#[tokio::test]
async fn the_last_seen_time_is_written_at_most_once_a_minute() {
    let app = TestApp::spawn().await;
    let (owner, email) = app.owner("Acme").await;
    let last_seen = || {
        let mut conn = app.conn();
        let conn: &mut DbConnection = &mut conn;
        let id = user_id(conn, &email);
        sessions::table
            .filter(sessions::user_id.eq(id))
            .select(sessions::last_seen_at)
            .first::<chrono::NaiveDateTime>(conn)
            .expect("session")
    };
    age_sessions(&app, &email, "last_seen_at", Duration::seconds(30));
    let before = last_seen();
    owner.get("/app").await;
    assert_eq!(last_seen(), before, "no write within the minute");
    age_sessions(&app, &email, "last_seen_at", Duration::minutes(2));
    let before = last_seen();
    owner.get("/app").await;
    assert!(last_seen() > before, "written after a minute");
}

#[tokio::test]
async fn signing_in_again_in_the_same_browser_replaces_its_session() {
    let app = TestApp::spawn().await;
    let (owner, email) = app.owner("Acme").await;
    let (before, _) = listed_sessions(&owner).await;
    assert_eq!(owner.sign_in(&email, PASSWORD).await.status(), 303);
    let (after, current) = listed_sessions(&owner).await;
    assert_eq!(after.len(), 1, "the old session ended: {after:?}");
    assert_ne!(after, before, "a new session");
    assert_eq!(current, Some(after[0]));
}
