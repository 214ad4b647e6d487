//! The counts `/metrics` shows from the database (issue #14): work waiting
//! for the background workers and orders by state. Read-only and without an
//! actor: the endpoint is guarded by its token (`web::metrics`), and the
//! numbers name no company.

use super::ServiceResult;
use crate::db::DbConnection;
use crate::db::schema::{orders, outbox, webhook_deliveries};
use crate::metrics::Backlog;
use diesel::dsl::count_star;
use diesel::prelude::*;

/// Three small aggregate queries; each is one index or table scan, fine at
/// a scrape every 15 s or more.
pub fn read(conn: &mut DbConnection) -> ServiceResult<Backlog> {
    let outbox_pending = outbox::table
        .filter(outbox::status.eq("pending"))
        .count()
        .get_result(conn)?;
    let webhooks_pending = webhook_deliveries::table
        .filter(webhook_deliveries::status.eq("pending"))
        .count()
        .get_result(conn)?;
    let orders_by_state = orders::table
        .group_by(orders::status)
        .select((orders::status, count_star()))
        .order(orders::status.asc())
        .load::<(String, i64)>(conn)?;
    Ok(Backlog {
        outbox_pending,
        webhooks_pending,
        orders_by_state,
    })
}
