//! Import and export of orders as CSV/XLSX (`/app/orders/import`,
//! `/app/orders/export.{csv|xlsx}`).

use actix_web::web;

/// Registered before `/app/orders/{no}`, whose pattern would take these paths.
pub fn routes(_cfg: &mut web::ServiceConfig) {}
