use crate::common::{Browser, PASSWORD, TestApp, first_id, location, png, refused_beside};
use crate::orders::submitted;
use crate::paid::entries;
use diesel::prelude::*;
use samplepost::db::DbConnection;
use samplepost::db::schema::{audit_log, ledger_entries, orders, users};
use samplepost::domain::status::Role;

fn status_of(app: &TestApp, no: &str) -> String {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    orders::table
        .filter(orders::order_no.eq(no))
        .select(orders::status)
        .first(conn)
        .expect("order")
}

fn audit_actions(app: &TestApp, prefix: &str) -> Vec<String> {
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    audit_log::table
        .filter(audit_log::action.like(format!("{prefix}%")))
        .order(audit_log::id.asc())
        .select(audit_log::action)
        .load(conn)
        .expect("audit")
}

/// A member of the owner's company with `role`, signed in.
async fn member(app: &TestApp, owner_email: &str, role: Role) -> Browser {
    let company = app.company_of(owner_email);
    let email = format!("{role}-{company}@example.cn");
    {
        let mut conn = app.conn();
        let conn: &mut DbConnection = &mut conn;
        diesel::insert_into(users::table)
            .values((
                users::email.eq(&email),
                users::password_hash.eq(samplepost::services::accounts::hash_password(PASSWORD)),
                users::display_name.eq("Wang Wei"),
                users::role.eq(role.as_str()),
                users::company_id.eq(Some(company)),
                users::disabled.eq(false),
                users::session_epoch.eq(0),
                users::must_change_password.eq(false),
                users::created_at.eq(chrono::Utc::now().naive_utc()),
            ))
            .execute(conn)
            .expect("member");
    }
    let browser = app.browser();
    assert_eq!(browser.sign_in(&email, PASSWORD).await.status(), 303);
    browser
}

/// The frozen quote total of an order, in fen, as its page shows it.
async fn total_of(seller: &Browser, no: &str) -> i64 {
    let page = seller.get_text(&format!("/app/orders/{no}")).await;
    first_id(&page, "data-total=\"")
}

/// The balance the balance page shows, in fen.
async fn shown_balance(browser: &Browser) -> i64 {
    first_id(&browser.get_text("/app/balance").await, "data-balance=\"")
}

/// The `n`-th approved order of a test, to the same recipient (the repeat
/// warning acknowledged).
async fn approved(seller: &Browser, n: usize) -> String {
    let token = format!("balance-{n}");
    submitted(seller, &[("form_token", &token), ("acknowledge", "yes")]).await
}

pub async fn request_topup(
    owner: &Browser,
    amount: &str,
    file: Option<Vec<u8>>,
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new()
        .text("csrf_token", owner.csrf().await)
        .text("amount", amount.to_owned());
    if let Some(bytes) = file {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name("receipt.png")
            .mime_str("image/png")
            .expect("mime");
        form = form.part("receipt", part);
    }
    owner.post_multipart("/app/balance/topups", form).await
}

/// The id of the company's newest top-up as the admin queue lists it.
async fn queued_topup(admin: &Browser) -> i64 {
    first_id(
        &admin.get_text("/admin/topups").await,
        "href=\"/admin/topups/",
    )
}

