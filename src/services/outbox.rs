//! The e-mail outbox as the platform admin sees it.

use super::{Actor, Page, ServiceResult};
use crate::db::DbConnection;
use crate::db::models::OutboxMail;
use crate::db::schema::outbox;
use diesel::prelude::*;

/// Mails newest first, optionally of one status (pending, sent, failed, skipped).
pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    status: &str,
    page: i64,
) -> ServiceResult<Page<OutboxMail>> {
    actor.require_admin()?;
    let mut query = outbox::table.into_boxed();
    if !status.trim().is_empty() {
        query = query.filter(outbox::status.eq(status.trim().to_owned()));
    }
    let rows = query
        .order(outbox::id.desc())
        .offset(Page::<OutboxMail>::offset(page))
        .limit(Page::<OutboxMail>::SIZE + 1)
        .load(conn)?;
    Ok(Page::from_rows(rows, page))
}
