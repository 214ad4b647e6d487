//! What staff see of reviews: the moderation list (reported first, then
//! newest) and one review with its earlier versions, reports, reply and
//! photos.

use super::photos_of;
use crate::db::DbConnection;
use crate::db::reviews::Review;
use crate::db::schema::{orders, review_replies, review_reports, review_versions, reviews, users};
use crate::services::{Actor, Page, ServiceResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Which reviews the staff list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    /// With open reports.
    Reported,
    Hidden,
    All,
}

impl Filter {
    pub fn parse(input: &str) -> Filter {
        match input {
            "reported" => Filter::Reported,
            "hidden" => Filter::Hidden,
            _ => Filter::All,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Filter::Reported => "reported",
            Filter::Hidden => "hidden",
            Filter::All => "all",
        }
    }

    pub const ALL: [Filter; 3] = [Filter::All, Filter::Reported, Filter::Hidden];
}

/// One line of the staff list.
#[derive(Clone, Debug)]
pub struct Row {
    pub review: Review,
    pub order_no: String,
}

/// The staff list: reviews with open reports first, then newest.
pub fn list(
    conn: &mut DbConnection,
    actor: &Actor,
    filter: Filter,
    page: i64,
) -> ServiceResult<Page<Row>> {
    actor.require_staff()?;
    let mut query = reviews::table
        .inner_join(orders::table)
        .select((Review::as_select(), orders::order_no))
        .into_boxed();
    query = match filter {
        Filter::Reported => query.filter(reviews::open_reports.gt(0)),
        Filter::Hidden => query.filter(reviews::status.eq("hidden")),
        Filter::All => query,
    };
    let rows: Vec<(Review, String)> = query
        .order((reviews::open_reports.gt(0).desc(), reviews::id.desc()))
        .offset(Page::<Row>::offset(page))
        .limit(Page::<Row>::SIZE + 1)
        .load(conn)?;
    let rows = rows
        .into_iter()
        .map(|(review, order_no)| Row { review, order_no })
        .collect();
    Ok(Page::from_rows(rows, page))
}

/// An earlier wording of a review.
#[derive(Queryable, Clone, Debug)]
pub struct Version {
    pub scores: (i64, i64, i64, i64, i64, i64),
    pub body: String,
    pub tags: String,
    pub written_at: NaiveDateTime,
    pub replaced_at: NaiveDateTime,
}

/// A report, with who sent it.
#[derive(Clone, Debug)]
pub struct Report {
    pub id: i64,
    pub reporter: String,
    pub reason: String,
    pub note: String,
    pub status: String,
    pub created_at: NaiveDateTime,
}

/// The platform's public reply.
#[derive(Queryable, Clone, Debug)]
pub struct Reply {
    pub body: String,
    pub updated_at: NaiveDateTime,
}

/// Everything staff see of one review.
#[derive(Clone, Debug)]
pub struct StaffView {
    pub review: Review,
    pub order_no: String,
    pub versions: Vec<Version>,
    pub reports: Vec<Report>,
    pub reply: Option<Reply>,
    pub photos: Vec<i64>,
}

/// The platform's reply to a review, if it has one.
pub fn reply_of(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Reply>> {
    review_replies::table
        .find(id)
        .select((review_replies::body, review_replies::updated_at))
        .first(conn)
        .optional()
}

/// Review `id` with its versions, reports, reply and photos, for staff.
pub fn view(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<StaffView> {
    actor.require_staff()?;
    let review = super::moderation::find(conn, id)?;
    let order_no = orders::table
        .find(review.order_id)
        .select(orders::order_no)
        .first(conn)?;
    let versions = review_versions::table
        .filter(review_versions::review_id.eq(id))
        .order(review_versions::id.desc())
        .select((
            (
                review_versions::overall,
                review_versions::timeliness,
                review_versions::service,
                review_versions::customs,
                review_versions::tracking,
                review_versions::packaging,
            ),
            review_versions::body,
            review_versions::tags,
            review_versions::written_at,
            review_versions::replaced_at,
        ))
        .load(conn)?;
    let reports = review_reports::table
        .inner_join(users::table.on(users::id.eq(review_reports::reporter_id)))
        .filter(review_reports::review_id.eq(id))
        .order(review_reports::id.desc())
        .select((
            review_reports::id,
            users::email,
            review_reports::reason,
            review_reports::note,
            review_reports::status,
            review_reports::created_at,
        ))
        .load::<(i64, String, String, String, String, NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(id, reporter, reason, note, status, created_at)| Report {
            id,
            reporter,
            reason,
            note,
            status,
            created_at,
        })
        .collect();
    let reply = reply_of(conn, id)?;
    let photos = photos_of(conn, id)?;
    Ok(StaffView {
        review,
        order_no,
        versions,
        reports,
        reply,
        photos,
    })
}
