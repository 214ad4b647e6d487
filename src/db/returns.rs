//! Rows of returns (issue #11): the link between a return order and the
//! order it brings back, with the recipient's return link.

use super::DbConnection;
use super::schema::order_returns;
use crate::domain::returns::ReturnReason;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = order_returns)]
pub struct OrderReturn {
    pub return_order_id: i64,
    pub original_order_id: i64,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub reason: ReturnReason,
    /// SHA-256 of the recipient's link token (returns the seller asked for).
    pub token_sha256: Option<String>,
    pub token_expires_at: Option<NaiveDateTime>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

/// The link of `order_id` when it is a return order.
pub fn as_return(conn: &mut DbConnection, order_id: i64) -> QueryResult<Option<OrderReturn>> {
    order_returns::table
        .find(order_id)
        .select(OrderReturn::as_select())
        .first(conn)
        .optional()
}

/// The return that brings `order_id` back, if there is one.
pub fn of_original(conn: &mut DbConnection, order_id: i64) -> QueryResult<Option<OrderReturn>> {
    order_returns::table
        .filter(order_returns::original_order_id.eq(order_id))
        .select(OrderReturn::as_select())
        .first(conn)
        .optional()
}

/// The return whose recipient link has this token digest.
pub fn by_token(conn: &mut DbConnection, digest: &str) -> QueryResult<Option<OrderReturn>> {
    order_returns::table
        .filter(order_returns::token_sha256.eq(digest))
        .select(OrderReturn::as_select())
        .first(conn)
        .optional()
}