#[tokio::test]
async fn a_confirmed_top_up_credits_the_balance_and_tells_the_owner() {
    let app = TestApp::spawn().await;
    let (owner, email) = app.seller("Acme").await;
    let admin = app.staff(Role::Admin).await;

    let response = request_topup(&owner, "5000.50", Some(png())).await;
    assert_eq!(response.status(), 303, "requested");
    let page = owner.get_text("/app/balance").await;
    assert!(page.contains("data-balance=\"0\""), "nothing credited yet");
    assert!(page.contains("data-pending=\"500050\""));
    assert!(page.contains("data-topup-status=\"pending\""));

    let id = queued_topup(&admin).await;
    let detail = admin.get_text(&format!("/admin/topups/{id}")).await;
    assert!(detail.contains("data-amount=\"500050\""));
    let receipt = first_id(&detail, "src=\"/uploads/");
    let file = admin.get(&format!("/uploads/{receipt}")).await;
    assert_eq!(file.status(), 200, "the admin sees the receipt");
    assert_eq!(
        owner.get(&format!("/uploads/{receipt}")).await.status(),
        200
    );

    let response = admin
        .post_form(&format!("/admin/topups/{id}"), &[("decision", "approve")])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(shown_balance(&owner).await, 500_050);
    let company = app.company_of(&email);
    assert_eq!(entries(&app, company), [("topup".to_owned(), 500_050)]);
    let notifications = owner.get_text("/app/notifications").await;
    assert!(notifications.contains("data-kind=\"topup.confirmed\""));
    assert!(
        owner
            .get_text("/app/balance")
            .await
            .contains("data-topup-status=\"confirmed\"")
    );
    assert_eq!(
        audit_actions(&app, "topup."),
        ["topup.request", "topup.confirm"]
    );

    // A second click cannot credit it again.
    let again = admin
        .post_form(&format!("/admin/topups/{id}"), &[("decision", "approve")])
        .await;
    assert_eq!(again.status(), 409);
    assert_eq!(entries(&app, company).len(), 1);
}

#[tokio::test]
async fn a_rejected_top_up_needs_a_reason_and_credits_nothing() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.seller("Acme").await;
    let admin = app.staff(Role::Admin).await;
    assert_eq!(
        request_topup(&owner, "800", Some(png())).await.status(),
        303
    );
    let id = queued_topup(&admin).await;
    let path = format!("/admin/topups/{id}");

    let response = admin
        .post_form(&path, &[("decision", "reject"), ("reason", " ")])
        .await;
    refused_beside(response, &["reason"]).await;
    let response = admin
        .post_form(
            &path,
            &[("decision", "reject"), ("reason", "回单金额与申请不符")],
        )
        .await;
    assert_eq!(response.status(), 303);

    let page = owner.get_text("/app/balance").await;
    assert!(page.contains("data-topup-status=\"rejected\""));
    assert!(page.contains("回单金额与申请不符"), "the reason is shown");
    assert!(page.contains("data-balance=\"0\""));
    assert_eq!(app.count("ledger_entries"), 0);
    assert!(
        owner
            .get_text("/app/notifications")
            .await
            .contains("data-kind=\"topup.rejected\"")
    );
    assert_eq!(
        audit_actions(&app, "topup."),
        ["topup.request", "topup.reject"]
    );
}

#[tokio::test]
async fn top_up_amount_and_receipt_are_checked_beside_their_fields() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.seller("Acme").await;
    let page = refused_beside(
        request_topup(&owner, "五千", None).await,
        &["amount", "receipt"],
    )
    .await;
    assert!(page.contains("value=\"五千\""), "what was typed stays");
    refused_beside(
        request_topup(&owner, "1000000.01", Some(png())).await,
        &["amount"],
    )
    .await;
    refused_beside(request_topup(&owner, "0", Some(png())).await, &["amount"]).await;
    let not_a_receipt = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
    refused_beside(
        request_topup(&owner, "100", Some(not_a_receipt)).await,
        &["receipt"],
    )
    .await;
    assert_eq!(app.count("topups"), 0);
}

#[tokio::test]
async fn paying_an_approved_order_debits_the_balance_in_one_step() {
    let app = TestApp::spawn().await;
    let (owner, email) = app.seller("Acme").await;
    let company = app.company_of(&email);
    app.credit(company, 100_000);
    let no = approved(&owner, 0).await;
    let total = total_of(&owner, &no).await;
    assert!(total > 0 && total < 100_000, "{total}");
    let page = owner.get_text(&format!("/app/orders/{no}")).await;
    assert!(page.contains(&format!("data-due=\"{total}\"")));
    assert!(page.contains("data-balance=\"100000\""));
    assert!(!page.contains("data-missing"), "enough balance");

    let response = owner.post_form(&format!("/app/orders/{no}/pay"), &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("/app/orders/{no}"));
    let page = owner.get_text(&format!("/app/orders/{no}")).await;
    assert!(page.contains("data-status=\"paid\""));
    assert!(page.contains("data-event=\"pay\""));
    assert_eq!(
        entries(&app, company),
        [
            ("adjustment".to_owned(), 100_000),
            ("payment".to_owned(), -total)
        ]
    );
    assert_eq!(shown_balance(&owner).await, 100_000 - total);
    assert_eq!(audit_actions(&app, "order.pay"), ["order.pay"]);

    // Paying it again is refused and charges nothing.
    owner.post_form(&format!("/app/orders/{no}/pay"), &[]).await;
    assert_eq!(entries(&app, company).len(), 2);
}

