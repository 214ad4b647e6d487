//! The company's order list with its filters, sort and pages.

use crate::db::orders::Order;
use crate::db::schema::{
    api_order_tokens, api_tokens, order_quotes, order_recipients, order_returns, order_shipments,
    orders, routes, users,
};
use crate::db::{DbConnection, contains_pattern, lower};
use crate::domain::order_state::OrderStatus;
use crate::services::{Actor, Page, ServiceResult};
use chrono::{Duration, NaiveDate};
use diesel::prelude::*;

/// The list's filters as the query string gives them; empty means "any".
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct OrderFilter {
    pub status: String,
    pub route: String,
    pub country: String,
    /// A user id of the company.
    pub creator: String,
    /// `YYYY-MM-DD`, China time, inclusive.
    pub from: String,
    pub to: String,
    /// Order number, recipient name or reference.
    pub q: String,
    pub sort: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortOrder {
    Newest,
    Oldest,
    Recipient,
    Total,
}

impl SortOrder {
    pub fn parse(value: &str) -> SortOrder {
        match value {
            "oldest" => SortOrder::Oldest,
            "recipient" => SortOrder::Recipient,
            "total" => SortOrder::Total,
            _ => SortOrder::Newest,
        }
    }
}

/// One line of the list.
#[derive(Clone, Debug)]
pub struct OrderRow {
    pub order: Order,
    pub recipient_name: String,
    pub country: String,
    pub creator: String,
    pub total_fen: Option<i64>,
    /// The carrier's number, once handed over.
    pub waybill: Option<String>,
    /// The order is a return shipment (issue #11).
    pub is_return: bool,
    /// The name of the API token that created the order (issue #13).
    pub api_token: Option<String>,
}

/// A China-time day's start in UTC, as stored.
fn day_start(day: &str) -> Option<chrono::NaiveDateTime> {
    let date = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok()?;
    Some(crate::domain::china_time::day_start(date))
}

/// The company's orders matching `filter`, one page of them.
pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    filter: &OrderFilter,
    page: Option<i64>,
) -> ServiceResult<Page<OrderRow>> {
    let company = actor.company()?;
    let mut query = orders::table
        .inner_join(order_recipients::table)
        .inner_join(users::table.on(users::id.eq(orders::created_by)))
        .left_join(order_quotes::table)
        .left_join(order_shipments::table)
        .left_join(order_returns::table)
        .left_join(api_order_tokens::table.left_join(api_tokens::table))
        .filter(orders::company_id.eq(company.0))
        .into_boxed();
    if let Ok(status) = OrderStatus::parse(filter.status.trim()) {
        query = query.filter(orders::status.eq(status.as_str()));
    }
    if !filter.route.trim().is_empty() {
        query = query.filter(orders::route_code.eq(filter.route.trim().to_uppercase()));
    }
    if !filter.country.trim().is_empty() {
        query = query.filter(order_recipients::country.eq(filter.country.trim().to_uppercase()));
    }
    if let Ok(creator) = filter.creator.trim().parse::<i64>() {
        query = query.filter(orders::created_by.eq(creator));
    }
    if let Some(from) = day_start(&filter.from) {
        query = query.filter(orders::created_at.ge(from));
    }
    if let Some(to) = day_start(&filter.to) {
        query = query.filter(orders::created_at.lt(to + Duration::days(1)));
    }
    let search = filter.q.trim();
    if !search.is_empty() {
        let pattern = contains_pattern(search);
        query = query.filter(
            lower(orders::order_no)
                .like(pattern.clone())
                .or(lower(order_recipients::name).like(pattern.clone()))
                .or(lower(orders::reference).like(pattern)),
        );
    }
    query = match SortOrder::parse(&filter.sort) {
        SortOrder::Newest => query.order((orders::created_at.desc(), orders::id.desc())),
        SortOrder::Oldest => query.order((orders::created_at.asc(), orders::id.asc())),
        SortOrder::Recipient => query.order((order_recipients::name.asc(), orders::id.desc())),
        SortOrder::Total => query.order((order_quotes::total_fen.desc(), orders::id.desc())),
    };
    let select = (
        orders::all_columns,
        order_recipients::name,
        order_recipients::country,
        users::display_name,
        order_quotes::total_fen.nullable(),
        order_shipments::waybill.nullable(),
        order_returns::original_order_id.nullable(),
        api_tokens::name.nullable(),
    );
    type Row = (
        Order,
        String,
        String,
        String,
        Option<i64>,
        Option<String>,
        Option<i64>,
        Option<String>,
    );
    let rows: Vec<Row> = match page {
        Some(page) => query
            .select(select)
            .offset(Page::<OrderRow>::offset(page))
            .limit(Page::<OrderRow>::SIZE + 1)
            .load(conn)?,
        None => query.select(select).load(conn)?,
    };
    let rows = rows
        .into_iter()
        .map(
            |(order, recipient_name, country, creator, total_fen, waybill, original, api_token)| {
                OrderRow {
                    order,
                    recipient_name,
                    country,
                    creator,
                    total_fen,
                    waybill,
                    is_return: original.is_some(),
                    api_token,
                }
            },
        )
        .collect();
    Ok(match page {
        Some(page) => Page::from_rows(rows, page),
        None => Page {
            items: rows,
            page: 1,
            has_next: false,
        },
    })
}

/// The company's members (id, name, e-mail), for the creator and actor filters.
/// What the list's route and country filters offer: every route of the
/// catalogue (code, Chinese and English name) and the destinations the
/// company's orders went to.
pub struct FilterChoices {
    pub routes: Vec<(String, String, String)>,
    pub countries: Vec<String>,
}

pub fn filter_choices(conn: &mut DbConnection, actor: &Actor) -> ServiceResult<FilterChoices> {
    let company = actor.company()?;
    let routes = routes::table
        .order(routes::code.asc())
        .select((routes::code, routes::name_zh, routes::name_en))
        .load(conn)?;
    let countries = order_recipients::table
        .inner_join(orders::table)
        .filter(orders::company_id.eq(company.0))
        .filter(order_recipients::country.ne(""))
        .select(order_recipients::country)
        .distinct()
        .order(order_recipients::country.asc())
        .load(conn)?;
    Ok(FilterChoices { routes, countries })
}

pub fn members(
    conn: &mut DbConnection,
    actor: &Actor,
) -> ServiceResult<Vec<(i64, String, String)>> {
    let company = actor.company()?;
    Ok(users::table
        .filter(users::company_id.eq(company.0))
        .order(users::display_name.asc())
        .select((users::id, users::display_name, users::email))
        .load(conn)?)
}
