//! The world the matrix asks about: company A (an owner who makes every
//! fixture, a manager, a seller) with orders in many states, a ticket, a
//! review…; company B's owner; an operator and an admin. Fixtures are
//! named, and a row's path names them in braces (`/app/orders/{paid}`).

use super::{ROLES, Role};
use crate::common::{Browser, TestApp, first_id, location, png};
use diesel::prelude::*;
use samplepost::db::DbConnection;
use std::collections::HashMap;

pub struct World {
    /// Per role, in [`ROLES`] order; the visitor's browser has a session
    /// (and so a CSRF token) but nobody signed in.
    browsers: Vec<Browser>,
    csrf: Vec<String>,
    /// Fixture name → value; `name@Role` is that role's own copy of a
    /// fixture that the first allowed role's request would use up.
    values: HashMap<String, String>,
    /// The bearer tokens of companies A and B (all scopes).
    token_a: String,
    token_b: String,
}

impl World {
    pub fn browser(&self, role: Role) -> &Browser {
        &self.browsers[index(role)]
    }

    pub fn csrf(&self, role: Role) -> &str {
        &self.csrf[index(role)]
    }

    /// On `/api/v1`, company roles call with their company's token; the
    /// visitor and staff have none (their cookies go along, and open nothing).
    pub fn api_token(&self, role: Role) -> Option<&str> {
        match role {
            Role::Seller | Role::Manager => Some(&self.token_a),
            Role::Other => Some(&self.token_b),
            Role::Visitor | Role::Operator | Role::Admin => None,
        }
    }

    /// `template` with every `{name}` replaced by the fixture (the role's own
    /// copy where there is one).
    pub fn path(&self, template: &str, role: Role) -> String {
        let mut path = String::new();
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            let end = rest[start..].find('}').expect("a closing brace") + start;
            let name = &rest[start + 1..end];
            let value = self
                .values
                .get(&format!("{name}@{role:?}"))
                .or_else(|| self.values.get(name))
                .unwrap_or_else(|| panic!("no fixture {name} for {template}"));
            path.push_str(&rest[..start]);
            path.push_str(value);
            rest = &rest[end + 1..];
        }
        path.push_str(rest);
        path
    }
}

fn index(role: Role) -> usize {
    ROLES.iter().position(|r| *r == role).expect("a role")
}