#[tokio::test]
async fn paying_with_insufficient_balance_leaves_order_approved() {
    let app = TestApp::spawn().await;
    let (owner, email) = app.seller("Acme").await;
    let company = app.company_of(&email);
    let no = approved(&owner, 0).await;
    let total = total_of(&owner, &no).await;
    app.credit(company, total - 1234);
    let page = owner.get_text(&format!("/app/orders/{no}")).await;
    assert!(
        page.contains("data-missing=\"1234\""),
        "the order page warns"
    );

    let response = owner.post_form(&format!("/app/orders/{no}/pay"), &[]).await;
    assert_eq!(response.status(), 409);
    let page = response.text().await.expect("body");
    assert!(
        page.contains("余额不足，还差 ¥12.34"),
        "says what is missing"
    );
    assert!(page.contains("data-missing=\"1234\""));
    assert_eq!(status_of(&app, &no), "approved");
    assert_eq!(entries(&app, company).len(), 1, "nothing debited");
}

#[tokio::test]
async fn paying_several_orders_is_all_or_nothing() {
    let app = TestApp::spawn().await;
    let (owner, email) = app.seller("Acme").await;
    let company = app.company_of(&email);
    let first = approved(&owner, 0).await;
    let second = approved(&owner, 1).await;
    let total = total_of(&owner, &first).await + total_of(&owner, &second).await;
    app.credit(company, total - 1);
    let list = owner.get_text("/app/balance").await;
    assert!(list.contains("订单待付款"));
    assert!(list.contains(&format!("data-payable=\"{first}\"")));
    assert!(list.contains(&format!("data-payable=\"{second}\"")));

    let pick = [("order", first.as_str()), ("order", second.as_str())];
    let response = owner.post_form("/app/balance/pay", &pick).await;
    assert_eq!(response.status(), 409);
    let page = response.text().await.expect("body");
    assert!(page.contains("data-missing=\"1\""));
    assert!(page.contains(" checked"), "the ticked orders stay ticked");
    assert_eq!(status_of(&app, &first), "approved");
    assert_eq!(status_of(&app, &second), "approved");

    app.credit(company, 1);
    let response = owner.post_form("/app/balance/pay", &pick).await;
    assert_eq!(response.status(), 303);
    assert_eq!(status_of(&app, &first), "paid");
    assert_eq!(status_of(&app, &second), "paid");
    assert_eq!(shown_balance(&owner).await, 0);
    let page = owner.get_text("/app/balance").await;
    assert!(!page.contains("data-payable="), "nothing left to pay");
}

#[tokio::test]
async fn twenty_concurrent_payments_against_a_balance_for_five_pay_exactly_five() {
    let app = TestApp::spawn().await;
    let (owner, email) = app.seller("Acme").await;
    let company = app.company_of(&email);
    let mut numbers = Vec::new();
    for n in 0..20 {
        numbers.push(approved(&owner, n).await);
    }
    let total = total_of(&owner, &numbers[0]).await;
    app.credit(company, 5 * total);

    let token = owner.csrf().await;
    let payments = numbers.iter().map(|no| {
        owner
            .client
            .post(owner.url(&format!("/app/orders/{no}/pay")))
            .form(&[("csrf_token", token.as_str())])
            .send()
    });
    let responses = futures_util::future::join_all(payments).await;
    let statuses: Vec<u16> = responses
        .iter()
        .map(|r| r.as_ref().expect("answered").status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        15,
        "{statuses:?}"
    );

    let paid = numbers
        .iter()
        .filter(|no| status_of(&app, no) == "paid")
        .count();
    assert_eq!(paid, 5);
    let ledger = entries(&app, company);
    assert_eq!(
        ledger.iter().filter(|(kind, _)| kind == "payment").count(),
        5
    );
    let mut running = 0;
    for (_, amount) in &ledger {
        running += amount;
        assert!(running >= 0, "the balance never went below zero");
    }
    assert_eq!(running, 0);
    assert_eq!(
        shown_balance(&owner).await,
        running,
        "ledger sum = balance shown"
    );
}

