//! Every page fits a phone: in a 375 px window (a 360 px viewport beside
//! the scrollbar, the narrowest common phone) nothing makes the page scroll
//! sideways (wide tables scroll inside their own box), and the English
//! header fits one line on a 1366 px laptop (issue #9).

use crate::browser::browser_test;
use crate::common::{Browser, TestApp};

/// Credits the seller's company, submits the order of `fields` once more
/// and pays it: a paid order has a label page.
async fn paid_order(
    app: &TestApp,
    seller: &Browser,
    email: &str,
    fields: &[(&str, &str)],
) -> String {
    app.credit(app.company_of(email), 100_000);
    let mut submit: Vec<(&str, &str)> = fields
        .iter()
        .filter(|(k, _)| !matches!(*k, "action" | "form_token"))
        .copied()
        .collect();
    submit.extend([
        ("action", "submit"),
        ("form_token", "phone-paid"),
        ("acknowledge", "yes"),
    ]);
    let response = seller.post_form("/app/orders", &submit).await;
    assert_eq!(response.status(), 303, "submitted");
    let no = crate::common::location(&response)
        .trim_start_matches("/app/orders/")
        .to_owned();
    let paid = seller
        .post_form(&format!("/app/orders/{no}/pay"), &[])
        .await;
    assert_eq!(paid.status(), 303, "paid");
    no
}

