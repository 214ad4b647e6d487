//! Route reviews (issue #12, DESIGN.md §6): what a company may review and
//! has reviewed, writing and editing (`write`), reports and staff
//! moderation (`moderation`), and the reminders to review (`reminders`).

pub mod moderation;
pub mod reminders;
pub mod staff_view;
mod write;

pub use write::{Photo, ReviewContext, context, save};

use super::{Actor, Page, ServiceResult};
use crate::db::DbConnection;
use crate::db::orders::Order;
use crate::db::reviews::Review;
use crate::db::schema::{order_events, order_recipients, orders, review_photos, reviews};
use crate::domain::ids::CompanyId;
use crate::domain::order_state::OrderStatus;
use crate::domain::review::{self, WRITE_WINDOW_DAYS};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// The conflict of a second "new review" for an order that has one (a
/// double post): the web layer sends the member to what was written.
pub const ALREADY_WRITTEN: &str = "route_review.already_written";

/// The final states, as stored.
const FINAL: [&str; 3] = ["delivered", "returned", "lost"];

/// When the order reached delivered, returned or lost: the time of the
/// event that moved it there (final states are never left, so there is one).
pub fn finished_at(
    conn: &mut DbConnection,
    order_id: i64,
    status: OrderStatus,
) -> QueryResult<Option<NaiveDateTime>> {
    if !status.is_reviewable() {
        return Ok(None);
    }
    order_events::table
        .filter(order_events::order_id.eq(order_id))
        .filter(order_events::to_status.eq(status.as_str()))
        .select(diesel::dsl::min(order_events::at))
        .first(conn)
}

/// The review of an order, if one was written.
pub fn of_order(conn: &mut DbConnection, order_id: i64) -> QueryResult<Option<Review>> {
    reviews::table
        .filter(reviews::order_id.eq(order_id))
        .select(Review::as_select())
        .first(conn)
        .optional()
}

/// Photo `n` (from 1) of a visible review, for everyone: photos are part of
/// the public review, and go with it when moderation hides it.
pub fn public_photo(
    conn: &mut DbConnection,
    review_id: i64,
    n: i64,
) -> ServiceResult<crate::db::models::Upload> {
    let review: Review = reviews::table
        .find(review_id)
        .select(Review::as_select())
        .first(conn)?;
    let index = usize::try_from(n - 1).map_err(|_| diesel::result::Error::NotFound)?;
    let upload_id = photos_of(conn, review.id)?
        .get(index)
        .copied()
        .filter(|_| review.is_visible())
        .ok_or(diesel::result::Error::NotFound)?;
    Ok(crate::db::schema::uploads::table
        .find(upload_id)
        .first(conn)?)
}

/// The photos of a review (upload ids), in their order.
pub fn photos_of(conn: &mut DbConnection, review_id: i64) -> QueryResult<Vec<i64>> {
    review_photos::table
        .filter(review_photos::review_id.eq(review_id))
        .order(review_photos::position.asc())
        .select(review_photos::upload_id)
        .load(conn)
}

/// What the order page offers about reviewing the route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offer {
    /// Finished within 90 days and not reviewed yet.
    Write,
    /// Reviewed less than 30 days ago.
    Edit,
    /// Reviewed; no longer editable.
    Show,
}

impl Offer {
    pub fn as_str(self) -> &'static str {
        match self {
            Offer::Write => "write",
            Offer::Edit => "edit",
            Offer::Show => "show",
        }
    }
}

/// The offer for `order` at `now`, or `None` when there is nothing to say.
pub fn offer(
    conn: &mut DbConnection,
    order: &Order,
    now: NaiveDateTime,
) -> QueryResult<Option<Offer>> {
    if !order.status.is_reviewable() {
        return Ok(None);
    }
    if let Some(written) = of_order(conn, order.id)? {
        return Ok(Some(if review::may_edit(written.created_at, now).is_ok() {
            Offer::Edit
        } else {
            Offer::Show
        }));
    }
    let finished = finished_at(conn, order.id, order.status)?;
    Ok(review::may_write(finished, now).ok().map(|()| Offer::Write))
}

/// A finished order the company has not reviewed yet.
#[derive(Clone, Debug)]
pub struct Waiting {
    pub order_no: String,
    pub route_code: String,
    pub country: String,
    pub status: String,
    pub finished_at: NaiveDateTime,
    /// Whole days left to write the review.
    pub days_left: i64,
}

/// The company's finished orders still waiting for a review at `now`,
/// soonest to close first; `limit` rows from `offset`.
pub fn waiting(
    conn: &mut DbConnection,
    company: CompanyId,
    now: NaiveDateTime,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<Waiting>> {
    let opened = now - Duration::days(WRITE_WINDOW_DAYS);
    let rows: Vec<(String, Option<String>, String, String, NaiveDateTime)> = orders::table
        .inner_join(order_events::table)
        .inner_join(order_recipients::table)
        .filter(orders::company_id.eq(company.0))
        .filter(orders::status.eq_any(FINAL))
        .filter(order_events::to_status.eq(orders::status))
        // The one event that moved the order into its final state.
        .filter(order_events::from_status.ne(orders::status.nullable()))
        .filter(order_events::at.ge(opened))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            reviews::table.filter(reviews::order_id.eq(orders::id)),
        )))
        .order((order_events::at.asc(), orders::id.asc()))
        .limit(limit)
        .offset(offset)
        .select((
            orders::order_no,
            orders::route_code,
            order_recipients::country,
            orders::status,
            order_events::at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(order_no, route, country, status, at)| Waiting {
            order_no,
            route_code: route.unwrap_or_default(),
            country,
            status,
            finished_at: at,
            days_left: (at + Duration::days(WRITE_WINDOW_DAYS) - now)
                .num_days()
                .max(0),
        })
        .collect())
}

/// A review the company wrote, with its order.
#[derive(Clone, Debug)]
pub struct Written {
    pub review: Review,
    pub order_no: String,
    /// Still within the 30 days it may be changed.
    pub editable: bool,
}

/// `/app/reviews`: what waits for a review (all of it) and one page of what
/// the company wrote, newest first.
pub struct CompanyReviews {
    pub waiting: Vec<Waiting>,
    pub written: Page<Written>,
}

/// The most orders `/app/reviews` lists as waiting (90 days of orders).
const WAITING_LIMIT: i64 = 200;

/// The reviews page of the actor's company.
pub fn for_company(
    conn: &mut DbConnection,
    actor: &Actor,
    page: i64,
    now: NaiveDateTime,
) -> ServiceResult<CompanyReviews> {
    let company = actor.company()?;
    let waiting = if page == 1 {
        waiting(conn, company, now, WAITING_LIMIT, 0)?
    } else {
        Vec::new()
    };
    let rows: Vec<(Review, String)> = reviews::table
        .inner_join(orders::table)
        .filter(reviews::company_id.eq(company.0))
        .order(reviews::id.desc())
        .offset(Page::<Written>::offset(page))
        .limit(Page::<Written>::SIZE + 1)
        .select((Review::as_select(), orders::order_no))
        .load(conn)?;
    let written = rows
        .into_iter()
        .map(|(review, order_no)| Written {
            editable: review::may_edit(review.created_at, now).is_ok(),
            review,
            order_no,
        })
        .collect();
    Ok(CompanyReviews {
        waiting,
        written: Page::from_rows(written, page),
    })
}