#[tokio::test]
async fn cancelling_a_paid_order_refunds_it_in_full() {
    let app = TestApp::spawn().await;
    let (owner, email) = app.seller("Acme").await;
    let company = app.company_of(&email);
    app.credit(company, 50_000);
    let no = approved(&owner, 0).await;
    let total = total_of(&owner, &no).await;
    owner.post_form(&format!("/app/orders/{no}/pay"), &[]).await;
    assert_eq!(status_of(&app, &no), "paid");
    let page = owner.get_text(&format!("/app/orders/{no}")).await;
    assert!(
        page.contains("全额退回"),
        "the confirmation says it is refunded"
    );

    let response = owner
        .post_form(&format!("/app/orders/{no}/cancel"), &[("confirm", "yes")])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(status_of(&app, &no), "cancelled");
    assert_eq!(
        entries(&app, company),
        [
            ("adjustment".to_owned(), 50_000),
            ("payment".to_owned(), -total),
            ("refund".to_owned(), total)
        ]
    );
    assert_eq!(shown_balance(&owner).await, 50_000);
}

#[tokio::test]
async fn the_statement_lists_filters_and_exports_the_entries() {
    let app = TestApp::spawn().await;
    let (owner, email) = app.seller("Acme").await;
    let company = app.company_of(&email);
    app.credit(company, 30_000);
    let no = approved(&owner, 0).await;
    let total = total_of(&owner, &no).await;
    owner.post_form(&format!("/app/orders/{no}/pay"), &[]).await;

    let page = owner.get_text("/app/balance").await;
    assert!(page.contains("data-entry=\"payment\"") && page.contains("data-entry=\"adjustment\""));
    assert!(page.contains(&format!("data-amount=\"-{total}\"")));
    assert!(page.contains("data-month=\""), "monthly totals");
    let payments = owner.get_text("/app/balance?kind=payment").await;
    assert!(
        !payments.contains("data-entry=\"adjustment\""),
        "filtered by kind"
    );

    let response = owner.get("/app/balance/statement.csv").await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.expect("body");
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "a byte-order mark for Excel"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "time,kind,kind_name,amount_cny,order_no,topup_id,by,note"
    );
    assert_eq!(lines.len(), 3, "{text}");
    let money = |fen: i64| format!("{}.{:02}", fen / 100, fen % 100);
    assert!(lines[1].contains(&format!(",payment,订单付款,-{},{no},", money(total))));
    assert!(lines[2].contains(",adjustment,调整,300.00,"));

    let filtered = owner
        .get_text("/app/balance/statement.csv?kind=payment")
        .await;
    assert_eq!(filtered.lines().count(), 2, "{filtered}");
    let xlsx = owner.get("/app/balance/statement.xlsx").await;
    assert_eq!(xlsx.status(), 200);
    assert!(xlsx.bytes().await.expect("body").starts_with(b"PK"));
    assert_eq!(owner.get("/app/balance/statement.pdf").await.status(), 404);
}

