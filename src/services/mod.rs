//! Use cases. Each public function is one transaction, checks that the actor
//! may do it, and writes an audit row for what it changed.

pub mod accounts;
pub mod addresses;
pub mod api_idempotency;
pub mod api_orders;
pub mod api_rate;
pub mod api_tokens;
pub mod approvals;
pub mod audit;
pub mod backlog;
pub mod balance;
pub mod board;
pub mod catalogue;
pub mod check;
pub mod company;
pub mod handover;
pub mod labels;
pub mod module;
pub mod notifications;
pub mod orders;
pub mod outbox;
pub mod password_reset;
pub mod payee;
pub mod pricing;
pub mod quote;
pub mod rates;
pub mod returns;
pub mod reviews;
pub mod route_stats;
pub mod routes;
pub mod sessions;
pub mod staff;
pub mod team;
pub mod tickets;
pub mod tokens;
pub mod topups;
pub mod tracking;
pub mod uploads;
pub mod warehouse;
pub mod warehouses;
pub mod watchdog;
pub mod webhooks;

use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::{CompanyId, UserId};
use crate::domain::status::Role;
use crate::storage::StorageError;

/// Who is acting, as the session and the connection say.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: UserId,
    pub email: String,
    pub role: Role,
    pub company_id: Option<CompanyId>,
    pub ip: String,
}

impl Actor {
    /// The actor's company, or `Forbidden` for platform staff.
    pub fn company(&self) -> Result<CompanyId, ServiceError> {
        self.company_id.ok_or(ServiceError::Forbidden)
    }

    pub fn require_owner(&self) -> Result<CompanyId, ServiceError> {
        if self.role != Role::Owner {
            return Err(ServiceError::Forbidden);
        }
        self.company()
    }

    pub fn require_staff(&self) -> Result<(), ServiceError> {
        if self.role.is_staff() {
            Ok(())
        } else {
            Err(ServiceError::Forbidden)
        }
    }

    pub fn require_admin(&self) -> Result<(), ServiceError> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(ServiceError::Forbidden)
        }
    }
}

/// Why a use case did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("forbidden")]
    Forbidden,
    #[error("database unavailable: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    /// The record is in a state that does not allow this; the key explains.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

pub type ServiceResult<T> = Result<T, ServiceError>;

/// Why a one-time link (a recipient's address link, an invitation) does not open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkProblem {
    /// Never issued, replaced, revoked or already used.
    Unknown,
    Expired,
}

/// The current time, as stored (UTC, no zone).
pub fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// One page of a list, with what the template needs to link to its neighbours.
#[derive(Clone, Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: i64,
    pub has_next: bool,
}

impl<T> Page<T> {
    pub const SIZE: i64 = 50;

    /// Builds a page from up to `SIZE + 1` rows (the extra row only says "there is more").
    pub fn from_rows(mut rows: Vec<T>, page: i64) -> Page<T> {
        let has_next = rows.len() as i64 > Page::<T>::SIZE;
        rows.truncate(Page::<T>::SIZE as usize);
        Page {
            items: rows,
            page,
            has_next,
        }
    }

    pub fn offset(page: i64) -> i64 {
        (page.max(1) - 1) * Page::<T>::SIZE
    }
}
