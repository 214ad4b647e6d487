//! Who may order and change what: the company's readiness (verification,
//! the module), a seller's reach over colleagues' orders, the sender.

use super::{Actor, ServiceError, ServiceResult, addresses};
use crate::db::DbConnection;
use crate::db::orders::Order;
use crate::db::schema::companies;
use crate::domain::ids::CompanyId;
use crate::domain::order::Draft;
use crate::domain::status::ModuleStatus;
use diesel::prelude::*;

/// Who may change an order's content or move it (submit, cancel, documents):
/// its creator, and the company's owner and managers; a seller only their
/// own orders (DESIGN notes in the README). Approval is decided elsewhere.
pub(crate) fn may_change(actor: &Actor, order: &Order) -> ServiceResult<()> {
    if actor.role == crate::domain::status::Role::Seller && order.created_by != actor.user_id.0 {
        return Err(ServiceError::Forbidden);
    }
    Ok(())
}

/// Parcels leave from China: a sender address elsewhere is a recipient's.
pub const SENDER_COUNTRY: &str = "CN";

/// Checks that the sender address, if one is chosen, is in the company's
/// book and in China.
pub(super) fn check_sender(
    conn: &mut DbConnection,
    actor: &Actor,
    draft: &Draft,
) -> ServiceResult<()> {
    let refused = |key| {
        ServiceError::Invalid(crate::domain::field_errors::FieldErrors::single(
            "sender", key,
        ))
    };
    if let Some(id) = draft.sender_address_id {
        let address = addresses::get(conn, actor, id).map_err(|_| refused("error.order.sender"))?;
        if address.country != SENDER_COUNTRY {
            return Err(refused("error.order.sender_abroad"));
        }
    }
    Ok(())
}

/// What still stands between a company and its first order: verification
/// first, then the sample-logistics module. `None` once the module is active.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotReady {
    /// The company is not verified yet (or was rejected): `/app/company`.
    Verification,
    /// Verified, but the module is not active: `/app/module`.
    Module,
}

pub fn readiness(conn: &mut DbConnection, actor: &Actor) -> ServiceResult<Option<NotReady>> {
    let company = actor.company()?;
    let (status, module): (String, String) = companies::table
        .find(company.0)
        .select((companies::status, companies::module_status))
        .first(conn)?;
    Ok(if module == ModuleStatus::Active.as_str() {
        None
    } else if status != crate::domain::status::CompanyStatus::Verified.as_str() {
        Some(NotReady::Verification)
    } else {
        Some(NotReady::Module)
    })
}

/// Orders are for companies whose sample-logistics module is active.
pub(crate) fn require_active(conn: &mut DbConnection, company: CompanyId) -> ServiceResult<()> {
    let status: String = companies::table
        .find(company.0)
        .select(companies::module_status)
        .first(conn)?;
    if status == ModuleStatus::Active.as_str() {
        Ok(())
    } else {
        Err(ServiceError::Conflict("error.order.module_inactive"))
    }
}
