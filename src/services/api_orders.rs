//! Orders for the ERP API (issue #13): a token acts as the member who made
//! it, with that member's current role, so its orders follow the same rules
//! and approval policy; orders it creates remember the token.

use super::api_tokens::ApiClient;
use super::orders::{self, Start, Submission};
use super::{Actor, ServiceError, ServiceResult};
use crate::db::models::User;
use crate::db::orders::Order;
use crate::db::schema::{
    api_order_tokens, api_tokens, order_quotes, order_recipients, orders as order_rows, users,
};
use crate::db::{DbConnection, write_tx};
use crate::domain::customs::Warning;
use crate::domain::order::Draft;
use crate::domain::order_state::OrderStatus;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// An order with its recipient's name and country, quote total and token name.
type OrderListTuple = (Order, String, String, Option<i64>, Option<String>);

/// The member a token acts as: its creator with their role today. `None`
/// when the creator was disabled or no longer belongs to the token's company.
pub fn actor_of(
    conn: &mut DbConnection,
    client: &ApiClient,
    ip: &str,
) -> ServiceResult<Option<Actor>> {
    let user: User = users::table.find(client.created_by.0).first(conn)?;
    if user.disabled || user.company_id != Some(client.company_id.0) || user.role.is_staff() {
        return Ok(None);
    }
    Ok(Some(Actor {
        user_id: client.created_by,
        // The audit log shows the token, as for every other API call.
        email: format!("api:{}", client.name),
        role: user.role,
        company_id: Some(client.company_id),
        ip: ip.to_owned(),
    }))
}

/// What [`create`] made of the request.
pub enum Creation {
    /// The new order's number and status.
    Created(String, OrderStatus),
    /// Submission needs these acknowledged; nothing was saved.
    Unacknowledged(Vec<Warning>),
}

/// Why the creating transaction rolled back.
enum Rollback {
    Service(ServiceError),
    Warnings(Vec<Warning>),
}

impl From<diesel::result::Error> for Rollback {
    fn from(error: diesel::result::Error) -> Rollback {
        Rollback::Service(error.into())
    }
}

impl From<ServiceError> for Rollback {
    fn from(error: ServiceError) -> Rollback {
        Rollback::Service(error)
    }
}

/// Creates an order as a draft and, with `submit`, submits it, in one
/// transaction: an order the form would refuse to submit is not left
/// behind as a draft (the ERP fixes and sends it again).
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    token_id: i64,
    draft: &Draft,
    submit: bool,
    acknowledged: bool,
) -> ServiceResult<Creation> {
    let result = write_tx(conn, |conn| -> Result<(String, OrderStatus), Rollback> {
        let created = orders::insert(
            conn,
            actor,
            &orders::new_form_token(),
            draft,
            Start::Draft {
                save_recipient: false,
            },
        )?;
        let order_id: i64 = order_rows::table
            .filter(order_rows::order_no.eq(&created.order_no))
            .select(order_rows::id)
            .first(conn)?;
        diesel::insert_into(api_order_tokens::table)
            .values((
                api_order_tokens::order_id.eq(order_id),
                api_order_tokens::token_id.eq(token_id),
            ))
            .execute(conn)?;
        if !submit {
            return Ok((created.order_no, OrderStatus::Draft));
        }
        match orders::submit_in(conn, actor, &created.order_no, acknowledged)? {
            Submission::Submitted(status) => Ok((created.order_no, status)),
            Submission::Unacknowledged(warnings) => Err(Rollback::Warnings(warnings)),
        }
    });
    match result {
        Ok((order_no, status)) => Ok(Creation::Created(order_no, status)),
        Err(Rollback::Warnings(warnings)) => Ok(Creation::Unacknowledged(warnings)),
        Err(Rollback::Service(error)) => Err(error),
    }
}

/// The name of the token that created the order, if an API token did.
pub fn token_name(conn: &mut DbConnection, order_id: i64) -> QueryResult<Option<String>> {
    api_order_tokens::table
        .inner_join(api_tokens::table)
        .filter(api_order_tokens::order_id.eq(order_id))
        .select(api_tokens::name)
        .first(conn)
        .optional()
}

/// The list's filters, parsed by the handler.
#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    pub status: Option<OrderStatus>,
    /// Created at or after (UTC).
    pub created_from: Option<NaiveDateTime>,
    /// Created before (UTC).
    pub created_to: Option<NaiveDateTime>,
    /// Only orders with a smaller id (the cursor).
    pub before_id: Option<i64>,
    pub limit: i64,
}

/// One order of the list.
#[derive(Clone, Debug)]
pub struct ListRow {
    pub order: Order,
    pub recipient_name: String,
    pub country: String,
    pub total_fen: Option<i64>,
    pub token_name: Option<String>,
}

/// The company's orders, newest (highest id) first, keyset-paged on the id
/// so rows created while an ERP pages through never shift a page. Returns
/// up to `limit` rows and the id to continue before, if there are more.
pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    query: &ListQuery,
) -> ServiceResult<(Vec<ListRow>, Option<i64>)> {
    let company = actor.company()?;
    let mut select = order_rows::table
        .inner_join(order_recipients::table)
        .left_join(order_quotes::table)
        .left_join(api_order_tokens::table.left_join(api_tokens::table))
        .filter(order_rows::company_id.eq(company.0))
        .into_boxed();
    if let Some(status) = query.status {
        select = select.filter(order_rows::status.eq(status.as_str()));
    }
    if let Some(from) = query.created_from {
        select = select.filter(order_rows::created_at.ge(from));
    }
    if let Some(to) = query.created_to {
        select = select.filter(order_rows::created_at.lt(to));
    }
    if let Some(before) = query.before_id {
        select = select.filter(order_rows::id.lt(before));
    }
    let rows: Vec<OrderListTuple> = select
        .order(order_rows::id.desc())
        .limit(query.limit + 1)
        .select((
            order_rows::all_columns,
            order_recipients::name,
            order_recipients::country,
            order_quotes::total_fen.nullable(),
            api_tokens::name.nullable(),
        ))
        .load(conn)?;
    let more = rows.len() as i64 > query.limit;
    let mut rows: Vec<ListRow> = rows
        .into_iter()
        .map(
            |(order, recipient_name, country, total_fen, token_name)| ListRow {
                order,
                recipient_name,
                country,
                total_fen,
                token_name,
            },
        )
        .collect();
    rows.truncate(usize::try_from(query.limit).unwrap_or(0));
    let next = if more {
        rows.last().map(|row| row.order.id)
    } else {
        None
    };
    Ok((rows, next))
}