#[tokio::test]
async fn a_seller_sees_the_balance_but_neither_tops_up_nor_reads_the_statement() {
    let app = TestApp::spawn().await;
    let (owner, email) = app.seller("Acme").await;
    assert_eq!(
        request_topup(&owner, "100", Some(png())).await.status(),
        303
    );
    let admin = app.staff(Role::Admin).await;
    let receipt = first_id(
        &admin
            .get_text(&format!("/admin/topups/{}", queued_topup(&admin).await))
            .await,
        "src=\"/uploads/",
    );
    let seller = member(&app, &email, Role::Seller).await;
    let page = seller.get_text("/app/balance").await;
    assert!(page.contains("data-balance=\"0\""));
    assert!(!page.contains("/app/balance/topups") && !page.contains("data-topup="));
    assert_eq!(
        request_topup(&seller, "100", Some(png())).await.status(),
        403
    );
    assert_eq!(seller.get("/app/balance/statement.csv").await.status(), 403);
    assert_eq!(
        seller.get(&format!("/uploads/{receipt}")).await.status(),
        404
    );

    let manager = member(&app, &email, Role::Manager).await;
    assert!(
        manager
            .get_text("/app/balance")
            .await
            .contains("data-topup=")
    );
    assert_eq!(
        manager.get(&format!("/uploads/{receipt}")).await.status(),
        200
    );
}

#[tokio::test]
async fn another_companys_top_up_receipt_and_orders_answer_404() {
    let app = TestApp::spawn().await;
    let (owner, email) = app.seller("Acme").await;
    app.credit(app.company_of(&email), 100_000);
    let no = approved(&owner, 0).await;
    assert_eq!(
        request_topup(&owner, "100", Some(png())).await.status(),
        303
    );
    let admin = app.staff(Role::Admin).await;
    let id = queued_topup(&admin).await;
    let receipt = first_id(
        &admin.get_text(&format!("/admin/topups/{id}")).await,
        "src=\"/uploads/",
    );

    let (other, _) = app.seller("Globex").await;
    assert_eq!(
        other.get(&format!("/uploads/{receipt}")).await.status(),
        404
    );
    assert_eq!(
        other.get(&format!("/admin/topups/{id}")).await.status(),
        403
    );
    let response = other.post_form(&format!("/app/orders/{no}/pay"), &[]).await;
    assert_eq!(response.status(), 404);
    let response = other
        .post_form("/app/balance/pay", &[("order", no.as_str())])
        .await;
    assert_eq!(response.status(), 404);
    assert_eq!(status_of(&app, &no), "approved");
    let page = other.get_text("/app/balance").await;
    assert!(!page.contains(&no) && !page.contains("data-topup="));

    let operator = app.staff(Role::Operator).await;
    assert_eq!(
        operator.get("/admin/topups").await.status(),
        403,
        "the admin's queue"
    );
}

#[tokio::test]
async fn ledger_entries_cannot_be_changed_or_deleted() {
    let app = TestApp::spawn().await;
    let (_, email) = app.seller("Acme").await;
    let company = app.company_of(&email);
    app.credit(company, 100);
    let mut conn = app.conn();
    let conn: &mut DbConnection = &mut conn;
    let update = diesel::update(ledger_entries::table)
        .set(ledger_entries::amount_fen.eq(1_000_000))
        .execute(conn);
    assert!(update.is_err(), "no edit");
    let delete = diesel::delete(ledger_entries::table).execute(conn);
    assert!(delete.is_err(), "no delete");
    assert_eq!(entries(&app, company), [("adjustment".to_owned(), 100)]);
}

#[tokio::test]
async fn a_top_up_posted_twice_is_one_request() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.seller("Acme").await;
    let (first, second) = tokio::join!(
        request_topup(&owner, "300", Some(png())),
        request_topup(&owner, "300", Some(png()))
    );
    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (303, 303)
    );
    assert_eq!(app.count("topups"), 1);
    assert_eq!(
        request_topup(&owner, "301", Some(png())).await.status(),
        303
    );
    assert_eq!(app.count("topups"), 2, "another amount is another request");
}

