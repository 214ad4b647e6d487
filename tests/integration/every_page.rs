//! Every page of the URL map, rendered in both languages, shows no
//! placeholder and no message key, and the English page no Chinese outside
//! what users typed and what is bilingual by design (issue #9); and passes
//! the Nu HTML Checker with no error (issue #15) — signed out, as the owner,
//! a member who is not the owner, an operator and the admin.

mod checks;

use crate::common::{TestApp, a11y};
use crate::wording::{both_languages, message_keys, visible_text};
pub use checks::heading_skips;
use checks::{Walk, pages_not_walked, placeholders};
use samplepost::domain::status::Role;

#[tokio::test]
async fn every_page_reads_cleanly_in_both_languages() {
    let app = TestApp::spawn().await;
    let (seller, email) = app.seller("Acme").await;
    app.credit(app.company_of(&email), 300_000);
    let draft = crate::orders::post_order(&seller, &[("action", "save")]).await;
    let draft = crate::orders::order_no(&draft);
    let submitted = crate::orders::submitted(&seller, &[("form_token", "second")]).await;
    // One parcel weighed heavier at the warehouse, one refused there.
    let operator = app.staff(Role::Operator).await;
    let weighed = crate::paid::pay_new(&seller, &[("form_token", "third")]).await;
    crate::warehouse::receive(&operator, &weighed, "0.60", crate::warehouse::BOX).await;
    let refused = crate::paid::pay_new(&seller, &[("form_token", "fourth")]).await;
    crate::warehouse::refuse(&operator, &refused, "damaged").await;
    // Paid orders: one dropped off at the demo warehouse, one on a pickup
    // request the operators answered with another slot (issue #10).
    let dropped = crate::paid::pay_new(&seller, &[("form_token", "fifth")]).await;
    let collected = crate::paid::pay_new(&seller, &[("form_token", "sixth")]).await;
    let page = seller.get_text(&format!("/app/orders/{dropped}")).await;
    let warehouse = crate::common::first_id(&page, "data-warehouse=\"").to_string();
    let path = format!("/app/orders/{dropped}/handover");
    seller.post_form(&path, &[("warehouse", &warehouse)]).await;
    let tomorrow = (samplepost::services::pricing::today() + chrono::Duration::days(1)).to_string();
    let pickup = [
        ("orders", collected.as_str()),
        ("address", "company"),
        ("date", &tomorrow),
        ("window", "09:00-12:00"),
        ("parcels", "1"),
    ];
    assert_eq!(
        seller.post_form("/app/pickups", &pickup).await.status(),
        303
    );
    let pickup = crate::common::first_id(&seller.get_text("/app/pickups").await, "data-pickup=\"");
    let proposal = [
        ("date", tomorrow.as_str()),
        ("window", "13:00-18:00"),
        ("note", "Drivers are full"),
    ];
    let path = format!("/admin/pickups/{pickup}/propose");
    assert_eq!(operator.post_form(&path, &proposal).await.status(), 303);
    let paid = crate::paid::pay_new(&seller, &[("form_token", "seventh")]).await;
    // A re-weigh dispute and a general ticket staff answered (issue #11).
    let dispute = seller
        .post_form(&format!("/app/orders/{weighed}/dispute"), &[])
        .await;
    let dispute = crate::common::location(&dispute);
    let ticket = crate::tickets::opened(&seller, "Parcel lost").await;
    let answer = format!("/admin/tickets/{ticket}/reply");
    crate::tickets::reply(&operator, &answer, "We are checking with the carrier.").await;
    // A parcel on its way with a tracking event (issue #11).
    let moving = crate::paid::pay_new(&seller, &[("form_token", "eighth")]).await;
    crate::warehouse::receive(&operator, &moving, "0.48", crate::warehouse::BOX).await;
    let path = format!("/admin/warehouse/{moving}/dispatch");
    let handed = [("carrier", "DHL"), ("waybill", "JD0009876543")];
    assert_eq!(operator.post_form(&path, &handed).await.status(), 303);
    let event = [
        ("milestone", "exception"),
        ("local_time", "2026-12-02T10:00"),
        ("utc_offset", "+01:00"),
        ("city", "London"),
        ("country", "GB"),
        ("text", "Address incomplete"),
        ("reason", "address_problem"),
    ];
    let path = format!("/admin/orders/{moving}/tracking");
    assert_eq!(operator.post_form(&path, &event).await.status(), 303);
    // Returns (issue #11): on a route that offers them, the parcel above may
    // be sent back, and a delivered one is asked back with a recipient link.
    crate::returns::offer_returns(&app);
    let delivered = crate::paid::pay_new(&seller, &[("form_token", "ninth")]).await;
    crate::warehouse::receive(&operator, &delivered, "0.48", crate::warehouse::BOX).await;
    let path = format!("/admin/warehouse/{delivered}/dispatch");
    let handed = [("carrier", "DHL"), ("waybill", "JD0009876544")];
    assert_eq!(operator.post_form(&path, &handed).await.status(), 303);
    let arrived = [
        ("milestone", "delivered"),
        ("local_time", "2026-12-03T10:00"),
        ("utc_offset", "+01:00"),
        ("city", "London"),
        ("country", "GB"),
        ("text", "Delivered"),
        ("reason", ""),
    ];
    let path = format!("/admin/orders/{delivered}/tracking");
    assert_eq!(operator.post_form(&path, &arrived).await.status(), 303);
    let asked = seller
        .post_form(
            &format!("/app/orders/{delivered}/send-back"),
            &[("confirm", "yes")],
        )
        .await;
    let asked = crate::common::location(&asked).replace("/app/orders/", "");
    let return_link = crate::links::shown_link(
        &seller.get_text(&format!("/app/orders/{asked}")).await,
        "return-link",
    );
    // The delivered order's route review, reported once and answered by staff.
    let review_form = format!("/app/orders/{delivered}/review");
    let mut walk = Walk::default();
    walk.check(&seller, &review_form, &["样品有限公司"]).await;
    let typed = crate::reviews::Typed::default();
    assert_eq!(
        crate::reviews::post_review(&seller, &delivered, typed)
            .await
            .status(),
        303
    );
    let review = crate::reviews::review_of(&app, &delivered)
        .expect("review")
        .id;
    let report_page = format!("/reviews/{review}/report");
    let reported = [("reason", "other"), ("note", "Checking the wording")];
    assert_eq!(
        operator.post_form(&report_page, &reported).await.status(),
        303
    );
    let reply = [("reply", "Thank you for the review.")];
    let path = format!("/admin/reviews/{review}/reply");
    assert_eq!(operator.post_form(&path, &reply).await.status(), 303);
    // The recipient's link after dispatch: the journey and the confirmation form.
    let path = format!("/app/orders/{moving}/link");
    assert_eq!(seller.post_form(&path, &[]).await.status(), 303);
    let order_page = seller.get_text(&format!("/app/orders/{moving}")).await;
    let recipient_link = crate::links::shown_link(&order_page, "recipient-link");
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
        // The company's sender address as a pickup snapshots it ("深圳市南山区" goes first).
        "科技园",
        // The demo warehouse.
        "深圳宝安仓",
        "宝安区福永街道福海工业区",
        "栋",
        "楼",
        "周一至周六",
        "福永地铁站",
        "口步行",
        "分钟",
        "蓝色大门",
    ];
    // A webhook endpoint with a queued test event, for its delivery log.
    let made = seller
        .post_form(
            "/app/webhooks",
            &[
                ("url", "https://erp.example.com/hook"),
                ("events", "ticket.updated"),
            ],
        )
        .await;
    let webhook = crate::common::first_id(&made.text().await.expect("page"), "data-webhook=\"");
    let path = format!("/app/webhooks/{webhook}/test");
    assert_eq!(seller.post_form(&path, &[]).await.status(), 303);
    for path in [
        "/".to_owned(),
        "/rates".to_owned(),
        "/api/docs".to_owned(),
        "/rates?to=US&postcode=10001&weight_kg=0.5".to_owned(),
        "/app".to_owned(),
        "/app/orders".to_owned(),
        "/app/orders/new".to_owned(),
        format!("/app/orders/{draft}"),
        format!("/app/orders/{draft}/edit"),
        format!("/app/orders/{submitted}"),
        format!("/app/orders/{weighed}"),
        format!("/app/orders/{refused}"),
        format!("/app/orders/{dropped}"),
        format!("/app/orders/{collected}"),
        "/app/pickups".to_owned(),
        "/app/pickups/new".to_owned(),
        format!("/app/pickups/new?order={dropped}"),
        format!("/app/orders/{paid}"),
        format!("/app/orders/{moving}"),
        format!("/app/orders/{delivered}"),
        format!("/app/orders/{asked}"),
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
        "/app/api-tokens".to_owned(),
        "/app/webhooks".to_owned(),
        format!("/app/webhooks/{webhook}"),
        "/app/settings/approval".to_owned(),
        "/app/tickets".to_owned(),
        "/app/tickets?status=resolved".to_owned(),
        "/app/tickets/new".to_owned(),
        "/app/reviews".to_owned(),
        review_form.clone(),
        report_page.clone(),
        format!("/app/tickets/new?order={paid}"),
        format!("/app/tickets/{ticket}"),
        dispute.clone(),
        "/account/password".to_owned(),
        "/account/sessions".to_owned(),
        "/logout".to_owned(),
    ] {
        walk.check(&seller, &path, &typed).await;
    }
    // The review board's pages, with one review on the route (issue #12);
    // the reviewer's pseudonym names the city as the seller typed it.
    let reviewer = crate::board::reviewers(&app, "Board", 1).await[0];
    crate::board::review(
        &app,
        &crate::board::Spec {
            body: "Arrived in nine days.",
            photos: 1,
            ..crate::board::Spec::new("EU-ECO", "DE", reviewer, 4)
        },
    );
    crate::board::rebuild(&app);
    let board_typed: Vec<&str> = typed.iter().copied().chain(["深圳"]).collect();
    for path in [
        "/?country=US&battery=on&sort=price",
        "/?country=DE",
        "/routes/EU-ECO",
        "/routes/EU-ECO?country=DE&stars=4&text=on",
        "/compare",
        "/compare?routes=EU-ECO,POST-SMALL&country=DE",
    ] {
        walk.check(&seller, path, &board_typed).await;
    }
    // The label and the proforma invoice are bilingual by design (the label
    // travels with the parcel, read by the warehouse and the carrier abroad):
    // their Chinese is marked `lang="zh-CN"`, which the check leaves out.
    for print in ["label", "pi"] {
        walk.check(&seller, &format!("/app/orders/{paid}/{print}"), &typed)
            .await;
    }
    let admin = app.staff(Role::Admin).await;
    let pickup_page = format!("/admin/pickups/{pickup}");
    let ticket_page = format!("/admin/tickets/{ticket}");
    let dispute_page = dispute.replace("/app/", "/admin/");
    let review_page = format!("/admin/reviews/{review}");
    for path in [
        "/admin",
        "/admin/pickups",
        pickup_page.as_str(),
        "/admin/verifications",
        "/admin/modules",
        "/admin/topups",
        "/admin/staff",
        "/admin/audit",
        "/admin/outbox",
        "/admin/payee",
        "/admin/rates",
        "/admin/pricing",
        "/admin/warehouse",
        "/admin/tickets",
        "/admin/tickets?assignee=unassigned&age=1",
        ticket_page.as_str(),
        dispute_page.as_str(),
        "/admin/reviews",
        "/admin/reviews?filter=hidden",
        review_page.as_str(),
    ] {
        walk.check(&admin, path, &typed).await;
    }
    // The staff's detail pages: the seller's company (verified), a module
    // application, a top-up request and a staff account.
    let (applicant, _) = app.verified_owner("Gamma").await;
    let application = [
        ("expected_monthly_parcels", "120"),
        ("destinations", "US"),
        ("categories", "electronics"),
        ("accept_agreement", "yes"),
    ];
    let applied = applicant.post_form("/app/module", &application).await;
    assert_eq!(applied.status(), 303, "module applied for");
    let topup = crate::balance::request_topup(&seller, "500.00", Some(crate::common::png())).await;
    assert_eq!(topup.status(), 303, "top-up requested");
    let first = async |list: &str| {
        let page = admin.get_text(list).await;
        crate::common::first_id(&page, &format!("href=\"{list}/"))
    };
    let details = [
        format!("/admin/verifications/{}", app.company_of(&email)),
        format!("/admin/modules/{}", first("/admin/modules").await),
        format!("/admin/topups/{}", first("/admin/topups").await),
        format!("/admin/staff/{}", first("/admin/staff").await),
    ];
    for path in [
        format!("/admin/warehouse/{weighed}"),
        format!("/admin/warehouse/{refused}"),
        format!("/admin/orders/{moving}"),
        format!("/admin/orders/{asked}"),
        "/admin/tracking".to_owned(),
    ]
    .iter()
    .chain(&details)
    {
        walk.check(&admin, path, &typed).await;
    }
    // The catalogue pages edit names in both languages: they show both, so
    // only placeholders, keys and the security headers are checked there.
    // So do the warehouse settings: addresses in Chinese, carriers' Chinese names.
    for path in [
        "/admin/routes",
        "/admin/routes/POST-SMALL",
        "/admin/countries",
        "/admin/countries/GB",
        "/admin/rates/1",
        "/admin/warehouses",
        "/admin/warehouses/new",
        "/admin/warehouses/1",
        "/admin/carriers/4PX",
    ] {
        let (zh, en) = both_languages(&admin, path).await;
        let headers = admin.get(path).await.headers().clone();
        walk.found
            .extend(crate::security::header_problems(path, &headers, false));
        for page in [&zh, &en] {
            assert!(placeholders(&visible_text(page)).is_empty(), "{path}");
            assert!(
                message_keys(page).is_empty(),
                "{path}: {:?}",
                message_keys(page)
            );
        }
        walk.pages.push((format!("{path} [zh]"), zh));
        walk.pages.push((format!("{path} [en]"), en));
    }
    // An operator sees the staff pages without the admin's controls.
    for path in [
        "/admin".to_owned(),
        "/admin/pickups".to_owned(),
        pickup_page.clone(),
        "/admin/verifications".to_owned(),
        "/admin/modules".to_owned(),
        "/admin/warehouse".to_owned(),
        format!("/admin/warehouse/{weighed}"),
        "/admin/warehouses".to_owned(),
        "/admin/tickets".to_owned(),
        ticket_page.clone(),
        dispute_page.clone(),
        "/admin/reviews".to_owned(),
        review_page.clone(),
        format!("/admin/orders/{moving}"),
        "/admin/tracking".to_owned(),
    ] {
        walk.check(&operator, &path, &typed).await;
    }
    // Members who are not the owner (the team page and the owner's settings
    // are closed to them): a manager, who decides on orders, and a seller.
    // Each joins through the invitation page, seen signed out first.
    let link = crate::team::invite(&seller, "wang@example.cn", "manager").await;
    walk.check(&app.browser(), &link, &typed).await;
    let manager = crate::team::join(&app, &link).await;
    for path in [
        "/app".to_owned(),
        "/app/orders".to_owned(),
        "/app/orders/new".to_owned(),
        format!("/app/orders/{submitted}"),
        format!("/app/orders/{moving}"),
        "/app/approvals".to_owned(),
        "/app/balance".to_owned(),
        "/app/addresses".to_owned(),
        "/app/pickups".to_owned(),
        "/app/tickets".to_owned(),
        "/app/notifications".to_owned(),
        "/account/password".to_owned(),
        "/account/sessions".to_owned(),
    ] {
        walk.check(&manager, &path, &typed).await;
    }
    let link = crate::team::invite(&seller, "zhao@example.cn", "seller").await;
    let member = crate::team::join(&app, &link).await;
    for path in ["/app".to_owned(), format!("/app/orders/{draft}")] {
        walk.check(&member, &path, &typed).await;
    }
    let visitor = app.browser();
    let look_up = [("order_no", moving.as_str()), ("postcode", "SW1A 1AA")];
    assert_eq!(visitor.post_form("/track", &look_up).await.status(), 303);
    let track = format!("/track/{moving}");
    // The same answer for any address (so none is revealed); the link waits in the outbox.
    let forgot = visitor
        .post_form("/password/forgot", &[("email", email.as_str())])
        .await;
    assert_eq!(forgot.status(), 200, "asked for a reset link");
    let reset_link = crate::password_reset::queued_links(&app)
        .pop()
        .expect("the reset link")
        .replace("http://samplepost.test", "");
    for path in [
        "/login",
        "/register",
        "/password/forgot",
        "/track",
        &track,
        &return_link,
        &recipient_link,
        &reset_link,
    ] {
        walk.check(&visitor, path, &typed).await;
    }
    let mut found = walk.found;
    found.extend(pages_not_walked(&walk.pages));
    found.extend(a11y::html_errors(&walk.pages));
    assert!(
        found.is_empty(),
        "{} problems:\n{}",
        found.len(),
        found.join("\n")
    );
}

/// The HTML checker's runner itself: an error is named with its page's
/// label and line, and a clean page adds nothing.
#[test]
fn the_html_checker_names_the_page_and_line_of_each_error() {
    if a11y::vnu_jar().is_none() {
        return;
    }
    let page = |body: &str| {
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><title>t</title></head>\n<body>{body}</body></html>\n"
        )
    };
    let pages = [
        ("/clean [en]".to_owned(), page("<p>Fine</p>")),
        (
            "/nested [zh]".to_owned(),
            page("<button><a href=\"/\">x</a></button>"),
        ),
    ];
    let errors = a11y::html_errors(&pages);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("/nested [zh] line 3: The element “a”"),
        "{errors:?}"
    );
}
