//! Rows of the recipient's confirmation of receipt (issue #11).

use super::schema::recipient_confirmations;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A confirmation as stored: one per order.
#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = recipient_confirmations)]
pub struct RecipientConfirmation {
    pub id: i64,
    pub order_id: i64,
    /// 1 (badly damaged) to 5 (perfect).
    pub parcel_condition: i64,
    pub comment: String,
    pub photo_upload_id: Option<i64>,
    /// No carrier had reported the delivery: this confirmation recorded it.
    pub recorded_delivery: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = recipient_confirmations)]
pub struct NewRecipientConfirmation<'a> {
    pub order_id: i64,
    pub parcel_condition: i64,
    pub comment: &'a str,
    pub photo_upload_id: Option<i64>,
    pub recorded_delivery: bool,
    pub created_at: NaiveDateTime,
}

/// The order's confirmation, if the recipient gave one.
pub fn of_order(
    conn: &mut super::DbConnection,
    order_id: i64,
) -> QueryResult<Option<RecipientConfirmation>> {
    recipient_confirmations::table
        .filter(recipient_confirmations::order_id.eq(order_id))
        .select(RecipientConfirmation::as_select())
        .first(conn)
        .optional()
}