#[tokio::test]
async fn a_suspended_company_keeps_its_balance_but_cannot_pay() {
    let app = TestApp::spawn().await;
    let (owner, email) = app.seller("Acme").await;
    let company = app.company_of(&email);
    app.credit(company, 100_000);
    let no = approved(&owner, 0).await;
    {
        use samplepost::db::schema::companies;
        let mut conn = app.conn();
        let conn: &mut DbConnection = &mut conn;
        diesel::update(companies::table.find(company))
            .set(companies::module_status.eq("suspended"))
            .execute(conn)
            .expect("suspend");
    }
    let response = owner.post_form(&format!("/app/orders/{no}/pay"), &[]).await;
    assert_eq!(response.status(), 409);
    let page = response.text().await.expect("page");
    assert!(page.contains("后才能付款"), "says why");
    assert_eq!(status_of(&app, &no), "approved");
    assert_eq!(shown_balance(&owner).await, 100_000);
}

#[tokio::test]
async fn paying_an_order_that_is_already_paid_answers_409_and_charges_nothing() {
    let app = TestApp::spawn().await;
    let (owner, email) = app.seller("Acme").await;
    app.credit(app.company_of(&email), 100_000);
    let no = approved(&owner, 0).await;
    let path = format!("/app/orders/{no}/pay");
    assert_eq!(owner.post_form(&path, &[]).await.status(), 303);
    let after_first = shown_balance(&owner).await;
    assert!(after_first < 100_000, "the first payment is charged");
    let again = owner.post_form(&path, &[]).await;
    assert_eq!(again.status(), 409, "distinguishable from success");
    let page = again.text().await.expect("page");
    assert!(page.contains("订单当前状态下不能执行这个操作"), "says why");
    assert_eq!(shown_balance(&owner).await, after_first, "charged once");
    assert_eq!(status_of(&app, &no), "paid");
}

#[tokio::test]
async fn the_seller_is_told_when_a_manager_pays_their_order() {
    let app = TestApp::spawn().await;
    let (_, email) = app.seller("Acme").await;
    app.credit(app.company_of(&email), 100_000);
    let seller = member(&app, &email, Role::Seller).await;
    let no = approved(&seller, 0).await;
    assert_eq!(status_of(&app, &no), "approved", "no approval rule is set");
    let manager = member(&app, &email, Role::Manager).await;
    let response = manager
        .post_form("/app/balance/pay", &[("order", no.as_str())])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(status_of(&app, &no), "paid");
    let notifications = seller.get_text("/app/notifications").await;
    assert!(notifications.contains("data-kind=\"order.paid\""));
}

#[tokio::test]
async fn the_top_up_form_names_the_platforms_account_and_the_companys_transfer_reference() {
    let app = TestApp::spawn().await;
    let (owner, email) = app.seller("Acme").await;
    let company = app.company_of(&email);
    let reference = format!("SP{company:06}");
    let page = owner.get_text("/app/balance").await;
    assert!(
        page.contains("data-no-payee"),
        "says the account is not published yet"
    );
    let admin = app.staff(Role::Admin).await;
    let refused = admin
        .post_form(
            "/admin/payee",
            &[
                ("payee_name", "深圳样品邮物流有限公司"),
                ("payee_bank", ""),
                ("payee_account", ""),
            ],
        )
        .await;
    crate::common::refused_beside(refused, &["payee_bank", "payee_account"]).await;
    let saved = admin
        .post_form(
            "/admin/payee",
            &[
                ("payee_name", "深圳样品邮物流有限公司"),
                ("payee_bank", "招商银行深圳分行"),
                ("payee_account", "7559 1234 5678 901"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    let page = owner.get_text("/app/balance").await;
    assert!(page.contains("招商银行深圳分行") && page.contains("7559 1234 5678 901"));
    assert!(
        page.contains(&format!("data-reference=\"{reference}\"")),
        "the company's reference"
    );
    assert_eq!(
        request_topup(&owner, "300", Some(png())).await.status(),
        303
    );
    let queue = admin.get_text("/admin/topups").await;
    let id = crate::common::first_id(&queue, "href=\"/admin/topups/");
    let detail = admin.get_text(&format!("/admin/topups/{id}")).await;
    assert!(
        detail.contains(&format!("data-reference=\"{reference}\"")),
        "staff match it"
    );
    assert_eq!(
        app.browser().get("/admin/payee").await.status(),
        303,
        "not for visitors"
    );
}
