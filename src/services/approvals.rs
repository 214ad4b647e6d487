//! The approval workflow (issue #5): the owner's policy, the decision at
//! submit, the approvers' queue, approve and reject.

use super::notifications::notify_user;
use super::orders::{By, find, transition};
use super::{Actor, ServiceError, ServiceResult, now};
use crate::db::models::{ApprovalPolicyRow, User};
use crate::db::orders::Order;
use crate::db::schema::{
    approval_policies, companies, order_events, order_quotes, order_recipients, orders, users,
};
use crate::db::{DbConnection, write_tx};
use crate::domain::approval::{self, ApproverLevel, Decision, Facts, Policy, Reason};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::{CompanyId, UserId};
use crate::domain::money::Fen;
use crate::domain::order_state::{self, OrderStatus};
use crate::domain::status::Role;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Orders in these states have not committed any money.
const NOT_COMMITTED: [OrderStatus; 4] = [
    OrderStatus::AwaitingAddress,
    OrderStatus::Draft,
    OrderStatus::PendingApproval,
    OrderStatus::Cancelled,
];

fn not_committed() -> Vec<&'static str> {
    NOT_COMMITTED.iter().map(|s| s.as_str()).collect()
}

/// The start of this month in China time, as stored (UTC).
fn month_start() -> NaiveDateTime {
    crate::domain::china_time::month_start(super::pricing::today())
}

/// The company's policy; no row means "never".
pub fn policy(conn: &mut DbConnection, company: CompanyId) -> QueryResult<Policy> {
    let row: Option<ApprovalPolicyRow> = approval_policies::table
        .find(company.0)
        .first(conn)
        .optional()?;
    Ok(match row {
        Some(row) => Policy {
            always: row.always,
            above: row.above_fen.map(Fen),
            sensitive_goods: row.sensitive_goods,
            new_destination: row.new_destination,
            monthly_budget: row.monthly_budget_fen.map(Fen),
        },
        None => Policy::default(),
    })
}

/// What the settings page shows: the policy, the backup-route rule and the members' budgets.
pub struct Settings {
    pub policy: Policy,
    pub require_backup_route: bool,
    pub members: Vec<User>,
}

pub fn settings(conn: &mut DbConnection, actor: &Actor) -> ServiceResult<Settings> {
    let company = actor.require_owner()?;
    let require_backup_route = companies::table
        .find(company.0)
        .select(companies::require_backup_route)
        .first(conn)?;
    let members = users::table
        .filter(users::company_id.eq(company.0))
        .filter(users::role.ne(Role::Owner.as_str()))
        .order(users::display_name.asc())
        .load(conn)?;
    Ok(Settings {
        policy: policy(conn, company)?,
        require_backup_route,
        members,
    })
}

/// Saves the owner's policy; `member_budgets` are (user id, budget) of the company's members.
pub fn save_settings(
    conn: &mut DbConnection,
    actor: &Actor,
    policy: &Policy,
    require_backup_route: bool,
    member_budgets: &[(i64, Option<Fen>)],
) -> ServiceResult<()> {
    let company = actor.require_owner()?;
    write_tx(conn, |conn| {
        let row = ApprovalPolicyRow {
            company_id: company.0,
            always: policy.always,
            above_fen: policy.above.map(|f| f.0),
            sensitive_goods: policy.sensitive_goods,
            new_destination: policy.new_destination,
            monthly_budget_fen: policy.monthly_budget.map(|f| f.0),
            updated_by: actor.user_id.0,
            updated_at: now(),
        };
        let updated = diesel::update(approval_policies::table.find(company.0))
            .set(&row)
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(approval_policies::table)
                .values(&row)
                .execute(conn)?;
        }
        diesel::update(companies::table.find(company.0))
            .set(companies::require_backup_route.eq(require_backup_route))
            .execute(conn)?;
        for (user, budget) in member_budgets {
            diesel::update(
                users::table
                    .filter(users::id.eq(user))
                    .filter(users::company_id.eq(company.0)),
            )
            .set(users::monthly_budget_fen.eq(budget.map(|b| b.0)))
            .execute(conn)?;
        }
        super::audit::record(
            conn,
            actor,
            super::audit::Event {
                action: "company.approval_policy",
                company: Some(company),
                target_type: "company",
                target_id: company.0.to_string(),
                detail: match (policy.codes(), require_backup_route) {
                    (codes, true) if codes.is_empty() => "backup_route".to_owned(),
                    (codes, true) => format!("{codes};backup_route"),
                    (codes, false) => codes,
                },
            },
        )?;
        Ok(())
    })
}

