//! Every field error is tied to its control and listed at the top (issue #15):
//! each form below is posted with bad or empty input as a browser would, and
//! on the answered page every `X-error` message is named by the
//! `aria-describedby` of a control or group, each such control is
//! `aria-invalid`, and the error summary links to every field it can; and,
//! in both languages, each answered page passes the Nu HTML Checker.

use crate::common::{Browser, TestApp, a11y, first_id, png, verification_form};
use regex::Regex;
use samplepost::domain::status::Role;

/// The start tags of the controls and groups an error can describe.
fn controls(page: &str) -> Vec<&str> {
    Regex::new(r"<(?:input|select|textarea|fieldset)\b[^>]*>")
        .expect("regex")
        .find_iter(page)
        .map(|m| m.as_str())
        .collect()
}

/// The value of attribute `name` in a start tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let marker = format!(" {name}=\"");
    let start = tag.find(&marker)? + marker.len();
    let end = tag[start..].find('"')?;
    Some(&tag[start..start + end])
}

/// The fields with a message beside them: `X` for each `id="X-error"`.
fn errored_fields(page: &str) -> Vec<String> {
    Regex::new(r#"id="([^"]+)-error""#)
        .expect("regex")
        .captures_iter(page)
        .map(|c| c[1].to_owned())
        .collect()
}

/// The `#targets` the error summary links to.
fn summary_links(page: &str) -> Vec<String> {
    let Some(start) = page.find("class=\"form-error error-summary\"") else {
        return Vec::new();
    };
    let end = page[start..]
        .find("</div>")
        .map_or(page.len(), |e| start + e);
    Regex::new(r##"href="#([^"]+)""##)
        .expect("regex")
        .captures_iter(&page[start..end])
        .map(|c| c[1].to_owned())
        .collect()
}

/// What is wrong with how the answered page `form` ties its errors.
fn problems(form: &str, page: &str) -> Vec<String> {
    let mut found = Vec::new();
    let fields = errored_fields(page);
    if fields.is_empty() {
        found.push(format!("{form}: no field error on the answered page"));
    }
    let tags = controls(page);
    let described_by = |tag: &str| -> Vec<String> {
        attribute(tag, "aria-describedby")
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect()
    };
    for field in &fields {
        let id = format!("{field}-error");
        if !tags.iter().any(|tag| described_by(tag).contains(&id)) {
            found.push(format!("{form}: no control is described by {id}"));
        }
    }
    for tag in &tags {
        let names_error = described_by(tag).iter().any(|id| id.ends_with("-error"));
        let invalid = attribute(tag, "aria-invalid") == Some("true");
        if names_error && !tag.starts_with("<fieldset") && !invalid {
            found.push(format!("{form}: not aria-invalid: {tag}"));
        }
    }
    let links = summary_links(page);
    if links.is_empty() {
        found.push(format!("{form}: no error summary with links"));
    }
    for field in &fields {
        if page.contains(&format!("id=\"{field}\"")) && !links.contains(field) {
            found.push(format!("{form}: the summary has no link to #{field}"));
        }
    }
    for target in &links {
        if !page.contains(&format!("id=\"{target}\"")) {
            found.push(format!(
                "{form}: the summary links to #{target}, not on the page"
            ));
        }
    }
    // The summary lists the errors as the reader meets their fields.
    let after_summary = page.find("error-summary").unwrap_or_default();
    let at = |target: &String| {
        page[after_summary..]
            .find(&format!("id=\"{target}\""))
            .unwrap_or(usize::MAX)
    };
    let mut in_page_order = links.clone();
    in_page_order.sort_by_key(at);
    if links != in_page_order {
        found.push(format!(
            "{form}: the summary lists {links:?}, the page has them as {in_page_order:?}"
        ));
    }
    found
}

/// The answered forms' problems, and their pages for the HTML checker.
#[derive(Default)]
struct Answers {
    found: Vec<String>,
    pages: Vec<(String, String)>,
    /// The language the pages are read in, for the labels.
    lang: &'static str,
}

impl Answers {
    /// Collects the problems of one answered form, checking it was refused.
    async fn answered(&mut self, form: &str, response: reqwest::Response) {
        let status = response.status();
        let page = response.text().await.expect("body");
        let form = format!("{form} [{}]", self.lang);
        if status != 422 && status != 200 {
            self.found
                .push(format!("{form}: answered {status}, not the form again"));
            return;
        }
        self.found.extend(problems(&form, &page));
        self.pages.push((form, page));
    }
}

#[tokio::test]
async fn every_field_error_is_tied_to_its_control_and_linked_from_the_summary() {
    let mut answers = Answers::default();
    for lang in ["zh", "en"] {
        answers.lang = lang;
        post_every_form_badly(&mut answers).await;
    }
    // Each answered page passes the Nu HTML Checker too (issue #15).
    let mut found = answers.found;
    found.extend(a11y::html_errors(&answers.pages));
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Posts each form with bad or empty input, in `answers.lang`, on a server of its own.
async fn post_every_form_badly(answers: &mut Answers) {
    let app = TestApp::spawn().await;
    let english = answers.lang == "en";
    // Every browser below reads its pages in the language being checked.
    let browser = async |browser: Browser| {
        if english {
            browser.english().await;
        }
        browser
    };

    // Signed out: registration.
    let visitor = browser(app.browser()).await;
    let register = [
        ("company_name", ""),
        ("display_name", ""),
        ("email", "not-an-email"),
        ("password", "short"),
        ("password_confirm", "other"),
    ];
    let response = visitor.post_form("/register", &register).await;
    answers.answered("register", response).await;
    // The calculator without a destination (a GET form).
    let response = visitor.get("/rates?to=&weight_kg=0.5").await;
    answers.answered("/rates", response).await;

    // A seller company's owner.
    let seller = browser(app.seller("Acme").await.0).await;
    let password = [
        ("current_password", "wrong"),
        ("new_password", "short"),
        ("new_password_confirm", "other"),
    ];
    let response = seller.post_form("/account/password", &password).await;
    answers.answered("/account/password", response).await;
    let response = seller
        .post_form(
            "/app/team/invitations",
            &[("email", "nobody"), ("role", "")],
        )
        .await;
    answers.answered("team invite", response).await;
    let order = crate::common::order_fields(&[
        ("item0_description_en", ""),
        ("item0_quantity", "many"),
        ("item0_hs_code", "12"),
        ("route", ""),
        ("country", ""),
    ]);
    let response = seller.post_form("/app/orders", &order).await;
    answers.answered("order form, bad items", response).await;
    let order = crate::common::order_fields(&[("route", ""), ("form_token", "no-route")]);
    let response = seller.post_form("/app/orders", &order).await;
    answers.answered("order form, no route", response).await;
    // A colleague joins (the invitation form refused once), for a budget of their own.
    let link = crate::team::invite(&seller, "wang@example.cn", "seller").await;
    let joining = [
        ("display_name", ""),
        ("password", "short"),
        ("password_confirm", ""),
    ];
    let invitee = browser(app.browser()).await;
    let response = invitee.post_form(&link, &joining).await;
    answers.answered("invitation", response).await;
    crate::team::join(&app, &link).await;
    let settings = seller.get_text("/app/settings/approval").await;
    let member = first_id(&settings, "id=\"budget_");
    let budget = format!("budget_{member}");
    let response = seller
        .post_form(
            "/app/settings/approval",
            &[("monthly_budget", ""), (budget.as_str(), "lots")],
        )
        .await;
    answers.answered("approval settings", response).await;
    let response = crate::tickets::open(
        &seller,
        &[("category", ""), ("subject", ""), ("body", "")],
        false,
    )
    .await;
    answers.answered("ticket new", response).await;

    // An owner not yet verified: the company form, then the staff's
    // rejection without a reason, then the module application.
    let owner = browser(app.owner("Beta").await.0).await;
    let token = owner.csrf().await;
    let bad = verification_form(&token, None, &[("uscc", "123"), ("contact_phone", "")]);
    let response = owner.post_multipart("/app/company", bad).await;
    answers.answered("/app/company", response).await;
    let good = verification_form(&token, Some((png(), "licence.png")), &[]);
    assert_eq!(
        owner.post_multipart("/app/company", good).await.status(),
        303
    );
    let operator = browser(app.staff(Role::Operator).await).await;
    let company = first_id(
        &operator.get_text("/admin/verifications").await,
        "href=\"/admin/verifications/",
    );
    let path = format!("/admin/verifications/{company}");
    let response = operator
        .post_form(&path, &[("decision", "reject"), ("reason", " ")])
        .await;
    answers.answered("staff rejection", response).await;
    let approve = operator.post_form(&path, &[("decision", "approve")]).await;
    assert_eq!(approve.status(), 303);
    let response = owner
        .post_form("/app/module", &[("expected_monthly_parcels", "10")])
        .await;
    answers.answered("module application", response).await;

    // The route review of a delivered order, sent with nothing chosen.
    let delivered = crate::reviews::delivered(&app).await;
    let reviewer = browser(delivered.seller).await;
    let typed = crate::reviews::Typed {
        scores: [""; 6],
        text: "",
        tags: &[],
        ..Default::default()
    };
    let response = crate::reviews::post_review(&reviewer, &delivered.no, typed).await;
    answers.answered("review form", response).await;
}

/// The checks themselves, on markup written out by hand.
#[test]
fn an_error_without_its_control_or_summary_link_is_found() {
    let tied = r##"<div class="form-error error-summary" role="alert"><p>x</p><ul><li><a href="#to">x</a></li></ul></div>
        <select id="to" name="to" aria-invalid="true" aria-describedby="to-error"></select><p id="to-error">x</p>"##;
    assert!(
        problems("tied", tied).is_empty(),
        "{:?}",
        problems("tied", tied)
    );
    let loose = r#"<select id="to" name="to"></select><p id="to-error">x</p>"#;
    let found = problems("loose", loose);
    assert!(
        found
            .iter()
            .any(|p| p.contains("no control is described by to-error"))
    );
    assert!(found.iter().any(|p| p.contains("no error summary")));
    let not_invalid = r#"<input id="a" aria-describedby="a-error"><p id="a-error">x</p>"#;
    assert!(
        problems("not invalid", not_invalid)
            .iter()
            .any(|p| p.contains("not aria-invalid"))
    );
}
