//! Reports and moderation: anyone signed in reports a review (it stays
//! visible); staff hide it for a listed reason only, unhide it, dismiss its
//! reports and write the one public reply. Staff never change what the
//! reviewer wrote. Every staff action is audited.

use super::photos_of;
use crate::db::reviews::Review;
use crate::db::schema::{orders, review_replies, review_reports, review_versions, reviews, users};
use crate::db::{DbConnection, write_tx};
use crate::domain::field_errors::FieldErrors;
use crate::domain::ids::CompanyId;
use crate::domain::review::{HideReason, ReportReason};
use crate::services::audit::{self, Event};
use crate::services::route_stats::{self, ReviewFacts};
use crate::services::{Actor, Page, ServiceError, ServiceResult, now};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// Longest note with a report, in characters.
pub const MAX_NOTE: usize = 500;
/// Longest platform reply, in characters.
pub const MAX_REPLY: usize = 2000;

/// A free text of at most `max` characters (line breaks allowed), trimmed;
/// `Err` is the message key.
fn free_text(input: &str, max: usize) -> Result<String, &'static str> {
    let text = input.trim();
    if text.chars().count() > max {
        return Err("route_review.text_long");
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err("error.control_characters");
    }
    Ok(text.replace("\r\n", "\n"))
}

/// A visible or hidden review, by id (404 when there is none).
fn find(conn: &mut DbConnection, id: i64) -> ServiceResult<Review> {
    Ok(reviews::table
        .find(id)
        .select(Review::as_select())
        .first(conn)?)
}

/// What the report page shows of the review.
pub fn for_report(conn: &mut DbConnection, id: i64) -> ServiceResult<Review> {
    find(conn, id)
}

/// The actor reports review `id` (once per user; the review stays visible).
pub fn report(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    reason: ReportReason,
    note: &str,
) -> ServiceResult<()> {
    let note = free_text(note, MAX_NOTE)
        .map_err(|key| ServiceError::Invalid(FieldErrors::single("note", key)))?;
    let result = write_tx(conn, |conn| {
        find(conn, id)?;
        let already: bool = diesel::select(diesel::dsl::exists(
            review_reports::table
                .filter(review_reports::review_id.eq(id))
                .filter(review_reports::reporter_id.eq(actor.user_id.0)),
        ))
        .get_result(conn)?;
        if already {
            return Err(ServiceError::Conflict("route_review.already_reported"));
        }
        diesel::insert_into(review_reports::table)
            .values((
                review_reports::review_id.eq(id),
                review_reports::reporter_id.eq(actor.user_id.0),
                review_reports::reason.eq(reason.as_str()),
                review_reports::note.eq(&note),
                review_reports::status.eq("open"),
                review_reports::created_at.eq(now()),
            ))
            .execute(conn)?;
        diesel::update(reviews::table.find(id))
            .set(reviews::open_reports.eq(reviews::open_reports + 1))
            .execute(conn)?;
        Ok(())
    });
    match result {
        Err(ServiceError::Db(DieselError::DatabaseError(
            DatabaseErrorKind::UniqueViolation,
            _,
        ))) => Err(ServiceError::Conflict("route_review.already_reported")),
        other => other,
    }
}

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
    let review = find(conn, id)?;
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

fn audit_staff(
    conn: &mut DbConnection,
    actor: &Actor,
    review: &Review,
    action: &str,
    detail: String,
) -> QueryResult<()> {
    audit::record(
        conn,
        actor,
        Event {
            action,
            company: Some(CompanyId(review.company_id)),
            target_type: "review",
            target_id: review.id.to_string(),
            detail,
        },
    )
}

/// Closes the review's open reports as `status` (upheld or dismissed).
fn close_reports(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    status: &str,
) -> QueryResult<usize> {
    let closed = diesel::update(
        review_reports::table
            .filter(review_reports::review_id.eq(id))
            .filter(review_reports::status.eq("open")),
    )
    .set((
        review_reports::status.eq(status),
        review_reports::handled_by.eq(Some(actor.user_id.0)),
        review_reports::handled_at.eq(Some(now())),
    ))
    .execute(conn)?;
    diesel::update(reviews::table.find(id))
        .set(reviews::open_reports.eq(0_i64))
        .execute(conn)?;
    Ok(closed)
}