/// Money committed this month (China time) by the company, or by one member.
fn spent(conn: &mut DbConnection, company: CompanyId, member: Option<i64>) -> QueryResult<Fen> {
    let mut query = orders::table
        .inner_join(order_quotes::table)
        .filter(orders::company_id.eq(company.0))
        .filter(orders::submitted_at.ge(month_start()))
        .filter(orders::status.ne_all(not_committed()))
        .select(order_quotes::total_fen)
        .into_boxed();
    if let Some(member) = member {
        query = query.filter(orders::submitted_by.eq(member));
    }
    let totals: Vec<i64> = query.load(conn)?;
    Ok(Fen(totals.iter().sum()))
}

/// The decision for a draft about to be submitted by `submitter`, priced at
/// `total`. The submitter, not whoever created the draft, is the one asking:
/// a draft the owner made and a seller submits needs what the seller's would.
pub fn decide_for(
    conn: &mut DbConnection,
    order: &Order,
    submitter: &Actor,
    total: Fen,
    sensitive_goods: bool,
    country: &str,
) -> QueryResult<Decision> {
    let company = CompanyId(order.company_id);
    let submitter: User = users::table.find(submitter.user_id.0).first(conn)?;
    let shipped_before: bool = diesel::select(diesel::dsl::exists(
        orders::table
            .inner_join(order_recipients::table)
            .filter(orders::company_id.eq(company.0))
            .filter(orders::id.ne(order.id))
            .filter(orders::status.ne_all(not_committed()))
            .filter(order_recipients::country.eq(country)),
    ))
    .get_result(conn)?;
    // A manager who wrote the content cannot approve it: with no other
    // manager left, the order goes to the owner.
    let mut interested = content_authors(conn, order.id)?;
    interested.push(submitter.id);
    let other_managers: bool = diesel::select(diesel::dsl::exists(
        users::table
            .filter(users::company_id.eq(company.0))
            .filter(users::role.eq(Role::Manager.as_str()))
            .filter(users::id.ne_all(interested))
            .filter(users::disabled.eq(false)),
    ))
    .get_result(conn)?;
    let facts = Facts {
        submitter: submitter.role,
        total,
        sensitive_goods,
        new_destination: !shipped_before,
        company_spent: spent(conn, company, None)?,
        member_spent: spent(conn, company, Some(submitter.id))?,
        member_budget: submitter.monthly_budget_fen.map(Fen),
        other_managers,
    };
    Ok(approval::decide(&policy(conn, company)?, &facts))
}

/// Records who must approve and tells them (never the submitter).
pub fn request(
    conn: &mut DbConnection,
    order: &Order,
    submitter: &Actor,
    by: ApproverLevel,
    reasons: &[Reason],
) -> QueryResult<()> {
    let codes: Vec<&str> = reasons.iter().map(|r| r.as_str()).collect();
    diesel::update(orders::table.find(order.id))
        .set((
            orders::approval_level.eq(Some(by.as_str())),
            orders::approval_reasons.eq(Some(codes.join(";"))),
        ))
        .execute(conn)?;
    let approvers: Vec<(i64, String)> = users::table
        .filter(users::company_id.eq(order.company_id))
        .filter(users::id.ne(submitter.user_id.0))
        .filter(users::disabled.eq(false))
        .select((users::id, users::role))
        .load(conn)?;
    let authors = content_authors(conn, order.id)?;
    for (user, role) in approvers {
        let role = Role::parse(&role).unwrap_or(Role::Seller);
        let interested = role != Role::Owner && authors.contains(&user);
        if approval::may_approve(role, by) && !interested {
            notify_user(
                conn,
                UserId(user),
                "order.approval_requested",
                &order.order_no,
                "/app/approvals",
            )?;
        }
    }
    Ok(())
}

