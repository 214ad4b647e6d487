use crate::common::{Browser, PASSWORD, TestApp, location, refused_beside};

/// Invites `email` with `role`; returns the invitation link shown once.
pub async fn invite(owner: &Browser, email: &str, role: &str) -> String {
    let response = owner
        .post_form("/app/team/invitations", &[("email", email), ("role", role)])
        .await;
    assert_eq!(response.status(), 303, "invited");
    let link = shown_link(&owner.get_text("/app/team").await);
    assert!(
        !owner.get_text("/app/team").await.contains(&link),
        "only once"
    );
    link
}

/// The invitation link the team page shows once after an invite or resend.
fn shown_link(page: &str) -> String {
    crate::links::shown_link(page, "invitation-link")
}

/// The invitee opens the link and joins; returns their signed-in browser.
pub async fn join(app: &TestApp, link: &str) -> Browser {
    let invitee = app.browser();
    let response = invitee
        .post_form(
            link,
            &[
                ("display_name", "Wang Fang"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), 303, "joined");
    assert_eq!(location(&response), "/app");
    invitee
}

fn member_id(page: &str, email: &str) -> i64 {
    let at = page.find(email).expect("member listed");
    let marker = "data-member=\"";
    let start = page[..at].rfind(marker).expect("member row") + marker.len();
    page[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .expect("id")
}

#[tokio::test]
async fn an_invitee_joins_through_the_link_once_and_the_owner_is_told() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.seller("Acme").await;
    let link = invite(&owner, "wang@example.cn", "seller").await;
    let invitee = app.browser();
    let page = invitee.get_text(&link).await;
    assert!(page.contains("Acme") && page.contains("wang@example.cn"));
    let response = invitee
        .post_form(
            &link,
            &[
                ("display_name", "Wang Fang"),
                ("password", "short"),
                ("password_confirm", "short"),
            ],
        )
        .await;
    refused_beside(response, &["password"]).await;
    let seller = join(&app, &link).await;
    let dashboard = seller.get_text("/app").await;
    assert!(dashboard.contains("Wang Fang"));
    assert!(
        !dashboard.contains("href=\"/app/team\""),
        "sellers do not manage the team"
    );
    assert_eq!(seller.get("/app/team").await.status(), 403);
    assert!(
        seller
            .get_text("/app/orders")
            .await
            .contains("创建第一个样品订单")
    );
    let team = owner.get_text("/app/team").await;
    assert!(team.contains("data-state=\"accepted\""));
    assert!(
        owner
            .get_text("/app/notifications")
            .await
            .contains("data-kind=\"team.invitation_accepted\"")
    );
    assert_eq!(app.browser().get(&link).await.status(), 404, "one use");
}

#[tokio::test]
async fn expired_revoked_and_resent_invitations() {
    use diesel::prelude::*;
    use samplepost::db::schema::invitations;
    let app = TestApp::spawn().await;
    let (owner, _) = app.seller("Acme").await;
    let first = invite(&owner, "a@example.cn", "manager").await;
    {
        let mut conn = app.conn();
        let conn: &mut samplepost::db::DbConnection = &mut conn;
        let past = chrono::Utc::now().naive_utc() - chrono::Duration::days(1);
        diesel::update(invitations::table)
            .set(invitations::expires_at.eq(past))
            .execute(conn)
            .expect("expire");
    }
    assert_eq!(app.browser().get(&first).await.status(), 410);
    let page = owner.get_text("/app/team").await;
    assert!(page.contains("data-state=\"expired\""));
    let id = crate::common::first_id(&page, "data-invitation=\"");
    owner
        .post_form(&format!("/app/team/invitations/{id}/resend"), &[])
        .await;
    let page = owner.get_text("/app/team").await;
    assert!(page.contains("data-state=\"pending\""));
    let resent = shown_link(&page);
    assert_ne!(resent, first, "a new link");
    assert_eq!(
        app.browser().get(&first).await.status(),
        404,
        "the old one died"
    );
    assert_eq!(
        app.browser().get(&resent).await.status(),
        200,
        "the new one works"
    );
    owner
        .post_form(&format!("/app/team/invitations/{id}/revoke"), &[])
        .await;
    assert!(
        owner
            .get_text("/app/team")
            .await
            .contains("data-state=\"revoked\"")
    );
    assert_eq!(
        app.browser().get(&resent).await.status(),
        404,
        "revoking killed the live link"
    );
}

#[tokio::test]
async fn a_company_sends_at_most_its_daily_number_of_invitations() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.seller("Acme").await;
    for n in 0..20 {
        invite(&owner, &format!("member{n}@example.cn"), "seller").await;
    }
    let response = owner
        .post_form(
            "/app/team/invitations",
            &[("email", "one-more@example.cn"), ("role", "seller")],
        )
        .await;
    let page = refused_beside(response, &["email"]).await;
    assert!(page.contains("今天发送的邀请已达上限"), "says why");
    assert_eq!(app.count("invitations"), 20);
    let id = crate::common::first_id(&owner.get_text("/app/team").await, "data-invitation=\"");
    let resend = owner
        .post_form(&format!("/app/team/invitations/{id}/resend"), &[])
        .await;
    assert_eq!(resend.status(), 429, "a resend counts too");
    assert!(resend.text().await.expect("page").contains("已达上限"));
}

