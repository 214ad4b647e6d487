//! A company's orders as order sheets: export of a filtered list, import of
//! a file as new drafts (all or nothing), and the template's example route.

use super::{OrderFilter, Start, draft_of, insert, list, new_form_token, require_active};
use crate::db::orders::{OrderItem, OrderRecipient};
use crate::db::schema::{order_items, order_recipients, rate_rows, routes};
use crate::db::{DbConnection, write_tx};
use crate::domain::order_sheet::{self, SheetError, SheetOrder, TEMPLATE_COUNTRY};
use crate::domain::route::{RouteCode, RouteStatus};
use crate::services::audit::{self, Event};
use crate::services::{Actor, ServiceError, ServiceResult};
use diesel::prelude::*;
use std::collections::HashMap;

/// Orders whose recipients and items are loaded by one query each: far
/// below the bind-parameter limits of SQLite (32,766) and PostgreSQL (65,535).
const LOAD_CHUNK: usize = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file has problems; no order was created.
    #[error("the order sheet has {} problem(s)", .0.len())]
    Sheet(Vec<SheetError>),
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<diesel::result::Error> for ImportError {
    fn from(error: diesel::result::Error) -> ImportError {
        ImportError::Service(error.into())
    }
}

/// Checks that the company may order, then the whole file, then creates one
/// draft per row in one transaction, so that either every order is created
/// or none. Returns how many were created.
pub fn import(
    conn: &mut DbConnection,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
) -> Result<usize, ImportError> {
    let company = actor.company()?;
    // Before the file is parsed: a company that may not order gets that
    // answer without its file costing the server anything.
    require_active(conn, company)?;
    let routes = crate::services::routes::active_codes(conn)?;
    let drafts = order_sheet::parse(file_name, bytes, &routes).map_err(ImportError::Sheet)?;
    let file_name: String = file_name.chars().take(200).collect();
    write_tx(conn, |conn| {
        for draft in &drafts {
            insert(
                conn,
                actor,
                &new_form_token(),
                draft,
                Start::Draft {
                    save_recipient: false,
                },
            )?;
        }
        audit::record(
            conn,
            actor,
            Event {
                action: "order.import",
                company: Some(company),
                target_type: "order_sheet",
                target_id: file_name,
                detail: drafts.len().to_string(),
            },
        )?;
        Ok(drafts.len())
    })
}

/// The company's orders matching `filter`, every one, in the list's order.
pub fn export(
    conn: &mut DbConnection,
    actor: &Actor,
    filter: &OrderFilter,
) -> ServiceResult<Vec<SheetOrder>> {
    let rows = list(conn, actor, filter, None)?.items;
    let mut orders = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(LOAD_CHUNK) {
        let ids: Vec<i64> = chunk.iter().map(|row| row.order.id).collect();
        let mut recipients: HashMap<i64, OrderRecipient> = order_recipients::table
            .filter(order_recipients::order_id.eq_any(&ids))
            .load::<OrderRecipient>(conn)?
            .into_iter()
            .map(|recipient| (recipient.order_id, recipient))
            .collect();
        let mut items: HashMap<i64, Vec<OrderItem>> = HashMap::new();
        let loaded: Vec<OrderItem> = order_items::table
            .filter(order_items::order_id.eq_any(&ids))
            .order((order_items::order_id.asc(), order_items::position.asc()))
            .load(conn)?;
        for item in loaded {
            items.entry(item.order_id).or_default().push(item);
        }
        for row in chunk {
            let order = &row.order;
            let recipient = recipients.remove(&order.id).unwrap_or_default();
            let order_items = items.remove(&order.id).unwrap_or_default();
            orders.push(SheetOrder {
                order_no: order.order_no.clone(),
                status: order.status.as_str().to_owned(),
                draft: draft_of(order, &recipient, &order_items),
            });
        }
    }
    Ok(orders)
}

/// The order sheet template: the header and a valid example row, on the
/// first active route that currently serves the example's destination.
pub fn template(conn: &mut DbConnection) -> ServiceResult<SheetOrder> {
    let code: Option<String> = rate_rows::table
        .inner_join(routes::table.on(routes::code.eq(rate_rows::route_code)))
        .filter(routes::current_sheet_id.eq(rate_rows::sheet_id.nullable()))
        .filter(routes::status.eq(RouteStatus::Active.as_str()))
        .filter(rate_rows::country.eq(TEMPLATE_COUNTRY))
        .order(routes::code.asc())
        .select(routes::code)
        .first(conn)
        .optional()?;
    Ok(order_sheet::template(
        code.and_then(|code| RouteCode::parse(&code).ok()),
    ))
}