/// Timeline events that change what an order contains.
const CONTENT_EVENTS: [&str; 2] = ["create", "edit"];

/// The members who wrote any of the order's content (created or edited it).
/// A manager among them may not approve it: they would approve their own
/// request through a colleague's submit. The owner may, since the owner's
/// own orders need no approval at all.
fn content_authors(conn: &mut DbConnection, order_id: i64) -> QueryResult<Vec<i64>> {
    let authors: Vec<Option<i64>> = order_events::table
        .filter(order_events::order_id.eq(order_id))
        .filter(order_events::kind.eq_any(CONTENT_EVENTS))
        .select(order_events::actor_id)
        .distinct()
        .load(conn)?;
    Ok(authors.into_iter().flatten().collect())
}

/// Whether `actor` may decide on `order`: not the submitter, and not a
/// manager who wrote its content; the approval level is checked by the caller.
fn conflict_of_interest(
    conn: &mut DbConnection,
    actor: &Actor,
    order: &Order,
) -> QueryResult<Option<&'static str>> {
    if order.submitted_by == Some(actor.user_id.0) {
        return Ok(Some("error.approval.own_order"));
    }
    if actor.role != Role::Owner && content_authors(conn, order.id)?.contains(&actor.user_id.0) {
        return Ok(Some("error.approval.changed_by_you"));
    }
    Ok(None)
}

/// One order waiting for the current user, with what the decision needs.
pub struct Pending {
    pub order: Order,
    pub recipient: String,
    pub country: String,
    pub requester: String,
    pub total: Fen,
    pub reasons: Vec<Reason>,
    pub budget: Option<Fen>,
    pub spent: Fen,
    /// The requester's latest other orders: number, status, total.
    pub recent: Vec<(String, String, Option<i64>)>,
    /// What the parcel holds, as declared to customs.
    pub items: Vec<crate::db::orders::OrderItem>,
    /// The warnings the submitter acknowledged.
    pub warnings: Vec<crate::domain::order_event::WarningNote>,
}

impl Pending {
    /// The sensitive goods declared, as (catalogue section, code): the
    /// battery kind, then liquid, magnetic, powder.
    pub fn sensitive(&self) -> Vec<(&'static str, &str)> {
        let order = &self.order;
        let mut found = Vec::new();
        if order.battery != "none" {
            found.push(("battery", order.battery.as_str()));
        }
        for (declared, code) in [
            (order.liquid, "liquid"),
            (order.magnetic, "magnetic"),
            (order.powder, "powder"),
        ] {
            if declared {
                found.push(("attribute", code));
            }
        }
        found
    }
}

/// The warnings acknowledged at the order's latest submission.
fn acknowledged(
    conn: &mut DbConnection,
    order_id: i64,
) -> QueryResult<Vec<crate::domain::order_event::WarningNote>> {
    let params: Option<String> = order_events::table
        .filter(order_events::order_id.eq(order_id))
        .filter(order_events::kind.eq("submit"))
        .order(order_events::id.desc())
        .select(order_events::params)
        .first(conn)
        .optional()?;
    Ok(params
        .map(|p| crate::domain::order_event::EventParams::from_json(&p).warnings)
        .unwrap_or_default())
}

impl Pending {
    /// What is left of the monthly budget after this order, if there is one.
    pub fn left_after(&self) -> Option<Fen> {
        self.budget.map(|b| b - self.spent - self.total)
    }
}

fn reasons_of(order: &Order) -> Vec<Reason> {
    order
        .approval_reasons
        .as_deref()
        .unwrap_or_default()
        .split(';')
        .filter_map(|code| Reason::parse(code).ok())
        .collect()
}