/// Hides review `id` for `reason` (its open reports are upheld); it stops
/// counting in the route's figures. The text stays as written.
pub fn hide(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    reason: HideReason,
) -> ServiceResult<()> {
    actor.require_staff()?;
    write_tx(conn, |conn| {
        let old = find(conn, id)?;
        if !old.is_visible() {
            return Err(ServiceError::Conflict("route_review.already_hidden"));
        }
        diesel::update(
            reviews::table
                .find(id)
                .filter(reviews::status.eq("visible")),
        )
        .set((
            reviews::status.eq("hidden"),
            reviews::hide_reason.eq(Some(reason.as_str())),
            reviews::hidden_by.eq(Some(actor.user_id.0)),
            reviews::hidden_at.eq(Some(now())),
        ))
        .execute(conn)?;
        close_reports(conn, actor, id, "upheld")?;
        route_stats::review_changed(conn, ReviewFacts::of(&old).as_ref(), None)?;
        audit_staff(conn, actor, &old, "route_review.hide", reason.to_string())?;
        Ok(())
    })
}

/// Shows a hidden review again; it counts again.
pub fn unhide(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<()> {
    actor.require_staff()?;
    write_tx(conn, |conn| {
        let old = find(conn, id)?;
        if old.is_visible() {
            return Err(ServiceError::Conflict("route_review.not_hidden"));
        }
        diesel::update(reviews::table.find(id))
            .set((
                reviews::status.eq("visible"),
                reviews::hide_reason.eq(None::<String>),
                reviews::hidden_by.eq(None::<i64>),
                reviews::hidden_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
        let shown = find(conn, id)?;
        route_stats::review_changed(conn, None, ReviewFacts::of(&shown).as_ref())?;
        let was = old.hide_reason.clone().unwrap_or_default();
        audit_staff(conn, actor, &old, "route_review.unhide", was)?;
        Ok(())
    })
}

/// Dismisses the review's open reports; it stays as it is.
pub fn dismiss_reports(conn: &mut DbConnection, actor: &Actor, id: i64) -> ServiceResult<()> {
    actor.require_staff()?;
    write_tx(conn, |conn| {
        let review = find(conn, id)?;
        let closed = close_reports(conn, actor, id, "dismissed")?;
        if closed == 0 {
            return Err(ServiceError::Conflict("route_review.no_open_reports"));
        }
        audit_staff(
            conn,
            actor,
            &review,
            "route_review.dismiss",
            format!("{closed}"),
        )?;
        Ok(())
    })
}

/// Writes or replaces the platform's one public reply to review `id`.
pub fn reply(conn: &mut DbConnection, actor: &Actor, id: i64, body: &str) -> ServiceResult<()> {
    actor.require_staff()?;
    let body = match free_text(body, MAX_REPLY) {
        Ok(body) if body.is_empty() => Err("route_review.reply_required"),
        other => other,
    }
    .map_err(|key| ServiceError::Invalid(FieldErrors::single("reply", key)))?;
    write_tx(conn, |conn| {
        let review = find(conn, id)?;
        let at = now();
        let changed = diesel::update(review_replies::table.find(id))
            .set((
                review_replies::body.eq(&body),
                review_replies::author_id.eq(actor.user_id.0),
                review_replies::updated_at.eq(at),
            ))
            .execute(conn)?;
        let action = if changed == 0 {
            diesel::insert_into(review_replies::table)
                .values((
                    review_replies::review_id.eq(id),
                    review_replies::body.eq(&body),
                    review_replies::author_id.eq(actor.user_id.0),
                    review_replies::created_at.eq(at),
                    review_replies::updated_at.eq(at),
                ))
                .execute(conn)?;
            "route_review.reply"
        } else {
            "route_review.reply_edit"
        };
        let detail: String = body.chars().take(80).collect();
        audit_staff(conn, actor, &review, action, detail)?;
        Ok(())
    })
}
