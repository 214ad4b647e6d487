//! Platform staff pages under /admin.

pub mod countries;
pub mod modules;
pub mod outbox;
pub mod payee;
pub mod pickups;
pub mod pricing;
pub mod rates;
pub mod reviews;
pub mod routes;
pub mod staff;
pub mod tickets;
pub mod topups;
pub mod tracking;
pub mod verifications;
pub mod warehouse;
pub mod warehouses;

use super::auth::Staff;
use super::ctx::PageCtx;
use super::errors::AppError;
use super::{AppState, render, run};
use crate::db::schema::{companies, module_applications};
use crate::domain::status::{ApplicationStatus, CompanyStatus};
use crate::services::ServiceError;
use crate::services::company::Decision;
use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

/// A staff action on one record that needs no form: runs `action` on record
/// `id` as the staff member, flashes `done` and goes back to `{back}/{id}`.
/// Refusals (409, 403, 404) come back as the usual error pages.
pub async fn act_on(
    staff: &Staff,
    session: &actix_session::Session,
    state: &AppState,
    id: i64,
    action: fn(
        &mut crate::db::DbConnection,
        &crate::services::Actor,
        i64,
    ) -> crate::services::ServiceResult<()>,
    done: &'static str,
    back: &str,
) -> Result<HttpResponse, AppError> {
    let actor = staff.0.actor();
    run(state, move |conn| action(conn, &actor, id)).await?;
    super::ctx::flash(session, "success", done);
    Ok(super::redirect(&format!("{back}/{id}")))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin", web::get().to(dashboard));
    verifications::routes(cfg);
    modules::routes(cfg);
    outbox::routes(cfg);
    payee::routes(cfg);
    topups::routes(cfg);
    staff::routes(cfg);
    routes::routes(cfg);
    rates::routes(cfg);
    pricing::routes(cfg);
    countries::routes(cfg);
    warehouse::routes(cfg);
    warehouses::routes(cfg);
    pickups::routes(cfg);
    tickets::routes(cfg);
    tracking::routes(cfg);
    reviews::routes(cfg);
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct DashboardPage {
    ctx: PageCtx,
    pending_verifications: i64,
    pending_applications: i64,
    /// Pickup requests no operator has answered yet.
    pending_pickups: i64,
    /// Only the admin confirms top-ups, so operators are not shown the count.
    pending_topups: Option<i64>,
    /// Open tickets nobody has taken yet.
    unassigned_tickets: i64,
}

/// Handles GET /admin: what is waiting for staff.
async fn dashboard(
    ctx: PageCtx,
    staff: Staff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let actor = staff.0.actor();
    let (
        pending_verifications,
        pending_applications,
        pending_pickups,
        pending_topups,
        unassigned_tickets,
    ) = run(&state, move |conn| {
        actor.require_staff()?;
        let verifications = companies::table
            .filter(companies::status.eq(CompanyStatus::Submitted.as_str()))
            .count()
            .get_result::<i64>(conn)?;
        let applications = module_applications::table
            .filter(module_applications::status.eq(ApplicationStatus::Applied.as_str()))
            .count()
            .get_result::<i64>(conn)?;
        let pickups = crate::services::handover::operators::waiting_count(conn, &actor)?;
        let topups = match actor.require_admin() {
            Ok(()) => Some(crate::services::topups::pending_count(conn, &actor)?),
            Err(_) => None,
        };
        let tickets = crate::services::tickets::unassigned_open_count(conn, &actor)?;
        Ok((verifications, applications, pickups, topups, tickets))
    })
    .await?;
    render(&DashboardPage {
        ctx,
        pending_verifications,
        pending_applications,
        pending_pickups,
        pending_topups,
        unassigned_tickets,
    })
}

/// The approve / reject form shared by the review pages.
#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

impl DecisionForm {
    /// A rejection needs a reason the seller can act on.
    fn parse(&self) -> Result<Decision, ServiceError> {
        match self.decision.as_str() {
            "approve" => Ok(Decision::Approve),
            "reject" => {
                let reason = self.reason.trim();
                if reason.is_empty() {
                    Err(ServiceError::Invalid(
                        crate::domain::field_errors::FieldErrors::single(
                            "reason",
                            "error.review.reason_required",
                        ),
                    ))
                } else {
                    Ok(Decision::Reject {
                        reason: reason.chars().take(500).collect(),
                    })
                }
            }
            _ => Err(ServiceError::Invalid(
                crate::domain::field_errors::FieldErrors::single(
                    "decision",
                    "error.review.decision",
                ),
            )),
        }
    }
}

impl DecisionForm {
    /// Parses the decision and, when it is well-formed, applies it with
    /// `review`. `Ok(Err(errors))` means the detail page must be shown again
    /// with `errors`; any other failure is the caller's error page.
    pub async fn apply<F>(
        &self,
        state: &AppState,
        review: F,
    ) -> Result<Result<(), crate::domain::field_errors::FieldErrors>, AppError>
    where
        F: FnOnce(&mut crate::db::DbConnection, Decision) -> crate::services::ServiceResult<()>
            + Send
            + 'static,
    {
        let decision = match self.parse() {
            Ok(decision) => decision,
            Err(ServiceError::Invalid(errors)) => return Ok(Err(errors)),
            Err(error) => return Err(error.into()),
        };
        match run(state, move |conn| review(conn, decision)).await {
            Ok(()) => Ok(Ok(())),
            Err(AppError::Service(ServiceError::Invalid(errors))) => Ok(Err(errors)),
            Err(error) => Err(error),
        }
    }
}

/// `?status=…&q=…&page=…` of the review queues.
#[derive(Deserialize, Default)]
pub struct QueueQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<String>,
}

impl QueueQuery {
    fn page(&self) -> i64 {
        super::PageQuery {
            page: self.page.clone(),
        }
        .number()
    }
}
