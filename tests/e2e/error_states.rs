//! Every form's error state fits a 320 px phone and passes axe-core (issue
//! #15): each form is opened in the browser at the phone's width, made bad
//! the way a person would (fields left empty or typed wrong), sent with its
//! own submit button, and the page that answers must show the error, be no
//! wider than the viewport, and have no axe violation of impact serious or
//! critical (moderate and minor ones are listed). In Chinese and English.
//!
//! `PHONE_SHOTS=1` saves a screenshot of every answered form to
//! `target/e2e-screenshots/error_*.png`.

use crate::axe::Findings;
use crate::browser::{Tab, browser_test};
use crate::common::{Browser, PASSWORD, TestApp, location};
use crate::phone_width::{PHONE, fixtures, phone_tab};
use samplepost::domain::status::Role;
use std::time::Instant;

/// True when the page shows a field error: the summary at the top, or a
/// control marked invalid.
const SHOWS_ERROR: &str = r#"
    const done = arguments[arguments.length - 1];
    done(document.querySelector('.error-summary, [aria-invalid="true"]') !== null);
"#;

/// What the answered forms showed.
struct Check {
    /// axe-core's source; `None` checks the error and the width only.
    axe: Option<String>,
    findings: Findings,
    /// Answered pages wider than the phone.
    wide: Vec<String>,
    /// Forms that answered without showing an error.
    silent: Vec<String>,
    forms: usize,
    /// The language the forms are sent in, for the labels.
    lang: &'static str,
}

impl Check {
    /// Sends the form by clicking `button` and checks the page that answers.
    async fn submit(&mut self, tab: &Tab, button: &str, form: &str) {
        let label = format!("{form} [{}]", self.lang);
        tab.click_and_load(button).await;
        tab.wait_for("main").await;
        self.forms += 1;
        if std::env::var("PHONE_SHOTS").is_ok() {
            let name = format!("error_{}", label.replace(['/', ',', ' ', '[', ']'], "_"));
            tab.screenshot_whole_page(&name).await;
        }
        let shown = tab
            .execute_async(SHOWS_ERROR, "looking for the error")
            .await;
        if shown != serde_json::Value::Bool(true) {
            self.silent
                .push(format!("{label}: no error shown at {}", tab.path().await));
        }
        if let Some(overflow) = tab.overflow().await {
            self.wide.push(format!("{label}: {overflow}"));
        }
        if let Some(source) = &self.axe {
            self.findings.check(tab, source, &label).await;
        }
    }
}

/// The signed-in windows the forms are sent from, and the records they need.
struct Windows {
    /// Signed out.
    visitor: Tab,
    /// The owner of a verified seller company with paid orders.
    seller: Tab,
    /// The owner of a company that has not asked for verification yet.
    newcomer: Tab,
    /// The owner of a verified company, before applying for the module.
    applicant: Tab,
    operator: Tab,
    admin: Tab,
    /// An invitation to the seller's team, not yet accepted.
    invitation: String,
    /// The staff's review page of a company waiting for verification.
    verification: String,
    /// A delivered order of the seller's, to review.
    delivered: String,
    /// The seller's support ticket (`/app/tickets/{id}`).
    ticket: String,
    /// The admin's page of the seller's top-up request.
    topup: String,
    /// A password reset link of the newcomer's, not yet used.
    reset_link: String,
    /// The report form of a review on the board (`/reviews/{id}/report`).
    report: String,
    /// The staff's page of that review (`/admin/reviews/{id}`).
    staff_review: String,
    /// The warehouse's page of a paid parcel not yet received.
    parcel: String,
}

