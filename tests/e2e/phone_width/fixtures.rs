//! The records the phone walk opens pages of: paid, returned and reviewed
//! orders, a pickup, a company waiting for verification, a module
//! application and a top-up request, made over HTTP as a person would.

use crate::common::{Browser, TestApp, first_id, location};

/// Credits the seller's company, submits the order of `fields` once more
/// (`token` makes it a new submission) and pays it: a paid order has a label page.
pub async fn paid_order(
    app: &TestApp,
    seller: &Browser,
    email: &str,
    fields: &[(&str, &str)],
    token: &str,
) -> String {
    app.credit(app.company_of(email), 100_000);
    let mut submit: Vec<(&str, &str)> = fields
        .iter()
        .filter(|(k, _)| !matches!(*k, "action" | "form_token"))
        .copied()
        .collect();
    submit.extend([
        ("action", "submit"),
        ("form_token", token),
        ("acknowledge", "yes"),
    ]);
    let response = seller.post_form("/app/orders", &submit).await;
    assert_eq!(response.status(), 303, "submitted");
    let no = location(&response)
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
pub async fn asked_back(app: &TestApp, seller: &Browser, no: &str) -> (String, String) {
    use diesel::prelude::*;
    use samplepost::db::schema::routes;
    let mut conn = app.conn();
    let conn: &mut samplepost::db::DbConnection = &mut conn;
    diesel::update(routes::table.filter(routes::code.eq("POST-SMALL")))
        .set(routes::returns_offered.eq(true))
        .execute(conn)
        .expect("returns offered");
    crate::tracking::dispatch(app, no).await;
    crate::tracking::deliver(app, no, "2026-12-03T10:00").await;
    let asked = seller
        .post_form(
            &format!("/app/orders/{no}/send-back"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(asked.status(), 303, "asked back");
    let back = location(&asked).replace("/app/orders/", "");
    let page = seller.get_text(&format!("/app/orders/{back}")).await;
    let start = page.find("/return/").expect("the return link");
    let link: String = page[start..].chars().take_while(|c| *c != '"').collect();
    (link, back)
}

/// The seller reviews the delivered order `no` (with a long text, as a
/// real review may have) and the review's id is returned.
pub async fn reviewed(app: &TestApp, seller: &Browser, no: &str) -> i64 {
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

/// A pickup request for the paid order `no` tomorrow morning; its id.
pub async fn pickup(seller: &Browser, no: &str) -> i64 {
    let tomorrow = (samplepost::services::pricing::today() + chrono::Duration::days(1)).to_string();
    let request = [
        ("orders", no),
        ("address", "company"),
        ("date", tomorrow.as_str()),
        ("window", "09:00-12:00"),
        ("parcels", "1"),
    ];
    let asked = seller.post_form("/app/pickups", &request).await;
    assert_eq!(asked.status(), 303, "pickup requested");
    first_id(&seller.get_text("/app/pickups").await, "data-pickup=\"")
}

/// A new company whose owner sent the verification form with a licence:
/// the staff's review page of it (`/admin/verifications/{id}`).
pub async fn waiting_verification(app: &TestApp, staff: &Browser) -> String {
    let (owner, _) = app.owner("Beta").await;
    let form = crate::common::verification_form(
        &owner.csrf().await,
        Some((crate::common::png(), "licence.png")),
        &[],
    );
    let sent = owner.post_multipart("/app/company", form).await;
    assert_eq!(sent.status(), 303, "verification sent");
    let queue = staff.get_text("/admin/verifications").await;
    format!(
        "/admin/verifications/{}",
        first_id(&queue, "href=\"/admin/verifications/")
    )
}

/// A verified company's application for the sample-logistics module: the
/// staff's review page of it (`/admin/modules/{id}`).
pub async fn module_application(app: &TestApp, staff: &Browser) -> String {
    let (owner, _) = app.verified_owner("Gamma").await;
    let application = [
        ("expected_monthly_parcels", "120"),
        ("destinations", "US"),
        ("destinations", "DE"),
        ("categories", "electronics"),
        ("accept_agreement", "yes"),
    ];
    let applied = owner.post_form("/app/module", &application).await;
    assert_eq!(applied.status(), 303, "module applied for");
    let queue = staff.get_text("/admin/modules").await;
    format!(
        "/admin/modules/{}",
        first_id(&queue, "href=\"/admin/modules/")
    )
}

/// The seller asks for a top-up with a receipt: the admin's page of it.
pub async fn topup(seller: &Browser, admin: &Browser) -> String {
    let receipt = reqwest::multipart::Part::bytes(crate::common::png())
        .file_name("receipt.png")
        .mime_str("image/png")
        .expect("mime");
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", seller.csrf().await)
        .text("amount", "5000.50")
        .part("receipt", receipt);
    let asked = seller.post_multipart("/app/balance/topups", form).await;
    assert_eq!(asked.status(), 303, "top-up requested");
    let queue = admin.get_text("/admin/topups").await;
    format!(
        "/admin/topups/{}",
        first_id(&queue, "href=\"/admin/topups/")
    )
}

/// A password reset link for `email`, asked for as a visitor would: the
/// path of the link the outbox holds (the test's mail worker sends nothing).
pub async fn reset_link(app: &TestApp, email: &str) -> String {
    use diesel::prelude::*;
    use samplepost::db::schema::outbox;
    let asked = app
        .browser()
        .post_form("/password/forgot", &[("email", email)])
        .await;
    assert_eq!(asked.status(), 200, "asked for a reset link");
    let mut conn = app.conn();
    let conn: &mut samplepost::db::DbConnection = &mut conn;
    let link: String = outbox::table
        .filter(outbox::kind.eq("account.password_reset"))
        .order(outbox::id.desc())
        .select(outbox::link)
        .first(conn)
        .expect("the reset link");
    link.replace("http://samplepost.test", "")
}
