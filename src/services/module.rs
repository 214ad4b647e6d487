//! The "sample logistics" module: a verified company applies, staff activate or decline.

use super::audit::{self, Event};
use super::company::Decision;
use super::notifications::notify_owner;
use super::{Actor, Page, ServiceError, ServiceResult, now};
use crate::db::models::{Company, ModuleApplication, NewModuleApplication};
use crate::db::schema::{companies, module_applications};
use crate::db::{DbConnection, write_tx};
use crate::domain::country::CountryCode;
use crate::domain::ids::{ApplicationId, CompanyId};
use crate::domain::status::{ApplicationStatus, CompanyStatus, ModuleStatus, ProductCategory};
use diesel::prelude::*;

/// The service agreement accepted with an application (a versioned file in the repo).
pub const AGREEMENT_VERSION: &str = "2026-11-v1";
pub const AGREEMENT_MARKDOWN: &str =
    include_str!("../../agreements/service-agreement-2026-11-v1.md");

/// What the owner states when applying.
pub struct Application {
    pub expected_monthly_parcels: i64,
    pub destinations: Vec<CountryCode>,
    pub categories: Vec<ProductCategory>,
}

pub fn apply(
    conn: &mut DbConnection,
    actor: &Actor,
    form: Application,
) -> ServiceResult<ApplicationId> {
    let company_id = actor.require_owner()?;
    write_tx(conn, |conn| {
        let company: Company = companies::table.find(company_id.0).first(conn)?;
        if company.status != CompanyStatus::Verified {
            return Err(ServiceError::Conflict("error.module.not_verified"));
        }
        if !company.module_status.can_apply() {
            return Err(ServiceError::Conflict("error.module.already_applied"));
        }
        let destinations = join(form.destinations.iter().map(CountryCode::as_str));
        let categories = join(form.categories.iter().map(|c| c.as_str()));
        diesel::insert_into(module_applications::table)
            .values(NewModuleApplication {
                company_id: company_id.0,
                status: ApplicationStatus::Applied.as_str(),
                expected_monthly_parcels: form.expected_monthly_parcels,
                destinations: &destinations,
                categories: &categories,
                agreement_version: AGREEMENT_VERSION,
                accepted_by: actor.user_id.0,
                accepted_at: now(),
                accepted_ip: &actor.ip,
            })
            .execute(conn)?;
        let application = latest(conn, company_id)?.ok_or(diesel::result::Error::NotFound)?;
        set_module_status(conn, company_id, ModuleStatus::Applied)?;
        audit::record(
            conn,
            actor,
            Event {
                action: "module.apply",
                company: Some(company_id),
                target_type: "module_application",
                target_id: application.id.to_string(),
                detail: format!("agreement {AGREEMENT_VERSION}"),
            },
        )?;
        Ok(ApplicationId(application.id))
    })
}

fn join<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join(",")
}

fn set_module_status(
    conn: &mut DbConnection,
    company: CompanyId,
    status: ModuleStatus,
) -> QueryResult<usize> {
    diesel::update(companies::table.find(company.0))
        .set((
            companies::module_status.eq(status.as_str()),
            companies::updated_at.eq(now()),
        ))
        .execute(conn)
}

/// The company's newest application, if any.
pub fn latest(
    conn: &mut DbConnection,
    company: CompanyId,
) -> QueryResult<Option<ModuleApplication>> {
    module_applications::table
        .filter(module_applications::company_id.eq(company.0))
        .order(module_applications::id.desc())
        .first(conn)
        .optional()
}

/// Staff activate or decline an application; the owner is notified.
pub fn review(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ApplicationId,
    decision: Decision,
) -> ServiceResult<()> {
    actor.require_staff()?;
    write_tx(conn, |conn| {
        let application: ModuleApplication = module_applications::table.find(id.0).first(conn)?;
        if application.status != ApplicationStatus::Applied {
            return Err(ServiceError::Conflict("error.review.not_pending"));
        }
        let company = CompanyId(application.company_id);
        let (status, module, reason, action, kind) = match &decision {
            Decision::Approve => (
                ApplicationStatus::Active,
                ModuleStatus::Active,
                None,
                "module.activate",
                "module.active",
            ),
            Decision::Reject { reason } => (
                ApplicationStatus::Declined,
                ModuleStatus::Declined,
                Some(reason.clone()),
                "module.decline",
                "module.declined",
            ),
        };
        diesel::update(module_applications::table.find(id.0))
            .set((
                module_applications::status.eq(status.as_str()),
                module_applications::decided_by.eq(Some(actor.user_id.0)),
                module_applications::decided_at.eq(Some(now())),
                module_applications::decision_reason.eq(&reason),
            ))
            .execute(conn)?;
        set_module_status(conn, company, module)?;
        let detail = reason.unwrap_or_default();
        notify_owner(conn, company, kind, &detail, "/app/module")?;
        audit::record(
            conn,
            actor,
            Event {
                action,
                company: Some(company),
                target_type: "module_application",
                target_id: id.to_string(),
                detail,
            },
        )?;
        Ok(())
    })
}

/// Applications with their company, for the staff queue (oldest first).
pub fn queue(
    conn: &mut DbConnection,
    actor: &Actor,
    status: Option<ApplicationStatus>,
    page: i64,
) -> ServiceResult<Page<(ModuleApplication, Company)>> {
    actor.require_staff()?;
    let mut query = module_applications::table
        .inner_join(companies::table)
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(module_applications::status.eq(status.as_str()));
    }
    let rows = query
        .order(module_applications::id.asc())
        .offset(Page::<ModuleApplication>::offset(page))
        .limit(Page::<ModuleApplication>::SIZE + 1)
        .load::<(ModuleApplication, Company)>(conn)?;
    Ok(Page::from_rows(rows, page))
}

/// One application with its company, for the staff detail page.
pub fn application(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ApplicationId,
) -> ServiceResult<(ModuleApplication, Company)> {
    actor.require_staff()?;
    Ok(module_applications::table
        .inner_join(companies::table)
        .filter(module_applications::id.eq(id.0))
        .first(conn)?)
}