/// Has the paid order received, handed to DHL and delivered on a route
/// that offers returns, asks it back and returns the recipient's return
/// link (`/return/{token}`, issue #11) and the return order's number.
async fn asked_back(app: &TestApp, seller: &Browser, no: &str) -> (String, String) {
    use diesel::prelude::*;
    use samplepost::db::schema::routes;
    let mut conn = app.conn();
    let conn: &mut samplepost::db::DbConnection = &mut conn;
    diesel::update(routes::table.filter(routes::code.eq("POST-SMALL")))
        .set(routes::returns_offered.eq(true))
        .execute(conn)
        .expect("returns offered");
    let operator = app.staff(samplepost::domain::status::Role::Operator).await;
    let mut form = reqwest::multipart::Form::new()
        .text("csrf_token", operator.csrf().await)
        .text("action", "receive");
    for (name, value) in [
        ("weight_kg", "0.48"),
        ("length_cm", "30"),
        ("width_cm", "20"),
        ("height_cm", "5"),
        ("contents_match", "yes"),
    ] {
        form = form.text(name, value);
    }
    let received = operator
        .post_multipart(&format!("/admin/warehouse/{no}"), form)
        .await;
    assert_eq!(received.status(), 303, "received");
    let handed = [("carrier", "DHL"), ("waybill", "JD0005550001")];
    let path = format!("/admin/warehouse/{no}/dispatch");
    assert_eq!(operator.post_form(&path, &handed).await.status(), 303);
    let delivered = [
        ("milestone", "delivered"),
        ("local_time", "2026-12-03T10:00"),
        ("utc_offset", "+00:00"),
        ("city", "London"),
        ("country", "GB"),
        ("text", "Delivered"),
        ("reason", ""),
    ];
    let path = format!("/admin/orders/{no}/tracking");
    assert_eq!(operator.post_form(&path, &delivered).await.status(), 303);
    let asked = seller
        .post_form(
            &format!("/app/orders/{no}/send-back"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(asked.status(), 303, "asked back");
    let back = crate::common::location(&asked).replace("/app/orders/", "");
    let page = seller.get_text(&format!("/app/orders/{back}")).await;
    let start = page.find("/return/").expect("the return link");
    let link: String = page[start..].chars().take_while(|c| *c != '"').collect();
    (link, back)
}

/// The seller reviews the delivered order `no` (with a long text, as a
/// real review may have) and the review's id is returned.
async fn reviewed(app: &TestApp, seller: &Browser, no: &str) -> i64 {
    use diesel::prelude::*;
    use samplepost::db::schema::reviews;
    let mut form = reqwest::multipart::Form::new().text("csrf_token", seller.csrf().await);
    for dimension in [
        "overall",
        "timeliness",
        "service",
        "customs",
        "tracking",
        "packaging",
    ] {
        form = form.text(format!("score_{dimension}"), "4");
    }
    let text = "Arrived in London within five days; tracking updated at every step. ".repeat(8);
    form = form
        .text("text", text)
        .text("tags", "fast_clearance")
        .text("tags", "price_as_quoted");
    let written = seller
        .post_multipart(&format!("/app/orders/{no}/review"), form)
        .await;
    assert_eq!(written.status(), 303, "review written");
    let mut conn = app.conn();
    let conn: &mut samplepost::db::DbConnection = &mut conn;
    reviews::table
        .select(reviews::id)
        .first(conn)
        .expect("the review")
}

#[tokio::test]
async fn no_page_is_wider_than_a_phone() {
    browser_test("phone_width", async |browsers| {
        let app = TestApp::spawn().await;
        let (seller, email) = app.seller("Acme").await;
        let fields = [
            ("name", "Jane Smith"),
            ("line1", "1 High Street"),
            ("city", "London"),
            ("postcode", "SW1A 1AA"),
            ("country", "GB"),
            ("phone", "020 7946 0958"),
            ("weight_kg", "0.48"),
            ("item_count", "1"),
            (
                "item0_description_en",
                "Cotton T-shirt with a rather long description",
            ),
            ("item0_quantity", "2"),
            ("item0_unit_value_usd", "3.50"),
            ("item0_hs_code", "610910"),
            ("route", "POST-SMALL"),
            ("form_token", "phone"),
            ("action", "save"),
        ];
        let saved = seller.post_form("/app/orders", &fields).await;
        let draft = crate::common::location(&saved)
            .trim_start_matches("/app/orders/")
            .to_owned();
        let paid = paid_order(&app, &seller, &email, &fields).await;
        let ticket = {
            let form = reqwest::multipart::Form::new()
                .text("csrf_token", seller.csrf().await)
                .text("category", "delay")
                .text("subject", "The parcel has not moved for a week")
                .text("body", "Tracking shows no update since it left Shenzhen.")
                .text("order", paid.clone());
            let opened = seller.post_multipart("/app/tickets", form).await;
            assert_eq!(opened.status(), 303, "ticket opened");
            crate::common::location(&opened)
        };
        let (return_link, return_no) = asked_back(&app, &seller, &paid).await;
        let review = reviewed(&app, &seller, &paid).await;
        let review_report = format!("/reviews/{review}/report");
        let staff_review = format!("/admin/reviews/{review}");
        let made = seller
            .post_form(
                "/app/webhooks",
                &[("url", "https://erp.example.com/a/rather/long/path/for/a/webhook/receiver"), ("events", "ticket.updated")],
            )
            .await;
        let webhook =
            crate::common::first_id(&made.text().await.expect("page"), "data-webhook=\"");
        let path = format!("/app/webhooks/{webhook}/test");
        assert_eq!(seller.post_form(&path, &[]).await.status(), 303);
        let tab = browsers.open(&app.address).await;
        tab.sign_in(&email).await;
        tab.wait_for(r#"header a[href="/app/orders"]"#).await;
        tab.resize(375, 844).await;
        let mut wide = Vec::new();
        for path in [
            "/".to_owned(),
            "/?country=US&sort=price".to_owned(),
            "/routes/EU-ECO".to_owned(),
            "/compare?routes=EU-ECO,POST-SMALL&country=DE".to_owned(),
            "/rates?to=US&postcode=10001&weight_kg=0.5".to_owned(),
            "/api/docs".to_owned(),
            "/app".to_owned(),
            "/app/orders".to_owned(),
            "/app/orders/new".to_owned(),
            format!("/app/orders/{draft}"),
            format!("/app/orders/{draft}/edit"),
            format!("/app/orders/{paid}"),
            format!("/app/orders/{paid}/label"),
            format!("/app/orders/{return_no}"),
            "/app/balance".to_owned(),
            "/app/addresses".to_owned(),
            "/app/approvals".to_owned(),
            "/app/team".to_owned(),
            "/app/audit".to_owned(),
            "/app/api-tokens".to_owned(),
            "/app/webhooks".to_owned(),
            format!("/app/webhooks/{webhook}"),
            "/app/notifications".to_owned(),
            "/app/pickups".to_owned(),
            "/app/pickups/new".to_owned(),
            "/app/tickets".to_owned(),
            "/app/tickets/new".to_owned(),
            ticket.clone(),
            "/app/reviews".to_owned(),
            format!("/app/orders/{paid}/review"),
            review_report.clone(),
            "/account/sessions".to_owned(),
        ] {
            for lang in ["zh-CN", "en"] {
                tab.goto(&format!("/lang/{lang}")).await;
                tab.goto(&path).await;
                tab.wait_for("main").await;
                if std::env::var("PHONE_SHOTS").is_ok() {
                    let name = format!("phone{}-{lang}", path.replace(['/', '?', '&', '='], "_"));
                    tab.screenshot(&name).await;
                }
                if let Some(overflow) = tab.overflow().await {
                    wide.push(format!("{path} [{lang}]: {overflow}"));
                }
            }
        }
        // The staff's pages and the public forms, in a browser of their own.
        let admin_email = app.staff_account(samplepost::domain::status::Role::Admin);
        let staff = browsers.open(&app.address).await;
        staff.resize(375, 844).await;
        let track = format!("/track/{paid}");
        // The recipient's link once the parcel is on its way (issue #11);
        // `asked_back` above had it delivered.
        let sent = seller.post_form(&format!("/app/orders/{paid}/link"), &[]).await;
        assert_eq!(sent.status(), 303);
        let order = seller.get_text(&format!("/app/orders/{paid}")).await;
        // The page shows the full URL on the public address; the path is what we open here.
        let marker = "samplepost.test/r/";
        let start = order.find(marker).expect("the recipient link") + marker.len() - 3;
        let link: String = order[start..].chars().take_while(|c| *c != '"').collect();
        for path in ["/login", "/register", "/password/forgot", "/track", &track, &return_link, &link] {
            staff.goto(path).await;
            staff.wait_for("main").await;
            if let Some(overflow) = staff.overflow().await {
                wide.push(format!("{path}: {overflow}"));
            }
        }
        staff.sign_in(&admin_email).await;
        staff.wait_for(r#"header a[href="/admin"]"#).await;
        let staff_order = format!("/admin/orders/{paid}");
        let staff_return = format!("/admin/orders/{return_no}");
        let parcel = format!("/admin/warehouse/{paid}");
        for path in [
            "/admin",
            staff_order.as_str(),
            staff_return.as_str(),
            "/admin/tracking",
            "/admin/verifications",
            "/admin/modules",
            "/admin/topups",
            "/admin/staff",
            "/admin/audit",
            "/admin/outbox",
            "/admin/payee",
            "/admin/routes",
            "/admin/routes/POST-SMALL",
            "/admin/rates",
            "/admin/pricing",
            "/admin/countries",
            "/admin/warehouse",
            parcel.as_str(),
            "/admin/warehouses",
            "/admin/warehouses/new",
            "/admin/warehouses/1",
            "/admin/carriers/DHL",
            "/admin/pickups",
            "/admin/tickets",
            &ticket.replace("/app/", "/admin/"),
            "/admin/reviews",
            staff_review.as_str(),
        ] {
            for lang in ["zh-CN", "en"] {
                staff.goto(&format!("/lang/{lang}")).await;
                staff.goto(path).await;
                staff.wait_for("main").await;
                if let Some(overflow) = staff.overflow().await {
                    wide.push(format!("{path} [{lang}]: {overflow}"));
                }
            }
        }
        assert!(wide.is_empty(), "wider than a phone:\n{}", wide.join("\n"));

        // On a 1366 px laptop the English header is one line: the brand and
        // every link share one row.
        tab.resize(1366, 800).await;
        tab.goto("/lang/en").await;
        tab.goto("/app").await;
        tab.wait_until(
            "(() => { const tops = [...document.querySelectorAll('header.top > a.brand, header.top > nav > ul > li')]
                .map(e => Math.round(e.getBoundingClientRect().top));
              return tops.length > 3 && Math.max(...tops) - Math.min(...tops) < 20; })()",
            "the English header fits one line at 1366 px",
        )
        .await;
    })
    .await;
}
