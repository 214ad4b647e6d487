//! Paid orders and the ledger, for the tests of everything after payment
//! (handover, warehouse, labels, tracking).

use crate::common::{Browser, TestApp, first_id};
use crate::orders::submitted;
use diesel::prelude::*;
use samplepost::db::DbConnection;
use samplepost::db::schema::ledger_entries;

/// Every entry of the company, oldest first: (kind, amount).
pub fn entries(app: &TestApp, company: i64) -> Vec<(String, i64)> {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    ledger_entries::table
        .filter(ledger_entries::company_id.eq(company))
        .order(ledger_entries::id.asc())
        .select((ledger_entries::kind, ledger_entries::amount_fen))
        .load(conn)
        .expect("ledger")
}

/// A paid order of a verified company with an active module.
pub struct Paid {
    /// The company's owner, signed in.
    pub seller: Browser,
    pub email: String,
    pub company: i64,
    pub no: String,
    /// What the payment debited, in fen.
    pub total: i64,
}

/// Registers "Acme", credits `balance` fen, submits the standard order
/// (with `overrides`) and pays it.
pub async fn paid_order(app: &TestApp, balance: i64, overrides: &[(&str, &str)]) -> Paid {
    let (seller, email) = app.seller("Acme").await;
    let company = app.company_of(&email);
    app.credit(company, balance);
    let no = pay_new(&seller, overrides).await;
    let total = -entries(app, company)
        .iter()
        .rev()
        .find(|(kind, _)| kind == "payment")
        .map(|(_, amount)| *amount)
        .expect("a payment entry");
    Paid {
        seller,
        email,
        company,
        no,
        total,
    }
}

/// Submits and pays one more order of the signed-in seller's company; give
/// each its own `form_token` in `overrides` when a test pays several.
pub async fn pay_new(seller: &Browser, overrides: &[(&str, &str)]) -> String {
    let mut fields = vec![("acknowledge", "yes")];
    fields.extend_from_slice(overrides);
    let no = submitted(seller, &fields).await;
    let response = seller
        .post_form(&format!("/app/orders/{no}/pay"), &[])
        .await;
    assert_eq!(response.status(), 303, "paid");
    let page = seller.get_text(&format!("/app/orders/{no}")).await;
    assert!(page.contains("data-status=\"paid\""), "the order is paid");
    no
}

/// The total of the order's frozen quote, as its page shows it.
pub async fn quoted_total(seller: &Browser, no: &str) -> i64 {
    first_id(
        &seller.get_text(&format!("/app/orders/{no}")).await,
        "data-total=\"",
    )
}