#[tokio::test]
async fn an_email_with_an_account_cannot_be_invited() {
    let app = TestApp::spawn().await;
    let (owner, owner_email) = app.seller("Acme").await;
    let response = owner
        .post_form(
            "/app/team/invitations",
            &[("email", &owner_email), ("role", "seller")],
        )
        .await;
    refused_beside(response, &["email"]).await;
    let response = owner
        .post_form(
            "/app/team/invitations",
            &[("email", "x@example.cn"), ("role", "owner")],
        )
        .await;
    refused_beside(response, &["role"]).await;
    assert_eq!(app.count("invitations"), 0);
}

#[tokio::test]
async fn a_disabled_member_is_signed_out_everywhere_and_roles_change() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.seller("Acme").await;
    let link = invite(&owner, "wang@example.cn", "seller").await;
    let seller = join(&app, &link).await;
    let id = member_id(&owner.get_text("/app/team").await, "wang@example.cn");
    let path = format!("/app/team/members/{id}");
    owner
        .post_form(&path, &[("action", "role"), ("role", "manager")])
        .await;
    let page = owner.get_text("/app/team").await;
    assert!(page.contains("<option value=\"manager\" selected>"));
    owner.post_form(&path, &[("action", "disable")]).await;
    assert_eq!(
        seller.get("/app").await.status(),
        200,
        "not without confirmation"
    );
    owner
        .post_form(&path, &[("action", "disable"), ("confirm", "yes")])
        .await;
    let response = seller.get("/app").await;
    assert_eq!(response.status(), 303);
    assert!(location(&response).starts_with("/login"));
    let response = app.browser().sign_in("wang@example.cn", PASSWORD).await;
    assert_eq!(response.status(), 422, "a disabled member cannot sign in");
}

#[tokio::test]
async fn ownership_moves_to_one_member_and_the_old_owner_becomes_manager() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.seller("Acme").await;
    let link = invite(&owner, "wang@example.cn", "manager").await;
    let manager = join(&app, &link).await;
    let id = member_id(&owner.get_text("/app/team").await, "wang@example.cn");
    let response = owner
        .post_form(
            &format!("/app/team/members/{id}"),
            &[("action", "transfer"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        owner.get("/app/team").await.status(),
        403,
        "no longer the owner"
    );
    assert_eq!(manager.get("/app/team").await.status(), 200);
    let owners: i64 = {
        use diesel::prelude::*;
        use samplepost::db::schema::users;
        let mut conn = app.conn();
        let conn: &mut samplepost::db::DbConnection = &mut conn;
        users::table
            .filter(users::role.eq("owner"))
            .count()
            .get_result(conn)
            .expect("count")
    };
    assert_eq!(owners, 1, "exactly one owner");
}

#[tokio::test]
async fn the_owner_reads_and_exports_what_members_did() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.seller("Acme").await;
    let seller = join(&app, &invite(&owner, "wang@example.cn", "seller").await).await;
    let response = crate::orders::post_order(&seller, &[]).await;
    let no = crate::orders::order_no(&response);
    let (other, _) = app.seller("Globex").await;
    crate::orders::post_order(&other, &[("form_token", "other")]).await;
    let log = owner.get_text("/app/audit?actor=wang%40example.cn").await;
    assert!(
        log.contains("<option value=\"wang@example.cn\" selected>"),
        "members are offered to filter by"
    );
    assert!(log.contains("order.submit") && log.contains(&no));
    assert!(!log.contains("team.invite"), "filtered by member");
    let response = owner.get("/app/audit.csv?action=order.").await;
    assert_eq!(response.status(), 200);
    let csv = response.text().await.expect("csv");
    assert!(csv.starts_with("\u{feff}time_cst,actor,action"));
    assert!(csv.contains("order.create") && csv.contains(&no));
    assert_eq!(
        csv.lines().filter(|l| l.contains("order.")).count(),
        2,
        "only Acme's orders"
    );
    assert_eq!(seller.get("/app/audit").await.status(), 403);
}