/// The newest id `sql` (`SELECT … AS n …`) finds.
fn number(app: &TestApp, sql: &str) -> i64 {
    #[derive(QueryableByName)]
    struct Number {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    diesel::sql_query(sql)
        .get_result::<Number>(conn)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .n
}

/// A draft of the standard order, saved by `by`.
async fn draft(by: &Browser, token: &str) -> String {
    let response =
        crate::orders::post_order(by, &[("action", "save"), ("form_token", token)]).await;
    assert_eq!(response.status(), 303, "draft saved");
    crate::orders::order_no(&response)
}

/// An address-book entry of `by`'s company; returns its id.
async fn address(app: &TestApp, by: &Browser, company: i64, name: &str) -> String {
    let fields: Vec<(&str, &str)> = super::matrix::ADDRESS
        .iter()
        .map(|&(field, value)| (field, if field == "name" { name } else { value }))
        .collect();
    let response = by.post_form("/app/addresses", &fields).await;
    assert_eq!(response.status(), 303, "address saved");
    number(
        app,
        &format!("SELECT MAX(id) AS n FROM addresses WHERE company_id = {company}"),
    )
    .to_string()
}

const SCOPES: [&str; 5] = [
    "quote",
    "orders:read",
    "orders:write",
    "tracking:read",
    "webhooks",
];

pub async fn build(app: &TestApp) -> World {
    use samplepost::domain::status::Role as StaffRole;
    let mut values: HashMap<String, String> = HashMap::new();
    let mut set = |name: &str, value: String| {
        values.insert(name.to_owned(), value);
    };
    // Company A: a delivered order its owner reviewed (with a photo), sent
    // back with a return link.
    let delivered = crate::reviews::delivered(app).await;
    let owner = &delivered.seller;
    let company = delivered.company;
    app.credit(company, 1_000_000);
    let typed = crate::reviews::Typed {
        photos: crate::reviews::photos(1),
        ..Default::default()
    };
    let review = crate::reviews::post_review(owner, &delivered.no, typed).await;
    assert_eq!(review.status(), 303, "reviewed");
    let review = crate::reviews::review_of(app, &delivered.no).expect("a review");
    set("review", review.id.to_string());
    crate::returns::offer_returns(app);
    let asked = owner
        .post_form(
            &format!("/app/orders/{}/send-back", delivered.no),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(asked.status(), 303, "asked back");
    let page = owner.get_text(&location(&asked)).await;
    let link = crate::links::shown_link(&page, "return-link");
    set("return", link.trim_start_matches("/return/").to_owned());
    set("delivered", delivered.no.clone());
    set("company", company.to_string());

    // The team: a manager, a seller, an invitation still open.
    let manager = crate::team::join(
        app,
        &crate::team::invite(owner, "manager@example.cn", "manager").await,
    )
    .await;
    let seller = crate::team::join(
        app,
        &crate::team::invite(owner, "seller@example.cn", "seller").await,
    )
    .await;
    let invite_link = crate::team::invite(owner, "pending@example.cn", "seller").await;
    set(
        "invite",
        invite_link.trim_start_matches("/invite/").to_owned(),
    );
    set(
        "invitation",
        number(app, "SELECT MAX(id) AS n FROM invitations").to_string(),
    );
    set(
        "member",
        number(
            app,
            "SELECT id AS n FROM users WHERE email = 'seller@example.cn'",
        )
        .to_string(),
    );
    set(
        "session",
        number(
            app,
            &format!(
                "SELECT MAX(s.id) AS n FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE u.email = '{}'",
                delivered.email
            ),
        )
        .to_string(),
    );

    // Orders of A, all the owner's: the seller may only change their own.
    set("draft", draft(owner, "authz-draft").await);
    set("submit_me", draft(owner, "authz-submit").await);
    set("update_me", draft(owner, "authz-update").await);
    set("cancel_me", draft(owner, "authz-cancel").await);
    set("api_cancel", draft(owner, "authz-api-cancel").await);
    set(
        "paid",
        crate::paid::pay_new(owner, &[("form_token", "authz-paid")]).await,
    );
    let (link_order, link, _) = crate::recipient_link::order_with_link(owner).await;
    set("link", link.trim_start_matches("/r/").to_owned());
    set("link_order", link_order);
    let pickup_order = crate::paid::pay_new(owner, &[("form_token", "authz-pickup")]).await;
    let tomorrow = (samplepost::services::pricing::today() + chrono::Duration::days(1)).to_string();
    let pickup = [
        ("orders", pickup_order.as_str()),
        ("address", "company"),
        ("date", &tomorrow),
        ("window", "09:00-12:00"),
        ("parcels", "1"),
    ];
    assert_eq!(owner.post_form("/app/pickups", &pickup).await.status(), 303);
    set(
        "pickup",
        first_id(&owner.get_text("/app/pickups").await, "data-pickup=\"").to_string(),
    );

    // Tickets (one with a screenshot: an upload), addresses, a top-up.
    let ticket = crate::tickets::open(
        owner,
        &[
            ("category", "lost"),
            ("subject", "Parcel lost"),
            ("body", "The tracking has not moved for a week."),
        ],
        true,
    )
    .await;
    assert_eq!(ticket.status(), 303, "ticket opened");
    set(
        "ticket",
        location(&ticket).rsplit('/').next().expect("id").to_owned(),
    );
    set(
        "upload",
        number(
            app,
            &format!("SELECT MAX(id) AS n FROM uploads WHERE company_id = {company}"),
        )
        .to_string(),
    );
    for (name, recipient) in [
        ("address", "Jane Doe"),
        ("address_del", "Del Seller"),
        ("address_del@Manager", "Del Manager"),
        ("api_address", "Api Seller"),
        ("api_address@Manager", "Api Manager"),
    ] {
        set(name, address(app, owner, company, recipient).await);
    }
    let topup = crate::balance::request_topup(owner, "100", Some(png())).await;
    assert_eq!(topup.status(), 303, "top-up requested");
    set(
        "topup",
        number(
            app,
            &format!("SELECT MAX(id) AS n FROM topups WHERE company_id = {company}"),
        )
        .to_string(),
    );

    // The ERP side: tokens of A and B, webhook endpoints of A.
    let token_a = crate::api::new_token(owner, "ERP", &SCOPES).await;
    set(
        "token",
        number(
            app,
            &format!("SELECT MAX(id) AS n FROM api_tokens WHERE company_id = {company}"),
        )
        .to_string(),
    );
    let hook = "https://erp.example.com/hook";
    let (webhook, _) = crate::webhooks::new_endpoint(owner, hook, &["ticket.updated"]).await;
    set("webhook", webhook.to_string());
    let (api_webhook, _) = crate::webhooks::new_endpoint(owner, hook, &["ticket.updated"]).await;
    set("api_webhook", api_webhook.to_string());
    let (other_webhook, _) = crate::webhooks::new_endpoint(owner, hook, &["ticket.updated"]).await;
    set("api_webhook@Manager", other_webhook.to_string());

    // Company B.
    let (other, _) = app.seller("Other").await;
    let token_b = crate::api::new_token(&other, "ERP", &SCOPES).await;

    // Staff, and the catalogue's ids.
    let operator = app.staff(StaffRole::Operator).await;
    let admin = app.staff(StaffRole::Admin).await;
    let victim = app.staff_account(StaffRole::Operator);
    set(
        "staff",
        number(
            app,
            &format!("SELECT id AS n FROM users WHERE email = '{victim}'"),
        )
        .to_string(),
    );
    set(
        "sheet",
        number(app, "SELECT MIN(id) AS n FROM rate_sheets").to_string(),
    );
    set(
        "warehouse",
        number(app, "SELECT MIN(id) AS n FROM warehouses").to_string(),
    );
    diesel::sql_query(
        "INSERT INTO promotions (code, kind, amount, valid_from, valid_until, route_codes, \
         active, created_at) VALUES ('AUTHZ10', 'percent', 10, '2026-01-01', '2099-12-31', '', \
         TRUE, CURRENT_TIMESTAMP)",
    )
    .execute(&mut *app.conn())
    .expect("a promotion");
    set(
        "promotion",
        number(app, "SELECT MAX(id) AS n FROM promotions").to_string(),
    );

    diesel::sql_query(format!(
        "INSERT INTO module_applications (company_id, status, expected_monthly_parcels, \
         destinations, categories, agreement_version, accepted_by, accepted_at, accepted_ip) \
         SELECT company_id, 'applied', 50, 'GB', 'apparel', 'v1', id, CURRENT_TIMESTAMP, \
         '127.0.0.1' FROM users WHERE email = '{}'",
        delivered.email
    ))
    .execute(&mut *app.conn())
    .expect("a module application");
    set(
        "application",
        number(app, "SELECT MAX(id) AS n FROM module_applications").to_string(),
    );

    // Failed sign-ins lock an e-mail after five: one unknown e-mail per role.
    for role in ROLES {
        let email = format!("nobody-{}@example.cn", index(role));
        set(&format!("nobody@{role:?}"), email);
    }

    let browsers = vec![app.browser(), seller, manager, other, operator, admin];
    let mut csrf = Vec::new();
    for browser in &browsers {
        csrf.push(browser.csrf().await);
    }
    World {
        browsers,
        csrf,
        values,
        token_a,
        token_b,
    }
}