#[tokio::test]
async fn every_forms_error_state_fits_a_phone_and_passes_axe() {
    browser_test("error_states", async |browsers| {
        let started = Instant::now();
        let app = TestApp::spawn().await;
        let (seller, seller_email) = app.seller("Acme").await;
        let order = &crate::common::order_fields(&[]);
        let delivered = fixtures::paid_order(&app, &seller, &seller_email, order, "es-1").await;
        fixtures::asked_back(&app, &seller, &delivered).await;
        // A paid order still waiting for its pickup: the pickup form's choice,
        // and the warehouse's receiving form.
        let waiting = fixtures::paid_order(&app, &seller, &seller_email, order, "es-2").await;
        // A colleague who joined, for a budget of their own on the approval
        // settings, and an invitation still open, for its form.
        let joined = invite(&seller, "wang@example.cn").await;
        let joining = [
            ("display_name", "Wang Fang"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ];
        let answer = app.browser().post_form(&joined, &joining).await;
        assert_eq!(answer.status(), 303, "joined");
        let invitation = invite(&seller, "li@example.cn").await;
        let operator_email = app.staff_account(Role::Operator);
        let admin_email = app.staff_account(Role::Admin);
        let operator = app.staff(Role::Operator).await;
        let verification = fixtures::waiting_verification(&app, &operator).await;
        let (_, newcomer_email) = app.owner("Delta").await;
        let (_, applicant_email) = app.verified_owner("Gamma").await;
        let ticket = {
            let form = reqwest::multipart::Form::new()
                .text("csrf_token", seller.csrf().await)
                .text("category", "delay")
                .text("subject", "The parcel has not moved for a week")
                .text("body", "Tracking shows no update since it left Shenzhen.");
            let opened = seller.post_multipart("/app/tickets", form).await;
            assert_eq!(opened.status(), 303, "ticket opened");
            location(&opened)
        };
        let topup = fixtures::topup(&seller, &app.staff(Role::Admin).await).await;
        let reset_link = fixtures::reset_link(&app, &newcomer_email).await;
        // Another delivered order, reviewed: its review's report form.
        let reviewed = fixtures::paid_order(&app, &seller, &seller_email, order, "es-3").await;
        fixtures::asked_back(&app, &seller, &reviewed).await;
        let review = fixtures::reviewed(&app, &seller, &reviewed).await;
        let report = format!("/reviews/{review}/report");
        let staff_review = format!("/admin/reviews/{review}");
        let parcel = format!("/admin/warehouse/{waiting}");
        let records_made = started.elapsed();

        let signed_in = async |email: Option<&str>| {
            let tab = browsers.open(&app.address).await;
            phone_tab(&tab).await;
            if let Some(email) = email {
                tab.sign_in(email).await;
                tab.wait_for("header nav").await;
            }
            tab
        };
        let windows = Windows {
            visitor: signed_in(None).await,
            seller: signed_in(Some(&seller_email)).await,
            newcomer: signed_in(Some(&newcomer_email)).await,
            applicant: signed_in(Some(&applicant_email)).await,
            operator: signed_in(Some(&operator_email)).await,
            admin: signed_in(Some(&admin_email)).await,
            invitation,
            verification,
            delivered,
            ticket,
            topup,
            reset_link,
            report,
            staff_review,
            parcel,
        };
        let mut check = Check {
            axe: crate::common::a11y::axe_source(),
            findings: Findings::default(),
            wide: Vec::new(),
            silent: Vec::new(),
            forms: 0,
            lang: "zh-CN",
        };
        for lang in ["zh-CN", "en"] {
            check.lang = lang;
            for tab in [
                &windows.visitor,
                &windows.seller,
                &windows.newcomer,
                &windows.applicant,
                &windows.operator,
                &windows.admin,
            ] {
                tab.goto(&format!("/lang/{lang}")).await;
            }
            send_every_form_badly(&mut check, &windows).await;
        }

        let checked = started.elapsed() - records_made;
        let problems = (check.silent.iter().cloned())
            .chain(
                check
                    .wide
                    .iter()
                    .map(|w| format!("wider than {PHONE} px: {w}")),
            )
            .collect();
        check.findings.verdict(
            &format!("error states: {} forms at {PHONE} px", check.forms),
            checked,
            records_made,
            problems,
        );
    })
    .await;
}

/// Sends each form with bad or empty input, in the language the windows are set to.
async fn send_every_form_badly(check: &mut Check, w: &Windows) {
    // Signed out: registration, the calculator, an invitation, a lost password
    // and its reset link.
    let tab = &w.visitor;
    tab.goto("/register").await;
    tab.fill("#email", "not-an-email").await;
    tab.fill("#password", "short").await;
    tab.fill("#password_confirm", "other").await;
    let button = r#"form[action="/register"] button[type="submit"]"#;
    check.submit(tab, button, "register").await;
    tab.goto("/rates").await;
    tab.fill("#weight_kg", "0.5").await;
    check
        .submit(tab, "form.calculator button[type=\"submit\"]", "/rates")
        .await;
    tab.goto(&w.invitation).await;
    tab.fill("#password", "short").await;
    let button = r#"form[action^="/invite/"] button[type="submit"]"#;
    check.submit(tab, button, "invitation").await;
    tab.goto("/password/forgot").await;
    tab.fill("#email", "nobody").await;
    let button = r#"form[action="/password/forgot"] button[type="submit"]"#;
    check.submit(tab, button, "/password/forgot").await;
    // A refused new password leaves the link usable, for the second language.
    tab.goto(&w.reset_link).await;
    tab.fill("#password", "short").await;
    tab.fill("#password_confirm", "other").await;
    let button = r#"form[action^="/password/reset/"] button[type="submit"]"#;
    check.submit(tab, button, "password reset").await;

    // The seller company's owner.
    let tab = &w.seller;
    tab.goto("/account/password").await;
    tab.fill("#current_password", "wrong").await;
    tab.fill("#new_password", "short").await;
    tab.fill("#new_password_confirm", "other").await;
    let button = r#"form[action="/account/password"] button[type="submit"]"#;
    check.submit(tab, button, "/account/password").await;
    tab.goto("/app/team").await;
    tab.fill("#invitation #email", "nobody").await;
    check
        .submit(tab, "#invitation button[type=\"submit\"]", "team invite")
        .await;
    let submit_order = r#".order-form button[name="action"][value="submit"]"#;
    tab.goto("/app/orders/new").await;
    tab.fill("#item0_quantity", "many").await;
    tab.fill("#item0_hs_code", "12").await;
    check
        .submit(tab, submit_order, "order form, bad items")
        .await;
    tab.goto("/app/orders/new").await;
    for (id, text) in [
        ("name", "Jane Smith"),
        ("line1", "1 High Street"),
        ("city", "London"),
        ("postcode", "SW1A 1AA"),
        ("phone", "020 7946 0958"),
        ("weight_kg", "0.48"),
        ("item0_description_en", "Cotton T-shirt"),
        ("item0_quantity", "2"),
        ("item0_unit_value_usd", "3.50"),
        ("item0_hs_code", "610910"),
    ] {
        tab.fill(&format!("#{id}"), text).await;
    }
    choose(tab, "#country", "GB").await;
    check
        .submit(tab, submit_order, "order form, no route")
        .await;
    tab.goto("/app/settings/approval").await;
    tab.fill("#monthly_budget", "").await;
    tab.fill(r#"input[id^="budget_"]"#, "lots").await;
    let button = r#"form[action="/app/settings/approval"] button[type="submit"]"#;
    check.submit(tab, button, "approval settings").await;
    tab.goto("/app/tickets/new").await;
    let button = r#"form[action="/app/tickets"] button[type="submit"]"#;
    check.submit(tab, button, "/app/tickets/new").await;
    tab.goto(&w.ticket).await;
    let button = r#"form[action$="/reply"] button[type="submit"]"#;
    check.submit(tab, button, "ticket reply").await;
    tab.goto("/app/addresses/new").await;
    let button = r#"form[action="/app/addresses"] button[type="submit"]"#;
    check.submit(tab, button, "/app/addresses/new").await;
    tab.goto("/app/pickups/new").await;
    let button = r#"form[action="/app/pickups"] button[type="submit"]"#;
    check.submit(tab, button, "/app/pickups/new").await;
    tab.goto(&format!("/app/orders/{}/review", w.delivered))
        .await;
    let button = r#"form[data-review-form] button[type="submit"]"#;
    check.submit(tab, button, "review form").await;
    tab.goto("/app/balance").await;
    let button = r#"form[action="/app/balance/topups"] button[type="submit"]"#;
    check.submit(tab, button, "top-up").await;
    tab.goto("/app/webhooks").await;
    let button = r#"form[action="/app/webhooks"] button[type="submit"]"#;
    check.submit(tab, button, "/app/webhooks").await;
    tab.goto("/app/api-tokens").await;
    let button = r#"form[action="/app/api-tokens"] button[type="submit"]"#;
    check.submit(tab, button, "/app/api-tokens").await;

    // A new company's details, sent without a licence and with a short USCC.
    let tab = &w.newcomer;
    tab.goto("/app/company").await;
    tab.fill("#uscc", "123").await;
    let button = r#"form[action="/app/company"] button[type="submit"]"#;
    check.submit(tab, button, "/app/company").await;

    // A verified company's module application with only the parcel count.
    let tab = &w.applicant;
    tab.goto("/app/module").await;
    tab.fill("#expected_monthly_parcels", "10").await;
    let button = r#"form[action="/app/module"] button[type="submit"]"#;
    check.submit(tab, button, "module application").await;

    // The staff's rejection of a company without a reason.
    let tab = &w.operator;
    tab.goto(&w.verification).await;
    let button = r#"form.decision button[value="reject"]"#;
    check.submit(tab, button, "staff rejection").await;
    // A review reported with no reason chosen.
    tab.goto(&w.report).await;
    let button = r#"form[data-report-form] button[type="submit"]"#;
    check.submit(tab, button, "review report").await;
    // A parcel received with nothing measured, nothing ticked.
    tab.goto(&w.parcel).await;
    let button = r#"button[name="action"][value="receive"]"#;
    check.submit(tab, button, "warehouse receiving").await;
    // The review hidden without a reason, and answered with nothing.
    tab.goto(&w.staff_review).await;
    let button = r#"form[data-hide-form] button[type="submit"]"#;
    check.submit(tab, button, "review hidden").await;
    tab.goto(&w.staff_review).await;
    let button = r#"form[action$="/reply"] button[type="submit"]"#;
    check.submit(tab, button, "review reply").await;

    // The admin answers the ticket and resolves it without a word, and
    // rejects the top-up without a reason.
    let tab = &w.admin;
    let ticket = w.ticket.replace("/app/", "/admin/");
    tab.goto(&ticket).await;
    let button = r#"form[action$="/reply"] button[type="submit"]"#;
    check.submit(tab, button, "staff ticket reply").await;
    tab.goto(&ticket).await;
    let button = r#"form[action$="/resolve"] button[type="submit"]"#;
    check.submit(tab, button, "ticket resolution").await;
    tab.goto(&w.topup).await;
    let button = r#"form.decision button[value="reject"]"#;
    check.submit(tab, button, "top-up rejection").await;

    // An admin's settings, each with a value typed wrong or cleared.
    for (path, field, text, form) in [
        ("/admin/staff", "#email", "nobody", "/admin/staff"),
        ("/admin/payee", "#payee_name", "", "/admin/payee"),
        ("/admin/pricing", "#usd_cny", "lots", "/admin/pricing"),
        (
            "/admin/warehouse",
            "#tolerance_g",
            "lots",
            "/admin/warehouse/settings",
        ),
        ("/admin/warehouses", "#code", "", "/admin/carriers"),
        ("/admin/warehouses/new", "#name", "", "/admin/warehouses"),
        ("/admin/carriers/DHL", "#name", "", "/admin/carriers/DHL"),
        (
            "/admin/routes/POST-SMALL",
            "#max_longest_side_cm",
            "long",
            "/admin/routes/POST-SMALL",
        ),
    ] {
        tab.goto(path).await;
        tab.fill(field, text).await;
        let button = format!(r#"form[method="post"][action="{form}"] button[type="submit"]"#);
        check.submit(tab, &button, path).await;
    }
}

/// Chooses the option of value `value` in the select matching `css`.
async fn choose(tab: &Tab, css: &str, value: &str) {
    let select = tab.wait_for(css).await;
    if let Err(error) = select.select_by_value(value).await {
        panic!("choosing {value} in `{css}`: {error}");
    }
}

/// The owner invites `email` to the team; the invitation's path (`/invite/…`).
async fn invite(owner: &Browser, email: &str) -> String {
    let invited = owner
        .post_form(
            "/app/team/invitations",
            &[("email", email), ("role", "seller")],
        )
        .await;
    assert_eq!(invited.status(), 303, "invited");
    let page = owner.get_text("/app/team").await;
    let start = page.find("/invite/").expect("the invitation link");
    page[start..].chars().take_while(|c| *c != '"').collect()
}