fn level_of(order: &Order) -> ApproverLevel {
    order
        .approval_level
        .as_deref()
        .and_then(|l| ApproverLevel::parse(l).ok())
        .unwrap_or(ApproverLevel::Owner)
}

/// The orders the actor may decide: pending, of their company, not their own.
pub fn queue(conn: &mut DbConnection, actor: &Actor) -> ServiceResult<Vec<Pending>> {
    let company = actor.company()?;
    let rows: Vec<(Order, String, String, String, Option<i64>)> = orders::table
        .inner_join(order_recipients::table)
        .inner_join(users::table.on(users::id.nullable().eq(orders::submitted_by)))
        .left_join(order_quotes::table)
        .filter(orders::company_id.eq(company.0))
        .filter(orders::status.eq(OrderStatus::PendingApproval.as_str()))
        .order(orders::submitted_at.asc())
        .select((
            orders::all_columns,
            order_recipients::name,
            order_recipients::country,
            users::display_name,
            order_quotes::total_fen.nullable(),
        ))
        .load(conn)?;
    let budget = policy(conn, company)?.monthly_budget;
    let spent_now = spent(conn, company, None)?;
    let mut pending = Vec::new();
    for (order, recipient, country, requester, total) in rows {
        if !approval::may_approve(actor.role, level_of(&order))
            || conflict_of_interest(conn, actor, &order)?.is_some()
        {
            continue;
        }
        let recent = orders::table
            .left_join(order_quotes::table)
            .filter(orders::submitted_by.eq(order.submitted_by))
            .filter(orders::id.ne(order.id))
            .order(orders::created_at.desc())
            .limit(5)
            .select((
                orders::order_no,
                orders::status,
                order_quotes::total_fen.nullable(),
            ))
            .load(conn)?;
        let items = crate::db::schema::order_items::table
            .filter(crate::db::schema::order_items::order_id.eq(order.id))
            .order(crate::db::schema::order_items::position.asc())
            .load(conn)?;
        let warnings = acknowledged(conn, order.id)?;
        pending.push(Pending {
            items,
            warnings,
            reasons: reasons_of(&order),
            order,
            recipient,
            country,
            requester,
            total: Fen(total.unwrap_or_default()),
            budget,
            spent: spent_now,
            recent,
        });
    }
    Ok(pending)
}

/// Approves or rejects (with a required comment) one pending order.
pub fn decide(
    conn: &mut DbConnection,
    actor: &Actor,
    order_no: &str,
    approve: bool,
    comment: &str,
) -> ServiceResult<()> {
    let comment = comment.trim();
    if !approve && comment.is_empty() {
        return Err(ServiceError::Invalid(FieldErrors::single(
            "comment",
            "error.order.comment_required",
        )));
    }
    write_tx(conn, |conn| {
        // Queued behind submissions and payments of the company (budgets).
        crate::db::ledger::lock_company(conn, actor.company()?.0)?;
        let order = find(conn, actor, order_no)?;
        if let Some(reason) = conflict_of_interest(conn, actor, &order)? {
            return Err(ServiceError::Conflict(reason));
        }
        if order.status == OrderStatus::PendingApproval
            && !approval::may_approve(actor.role, level_of(&order))
        {
            return Err(ServiceError::Forbidden);
        }
        let event = if approve {
            order_state::Event::Approve
        } else {
            order_state::Event::Reject {
                comment: comment.to_owned(),
            }
        };
        transition(
            conn,
            &order,
            &event,
            By::Approver(actor),
            comment,
            &crate::domain::order_event::EventParams::default(),
            comment.to_owned(),
        )?;
        notify_user(
            conn,
            UserId(order.submitted_by.unwrap_or(order.created_by)),
            if approve {
                "order.approved"
            } else {
                "order.rejected"
            },
            &order.order_no,
            &format!("/app/orders/{}", order.order_no),
        )?;
        Ok(())
    })
}
