use crate::common::{TestApp, location, refused_beside};

/// Creates an order whose recipient fills in the address; returns its
/// number, the link's path and the order page that showed the link (once).
pub async fn order_with_link(seller: &crate::common::Browser) -> (String, String, String) {
    let response = seller
        .post_form(
            "/app/orders",
            &[
                ("country", "GB"),
                ("recipient_link", "yes"),
                ("weight_kg", "0.3"),
                ("item0_description_en", "Lipstick"),
                ("form_token", "link"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let page_path = location(&response);
    let no = page_path.trim_start_matches("/app/orders/").to_owned();
    let page = seller.get_text(&page_path).await;
    assert!(page.contains("data-status=\"awaiting_address\""));
    let link = crate::links::shown_link(&page, "recipient-link");
    assert!(
        link.starts_with("/r/") && link.len() > 60,
        "unguessable: {link}"
    );
    let again = seller.get_text(&page_path).await;
    assert!(!again.contains(&link), "shown only once");
    (no, link, page)
}

fn address(postcode: &str) -> Vec<(&str, &str)> {
    vec![
        ("name", "Amy Influencer"),
        ("line1", "10 Downing Street"),
        ("city", "London"),
        ("postcode", postcode),
        ("country", "GB"),
        ("phone", "020 7946 0958"),
    ]
}

#[tokio::test]
async fn the_recipient_fills_in_the_address_once_and_the_seller_is_told() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let (no, link, _) = order_with_link(&seller).await;
    let recipient = app.browser();
    let page = recipient.get_text(&link).await;
    assert!(page.contains("Acme Samples Co., Ltd.") && page.contains(&no));
    let response = recipient.post_form(&link, &address("NOT A CODE")).await;
    refused_beside(response, &["postcode"]).await;
    let response = recipient.post_form(&link, &address("SW1A 2AA")).await;
    assert_eq!(response.status(), 200);
    let order = seller.get_text(&format!("/app/orders/{no}")).await;
    assert!(order.contains("data-status=\"draft\""));
    assert!(order.contains("Amy Influencer") && order.contains("+442079460958"));
    assert!(order.contains("data-event=\"address_confirmed\""));
    let notifications = seller.get_text("/app/notifications").await;
    assert!(notifications.contains("data-kind=\"order.address_confirmed\""));
    assert_eq!(recipient.get(&link).await.status(), 404, "one use");
    let response = recipient.post_form(&link, &address("SW1A 2AA")).await;
    assert_eq!(response.status(), 404, "cannot be used again");
}

#[tokio::test]
async fn an_expired_link_is_refused() {
    use diesel::prelude::*;
    use samplepost::db::schema::orders;
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let (_, link, _) = order_with_link(&seller).await;
    {
        let mut conn = app.conn();
        let conn: &mut samplepost::db::DbConnection = &mut conn;
        let past = chrono::Utc::now().naive_utc() - chrono::Duration::days(15);
        diesel::update(orders::table)
            .set(orders::recipient_token_expires_at.eq(Some(past)))
            .execute(conn)
            .expect("expire");
    }
    let response = app.browser().get(&link).await;
    assert_eq!(response.status(), 410);
    // Without an Accept-Language header the recipient is taken to be abroad.
    assert!(response.text().await.expect("body").contains("has expired"));
    assert_eq!(app.browser().get("/r/not-a-token").await.status(), 404);
}

#[tokio::test]
async fn a_new_link_replaces_the_old_one() {
    let app = TestApp::spawn().await;
    let (seller, _) = app.seller("Acme").await;
    let (no, old, _) = order_with_link(&seller).await;
    let response = seller
        .post_form(&format!("/app/orders/{no}/link"), &[])
        .await;
    assert_eq!(response.status(), 303);
    let page = seller.get_text(&format!("/app/orders/{no}")).await;
    assert!(crate::links::shown_link(&page, "recipient-link").starts_with("/r/"));
    assert_eq!(app.browser().get(&old).await.status(), 404);
}
